"""Monodromy and the trace test on systems whose solutions are known in closed form.

A random triangle p0 -> p1 -> p2 -> p0 permutes the roots of x^k = p only when it winds around
p = 0, which happens for a fair fraction of triangles, not all: the default stagnation stop (5
quiet loops) can end early, so these tests allow 20 (``STAGNATION``).
"""

import numpy as np
import pytest

from neuroalg.homotopy.monodromy import monodromy_graph, monodromy_solve, move, trace_test
from neuroalg.homotopy.polynomial import PolySystem
from neuroalg.homotopy.result import unique_points

STAGNATION = 20
FAST = {"stagnation": STAGNATION, "loops_per_round": 4}  # 4 triangles per batch


def power_system(k):
    """x^k - p = 0: the k-th roots of p."""
    return PolySystem.from_terms([{(k,): 1.0, (0,): [0.0, -1.0]}], 1, n_params=1)


def conic_system():
    """x^2 + y^2 = p1, x y = p2: four solutions (x, y) = (u, p2/u) with u^2 + p2^2/u^2 = p1."""
    return PolySystem.from_terms([{(2, 0): 1.0, (0, 2): 1.0, (0, 0): [0.0, -1.0, 0.0]},
                                  {(1, 1): 1.0, (0, 0): [0.0, 0.0, -1.0]}], 2, n_params=2)


def conic_solutions(p1, p2):
    u = np.roots([1.0, 0.0, -p1, 0.0, p2**2])  # u^4 - p1 u^2 + p2^2 = 0
    return np.stack([u, p2 / u], axis=1)


def same_sets(a, b, rtol=1e-7):
    both, _ = unique_points(np.vstack([a, b]), rtol=rtol)
    return len(a) == len(b) == len(both)


def test_move_along_one_segment_and_per_path_segments():
    x, ok = move(power_system(3), np.array([[1.0 + 0j]]), np.array([1.0]), np.array([8.0]))
    assert ok.all() and abs(x[0, 0] - 2) < 1e-12
    targets = np.array([[8.0], [27.0], [-1.0 + 1j]])
    x, ok = move(power_system(3), np.ones((3, 1), dtype=complex), np.array([1.0]), targets)
    assert ok.all()
    np.testing.assert_allclose(x[:, 0] ** 3, targets[:, 0], atol=1e-10)


@pytest.mark.parametrize("k", [3, 5])
def test_monodromy_reaches_every_root_of_x_to_the_k(k):
    res = monodromy_solve(power_system(k), np.array([[1.0]]), np.array([1.0]),
                          seed_rng=np.random.default_rng(k), **FAST)
    assert res.n_solutions == k and res.n_failed == 0
    assert same_sets(res.solutions, np.roots([1.0] + [0.0] * (k - 1) + [-1.0])[:, None])
    assert len(res.history) == res.n_loops and list(res.history) == sorted(res.history)
    assert res.history[-STAGNATION:] == (k,) * STAGNATION  # stopped by stagnation


def test_monodromy_on_two_conics_against_their_closed_form():
    p = np.array([3.0 + 1j, 0.5 - 2j])
    start = conic_solutions(*p)[:1]
    res = monodromy_solve(conic_system(), start, p, seed_rng=np.random.default_rng(0),
                          **FAST)
    assert same_sets(res.solutions, conic_solutions(*p))


def test_target_stops_and_keys_count_classes():
    rng = np.random.default_rng(1)
    stopped = monodromy_solve(power_system(6), np.array([[1.0]]), np.array([1.0]), seed_rng=rng,
                              target=2)
    assert stopped.n_solutions == 2
    # x^6 = 1 up to the key x -> x^2: three classes (the cube roots of unity)
    classes = monodromy_solve(power_system(6), np.array([[1.0]]), np.array([1.0]), seed_rng=rng,
                              key=lambda z: z**2, **FAST)
    assert classes.n_solutions == 3
    assert same_sets(classes.solutions**2, np.roots([1.0, 0.0, 0.0, -1.0])[:, None])


def test_filter_rejects_endpoints():
    rng = np.random.default_rng(2)
    res = monodromy_solve(power_system(4), np.array([[1.0]]), np.array([1.0]), seed_rng=rng,
                          filter=lambda z: z[:, 0].real > -0.5, **FAST)
    assert same_sets(res.solutions, np.array([[1.0], [1j], [-1j]]))


def test_progress_and_round_callback():
    messages, seen = [], []
    monodromy_solve(power_system(3), np.array([[1.0]]), np.array([1.0]),
                    seed_rng=np.random.default_rng(3), show_progress=messages.append,
                    **FAST,
                    on_loop=lambda sols, hist: seen.append((len(sols), hist[-1])))
    assert messages and messages[0].startswith("loop 4:")  # one message per round of 4 loops
    assert all(n == h for n, h in seen) and seen[-1][0] == 3


def test_monodromy_graph_on_two_conics():
    p = np.array([1.0 - 1j, 2.0 + 0.5j])
    res = monodromy_graph(conic_system(), conic_solutions(*p)[:1], p,
                          seed_rng=np.random.default_rng(4), patience=5)
    assert same_sets(res.solutions, conic_solutions(*p))
    assert res.details["nodes"] == 3 and res.details["edges"] >= 6


def twisted_slices():
    """The cubic curve y = x^3 cut by the line x + a y = c (c the parameter): 3 points."""
    return PolySystem.from_terms([{(0, 1): 1.0, (3, 0): -1.0},
                                  {(1, 0): 1.0, (0, 1): 0.3 - 0.7j, (0, 0): [0.0, -1.0]}], 2,
                                 n_params=1)


def test_trace_test_accepts_complete_and_rejects_incomplete_witness_sets():
    system = twisted_slices()
    c = 0.4 + 0.2j
    a = 0.3 - 0.7j
    x = np.roots([a, 0.0, 1.0, -c])  # a x^3 + x - c = 0
    points = np.stack([x, x**3], axis=1)
    assert np.abs(system(points, np.array([c]))).max() < 1e-12
    complete = trace_test(system, points, np.array([c]), np.array([1.0]), lambda z: z,
                          np.random.default_rng(0))
    assert complete.is_passed and complete.counts == (3, 3, 3) and complete.residual < 1e-10
    partial = trace_test(system, points[:2], np.array([c]), np.array([1.0]), lambda z: z,
                         np.random.default_rng(0))
    assert not partial.is_passed and partial.residual > 1e-3
