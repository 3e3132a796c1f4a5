"""The spectral network trained on orbit data recovers the group (fixed seeds, no torch)."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.harmonics.recovery import recover_group


# D4 (~4 CPU-s) is slow: D3 checks the same (a non-abelian group with a 2-dimensional irreducible)
@pytest.mark.parametrize("name", ["C5", "C6", "C2xC3", "D3", pytest.param("D4", marks=pytest.mark.slow)])
def test_recovers_exact_table(name):
    r = recover_group(name, seed=0)
    G = r.group
    assert r.is_group and r.n_mismatches == 0 and np.array_equal(r.table, G.table)
    phi = r.isomorphism
    assert phi is not None
    assert np.array_equal(phi[r.table], G.table[phi[:, None], phi[None, :]])
    # W(gh) = W(g) W(h) and unitary equivalence to distinct true irreducibles
    assert r.representation_residual < 1e-4 and r.unitarity_residual < 1e-4
    assert r.is_equivalent and sorted(m.irrep for m in r.matches) == list(range(len(r.dims)))
    assert all(abs(m.overlap - 1) < 1e-6 for m in r.matches)
    assert r.held_out_invariance < 1e-10
    assert r.status == "numerical"
    d = r.to_dict()
    assert d["value"] is True and d["recovered_table"] == G.table.tolist()


def test_approximately_invariant_data_still_recovers():
    r = recover_group("D3", seed=0, noise=0.02, atol=0.05)
    assert r.is_recovered and r.is_equivalent and r.status == "numerical"
    assert max(m.equivalence_residual for m in r.matches) > 1e-4  # approximate, and says so
    assert r.invariance > 1e-6  # the data are not exactly invariant


def test_wrong_block_sizes_fail_honestly():
    r = recover_group("D3", dims=(1, 1, 1, 1, 1, 1), seed=0, restarts=2)
    assert r.status == "failed"
    assert "failed" in str(r).splitlines()[0]


def test_deterministic_given_seed():
    a = recover_group("C5", seed=3, restarts=2)
    b = recover_group("C5", seed=3, restarts=2)
    assert a.restart_losses == b.restart_losses and np.array_equal(a.table, b.table)


@pytest.mark.parametrize("kwargs,match", [
    ({"restarts": 0}, "restarts"), ({"method": "jax"}, "method"), ({"noise": -1}, "noise"),
    ({"dims": (0, 1)}, "dims"),
])
def test_bad_options(kwargs, match):
    with pytest.raises(SpecError, match=match):
        recover_group("C3", seed=0, **kwargs)


@pytest.mark.slow
def test_torch_path_agrees():
    pytest.importorskip("torch")
    r = recover_group("D3", seed=0, method="torch", restarts=2)
    assert r.is_recovered and r.is_equivalent and "torch" in r.method


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Q8", "A4", "D6", "C12", "C2xC2xC2"])
def test_recovers_order_up_to_12(name):
    r = recover_group(name, seed=0)
    assert r.is_recovered and r.is_equivalent
