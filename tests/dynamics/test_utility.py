"""Quadratic utility forms (kappa = 2) and the loss Hessian against finite differences."""

import numpy as np
import pytest

from neuroalg.dynamics.models import DiagonalLinear, LinearAttention, TwoLayer, in_context_regression_data
from neuroalg.dynamics.utility import identical_neurons, is_linear, loss_hessian, quadratic_forms


def _data(model, rng, n=8):
    if isinstance(model, LinearAttention):
        return in_context_regression_data([1.0, 0.3], model.n_context, n, rng=rng)
    X = rng.standard_normal((n, getattr(model, "d_in", getattr(model, "d", 1))))
    return X, rng.standard_normal((n, model.n_outputs))


MODELS = [DiagonalLinear(3), TwoLayer(3, 2, 2, "x"), TwoLayer(2, 3, 1, "2*x"), LinearAttention(2, 2, 3)]
IDS = ["diagonal", "linear", "linear-2x", "attention"]


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_utility_is_the_quadratic_form(model):
    rng = np.random.default_rng(0)
    X, Y = _data(model, rng)
    R = rng.standard_normal((len(X), model.n_outputs))
    M = quadratic_forms(model, X, R, np.arange(model.n_neurons))
    for i in range(model.n_neurons):
        theta = rng.standard_normal(model.neuron_size)
        assert theta @ M[i] @ theta == pytest.approx(model.utility(theta, X, R, i), rel=1e-10)
        np.testing.assert_allclose(M[i], M[i].T)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_loss_hessian_matches_finite_differences(model):
    rng = np.random.default_rng(1)
    X, Y = _data(model, rng)
    Theta = rng.standard_normal((model.n_neurons, model.neuron_size))
    neurons = np.arange(model.n_neurons)
    H = loss_hessian(model, Theta, X, Y, neurons)
    m, h = model.neuron_size, 1e-5
    fd = np.zeros_like(H)
    for a in range(model.n_neurons * m):
        E = np.zeros_like(Theta)
        E[a // m, a % m] = h
        gp = model.loss_and_grad(Theta + E, X, Y)[1].ravel()
        gm = model.loss_and_grad(Theta - E, X, Y)[1].ravel()
        fd[:, a] = (gp - gm) / (2 * h)
    np.testing.assert_allclose(H, fd, rtol=1e-6, atol=1e-8)


def test_which_models_have_identical_neurons():
    rng = np.random.default_rng(2)
    assert not identical_neurons(DiagonalLinear(3), rng.standard_normal((5, 3)), rng)
    assert identical_neurons(TwoLayer(3, 4, 2, "x"), rng.standard_normal((5, 3)), rng)
    X, _ = in_context_regression_data([1.0, 0.3], 3, 5, rng=rng)
    assert identical_neurons(LinearAttention(2, 3, 3), X, rng)
    assert is_linear(TwoLayer(2, 2, 1, "3*x")) and not is_linear(TwoLayer(2, 2, 1, "x^2"))
    assert not is_linear(DiagonalLinear(2))
