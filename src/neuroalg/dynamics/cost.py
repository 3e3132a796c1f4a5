"""Cost minimization of Alternating Gradient Flows: the active neurons descend to a minimum.

Used by :mod:`neuroalg.dynamics.agf` after each activation. Generic: gradient flow (BDF or
monotone gradient steps), then L-BFGS and Gauss-Newton polishing, neurons that collapse return
to dormancy; linear two-layer networks: reduced-rank regression in closed form; kappa > 2:
minimization with a vanishing weight decay when the infimum is not attained at finite norm
(two-layer networks by variable projection, :mod:`neuroalg.dynamics.projection`).
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import minimize

from .projection import CostMinimum, is_projectable, projected_minimum
from .utility import is_linear, loss_hessian

#: A quasi-Newton result is a minimum only if its gradient times its norm is at most this
#: fraction of the loss the cost minimization started from.
STATIONARY_RTOL = 1e-7
#: Largest (#residuals x #active parameters) for which cost minimization uses Levenberg-Marquardt
#: and Gauss-Newton polishing; larger problems use L-BFGS (faster per step, less accurate).
LM_MAX_SIZE = 300_000


def _minimize_active(model, X, Y, Theta, active, *, gtol, flow=True, polish=True,
                     flow_params=400, collapse_tol=None):
    """Gradient flow of the loss over the active neurons from Theta, then L-BFGS polishing.

    With ``collapse_tol`` the flow stops as soon as an active neuron's norm falls below
    ``collapse_tol`` times the largest (a neuron returning to dormancy: integrating on towards
    zero would let numerical error carry it through zero, which exact gradient flow of a
    balanced neuron never does)."""
    idx = np.flatnonzero(active)
    shape = (len(idx), model.neuron_size)

    def lg(z):
        T = Theta.copy()
        T[idx] = z.reshape(shape)
        loss, G = model.loss_and_grad(T, X, Y)
        return loss, G[idx].ravel()

    z = Theta[idx].ravel()
    if flow and z.size <= flow_params and model.degree == 2:
        g0 = float(np.linalg.norm(lg(z)[1]))
        span = 1.0 / max(g0, 1e-12)
        t_total = 0.0
        def neg_hessian(_, y):
            T = Theta.copy()
            T[idx] = y.reshape(shape)
            return -loss_hessian(model, T, X, Y, idx)

        events = None
        if collapse_tol is not None and len(idx) > 1:
            def shrunk(_, y):
                n = np.linalg.norm(y.reshape(shape), axis=1)
                return float(n.min() - collapse_tol * n.max())
            # attributes solve_ivp reads from an event function (setattr: mypy rejects new
            # attributes on a function)
            setattr(shrunk, "terminal", True)
            setattr(shrunk, "direction", -1)
            events = shrunk
        while t_total < 1e7:
            # BDF, not LSODA: scipy's LSODA keeps Fortran state between calls, so a flow
            # depended on the flows solved before it in the process (seed 1261 of the
            # diagonal property test failed only after 1230..1260 had run)
            sol = solve_ivp(lambda _, y: -lg(y)[1], (0.0, span), z, method="BDF",
                            rtol=1e-10, atol=1e-14, events=events, jac=neg_hessian)
            z, t_total = sol.y[:, -1], t_total + span
            if sol.status == 1 or np.linalg.norm(lg(z)[1]) <= 1e-9 * max(g0, 1e-300):
                break
            span *= 2
    elif flow:
        lr = 1e-2
        loss, g = lg(z)
        for _ in range(20000):
            if np.linalg.norm(g) < 1e-9:
                break
            if collapse_tol is not None and len(idx) > 1:
                n = np.linalg.norm(z.reshape(shape), axis=1)
                if n.min() < collapse_tol * n.max():
                    break
            z2 = z - lr * g
            l2, g2 = lg(z2)
            if l2 <= loss:
                z, loss, g, lr = z2, l2, g2, lr * 1.1
            else:
                lr *= 0.5
    if polish:
        z = minimize(lg, z, jac=True, method="L-BFGS-B",
                     options={"maxiter": 5000, "gtol": gtol, "ftol": 1e-300, "maxcor": 30}).x
        if len(X) * model.n_outputs * z.size <= LM_MAX_SIZE:
            z = _gauss_newton(model, X, Y, Theta, idx, z)
    out = Theta.copy()
    out[idx] = z.reshape(shape)
    return out


def _least_squares_active(model, X, Y, Theta, active):
    """Levenberg-Marquardt on the residuals over the active neurons (fast cost minimization)."""
    from scipy.optimize import least_squares

    idx = np.flatnonzero(active)
    shape = (len(idx), model.neuron_size)
    c = np.sqrt(model.loss_scale / len(X))

    def put(z):
        T = Theta.copy()
        T[idx] = z.reshape(shape)
        return T

    def res(z):
        return (c * (model.forward(put(z), X) - Y)).ravel()

    def jac(z):
        return c * model.jacobian(put(z), X)[:, :, idx, :].reshape(-1, z.size)

    z0 = Theta[idx].ravel()
    method = "lm" if len(X) * model.n_outputs >= z0.size else "trf"
    z = least_squares(res, z0, jac=jac, method=method, xtol=1e-15, ftol=1e-15, gtol=1e-15,
                      max_nfev=2000).x
    z = _gauss_newton(model, X, Y, Theta, idx, z)
    return put(z)


def _gauss_newton(model, X, Y, Theta, idx, z, n_iter: int = 30):
    """Gauss-Newton polishing (minimum-norm steps, so the rescaling symmetries do no harm)."""
    c = np.sqrt(model.loss_scale / len(X))
    shape = (len(idx), model.neuron_size)
    T = Theta.copy()
    T[idx] = z.reshape(shape)
    loss = model.loss(T, X, Y)
    for _ in range(n_iter):
        r = (c * (Y - model.forward(T, X))).ravel()
        J = c * model.jacobian(T, X)[:, :, idx, :].reshape(len(r), -1)
        step = np.linalg.lstsq(J, r, rcond=1e-12)[0]
        T2 = T.copy()
        T2[idx] += step.reshape(shape)
        l2 = model.loss(T2, X, Y)
        tiny = np.linalg.norm(step) <= 1e-6 * (1 + np.linalg.norm(T[idx]))
        if not (l2 <= loss or (tiny and l2 <= loss * (1 + 1e-12))):
            break
        T, loss = T2, l2
        if np.linalg.norm(step) <= 1e-15 * (1 + np.linalg.norm(T[idx])):
            break
    return T[idx].ravel()


def cost_step(model, X, Y, Theta, active, *, gtol, collapse_tol, utility_in_direction,
               is_aligned):
    """Cost minimization with return to dormancy of collapsed neurons; returns (Theta, collapsed).

    Gradient flow first; neurons whose norm fell below ``collapse_tol`` times the largest active
    norm, or that the polishing moved out of their growth direction (``is_aligned``), are
    removed, the others re-minimized, and a removed neuron returns to dormancy if its utility in
    its direction is <= 0 there (it would not grow back).

    The flow starts from, and the result is, the *balanced* representative of each neuron
    (``model.balanced``): gradient flow from small initialization conserves balance, which
    keeps e.g. a diagonal network's active coordinates from changing sign (the sign
    constraints of the Pesme-Flammarion algorithm). Starting the flow from an unbalanced
    point reaches minima gradient descent never visits.
    """
    collapsed: list[int] = []
    if is_linear(model):
        return _reduced_rank_regression(model, X, Y, Theta, active), collapsed
    Theta, collapsed = _cost_step(model, X, Y, model.balanced(Theta), active, gtol=gtol,
                                  collapse_tol=collapse_tol,
                                  utility_in_direction=utility_in_direction,
                                  is_aligned=is_aligned)
    return model.balanced(Theta), collapsed


def _cost_step(model, X, Y, Theta, active, *, gtol, collapse_tol, utility_in_direction,
               is_aligned, max_rounds: int | None = None):
    fast = _fast_minimum(model, X, Y, Theta, active, gtol=gtol, collapse_tol=collapse_tol,
                         utility_in_direction=utility_in_direction, is_aligned=is_aligned)
    if fast is not None:
        return fast
    collapsed = []
    removed = {}  # neuron -> its parameters when it was removed (to re-add if it would regrow)
    for _ in range(max_rounds or 2 * model.n_neurons + 2):
        Theta = _minimize_active(model, X, Y, Theta, active, gtol=gtol, polish=False,
                                 collapse_tol=collapse_tol)
        small = _small_neurons(Theta, active, collapse_tol)
        if len(small):
            # shrinking to zero: the neuron returns to dormancy (checked again at the minimum)
            for j in small:
                removed[int(j)] = Theta[j].copy()
                active[j] = False
                Theta[j] = 0.0
            if not active.any():
                break
            continue
        R = Y - model.forward(Theta, X)
        regrow = [j for j in removed if utility_in_direction(j, R) > 1e-9]
        if not regrow:
            polished = _minimize_active(model, X, Y, Theta, active, gtol=gtol, flow=False)
            if (len(_small_neurons(polished, active, collapse_tol)) == 0
                    and all(is_aligned(j, polished[j]) for j in np.flatnonzero(active))):
                Theta = polished
            break
        # a removed neuron would grow back at this minimum: it was only passing near zero
        for j in regrow:
            active[j] = True
            Theta[j] = removed.pop(j)
    collapsed = sorted(removed)
    return Theta, collapsed


def _small_neurons(Theta, active, collapse_tol):
    idx = np.flatnonzero(active)
    if len(idx) == 0:
        return idx
    norms = np.linalg.norm(Theta[idx], axis=1)
    # 1% margin: the flow's collapse event stops at equality
    return idx[norms < 1.01 * collapse_tol * max(norms.max(), 1e-300)]


def _fast_minimum(model, X, Y, Theta, active, *, gtol, collapse_tol, utility_in_direction,
                  is_aligned):
    """Quasi-Newton (Levenberg-Marquardt, or L-BFGS for large problems) from the saddle.

    Accepted, as the minimum gradient flow reaches, when it is stationary (gradient over the
    active neurons at most ``STATIONARY_RTOL`` of the loss it started from, per unit of
    parameter norm), every remaining active neuron stays in its growth direction
    (``is_aligned``) and every neuron that shrank below ``collapse_tol`` has utility <= 0 in its
    growth direction after its removal (it would not grow back: the KKT condition of a neuron
    returning to dormancy). Returns (Theta, collapsed) or None.
    """
    loss_in = model.loss(Theta, X, Y)
    trial_active = active.copy()
    T = Theta
    for _ in range(2):
        size = len(X) * model.n_outputs * int(trial_active.sum()) * model.neuron_size
        if size <= LM_MAX_SIZE:
            T = _least_squares_active(model, X, Y, T, trial_active)
        else:
            T = _minimize_active(model, X, Y, T, trial_active, gtol=gtol, flow=False)
        small = _small_neurons(T, trial_active, collapse_tol)
        if len(small) == 0:
            break
        trial_active[small] = False
        T = T.copy()
        T[small] = 0.0
        if not trial_active.any():
            return None
    else:
        return None
    idx = np.flatnonzero(trial_active)
    grad = model.loss_and_grad(T, X, Y)[1][idx]
    if np.linalg.norm(grad) * max(1.0, float(np.linalg.norm(T[idx]))) > STATIONARY_RTOL * loss_in:
        return None  # the quasi-Newton iteration stopped short of a minimum
    if not all(is_aligned(j, T[j]) for j in idx):
        return None
    gone = np.flatnonzero(active & ~trial_active)
    R = Y - model.forward(T, X)
    if any(utility_in_direction(j, R) > 1e-9 for j in gone):
        return None
    active[:] = trial_active
    return T, [int(j) for j in gone]


def _reduced_rank_regression(model, X, Y, Theta, active):
    """Cost minimization of a two-layer *linear* network in closed form.

    The loss over k active neurons is minimized over matrices A = sum_i a_i w_i^T of rank <= k,
    where every local minimum is global [Baldi and Hornik 1989]: reduced-rank regression
    A_k = P_k Syx Sxx^+ with P_k the projector on the top-k eigenvectors of K = Syx Sxx^+ Syx^T.
    Gradient flow from small initialization keeps the layers balanced, so neuron i gets
    (w, a) = sqrt(s) (v, u) from the SVD of A_k; each active neuron takes the singular pair
    closest to its current function (sign: a . u >= 0).
    """
    d = model.d_in
    N = len(X)
    Sxx, Syx = X.T @ X / N, Y.T @ X / N
    Sinv = np.linalg.pinv(Sxx, rcond=1e-12, hermitian=True)
    K = Syx @ Sinv @ Syx.T
    idx = np.flatnonzero(active)
    _, V = np.linalg.eigh(0.5 * (K + K.T))
    P = V[:, ::-1][:, : len(idx)]
    U, S, Wt = np.linalg.svd(P @ P.T @ Syx @ Sinv)
    out = Theta.copy()
    free = list(range(min(len(idx), len(S))))
    for j in idx:
        w, a = Theta[j, :d], Theta[j, d:]
        if not free:
            out[j] = 0.0
            continue
        c = max(free, key=lambda q: abs(U[:, q] @ a) * abs(Wt[q] @ w))
        free.remove(c)
        sgn = 1.0 if U[:, c] @ a >= 0 else -1.0
        out[j, :d] = sgn * np.sqrt(S[c]) * Wt[c]
        out[j, d:] = sgn * np.sqrt(S[c]) * U[:, c]
    return out


def bounded_cost_step(model, X, Y, Theta, active, *, ridge, collapse_tol, growth=4.0):
    """Cost minimization for kappa > 2; returns (Theta, collapsed, not_attained, gradient).

    Sums of kappa > 2 neurons need not attain the infimum of the loss: two nearly equal
    quadratic neurons with large opposite output weights approach a function that no finite
    pair represents (a tangent vector of the neuromanifold), and an unconstrained minimizer
    then runs off to infinite norm, leaving a state gradient flow never reaches. We therefore
    (1) minimize the loss plus a weight decay ``ridge`` (which has a minimizer), (2) polish
    without the penalty, stopped once the largest neuron norm grows by ``growth``: if it stays
    bounded the minimizer is attained and kept; otherwise the penalized minimizer is kept and
    ``not_attained`` is 1. Neurons whose norm falls below ``collapse_tol`` times the largest
    return to dormancy (zeroed, the others re-minimized). ``gradient`` is the norm of the
    gradient of the minimized objective at the result (a stationarity check for the caller).

    Two-layer networks with a monomial activation (:func:`projection.is_projectable`) are
    minimized by variable projection (weight decay on the output weights of unit-norm
    neurons); other models by L-BFGS on all their parameters (weight decay on
    ||Theta_active||^2), which on modular addition stopped far from stationary (gradient 0.1,
    levels off by 0.02; :mod:`neuroalg.dynamics.projection`).
    """
    collapsed: list[int] = []
    while True:
        idx = np.flatnonzero(active)
        if is_projectable(model):
            found = projected_minimum(model, X, Y, Theta, idx, lam=ridge, growth=growth)
        else:
            found = _penalized_minimum(model, X, Y, Theta, idx, ridge=ridge, growth=growth)
        Theta = found.Theta
        norms = np.linalg.norm(Theta[idx], axis=1)
        small = idx[norms < collapse_tol * norms.max()]
        if len(small) == 0 or len(small) == len(idx):
            return Theta, collapsed, int(not found.attained), found.gradient
        active[small] = False
        Theta[small] = 0.0
        collapsed += [int(j) for j in small]


def _penalized_minimum(model, X, Y, Theta, idx, *, ridge, growth, ftol=1e-13,
                       maxiter=4000) -> CostMinimum:
    """L-BFGS on the active neurons' parameters: with weight decay, then polished without it
    (stopped once the norm grows by ``growth``); see :func:`bounded_cost_step`."""
    shape = (len(idx), model.neuron_size)

    def lg(z, lam):
        T = Theta.copy()
        T[idx] = z.reshape(shape)
        loss, G = model.loss_and_grad(T, X, Y)
        return loss + 0.5 * lam * float(z @ z), G[idx].ravel() + lam * z

    opts = {"maxiter": maxiter, "gtol": 1e-10, "ftol": ftol, "maxcor": 20}
    z = minimize(lg, Theta[idx].ravel(), args=(ridge,), jac=True, method="L-BFGS-B",
                 options=opts).x
    cap = growth * max(float(np.linalg.norm(z)), 1.0)

    def stop(intermediate_result):
        if np.linalg.norm(intermediate_result.x) > cap:
            raise StopIteration
    zp = minimize(lg, z, args=(0.0,), jac=True, method="L-BFGS-B", callback=stop,
                  options=opts).x
    attained = bool(np.linalg.norm(zp) <= cap)
    z, lam = (zp, 0.0) if attained else (z, ridge)
    out = Theta.copy()
    out[idx] = z.reshape(shape)
    return CostMinimum(out, float(np.linalg.norm(lg(z, lam)[1])), attained)
