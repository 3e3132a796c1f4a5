"""Linear-product start systems: as many distinct solutions as the multi-homogeneous Bezout
number, each a zero of the start system."""

import numpy as np
import pytest

from neuroalg.homotopy.multihomogeneous import linear_product_start
from neuroalg.homotopy.polynomial import PolySystem
from neuroalg.homotopy.result import unique_points
from neuroalg.homotopy.root_count import degree_matrix, multihomogeneous_bezout


def eigen_system(n, seed):
    """(A - lambda I) x = 0, c . x = 1 in (x_1..x_n, lambda): n solutions, Bezout 2^n."""
    rng = np.random.default_rng(seed)
    a, c = rng.standard_normal((n, n)), rng.standard_normal(n)
    eqs = []
    for i in range(n):
        terms = {tuple(int(j == k) for k in range(n)) + (0,): a[i, j] for j in range(n)}
        unit = tuple(int(i == k) for k in range(n))
        terms[unit + (1,)] = -1.0
        eqs.append(terms)
    eqs.append({**{tuple(int(j == k) for k in range(n)) + (0,): c[j] for j in range(n)},
                (0,) * (n + 1): -1.0})
    return PolySystem.from_terms(eqs, n + 1)


def bilinear_system(seed):
    """Two equations bilinear in ({x}, {y}) plus mixed degrees: a (1,1)-(2,1) system."""
    rng = np.random.default_rng(seed)
    eqs = [{(1, 1): 1.0, (1, 0): rng.standard_normal(), (0, 1): 2.0, (0, 0): -1.0},
           {(2, 1): 1.0, (0, 1): rng.standard_normal(), (1, 0): 1.0, (0, 0): 3.0}]
    return PolySystem.from_terms(eqs, 2)


@pytest.mark.parametrize("system, groups", [
    (eigen_system(3, 0), [(0, 1, 2), (3,)]),
    (eigen_system(2, 1), [(0, 1), (2,)]),
    (bilinear_system(2), [(0,), (1,)]),
    (bilinear_system(2), [(0, 1)]),
])
def test_start_solutions_count_and_residuals(system, groups):
    rng = np.random.default_rng(5)
    start, roots, degrees = linear_product_start(system, groups, rng)
    assert len(roots) == multihomogeneous_bezout(system, groups)
    assert len(unique_points(roots, rtol=1e-8)[0]) == len(roots)  # distinct
    assert np.abs(start(roots)).max() < 1e-10
    np.testing.assert_array_equal(degrees, degree_matrix(system, groups).sum(axis=1))
    np.testing.assert_array_equal(start.degrees, degrees)  # products of that many linear forms
