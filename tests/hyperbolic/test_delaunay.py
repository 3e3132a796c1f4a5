"""Hyperbolic Delaunay graph: Moebius invariance, Euclidean limit (scipy), and an independent
route in the Poincare model (empty circumscribed disks inside the unit disk)."""

import itertools

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.spatial import Delaunay

from neuroalg.errors import SpecError
from neuroalg.hyperbolic import distance, hyperbolic_delaunay, isometry, wrapped_normal
from neuroalg.hyperbolic.models import (
    klein_to_poincare,
    mobius_add,
    poincare_to_hyperboloid,
    poincare_to_klein,
    random_isometry,
)


def _euclidean_edges(x):
    out = set()
    for simplex in Delaunay(x).simplices:
        for i, j in itertools.combinations(sorted(int(v) for v in simplex), 2):
            out.add((i, j))
    return out


def _poincare_route(x):
    """Edges of the Euclidean Delaunay triangulation of the Poincare coordinates having an empty
    circumscribed disk inside the unit disk [Bogdanov-Devillers-Teillaud 2014]."""
    tri = Delaunay(x)
    owners = {}
    for t, simplex in enumerate(tri.simplices):
        for i, j in itertools.combinations(sorted(int(v) for v in simplex), 2):
            owners.setdefault((i, j), []).append(t)

    def circumcenter(t):
        a, b, c = x[tri.simplices[t]]
        M = 2 * np.array([b - a, c - a])
        return np.linalg.solve(M, np.array([b @ b - a @ a, c @ c - a @ a]))

    kept = set()
    for (i, j), ts in owners.items():
        p = x[i]
        c1 = circumcenter(ts[0])
        if len(ts) == 2:
            c2 = circumcenter(ts[1])
            def center(s): return c1 + s * (c2 - c1)
            lo, hi = 0.0, 1.0
        else:  # hull edge: the centers run to infinity, away from the third vertex
            k = (set(int(v) for v in tri.simplices[ts[0]]) - {i, j}).pop()
            dvec = x[j] - x[i]
            u = np.array([-dvec[1], dvec[0]])
            if u @ (x[k] - x[i]) > 0:
                u = -u
            u /= np.linalg.norm(u)
            def center(s): return c1 + s * u
            lo, hi = 0.0, 4.0
        res = minimize_scalar(lambda s: np.linalg.norm(center(s)) + np.linalg.norm(center(s) - p),
                              bounds=(lo, hi), method="bounded", options={"xatol": 1e-12})
        if res.fun < 1.0:
            kept.add((i, j))
    return kept


def test_models_round_trip_and_distance():
    rng = np.random.default_rng(0)
    x = wrapped_normal(50, 3, rng, sigma=1.5)
    assert np.abs(klein_to_poincare(poincare_to_klein(x)) - x).max() < 1e-14
    H = poincare_to_hyperboloid(x)
    assert np.abs(H[:, -1] ** 2 - (H[:, :-1] ** 2).sum(axis=1) - 1).max() < 1e-9
    D = distance(x, x)
    cosh = np.outer(H[:, -1], H[:, -1]) - H[:, :-1] @ H[:, :-1].T
    assert np.abs(np.cosh(D) - cosh).max() < 1e-8 * cosh.max()
    r = np.linalg.norm(x, axis=1)
    assert np.abs(distance(np.zeros((1, 3)), x)[0] - 2 * np.arctanh(r)).max() < 1e-12


def test_moebius_maps_are_isometries():
    rng = np.random.default_rng(1)
    x = wrapped_normal(40, 2, rng, sigma=2.0)
    for _ in range(5):
        a, Q = random_isometry(2, rng, radius=0.8)
        y = isometry(x, a, Q)
        assert np.abs(distance(y, y) - distance(x, x)).max() < 1e-8
    # a (+) 0 = a and (-a) (+) (a (+) x) = x
    a = np.array([0.3, -0.4])
    assert np.abs(mobius_add(a, np.zeros((1, 2)))[0] - a).max() < 1e-15
    assert np.abs(mobius_add(-a, mobius_add(a, x)) - x).max() < 1e-12


@pytest.mark.parametrize("d,n", [(2, 300), (3, 150), (4, 60)])
def test_moebius_invariance(d, n):
    rng = np.random.default_rng(d)
    x = wrapped_normal(n, d, rng, sigma=1.5)
    g = hyperbolic_delaunay(x)
    for _ in range(3):
        a, Q = random_isometry(d, rng, radius=0.7)
        assert hyperbolic_delaunay(isometry(x, a, Q)).edge_set() == g.edge_set()


@pytest.mark.parametrize("d,n", [(2, 400), (3, 200)])
def test_euclidean_limit(d, n):
    rng = np.random.default_rng(10 + d)
    x = rng.uniform(-1, 1, (n, d))
    x = x[(x ** 2).sum(axis=1) < 1] * 1e-3
    assert hyperbolic_delaunay(x).edge_set() == _euclidean_edges(x)


@pytest.mark.parametrize("sigma,seed", [(1.0, 0), (2.0, 1), (3.0, 2)])
def test_independent_poincare_route_2d(sigma, seed):
    x = wrapped_normal(150, 2, np.random.default_rng(seed), sigma=sigma)
    g = hyperbolic_delaunay(x)
    assert g.edge_set() <= _euclidean_edges(x)
    assert g.edge_set() == _poincare_route(x)
    assert g.n_edges < g.n_hull_edges  # clipping did something


def test_small_and_degenerate_inputs():
    assert hyperbolic_delaunay([[0.1], [-0.5], [0.3]]).edge_set() == {(0, 1), (0, 2)}  # 1-D
    # three points on a geodesic: the middle one separates the outer two
    assert hyperbolic_delaunay([[0.9, 0.0], [-0.9, 0.0], [0.0, 0.0]]).edge_set() == {(0, 2), (1, 2)}
    assert hyperbolic_delaunay([[0.0, 0.0], [0.5, 0.1]]).edge_set() == {(0, 1)}
    with pytest.raises(SpecError, match="degenerate"):
        hyperbolic_delaunay([[0.1 * k, 0.0] for k in range(-3, 4)])
    with pytest.raises(SpecError, match="strictly inside the unit ball"):
        hyperbolic_delaunay([[0.0, 0.0], [1.0, 0.0], [0.0, 0.2]])
    with pytest.raises(SpecError, match="at least 2 points"):
        hyperbolic_delaunay([[0.0, 0.0]])


@pytest.mark.slow
def test_large_2d():
    x = wrapped_normal(20000, 2, np.random.default_rng(0), sigma=2.0)
    g = hyperbolic_delaunay(x)
    assert g.n_edges <= 3 * len(x) - 3


def test_exact_face_minimum_matches_slsqp():
    from neuroalg.hyperbolic.delaunay import _face_min_norm2, _face_min_norm2_exact

    x = wrapped_normal(60, 3, np.random.default_rng(5), sigma=2.0)
    lift = poincare_to_hyperboloid(x)
    rng = np.random.default_rng(0)
    n_finite = 0
    for _ in range(60):
        i, j, *link = (int(v) for v in rng.choice(60, 7, replace=False))
        exact = _face_min_norm2_exact(lift, i, j, link, 3)
        iterative = _face_min_norm2(lift, i, j, link, None, 3)
        assert np.isfinite(exact) == np.isfinite(iterative)
        if np.isfinite(exact):
            n_finite += 1
            assert abs(exact - iterative) <= 1e-9 * max(1.0, exact)
    assert n_finite > 20
