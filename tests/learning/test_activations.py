"""Activations in float64: derivatives against closed forms and finite differences."""

import math

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.learning.activations import SmoothActivation

Z = np.linspace(-2.5, 2.5, 41)


@pytest.mark.parametrize("name", ["tanh", "erf", "x^3+x^2", "x"])
def test_derivatives_match_central_differences(name):
    act = SmoothActivation.parse(name)
    h = 1e-5
    np.testing.assert_allclose(act.derivative(Z), (act(Z + h) - act(Z - h)) / (2 * h), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(act.second_derivative(Z),
                               (act.derivative(Z + h) - act.derivative(Z - h)) / (2 * h), rtol=1e-6, atol=1e-8)


def test_values_against_the_math_module():
    np.testing.assert_allclose(SmoothActivation.parse("tanh")(Z), [math.tanh(z) for z in Z], rtol=1e-15)
    np.testing.assert_allclose(SmoothActivation.parse("erf")(Z), [math.erf(z) for z in Z], rtol=1e-14)
    np.testing.assert_allclose(SmoothActivation.parse("x^3+x^2")(Z), Z**3 + Z**2, rtol=1e-14)


@pytest.mark.parametrize("text, match", [("relu", "not available"), ("1/x", "poles"),
                                         ("sin(x)", "allowed are")])
def test_refused(text, match):
    with pytest.raises(SpecError, match=match):
        SmoothActivation.parse(text)
