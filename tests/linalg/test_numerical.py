"""linalg/numerical.py: the rank and its singular-value gap on matrices of known rank."""

import numpy as np

from neuroalg.linalg.numerical import numerical_rank


def test_rank_and_gap_of_a_random_low_rank_product():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((30, 4)) @ rng.standard_normal((4, 20))
    r = numerical_rank(a)
    assert r.rank == 4 and r.gap > 1e8
    assert r.singular_values[3] > r.tol > r.singular_values[4]


def test_column_scaling_does_not_change_the_rank():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((10, 3)) @ rng.standard_normal((3, 6))
    scaled = a * np.array([1e-8, 1, 1e8, 1, 1, 1e4])
    assert numerical_rank(scaled).rank == numerical_rank(a).rank == 3


def test_zero_and_full_rank_edge_cases():
    assert numerical_rank(np.zeros((3, 3))).rank == 0
    full = numerical_rank(np.eye(4))
    assert full.rank == 4 and full.gap == float("inf")
