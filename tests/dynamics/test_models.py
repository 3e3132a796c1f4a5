"""Sums of neurons: gradients and Jacobians against finite differences, homogeneity, closed forms
of the diagonal network, the in-context regression data."""

import numpy as np
import pytest

from neuroalg.dynamics.models import (
    DiagonalLinear,
    LinearAttention,
    TwoLayer,
    check_homogeneity,
    in_context_regression_data,
)
from neuroalg.errors import SpecError


def _cases():
    rng = np.random.default_rng(0)
    att = LinearAttention(2, 3, 4)
    Xa, ya = in_context_regression_data([1.0, 0.5], 4, 7, rng=rng)
    return [
        (DiagonalLinear(3), rng.standard_normal((6, 3)), rng.standard_normal(6)),
        (TwoLayer(2, 3, 2, "x"), rng.standard_normal((6, 2)), rng.standard_normal((6, 2))),
        (TwoLayer(2, 3, 1, "x^2"), rng.standard_normal((6, 2)), rng.standard_normal(6)),
        (TwoLayer(2, 2, 1, "x^3+x"), rng.standard_normal((5, 2)), rng.standard_normal(5)),
        (TwoLayer(3, 4, 2, "x^2", loss_scale=2 / 3), rng.standard_normal((5, 3)),
         rng.standard_normal((5, 2))),
        (att, Xa, ya),
    ]


CASES = _cases()
IDS = ["diagonal", "linear", "quadratic", "cubic+linear", "quadratic-scaled", "attention"]


@pytest.mark.parametrize("model, X, Y", CASES, ids=IDS)
def test_gradient_matches_central_differences(model, X, Y):
    rng = np.random.default_rng(1)
    Theta = rng.standard_normal((model.n_neurons, model.neuron_size))
    loss, grad = model.loss_and_grad(Theta, X, Y)
    assert loss == pytest.approx(model.loss(Theta, X, Y), rel=1e-14)
    h = 1e-6
    fd = np.zeros_like(Theta)
    for idx in np.ndindex(*Theta.shape):
        E = np.zeros_like(Theta)
        E[idx] = h
        fd[idx] = (model.loss(Theta + E, X, Y) - model.loss(Theta - E, X, Y)) / (2 * h)
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("model, X, Y", CASES, ids=IDS)
def test_jacobian_matches_central_differences(model, X, Y):
    rng = np.random.default_rng(2)
    Theta = rng.standard_normal((model.n_neurons, model.neuron_size))
    J = model.jacobian(Theta, X)  # (N, outputs, neurons, neuron_size)
    h = 1e-6
    for idx in np.ndindex(*Theta.shape):
        E = np.zeros_like(Theta)
        E[idx] = h
        fd = (model.forward(Theta + E, X) - model.forward(Theta - E, X)) / (2 * h)
        np.testing.assert_allclose(J[:, :, idx[0], idx[1]], fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("model, X, Y", CASES, ids=IDS)
def test_utility_is_the_correlation_with_the_residual(model, X, Y):
    rng = np.random.default_rng(3)
    theta = rng.standard_normal(model.neuron_size)
    R = rng.standard_normal((len(X), model.n_outputs))
    Theta = np.zeros((model.n_neurons, model.neuron_size))
    Theta[0] = theta
    f0 = model.forward(Theta, X)  # only neuron 0 is nonzero
    assert model.utility(theta, X, R) == pytest.approx(model.loss_scale * np.sum(f0 * R) / len(X))
    # grad_theta_i L = -grad U_i(theta_i; r) at the residual r = y - f
    _, grad = model.loss_and_grad(Theta, X, Y)
    r = np.reshape(Y, (len(X), -1)) - f0
    np.testing.assert_allclose(grad[0], -model.utility_grad(theta, X, r), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("model, X, Y", CASES, ids=IDS)
def test_homogeneity_degree(model, X, Y):
    rng = np.random.default_rng(4)
    theta = rng.standard_normal((model.n_neurons, model.neuron_size))
    if model.degree is None:  # x^3 + x is not homogeneous: refused
        with pytest.raises(SpecError, match="not positively homogeneous"):
            check_homogeneity(model, X, rng=rng)
        return
    c = 1.7
    np.testing.assert_allclose(model.neuron_outputs(c * theta, X),
                               c ** model.degree * model.neuron_outputs(theta, X), rtol=1e-12)
    assert check_homogeneity(model, X, rng=rng) == model.degree


def test_degrees():
    assert [m.degree for m, _, _ in CASES] == [2, 2, 3, None, 3, 2]


def test_diagonal_initialization_and_balance():
    model = DiagonalLinear(3)
    Theta = model.init(0.1)
    np.testing.assert_allclose(Theta[:, 0], np.sqrt(2) * 0.1)
    assert (Theta[:, 1] == 0).all() and (model.beta(Theta) == 0).all()
    T = np.array([[2.0, 0.5], [-1.0, 4.0], [3.0, -3.0]])
    B = model.balanced(T)
    np.testing.assert_allclose(model.beta(B), model.beta(T))
    np.testing.assert_allclose(np.abs(B[:, 0]), np.abs(B[:, 1]))


def test_in_context_data_labels_are_linear_in_the_context():
    rng = np.random.default_rng(5)
    X, y = in_context_regression_data([2.0, 0.5, 1.0], 6, 4, rng=rng)
    d, N = 3, 6
    assert X.shape == (4, N * d + N + d) and y.shape == (4,)
    for p in range(4):
        xs, ys = X[p, :N * d].reshape(N, d), X[p, N * d:N * d + N]
        beta = np.linalg.lstsq(xs, ys, rcond=None)[0]  # the prompt's task, from its examples
        assert y[p] == pytest.approx(X[p, N * d + N:] @ beta, rel=1e-9)


@pytest.mark.parametrize("build, match", [
    (lambda: DiagonalLinear(0), "d must be a positive integer"),
    (lambda: DiagonalLinear(True), "d must be a positive integer"),
    (lambda: TwoLayer(2, 0, 1, "x"), "width must be a positive integer"),
    (lambda: TwoLayer(2, 2, 1, "1/x"), "must be a polynomial"),
    (lambda: LinearAttention(2, 1, 0), "n_context must be a positive integer"),
])
def test_bad_sizes(build, match):
    with pytest.raises(SpecError, match=match):
        build()
