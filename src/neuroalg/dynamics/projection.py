"""Variable projection: cost minimization of two-layer networks with a monomial activation.

For f(x) = sum_i a_i sigma(w_i . x) with sigma = c x^r the loss is quadratic in the output
weights a_i. Writing w_i = |w_i| u_i (|u_i| = 1; sigma(|w| u . x) = |w|^r sigma(u . x), so the
scale moves into a_i), the cost minimization over the active neurons becomes

    min over unit u_i of  g(U) = min_A  L(U, A) + lam/2 ||A||^2,

whose inner problem is a (ridge) linear least-squares problem solved exactly at every step. By
the envelope theorem grad_U g = grad_U L at the optimal A, projected on the tangent spaces of the
spheres. Golub and Pereyra's variable projection [GP03] removes the stiff output-weight directions
and the rescaling symmetries of the neurons, which make quasi-Newton steps in the raw parameters
crawl: on modular addition (p = 20, width 24, :func:`neuroalg.dynamics.closed_forms.modular_levels`)
L-BFGS on the raw parameters stopped after 4000 iterations with the gradient at 0.1 and the level
0.178 where five frequency-1 neurons fit exactly (0.15625, reached here; measured in
benchmarks/dynamics_cost.py).

The result is returned as balanced parameters (``model.balanced``: the representative gradient
flow from small initialization reaches). ``lam`` is the vanishing weight decay of
:func:`neuroalg.dynamics.cost.bounded_cost_step` on the output weights of unit-norm neurons.

References
----------
[GP03] G. Golub, V. Pereyra (2003), Separable nonlinear least squares: the variable projection
       method and its applications, Inverse Problems 19, R1-R26.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from ..fields import REAL
from .models import TwoLayer


def is_projectable(model) -> bool:
    """A two-layer network with activation c x^r, r >= 1 (output weights enter linearly)."""
    return isinstance(model, TwoLayer) and (model.activation.monomial_power or 0) >= 1


@dataclass(frozen=True)
class CostMinimum:
    """A cost minimization's result: the parameters of all neurons (active ones balanced), the
    norm of the gradient of the minimized objective there, and whether the unpenalized
    minimization stayed bounded (``attained``)."""

    Theta: np.ndarray
    gradient: float
    attained: bool


class _Projected:
    """g(U) and its gradient for the active neurons ``idx`` (other neurons fixed)."""

    def __init__(self, model, X, Y, Theta, idx):
        self.model, self.X, self.idx = model, X, idx
        self.d, self.K = model.d_in, len(idx)
        self.c = model.loss_scale / len(X)
        others = Theta.copy()
        others[idx] = 0.0
        self.R0 = np.reshape(Y, (len(X), -1)) - model.forward(others, X)

    def output_weights(self, U, lam):
        H = self.model.activation(self.X @ U.T, REAL)
        M, B = np.sqrt(self.c) * H, np.sqrt(self.c) * self.R0
        if lam > 0:
            M = np.vstack([M, np.sqrt(lam) * np.eye(self.K)])
            B = np.vstack([B, np.zeros((self.K, B.shape[1]))])
        return H, np.linalg.lstsq(M, B, rcond=1e-13)[0]

    def value_and_grad(self, w, lam):
        W = w.reshape(self.K, self.d)
        norms = np.linalg.norm(W, axis=1, keepdims=True)
        U = W / norms
        H, A = self.output_weights(U, lam)
        R = self.R0 - H @ A
        value = 0.5 * self.c * float(np.sum(R * R)) + 0.5 * lam * float(np.sum(A * A))
        dH = self.model.activation.derivative(self.X @ U.T, REAL)
        gU = -self.c * ((R @ A.T) * dH).T @ self.X
        gU -= np.sum(gU * U, axis=1, keepdims=True) * U  # tangent to the spheres
        return value, (gU / norms).ravel()

    def theta(self, Theta, w, lam):
        U = w.reshape(self.K, self.d)
        U = U / np.linalg.norm(U, axis=1, keepdims=True)
        out = Theta.copy()
        out[self.idx, : self.d] = U
        out[self.idx, self.d:] = self.output_weights(U, lam)[1]
        return self.model.balanced(out)

    def gradient(self, w, lam) -> float:
        """Norm of the gradient on the spheres (scale-free: evaluated at unit directions)."""
        U = w.reshape(self.K, self.d)
        return float(np.linalg.norm(self.value_and_grad(
            (U / np.linalg.norm(U, axis=1, keepdims=True)).ravel(), lam)[1]))


def projected_minimum(model, X, Y, Theta, idx, *, lam: float, growth: float = 4.0,
                      ftol: float = 1e-15, maxiter: int = 20000) -> CostMinimum:
    """Minimize the loss over the active neurons ``idx`` by variable projection (module docstring).

    First with the weight decay ``lam`` (which has a minimizer), then without it from there,
    stopped once the largest balanced neuron norm grows by ``growth``: if it stays bounded the
    unpenalized minimizer is attained and kept, otherwise the penalized one is kept. Starts
    from the directions of the input weights in ``Theta`` (output weights are solved for).
    """
    prob = _Projected(model, X, Y, Theta, idx)
    w0 = Theta[idx, : prob.d]
    w0 = w0 / np.maximum(np.linalg.norm(w0, axis=1, keepdims=True), 1e-300)
    opts = {"maxiter": maxiter, "gtol": 1e-14, "ftol": ftol, "maxcor": 30}
    w = minimize(prob.value_and_grad, w0.ravel(), args=(lam,), jac=True, method="L-BFGS-B",
                 options=opts).x
    penalized = prob.theta(Theta, w, lam)
    cap = growth * float(np.linalg.norm(penalized[idx], axis=1).max())

    def grown(intermediate_result):
        T = prob.theta(Theta, intermediate_result.x, 0.0)
        if np.linalg.norm(T[idx], axis=1).max() > cap:
            raise StopIteration

    w2 = minimize(prob.value_and_grad, w, args=(0.0,), jac=True, method="L-BFGS-B",
                  callback=grown, options=opts).x
    free = prob.theta(Theta, w2, 0.0)
    if np.linalg.norm(free[idx], axis=1).max() <= cap:
        return CostMinimum(free, prob.gradient(w2, 0.0), True)
    return CostMinimum(penalized, prob.gradient(w, lam), False)
