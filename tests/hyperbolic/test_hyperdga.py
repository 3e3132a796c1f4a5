"""HyperDGA: exact isometry invariance, counts, baselines against brute force, shift response."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.hyperbolic import (
    distance,
    hyperbolic_wasserstein,
    hyperdga,
    isometry,
    symmetric_chamfer,
    wrapped_normal,
)
from neuroalg.hyperbolic.models import random_isometry


def test_score_counts_and_invariance():
    rng = np.random.default_rng(0)
    A = wrapped_normal(120, 2, rng, sigma=1.2)
    B = wrapped_normal(80, 2, rng, sigma=1.2, center=[0.3, 0.0])
    r = hyperdga(A, B)
    assert r.n_aa + r.n_bb + r.n_heterogeneous == r.n_edges
    assert r.score == r.n_heterogeneous / r.n_edges
    e = r.edges
    het = sum((i < 120) != (j < 120) for i, j in e)
    assert het == r.n_heterogeneous
    for _ in range(3):
        a, Q = random_isometry(2, rng, radius=0.9)
        s = hyperdga(isometry(A, a, Q), isometry(B, a, Q))
        assert s.score == r.score and np.array_equal(s.edges, r.edges)
        assert abs(s.wasserstein - r.wasserstein) < 1e-8 and abs(s.chamfer - r.chamfer) < 1e-8
    d = r.to_dict()
    assert d["value"] == r.score and d["status"] == "numerical" and len(d["edges"]) == r.n_edges


def test_baselines_brute_force():
    rng = np.random.default_rng(1)
    A = wrapped_normal(5, 2, rng)
    B = wrapped_normal(5, 2, rng)
    import itertools

    C = distance(A, B)
    best = min(np.mean([C[i, p[i]] for i in range(5)]) for p in itertools.permutations(range(5)))
    assert abs(hyperbolic_wasserstein(A, B) - best) < 1e-12
    # unequal sizes: the LP; duplicating every point of B leaves the uniform measure unchanged
    assert abs(hyperbolic_wasserstein(A, np.concatenate([B, B[:0]])) - best) < 1e-12
    B2 = wrapped_normal(3, 2, rng)
    w = hyperbolic_wasserstein(A, B2)
    assert 0 <= w <= distance(A, B2).max()
    D2 = distance(A, B) ** 2
    want = 0.5 * (np.mean([D2[i].min() for i in range(5)]) + np.mean([D2[:, j].min() for j in range(5)]))
    assert abs(symmetric_chamfer(A, B) - want) < 1e-12


@pytest.mark.parametrize("A,B,match", [
    ([[0.0, 0.0], [0.1, 0.2]], [[0.3, 0.1, 0.0]], "dimension 2"),
    ([[0.0, 0.0], [1.5, 0.2]], [[0.3, 0.1]], "strictly inside"),
    ([[0.0, 0.0], [0.1, 0.2]], [[0.1, 0.2]], "distinct"),
    ([[0.0, float("nan")]], [[0.3, 0.1]], "finite"),
])
def test_bad_input(A, B, match):
    with pytest.raises(SpecError, match=match):
        hyperdga(A, B)
