import numpy as np
import pytest

from neuroalg.homotopy import PolySystem, cyclic, katsura


def random_sparse_system(seed: int) -> PolySystem:
    """Three equations in three unknowns, four random terms of degree <= 2 per variable and a
    constant each, complex Gaussian coefficients (seeded)."""
    rng = np.random.default_rng(seed)
    eqs = []
    for _ in range(3):
        terms = {tuple(int(v) for v in rng.integers(0, 3, 3)): complex(*rng.standard_normal(2))
                 for _ in range(4)}
        terms[(0, 0, 0)] = complex(*rng.standard_normal(2))
        eqs.append(terms)
    return PolySystem.from_terms(eqs, 3)


@pytest.fixture
def system_named():
    """system_named("katsura4" | "cyclic5" | "sparse3" ...) -> the PolySystem of that name."""

    def build(name: str) -> PolySystem:
        for prefix, make in (("katsura", katsura), ("cyclic", cyclic), ("sparse", random_sparse_system)):
            if name.startswith(prefix):
                return make(int(name[len(prefix):]))
        raise KeyError(name)

    return build
