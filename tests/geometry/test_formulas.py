"""Closed forms against independent routes: Jacobian ranks, Hilbert polynomials, Segre and
Veronese special cases, and published counts."""

from math import comb, factorial, prod

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.geometry import formulas


@pytest.mark.parametrize("m, n, r", [(2, 2, 1), (3, 4, 2), (5, 3, 1), (4, 4, 3), (3, 5, 4)])
def test_determinantal_dimension_is_the_rank_of_the_product_map(m, n, r):
    # (A, B) -> A B with A m x r, B r x n: the Jacobian's rank at a random point
    rng = np.random.default_rng(0)
    k = min(r, m, n)
    a, b = rng.standard_normal((m, k)), rng.standard_normal((k, n))
    cols = []
    for i in range(m * k):
        e = np.zeros(m * k)
        e[i] = 1
        cols.append((e.reshape(m, k) @ b).ravel())
    for i in range(k * n):
        e = np.zeros(k * n)
        e[i] = 1
        cols.append((a @ e.reshape(k, n)).ravel())
    assert np.linalg.matrix_rank(np.array(cols)) == formulas.determinantal_dimension(m, n, r)


@pytest.mark.parametrize("m, n", [(2, 2), (2, 3), (3, 3), (2, 5), (4, 3), (3, 6)])
def test_determinantal_degree_special_cases(m, n):
    # rank 1: the Segre P^(m-1) x P^(n-1), degree C(m + n - 2, m - 1)
    assert formulas.determinantal_degree(m, n, 1) == comb(m + n - 2, m - 1)
    assert formulas.determinantal_degree(m, n, 1) == formulas.segre_veronese_degree([m - 1, n - 1], [1, 1])
    # corank 1 of a square matrix: the determinant, a hypersurface of degree n
    assert formulas.determinantal_degree(n, n, n - 1) == n
    assert formulas.determinantal_degree(m, n, min(m, n)) == 1  # everything
    assert formulas.determinantal_degree(m, n, 1) == formulas.determinantal_degree(n, m, 1)


def test_published_determinantal_degrees():
    # Harris, Example 19.10: 3 x 4 of rank <= 2 has degree 6; 4 x 4 of rank <= 2 degree 20
    assert formulas.determinantal_degree(3, 4, 2) == 6
    assert formulas.determinantal_degree(4, 4, 2) == 20


def _hilbert_degree(dims, weights):
    """deg X from its Hilbert function HF(t) = prod_i C(n_i + t a_i, n_i), a polynomial of degree
    m = sum n_i in t: its m-th finite difference is m! times the leading coefficient = deg X."""
    m = sum(dims)

    def hf(t):
        return prod(comb(n + t * a, n) for n, a in zip(dims, weights))

    return sum((-1) ** (m - j) * comb(m, j) * hf(j + 1) for j in range(m + 1))


@pytest.mark.parametrize("dims, weights", [([1], [5]), ([2], [2]), ([1, 1], [1, 1]),
                                           ([1, 2], [3, 1]), ([2, 1, 1], [1, 2, 4]), ([3], [3])])
def test_segre_veronese_degree_is_the_hilbert_polynomial_degree(dims, weights):
    assert formulas.segre_veronese_degree(dims, weights) == _hilbert_degree(dims, weights)


@pytest.mark.parametrize("filters, r", [([3, 2], 2), ([2, 2], 2), ([2, 3, 2], 3), ([4], 2)])
def test_cnn_degree_is_the_segre_veronese_degree(filters, r):
    depth = len(filters)
    dims, weights = [k - 1 for k in filters], [r ** (depth - 1 - j) for j in range(depth)]
    assert formulas.cnn_degree(filters, r) == _hilbert_degree(dims, weights)
    # SMK closed form: (|k| - L)! prod_j r^((L - j - 1)(k_j - 1)) / (k_j - 1)!
    want = factorial(sum(filters) - depth) * prod(
        r ** ((depth - j - 1) * (k - 1)) for j, k in enumerate(filters)) // prod(
        factorial(k - 1) for k in filters)
    assert formulas.cnn_degree(filters, r) == want


@pytest.mark.parametrize("n, d", [(1, 1), (1, 2), (1, 5), (2, 2), (2, 3), (3, 2)])
def test_generic_ed_degree_of_veronese_varieties(n, d):
    # DHOST: the generic ED degree of nu_d(P^n) is ((2d - 1)^(n+1) - (d - 1)^(n+1)) / d
    # (3d - 2 for rational normal curves, 13 for the Veronese surface)
    want = ((2 * d - 1) ** (n + 1) - (d - 1) ** (n + 1)) // d
    assert formulas.segre_veronese_ed_degree([n], [d]) == want


def test_generic_ed_degree_of_small_segre_varieties():
    assert formulas.segre_veronese_ed_degree([1, 1], [1, 1]) == 6  # DHOST Example 5.9
    assert formulas.segre_veronese_ed_degree([0, 3], [1, 1]) == 1  # a linear space
    # the Chern-class route reproduces the Veronese closed form through ed_degree_from_chern
    assert formulas.ed_degree_from_chern([1]) == 1


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_symmetric_determinantal_special_cases(n):
    assert formulas.symmetric_determinantal_degree(n, n - 1) == n  # the determinant
    # rank 1: the Veronese nu_2(P^(n-1)), degree 2^(n-1)
    assert formulas.symmetric_determinantal_degree(n, 1) == 2 ** (n - 1)
    assert formulas.symmetric_determinantal_degree(n, n) == 1


@pytest.mark.parametrize("shape, want", [([3, 5], 3), ([4, 4], 4), ([2, 2, 2], 6),
                                         ([2, 2, 2, 2], 24), ([3, 3, 3], 37), ([1, 4, 6], 4)])
def test_singular_vector_tuples_friedland_ottaviani(shape, want):
    # matrices: min(m, n) singular pairs; binary d-tensors: d!; 3x3x3: 37 (Friedland-Ottaviani)
    assert formulas.singular_vector_tuples(shape) == want


@pytest.mark.parametrize("dims, weights", [([1, 2], [1]), ([-1], [1]), ([2], [0])])
def test_bad_segre_veronese_data(dims, weights):
    with pytest.raises(SpecError, match="Segre–Veronese data"):
        formulas.segre_veronese_degree(dims, weights)
