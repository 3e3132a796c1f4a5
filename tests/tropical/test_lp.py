"""tropical/_lp.py: Chebyshev balls of polytopes whose inradius is known in closed form."""

import numpy as np

from neuroalg.tropical._lp import LPCounter, chebyshev


def _unit_rows(G, e):
    n = np.linalg.norm(G, axis=1)
    return G / n[:, None], e / n


def test_box_inradius_and_centre():
    # 0 <= y1 <= 0.6, 0 <= y2 <= 2: inradius 0.3 at y1 = 0.3
    G = np.array([[-1.0, 0], [1, 0], [0, -1], [0, 1]])
    t, y = chebyshev(G, np.array([0.0, 0.6, 0.0, 2.0]))
    assert abs(t - 0.3) < 1e-9 and abs(y[0] - 0.3) < 1e-9


def test_triangle_inradius_equals_area_over_semiperimeter():
    # triangle (0,0), (4,0), (0,3): r = area / s = 6 / 6 = 1, capped at 1
    G, e = _unit_rows(np.array([[0.0, -1], [-1, 0], [3, 4]]), np.array([0.0, 0, 12]))
    t, y = chebyshev(G, e)
    assert abs(t - 1.0) < 1e-9 and np.allclose(y, [1, 1], atol=1e-7)
    # scaled by 1/4: r = 1/4 (below the cap)
    t, _ = chebyshev(G, e / 4)
    assert abs(t - 0.25) < 1e-9


def test_empty_polytope_has_negative_radius_and_the_counter_counts():
    counter = LPCounter()
    G = np.array([[1.0, 0], [-1.0, 0]])
    t, _ = chebyshev(G, np.array([-1.0, -1.0]), counter=counter)  # y <= -1 and y >= 1
    assert t < 0 and counter.n == 1


def test_equality_row_gives_the_ball_inside_a_facet():
    # unit square, restricted to the facet y1 = 1: a segment of length 1, inradius 1/2
    G = np.array([[-1.0, 0], [1, 0], [0, -1], [0, 1]])
    e = np.array([0.0, 1, 0, 1])
    t, y = chebyshev(G[[0, 2, 3]], e[[0, 2, 3]], eq=(np.array([1.0, 0]), 1.0))
    assert abs(t - 0.5) < 1e-9 and abs(y[0] - 1) < 1e-9
