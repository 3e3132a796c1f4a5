"""AGF at a finite initialization scale alpha for neurons of degree kappa = 2.

Conventions: :mod:`neuroalg.dynamics.models`; rescaled time tau = t / log(1/alpha).

* **Dormant dynamics.** While the active neurons sit at a minimum with residual r, a dormant
  neuron follows d theta / dt = grad U = 2 M(r) theta, so theta(t) = expm(2 M t) theta(0)
  exactly (no commutation assumption); dormant neurons start at alpha * theta_hat.
* **Identical neurons** (every neuron has the same form M, e.g. fully connected linear
  networks and attention heads; :func:`neuroalg.dynamics.utility.identical_neurons`): the
  network and the gradient-flow equations are invariant under rotations of the neurons among
  themselves, and so is the Gaussian initialization. The dormant neurons are therefore one
  matrix D (one row per neuron) with D(t) = D expm(2 M t), and the first neuron to activate
  is the best combination q^T D (|q| = 1): activation when the top singular value
  sigma_1(D(t)) reaches 1. The activated neuron is sigma_1 w_1 (top singular pair) and the
  dormant neurons are rotated onto the other singular pairs sigma_k w_k: what all dormant
  neurons grew along the activated direction leaves the dormant set with it. (Testing each
  neuron's own norm instead lets a neuron that carries an O(1) share of an already learned
  direction pass the activation test early: jumps move *away* from the alpha -> 0 limit.)
* **Other neurons** (e.g. diagonal networks) activate one by one when ||theta_i|| reaches 1.
* A jump needs a growing direction: utilities below ``floor`` (relative to the first plateau's
  largest utility entry) are rounding, not growth; activations that do not lower the loss are
  not recorded as jumps.

References
----------
[KMC25] D. Kunin et al. (2025), Alternating Gradient Flows: A Theory of Feature Learning in
        Two-layer Neural Networks, arXiv:2506.06489.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from ..errors import SpecError
from .cost import cost_step
from .utility import identical_neurons, neuron_function, quadratic_forms

#: Utility eigenvalues below this fraction of the initial largest utility entry do not grow.
GROWTH_FLOOR = 1e-7
#: Relative perturbation of the dormant neurons in the rounding check (~10 float64 ulps) and
#: the largest relative change of a jump time it may cause.
ROUNDING_PROBE = 1e-15
ROUNDING_RTOL = 1e-3


def _log_top_singular(DV, lam, dt):
    """log sigma_1(DV diag(exp(2 lam dt))), computed without overflow."""
    e = 2 * lam * dt
    shift = float(e.max())
    s = np.linalg.svd(DV * np.exp(e - shift)[None, :], compute_uv=False)
    return shift + float(np.log(s[0])) if s[0] > 0 else -np.inf


def _activation_time(D, lam, V, *, floor, t_limit):
    """First dt >= 0 with sigma_1(D expm(2 M dt)) = 1, M = V diag(lam) V^T; inf if none
    before ``t_limit`` (log sigma_1 is convex in dt, so the upward crossing is unique)."""
    DV = D @ V
    grows = (lam > floor) & (np.abs(DV).max(axis=0) > 0)
    if not grows.any():
        return np.inf
    f0 = _log_top_singular(DV, lam, 0.0)
    if f0 >= 0:
        return 0.0
    hi = 1.0 / float(lam[grows].max())
    while _log_top_singular(DV, lam, hi) < 0:
        if hi > t_limit:
            return np.inf
        hi *= 2
    dt = brentq(lambda s: _log_top_singular(DV, lam, s), 0.0, hi, xtol=1e-14, rtol=1e-14)
    return dt if dt <= t_limit else np.inf


def _advance(D, lam, V, dt):
    """D expm(2 M dt) (every row stays below norm 1 before its activation: no overflow)."""
    return (D @ V) * np.exp(np.clip(2 * lam * dt, -745.0, 700.0))[None, :] @ V.T


def _split_top(D):
    """D = U S W^T: (q, sigma_1 w_1, the other rows sigma_k w_k padded with zero rows)."""
    U, S, Wt = np.linalg.svd(D, full_matrices=False)
    rest = np.zeros((len(D) - 1, D.shape[1]))
    k = min(len(S) - 1, len(D) - 1)
    rest[:k] = S[1: k + 1, None] * Wt[1: k + 1]
    return U[:, 0], S[0] * Wt[0], rest


def agf_quadratic_finite(model, X, Y, Theta_hat, *, max_jumps, gtol, collapse_tol, tau_max,
                         progress, L0, alpha, **_):
    """kappa = 2 AGF at finite ``alpha`` (module docstring); returns the engine tuple
    (order, times, levels, collapsed, plateaus, notes) of :func:`neuroalg.dynamics.agf`.

    Rounding check: the dormant neurons hold components down to about alpha^2 next to
    components of size 1, which float64 cannot resolve once alpha is small (gradient descent
    in float64 has the same floor). The engine is run a second time with the dormant
    neurons perturbed by ``ROUNDING_PROBE`` (relative, about 10 units of rounding) after each
    phase; if that moves a jump time by more than ``ROUNDING_RTOL`` (relative) or changes the
    number of jumps, the prediction is refused.

    Raises
    ------
    SpecError
        If the rounding check fails (alpha too small for float64 on these data).
    """
    kwargs = {"max_jumps": max_jumps, "gtol": gtol, "collapse_tol": collapse_tol,
              "tau_max": tau_max, "L0": L0, "alpha": alpha}
    out = finite_run(model, X, Y, Theta_hat, progress=None, noise=0.0, **kwargs)
    probe = finite_run(model, X, Y, Theta_hat, progress=None, noise=ROUNDING_PROBE, **kwargs)
    times, times_p = np.array(out[1]), np.array(probe[1])
    if len(times) != len(times_p):
        raise SpecError(f"finite alpha = {alpha:g} is below what float64 resolves on these data: "
                        f"perturbing the dormant neurons by {ROUNDING_PROBE:g} (relative, ~10 "
                        f"rounding units) changes the number of jumps from {len(times)} to "
                        f"{len(times_p)}; use a larger alpha or the alpha -> 0 limit")
    shift = np.abs(times_p - times) / np.maximum(times, 1e-300)
    if len(shift) and shift.max() > ROUNDING_RTOL:
        k = int(np.argmax(shift))
        raise SpecError(f"finite alpha = {alpha:g} is below what float64 resolves on these data: "
                        f"perturbing the dormant neurons by {ROUNDING_PROBE:g} (relative, ~10 "
                        f"rounding units) moves jump {k + 1} from tau = {times[k]:.6g} to "
                        f"{times_p[k]:.6g}; use a larger alpha or the alpha -> 0 limit")
    worst = float(shift.max()) if len(shift) else 0.0
    if progress:  # only for a prediction that passed the check
        for k, (i, t, lv) in enumerate(zip(out[0], out[1], out[2])):
            progress(f"jump {k + 1}: neuron {i} at {t:.6g}, loss {lv:.6g}")
    note = (f"rounding check: perturbing the dormant neurons by {ROUNDING_PROBE:g} moves the "
            f"jump times by at most {worst:.1e} (relative)")
    return (*out[:5], [*out[5], note])


def finite_run(model, X, Y, Theta_hat, *, max_jumps, gtol, collapse_tol, tau_max, progress,
               L0, alpha, noise):
    """One run of the finite-alpha engine (no rounding check); ``noise`` perturbs the dormant
    neurons after each phase by that much relative to their largest entry (rounding probe)."""
    n, m = model.n_neurons, model.neuron_size
    ell = float(np.log(1 / alpha))
    together = identical_neurons(model, X, np.random.default_rng(0))
    dorm = alpha * np.asarray(Theta_hat, dtype=float)  # rows of dormant neurons
    active = np.zeros(n, dtype=bool)
    Theta = np.zeros((n, m))
    grown_dir = np.zeros((n, m))
    floor = GROWTH_FLOOR * (float(np.max(np.abs(quadratic_forms(model, X, Y, np.arange(n))))) + 1e-300)
    t = 0.0
    order: list[int] = []
    times: list[float] = []
    levels: list[float] = []
    collapsed_all: list[list[int]] = []
    plateaus: list[np.ndarray] = []
    n_flat = 0
    noise_rng = np.random.default_rng(0)

    def utility_in_direction(j, R):
        v = grown_dir[j]
        return float(v @ quadratic_forms(model, X, R, [j])[0] @ v)

    def is_aligned(j, theta):
        f = neuron_function(model, X, j, theta)
        g = neuron_function(model, X, j, grown_dir[j])
        return float(np.sum(f * g)) > 1e-3 * np.linalg.norm(f) * np.linalg.norm(g)

    for _ in range(max_jumps):
        dormant = np.flatnonzero(~active)
        if len(dormant) == 0:
            break
        R = Y - model.forward(Theta, X)
        M = quadratic_forms(model, X, R, dormant)
        groups = [dormant] if together else [np.array([i]) for i in dormant]
        eig = [np.linalg.eigh(M[np.searchsorted(dormant, g[0])]) for g in groups]
        t_limit = tau_max * ell - t
        waits = [_activation_time(dorm[g], lam, V, floor=floor, t_limit=t_limit)
                 for g, (lam, V) in zip(groups, eig)]
        best = int(np.argmin(waits))
        dt = waits[best]
        if not np.isfinite(dt):
            break
        for g, (lam, V) in zip(groups, eig):
            dorm[g] = _advance(dorm[g], lam, V, dt)
            if noise:  # rounding check: errors relative to the largest entry, as float64 makes
                dorm[g] += noise * np.abs(dorm[g]).max() * noise_rng.standard_normal(dorm[g].shape)
        t += dt
        g = groups[best]
        q, theta, rest = _split_top(dorm[g])
        i = int(g[np.argmax(np.abs(q))])
        dorm[g[g != i]] = rest
        dorm[i] = 0.0
        active[i] = True
        Theta[i] = theta
        grown_dir[i] = theta / np.linalg.norm(theta)
        Theta, collapsed = cost_step(model, X, Y, Theta, active, gtol=gtol,
                                     collapse_tol=collapse_tol,
                                     utility_in_direction=utility_in_direction,
                                     is_aligned=is_aligned)
        for j in collapsed:
            dorm[j] = collapse_tol * grown_dir[j]
        level = model.loss(Theta, X, Y)
        previous = levels[-1] if levels else L0
        if level >= previous - 1e-12 * L0:
            n_flat += 1  # the activation changed nothing: no jump in the loss
            continue
        order.append(i)
        times.append(t / ell)
        levels.append(level)
        collapsed_all.append(collapsed)
        plateaus.append(Theta.copy())
        if progress:
            progress(f"jump {len(times)}: neuron {i} at {t / ell:.6g}, loss {level:.6g}")
        if level <= 1e-14 * L0:
            break
    notes = [f"finite alpha = {alpha:g}: dormant neurons follow expm(2 M t) theta exactly and "
             + ("activate together: the top singular value of the dormant neurons reaches 1 "
                "(identical neurons, rotation invariance)" if together else
                "each activates when its norm reaches 1")]
    if n_flat:
        notes.append(f"{n_flat} activation(s) did not lower the loss and are not jumps")
    return order, times, levels, collapsed_all, plateaus, notes
