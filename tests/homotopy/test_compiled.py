"""The compiled tracker (numba) against closed-form paths and the numpy tracker."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.homotopy import PolySystem, katsura, solve
from neuroalg.homotopy import tracker as tracker_module
from neuroalg.homotopy.homotopies import ParameterHomotopy, ParameterSegments, StraightLine
from neuroalg.homotopy.monodromy import move
from neuroalg.homotopy.solve import start_system
from neuroalg.homotopy.tracker import TrackStatus, track

pytest.importorskip("numba")


def cube_roots_system() -> PolySystem:
    """x^3 - p = 0 (one parameter)."""
    return PolySystem.from_terms([{(3,): 1.0, (0,): (0.0, -1.0)}], 1, n_params=1)


def test_parameter_paths_end_at_the_cube_roots():
    p0, p1 = 1.0 + 0.5j, -2.0 + 1.0j
    x0 = np.roots([1, 0, 0, -p0])[:, None]
    res = track(ParameterHomotopy(cube_roots_system(), [p0], [p1]), x0, 0.0, 1.0, compiled=True)
    assert (res.status == TrackStatus.SUCCESS).all()
    expected = np.roots([1, 0, 0, -p1])
    dist = np.abs(res.x[:, 0][:, None] - expected[None, :])
    assert dist.min(axis=1).max() < 1e-10
    assert len(set(dist.argmin(axis=1))) == 3  # three distinct roots: no path jumped


def test_same_endpoints_as_the_numpy_tracker():
    target = katsura(4)
    start, roots = start_system(target.degrees)
    hom = StraightLine(start, target, np.exp(2.1j))
    fast = track(hom, roots, 0.0, 1.0, compiled=True)
    slow = track(hom, roots, 0.0, 1.0, compiled=False)
    assert (fast.status == slow.status).all()
    assert (fast.status == TrackStatus.SUCCESS).all()
    assert np.abs(fast.x - slow.x).max() < 1e-8
    # katsura(4) has 2^4 = 16 solutions, all nonsingular: the 16 paths reach distinct ones
    assert np.abs(target(fast.x)).max() < 1e-9
    assert len(np.unique(np.round(fast.x, 6), axis=0)) == 16


def test_one_segment_per_path():
    """Per-path parameter segments of x^3 - p, the same as tracking each path alone."""
    system = cube_roots_system()
    rng = np.random.default_rng(3)
    p0 = rng.standard_normal((5, 1)) + 1j * rng.standard_normal((5, 1))
    p1 = rng.standard_normal((5, 1)) + 1j * rng.standard_normal((5, 1))
    x0 = np.array([[np.roots([1, 0, 0, -p[0]])[0]] for p in p0])
    res = track(ParameterSegments(system, p0, p1), x0, 0.0, 1.0, compiled=True)
    assert (res.status == TrackStatus.SUCCESS).all()
    for i in range(5):
        alone = track(ParameterHomotopy(system, p0[i], p1[i]), x0[i:i + 1], 0.0, 1.0,
                      compiled=False)
        assert abs(res.x[i, 0] - alone.x[0, 0]) < 1e-9
        assert abs(res.x[i, 0] ** 3 - p1[i, 0]) < 1e-9


def test_move_compiled_matches_numpy(monkeypatch):
    system = cube_roots_system()
    x0 = np.roots([1, 0, 0, -2.0])[:, None]
    p1 = np.array([[0.5 + 1j], [1.5 - 0.2j], [-1.0 + 0.1j]])
    monkeypatch.setattr(tracker_module, "COMPILE_AFTER", float("inf"))
    monkeypatch.setattr(tracker_module._compiled, "cache_info", lambda: type("I", (), {"currsize": 0})())
    slow, ok_slow = move(system, x0, np.array([2.0 + 0j]), p1)
    monkeypatch.setattr(tracker_module, "COMPILE_AFTER", 0.0)
    fast, ok_fast = move(system, x0, np.array([2.0 + 0j]), p1)
    assert ok_fast.all() and ok_slow.all()
    assert np.abs(fast - slow).max() < 1e-10


def test_singular_start_fails_the_path_without_an_error():
    """x^2 - p from p = 0 at x = 0: the Jacobian vanishes at the start, the path fails."""
    system = PolySystem.from_terms([{(2,): 1.0, (0,): (0.0, -1.0)}], 1, n_params=1)
    res = track(ParameterHomotopy(system, [0.0], [1.0]), np.zeros((1, 1)), 0.0, 1.0,
                compiled=True)
    assert res.status[0] == TrackStatus.FAILED


def test_solve_with_the_compiled_tracker(monkeypatch):
    """Every batch compiled: katsura(5) has 2^5 = 32 nonsingular solutions (the Bezout number,
    all finite)."""
    monkeypatch.setattr(tracker_module, "COMPILE_AFTER", 0.0)
    res = solve(katsura(5), seed=2, method="total-degree")
    assert len(res.solutions) == 32
    assert res.n_certified == 32


def test_environment_fixes_the_tracker(monkeypatch):
    tracker_module.load_compiled()
    monkeypatch.setenv("NEUROALG_TRACKER", "numpy")
    assert not tracker_module.compiled_tracking()  # even with the compiled tracker loaded
    monkeypatch.setenv("NEUROALG_TRACKER", "compiled")
    assert tracker_module.compiled_tracking()
    monkeypatch.setenv("NEUROALG_TRACKER", "fast")
    with pytest.raises(SpecError, match="NEUROALG_TRACKER must be auto, numpy or compiled"):
        tracker_module.compiled_tracking()
