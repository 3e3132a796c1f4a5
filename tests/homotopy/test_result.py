"""Distinct points by clustering (against brute force) and the SolveResult rendering."""

import numpy as np

from neuroalg.homotopy.result import PathStatus, SolveResult, is_real_point, unique_points
from neuroalg.results import Certainty


def _brute_force_components(points, tol):
    """Connected components of the graph |p - q| (scaled) < tol, by repeated merging."""
    scale = 1 + np.max(np.abs(points))
    real = np.hstack([points.real, points.imag]) / scale
    labels = list(range(len(points)))
    changed = True
    while changed:
        changed = False
        for i in range(len(points)):
            for j in range(len(points)):
                if np.linalg.norm(real[i] - real[j]) <= tol and labels[i] != labels[j]:
                    low = min(labels[i], labels[j])
                    labels = [low if lab in (labels[i], labels[j]) else lab for lab in labels]
                    changed = True
    return labels


def test_unique_points_matches_brute_force_clustering():
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((5, 2)) + 1j * rng.standard_normal((5, 2))
    picks = rng.integers(0, 5, 40)
    points = centers[picks] + 1e-9 * rng.standard_normal((40, 2))
    reps, labels = unique_points(points)
    assert len(reps) == len(set(picks.tolist())) == labels.max() + 1
    want = _brute_force_components(points, 1e-6)
    # same partition: i ~ j in one iff in the other
    same = labels[:, None] == labels[None, :]
    same_want = np.array(want)[:, None] == np.array(want)[None, :]
    assert (same == same_want).all()
    # representatives in order of first appearance, each the first point of its cluster
    first = [int(np.flatnonzero(labels == k)[0]) for k in range(len(reps))]
    assert first == sorted(first)
    np.testing.assert_array_equal(reps, points[first])


def test_unique_points_of_nothing():
    reps, labels = unique_points(np.zeros((0, 3)))
    assert reps.shape == (0, 3) and labels.shape == (0,)


def test_is_real_point():
    x = np.array([[1.0 + 1e-12j, 2.0], [1.0 + 1e-3j, 2.0], [0.0, -5.0 + 0j]])
    assert is_real_point(x).tolist() == [True, False, True]


def _result(solutions, statuses, certified=None):
    return SolveResult(np.asarray(solutions, dtype=np.complex128).reshape(len(solutions), 2),
                       np.zeros((0, 2), dtype=np.complex128), tuple(statuses),
                       None if certified is None else int(np.sum(certified)), "test homotopy", 7,
                       0.5, {"bezout_number": 4}, variables=("a", "b"),
                       certified=None if certified is None else np.asarray(certified))


def test_counts_headline_and_payload():
    sols = [[1.0, 2.0], [1j, 0.5]]
    statuses = [PathStatus.NONSINGULAR] * 2 + [PathStatus.AT_INFINITY, PathStatus.FAILED]
    res = _result(sols, statuses, certified=[True, False])
    assert (res.n_solutions, res.n_real, res.n_paths, res.n_failed, res.n_at_infinity) == (2, 1, 4, 1, 1)
    assert res.headline() == "2 nonsingular solutions" and res.status is Certainty.NUMERICAL
    assert res.real_solutions().tolist() == [[1.0, 2.0]]
    d = res.to_dict()
    assert d["n_solutions"] == d["value"] == 2 and d["status"] == "numerical"
    assert d["paths"] == {"nonsingular": 2, "singular": 0, "at_infinity": 1, "failed": 1}
    assert d["solutions"][1] == [[0.0, 1.0], [0.5, 0.0]] and d["solutions_real"] == [True, False]
    assert d["solutions_certified"] == [True, False] and d["variables"] == ["a", "b"]
    text = dict(res.lines())
    assert text["certified"].startswith("1 of 2") and text["at infinity"] == "1 paths"
    table = res.table()
    assert table[0].split() == ["#", "real", "certified", "a", "b"]
    assert table[1].split()[:3] == ["1", "yes", "yes"] and table[2].split()[:3] == ["2", "no", "no"]


def test_singular_noun_and_truncated_table():
    one = _result([[1.0, 1.0]], [PathStatus.NONSINGULAR])
    assert one.headline() == "1 nonsingular solution" and one.table()[1].split()[2] == "-"
    many = _result(np.arange(2 * (SolveResult.SHOWN + 3)).reshape(-1, 2),
                   [PathStatus.NONSINGULAR] * (SolveResult.SHOWN + 3))
    table = many.table()
    assert len(table) == 1 + SolveResult.SHOWN + 1 and table[-1].startswith("... 3 more solutions")
    assert len(many.to_dict()["solutions"]) == SolveResult.SHOWN + 3
    none = _result(np.zeros((0, 2)), [PathStatus.FAILED])
    assert none.table() == [] and none.block() == [] and none.n_real == 0
