"""Cauchy endgame: winding numbers and endpoints of Puiseux paths x = (a (1 - t))^(1/c)."""

import numpy as np
import pytest

from neuroalg.homotopy.endgame import cauchy_endgame


class Puiseux:
    """H(x, t) = x^c - a (1 - t): at t = 1 the c branches meet at x = 0 (winding number c)."""

    def __init__(self, c, a):
        self.c, self.a = c, a

    def evaluate(self, x, t):
        values = x**self.c - self.a * (1 - t)[:, None]
        return values, (self.c * x ** (self.c - 1))[:, :, None], self.a + 0 * values


class Regular:
    """H(x, t) = x - 1 - (1 - t): one nonsingular path ending at x = 1."""

    def evaluate(self, x, t):
        values = x - 1 - (1 - t)[:, None]
        return values, np.ones((len(x), 1, 1), dtype=np.complex128), 1 + 0 * values


@pytest.mark.parametrize("c", [2, 3, 4])
def test_winding_number_and_endpoint_of_a_singular_root(c):
    radius, a = 1e-2, 0.5 + 0.5j
    x = (a * radius) ** (1 / c) * np.exp(2j * np.pi * np.arange(c) / c)  # every branch
    res = cauchy_endgame(Puiseux(c, a), x[:, None], 1.0, 1.0, radius)
    assert res.is_converged.all()
    assert res.winding.tolist() == [c] * c
    assert np.abs(res.x).max() < 1e-10


def test_nonsingular_path_has_winding_number_one():
    radius = 1e-2
    res = cauchy_endgame(Regular(), np.array([[1 + radius]]), 1.0, 1.0, radius)
    assert res.is_converged[0] and res.winding[0] == 1
    assert abs(res.x[0, 0] - 1) < 1e-12


def test_a_loop_that_does_not_close_within_the_budget_is_not_converged():
    radius, a = 1e-2, 1.0
    x = np.array([[(a * radius) ** (1 / 5)]])
    res = cauchy_endgame(Puiseux(5, a), x, 1.0, 1.0, radius, max_winding=3)
    assert not res.is_converged[0] and res.winding[0] == 0
