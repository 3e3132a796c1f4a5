"""hyperbolic/models.py: model changes, distances and isometries against their defining identities."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.hyperbolic.models import (
    check_ball,
    distance,
    exp0,
    isometry,
    klein_to_poincare,
    poincare_to_hyperboloid,
    poincare_to_klein,
    random_isometry,
    wrapped_normal,
)


def _points(n=20, d=3, seed=0):
    return wrapped_normal(n, d, np.random.default_rng(seed), sigma=1.5)


def test_klein_and_poincare_are_inverse():
    x = _points()
    assert np.allclose(klein_to_poincare(poincare_to_klein(x)), x, atol=1e-13)


def test_distance_is_the_minkowski_arccosh_of_the_hyperboloid_lifts():
    x, y = _points(seed=1), _points(seed=2)
    X, Y = poincare_to_hyperboloid(x), poincare_to_hyperboloid(y)
    assert np.allclose(-(X[:, -1:] ** 2) + (X[:, :-1] ** 2).sum(1, keepdims=True), -1)  # on H^d
    minkowski = X[:, -1][:, None] * Y[:, -1][None, :] - X[:, :-1] @ Y[:, :-1].T
    assert np.allclose(distance(x, y), np.arccosh(np.maximum(minkowski, 1.0)), rtol=1e-9, atol=1e-9)


def test_distance_from_the_origin_and_exp0():
    v = np.random.default_rng(3).standard_normal((10, 3))
    assert np.allclose(distance(np.zeros(3), exp0(v))[0], np.linalg.norm(v, axis=1), rtol=1e-12)


def test_isometries_preserve_distances():
    x = _points(seed=4)
    a, Q = random_isometry(3, np.random.default_rng(5), radius=0.7)
    y = isometry(x, a, Q)
    assert np.allclose(distance(y, y), distance(x, x), atol=1e-9)
    assert np.all((y ** 2).sum(1) < 1)


def test_check_ball_refuses_points_on_or_outside_the_sphere():
    with pytest.raises(SpecError, match="strictly inside the unit ball"):
        check_ball([[0.6, 0.8]])
    assert check_ball([[0.1, 0.2]]).shape == (1, 2)
