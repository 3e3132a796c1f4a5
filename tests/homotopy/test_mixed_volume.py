"""Mixed volumes against published root counts, Bezout numbers and the polarization formula."""

import itertools

import numpy as np
import pytest
from scipy.spatial import ConvexHull

from neuroalg.homotopy import cyclic, katsura
from neuroalg.homotopy.mixed_volume import mixed_cells, mixed_volume
from neuroalg.homotopy.polyhedral import supports


@pytest.mark.parametrize("n, known", [(4, 16), (5, 70), (6, 156)])
def test_mixed_volume_of_cyclic_systems(n, known):
    # Björck–Fröberg: cyclic-5 has 70 roots, cyclic-6 156, both = mixed volume; cyclic-4 has
    # mixed volume 16 (its roots are not isolated)
    assert mixed_volume(supports(cyclic(n), origin=False), seed=n) == known


@pytest.mark.slow
def test_mixed_volume_of_cyclic7():
    assert mixed_volume(supports(cyclic(7), origin=False), seed=7) == 924


@pytest.mark.parametrize("n", [2, 3, 4])
def test_mixed_volume_of_katsura_is_bezout(n):
    # katsura-n has 2^n isolated roots and Bezout number 2^n, so MV(A_i + origin) = 2^n
    assert mixed_volume(supports(katsura(n), origin=True), seed=n) == 2**n


def test_mixed_volume_of_dense_supports_is_bezout():
    rng = np.random.default_rng(0)
    for degrees in [(2, 3), (1, 2, 2), (2, 2, 2)]:
        n = len(degrees)
        sup = [np.array([a for a in itertools.product(range(d + 1), repeat=n) if sum(a) <= d])
               for d in degrees]
        assert mixed_volume(sup, seed=rng) == int(np.prod(degrees))


def _euclidean_mixed_volume(sup):
    """MV = sum over nonempty S of (-1)^(n - |S|) vol(sum_{i in S} P_i) (Euclidean volume),
    the polarization formula; normalized so that MV(simplex, ..., simplex) = 1."""
    n = len(sup)
    total = 0.0
    for size in range(1, n + 1):
        for subset in itertools.combinations(range(n), size):
            pts = np.zeros((1, n))
            for i in subset:
                pts = (pts[:, None, :] + sup[i][None, :, :]).reshape(-1, n)
            pts = np.unique(pts, axis=0)
            try:
                vol = ConvexHull(pts).volume
            except Exception:  # lower-dimensional Minkowski sum: volume 0
                vol = 0.0
            total += (-1) ** (n - size) * vol
    return total


@pytest.mark.parametrize("seed", range(6))
def test_mixed_volume_matches_polarization_formula(seed):
    rng = np.random.default_rng(seed)
    n = 2 + seed % 2
    sup = [rng.integers(0, 4, (int(rng.integers(3, 6)), n)) for _ in range(n)]
    want = _euclidean_mixed_volume(sup)
    got = mixed_volume(sup, seed=seed)
    assert got == round(want) and abs(want - round(want)) < 1e-8


def test_mixed_cells_are_verified_and_independent_of_lifting():
    sup = supports(cyclic(5), origin=False)
    a, b = mixed_cells(sup, seed=1), mixed_cells(sup, seed=2)
    assert a.mixed_volume == b.mixed_volume == 70
    assert a.stats["false_leaves"] == 0
    for cell in a.cells:  # the normal is the exact solution of the edge equations
        for i, (p, q) in enumerate(cell.edges):
            lifted = [sum(int(x) * c for x, c in zip(pt, cell.normal)) + int(w)
                      for pt, w in zip(sup[i], a.lifting[i])]
            assert lifted[p] == lifted[q] == min(lifted)
            assert len(lifted) == 2 or sorted(lifted)[2] > lifted[p]

def test_lower_dimensional_supports_and_budget():
    point = np.array([[1, 1]])
    segment = np.array([[0, 0], [1, 0]])
    assert mixed_volume([point, segment], seed=0) == 0  # a support without an edge
    assert mixed_volume([segment, 2 * segment], seed=0) == 0  # parallel segments: det 0
    assert mixed_volume([segment, np.array([[0, 0], [0, 3]])], seed=0) == 3  # |det [[1,0],[0,3]]|
    stopped = mixed_cells(supports(cyclic(5), origin=False), seed=0, max_lps=5)
    assert stopped.stats["complete"] is False and stopped.cells == ()
    with pytest.raises(ValueError, match="n supports of points in Z"):
        mixed_cells([segment], seed=0)
