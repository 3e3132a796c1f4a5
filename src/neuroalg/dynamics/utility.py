"""Utilities of dormant neurons: U_i(theta; r) and, for kappa = 2, its quadratic form M_i(r).

Conventions: :mod:`neuroalg.dynamics.models` (U_i(theta; r) = loss_scale / N sum_j
<f_i(x_j; theta), r_j>, so grad_theta_i L = -grad U_i). For neurons of degree kappa = 2 the
utility is a quadratic form, U_i(theta; r) = theta^T M_i(r) theta, and the dormant dynamics
d theta / dt = grad U = 2 M theta is linear [KMC25].

References
----------
[KMC25] Kunin et al. (2025), Alternating Gradient Flows, arXiv:2506.06489.
"""

from __future__ import annotations

import numpy as np


def is_linear(model) -> bool:
    """A two-layer network with activation c x (a fully connected linear network)."""
    act = getattr(model, "activation", None)
    return act is not None and hasattr(model, "d_in") and act.monomial_power == 1


def grad_all(model, Theta, X, R):
    """grad U_i(theta_i; R) for every neuron i at once: shape (n_neurons, neuron_size)."""
    return model.neuron_vjp(Theta, X, R) * (model.loss_scale / len(X))


def quadratic_forms(model, X, R, neurons):
    """M_i with U_i(theta; R) = theta^T M_i theta (kappa = 2), from grad U = 2 M theta.

    Linear two-layer neurons theta = (w, a), f = c a (w . x): U = a^T C w with the residual
    cross-covariance C = c loss_scale R^T X / N, so M = 1/2 [[0, C^T], [C, 0]] for every neuron.
    """
    if is_linear(model):
        C = float(model.activation.coefficients[1]) * model.loss_scale * (R.T @ X) / len(X)
        d = model.d_in
        M1 = np.zeros((model.neuron_size, model.neuron_size))
        M1[:d, d:] = 0.5 * C.T
        M1[d:, :d] = 0.5 * C
        return np.broadcast_to(M1, (len(neurons),) + M1.shape).copy()
    m = model.neuron_size
    M = np.empty((model.n_neurons, m, m))
    for k in range(m):
        E = np.zeros((model.n_neurons, m))
        E[:, k] = 1.0
        M[:, :, k] = 0.5 * grad_all(model, E, X, R)
    M = 0.5 * (M + np.transpose(M, (0, 2, 1)))
    return M[neurons]


def loss_hessian(model, Theta, X, Y, neurons):
    """Hessian of the loss in the parameters of ``neurons`` (kappa = 2, bilinear neurons).

    L = loss_scale / (2N) ||Y - f||^2 with f a sum of neurons, so
    d^2 L = (loss_scale / N) J^T J - loss_scale / N sum_j <r_j, d^2 f(x_j)>, and for neurons with
    quadratic utility sum_j <f_i(x_j; theta), r_j> = (N / loss_scale) theta^T M_i(r) theta the
    second term is block diagonal with blocks 2 M_i(r) (different neurons do not interact).
    """
    neurons = np.asarray(neurons)
    c = model.loss_scale / len(X)
    J = model.jacobian(Theta, X)[:, :, neurons, :].reshape(-1, len(neurons) * model.neuron_size)
    H = c * (J.T @ J)
    R = np.reshape(Y, (len(X), -1)) - model.forward(Theta, X)
    m = model.neuron_size
    for a, M in enumerate(quadratic_forms(model, X, R, neurons)):
        H[a * m:(a + 1) * m, a * m:(a + 1) * m] -= 2 * M
    return H


def neuron_function(model, X, i, theta):
    """Outputs of neuron ``i`` with parameters ``theta`` on the samples, shape (N, n_outputs)."""
    T = np.zeros((model.n_neurons, model.neuron_size))
    T[i] = theta
    return model.neuron_outputs(T, X)[i]


def identical_neurons(model, X, rng, *, rtol: float = 1e-10) -> bool:
    """Whether every neuron has the same utility form (M_i(r) = M_1(r) at a random residual r).

    Then the network depends on the neurons only through sum_i theta_i theta_i^T-like
    combinations that are invariant under rotations of the neurons among themselves (fully
    connected linear networks, attention heads); not for diagonal networks.
    """
    if model.n_neurons == 1:
        return True
    R = rng.standard_normal((len(X), model.n_outputs))
    M = quadratic_forms(model, X, R, np.arange(model.n_neurons))
    scale = float(np.max(np.abs(M))) + 1e-300
    return bool(np.max(np.abs(M - M[:1])) <= rtol * scale)
