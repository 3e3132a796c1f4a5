"""Bounds against hand evaluations of the published formulas, their ordering, and exact counts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroalg.tropical import ReLUNetwork, count_regions
from neuroalg.tropical.bounds import (
    bound_montufar,
    bound_serra,
    bound_trivial,
    bound_zaslavsky,
    bound_zhang_naitzat_lim,
    chao1,
)


def test_bottleneck_example_by_hand():
    # widths (3, 1, 5, 1): N = 6; Montufar d_1 = 1, d_2 = 1: (1+1)(1+5) = 12;
    # ZNL: (1+1)(1+5+10+10) = 52; Serra: j1 <= 1; j1=0: j2 <= 1 -> 1+5; j1=1: j2 <= 0 -> 1; total 7
    w = (3, 1, 5, 1)
    assert (bound_trivial(w), bound_zhang_naitzat_lim(w), bound_montufar(w), bound_serra(w)) == (64, 52, 12, 7)
    assert bound_zaslavsky(w) is None


def test_one_input_serra_is_product():
    # n0 = 1: j_l in {0, 1}, so the bound is prod (n_l + 1) when every n_l >= 2
    assert bound_serra((1, 3, 4, 5, 1)) == 4 * 5 * 6


def test_one_hidden_layer_all_equal_zaslavsky():
    w = (3, 7, 1)
    z = 1 + 7 + 21 + 35
    assert bound_zaslavsky(w) == bound_serra(w) == bound_montufar(w) == bound_zhang_naitzat_lim(w) == z


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 7), min_size=3, max_size=5))
def test_ordering(widths):
    w = tuple(widths)
    assert bound_serra(w) <= bound_montufar(w) <= bound_zhang_naitzat_lim(w) <= bound_trivial(w)


@pytest.mark.parametrize("widths", [(2, 4, 3, 1), (3, 2, 4, 1), (2, 3, 3, 3, 1), (1, 4, 4, 1)])
def test_exact_counts_respect_all_bounds(widths):
    for seed in range(3):
        r = count_regions(ReLUNetwork.random(widths, seed=seed), n_samples=0)
        for name, v in r.bounds.items():
            if v is not None:
                assert r.activation_regions <= v, name


def test_chao1_by_hand():
    # frequencies 1,1,1,2,2,5: S_obs 6, f1 3, f2 2 -> 6 + 3*2/(2*3) = 7
    est, lo, hi = chao1([1, 1, 1, 2, 2, 5])
    assert est == pytest.approx(7.0) and 6 <= lo <= 7 <= hi
    assert chao1([3, 4, 5]) == (3.0, 3.0, 3.0)


# --- issue 12: the rank refinement must use exact ranks ---------------------------------------

def test_exact_rank_where_float_rank_is_wrong():
    import numpy as np

    from neuroalg.tropical.bounds import exact_rank

    W = np.array([[1e20, 1e20], [1.0, -1.0]])
    assert np.linalg.matrix_rank(W) == 1          # the floating-point rank is too small
    assert exact_rank(W) == 2                      # det = -2e20 != 0 over Q
    assert exact_rank([[1, 2], [2, 4]]) == 1 and exact_rank([["1/3", 1], [1, 3]]) == 1


@pytest.mark.parametrize("layers", [
    [([[1e20, 1e20], [1, -1]], [0, 0]), ([[1, 1]], [0])],           # the reported example
    [([[2 ** 70, 2 ** 70], [1, -1]], [0, 0]), ([[1, 1]], [0])],     # the same, exact weights
    [([[1e-20, 1e-20], [1, -1]], [0, 0]), ([[1, 1]], [0])],          # a tiny row
])
def test_rank_refined_bound_is_not_below_the_certified_count(layers, oracle):
    r = count_regions(layers, n_samples=0, certify=True)
    brute = oracle.counts(layers)[0]
    assert r.activation_regions == brute == 4
    assert r.certified_regions == 4                # proven non-empty, so every bound must be >= 4
    assert all(v is None or v >= brute for v in r.bounds.values()), r.bounds
