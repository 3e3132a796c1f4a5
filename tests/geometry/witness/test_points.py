"""Distinct points of very different sizes: radial compression keeps them apart."""

import numpy as np

from neuroalg.geometry.witness.points import compress, distinct, n_distinct
from neuroalg.homotopy.result import unique_points


def test_small_points_beside_a_huge_one_stay_distinct():
    pts = np.array([[1e-3, 0.0], [2e-3, 0.0], [1e-3, 1e-3], [1e9, 1.0], [1e-3 + 1e-15, 0.0]])
    assert len(unique_points(pts)[0]) < 4  # one tolerance scaled by the largest point merges
    reps, labels = distinct(pts)
    assert len(reps) == 4 == n_distinct(pts)
    assert labels[0] == labels[4] and len(set(labels[:4].tolist())) == 4
    np.testing.assert_array_equal(reps[0], pts[0])  # representatives are the original points


def test_compression_is_radial_and_bounded():
    rng = np.random.default_rng(0)
    pts = (rng.standard_normal((6, 3)) + 1j * rng.standard_normal((6, 3))) * 10.0 ** rng.integers(-5, 9, (6, 1))
    c = compress(pts)
    assert (np.linalg.norm(c, axis=1) < 1).all()
    np.testing.assert_allclose(c * (1 + np.linalg.norm(pts, axis=1))[:, None], pts, rtol=1e-12)
    assert n_distinct(np.zeros((0, 2))) == 0
