"""Training and generalization errors: the Bayes errors of a point mass are the point errors."""

import numpy as np
import pytest

from neuroalg.learning.activations import SmoothActivation
from neuroalg.learning.errors import bayes_errors, point_errors
from neuroalg.learning.simple_models import SimpleModel

TANH = SmoothActivation("tanh")


def test_point_and_bayes_errors_agree_for_a_point_mass():
    m = SimpleModel(2, TANH)
    rng = np.random.default_rng(4)
    th, th_hat = np.array([0.5, 2.0, 1.0, 1.0]), np.array([0.6, 1.9, 1.1, 0.9])
    x = rng.standard_normal(50)
    y = m.f(th, x) + 0.1 * rng.standard_normal(50)
    T, G = point_errors(m, th_hat, th, x, y, 0.1)
    T2, G2 = bayes_errors(m, np.tile(th_hat, (7, 1)), th, x, y, 0.1)
    assert T == pytest.approx(T2, rel=1e-10) and G == pytest.approx(G2, rel=1e-6)
    t = np.linspace(-12, 12, 400_001)  # G = E[(f^ - f*)^2] / (2 sigma^2), dense trapezoid rule
    dens = np.exp(-t * t / 2) / np.sqrt(2 * np.pi)
    ref = np.trapezoid((m.f(th_hat, t) - m.f(th, t)) ** 2 * dens, t) / 0.02
    assert G == pytest.approx(ref, rel=1e-6)
