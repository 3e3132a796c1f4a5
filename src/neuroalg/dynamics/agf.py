"""Alternating Gradient Flows (AGF): the saddle-to-saddle dynamics of sums of homogeneous neurons.

AGF [KMC25] describes gradient flow from an initialization of scale alpha -> 0 as alternating
steps. Conventions: :mod:`neuroalg.dynamics.models` (loss, utility, homogeneity degree kappa).

* **Utility maximization (dormant neurons).** While the active neurons sit at a minimum of the
  loss, the residual r is fixed and a dormant neuron (size ~ alpha) follows
  d theta / dt = grad U(theta; r). Writing theta = ||theta|| theta_bar:
  d log||theta|| / dt = kappa ||theta||^(kappa-2) U(theta_bar) and
  d theta_bar / dt = ||theta||^(kappa-2) (grad U(theta_bar) - kappa U(theta_bar) theta_bar).
  - kappa > 2: in rescaled time tau = t alpha^(kappa-2), with n = ||theta|| / alpha, the equations
    are alpha-free; a neuron activates when n blows up (we stop at n = ``n_activate`` and add the
    remaining blow-up time n^(2-kappa) / ((kappa-2) kappa U)).
  - kappa = 2 (bilinear neurons, quadratic utility U = theta^T M(r) theta): theta(t) =
    expm(2 M t) theta(0) on each plateau. In rescaled time tau = t / log(1/alpha) a component of
    size alpha^(-rho) grows at d rho / dtau = 2 lambda along an eigenvector of M (rho(0) = -1);
    the neuron activates when its largest exponent reaches 0. Successive M(r) need not commute
    (e.g. linear networks with Sigma_xx != I): :mod:`neuroalg.dynamics.limit` tracks each dormant
    neuron exactly as exponents of mutually orthogonal vectors. With ``alpha`` given,
    :mod:`neuroalg.dynamics.finite_alpha` integrates the dormant dynamics at that scale instead.
* **Cost minimization (active neurons).** The activated neuron enters along its growing
  direction at a small size and the active neurons follow gradient flow of the loss to a
  minimum (then polished by L-BFGS; linear networks: reduced-rank regression in closed form).
  For kappa > 2 the loss over a few active neurons may have no minimizer at finite norm (two
  quadratic neurons with opposite output weights approach a tangent direction of the
  neuromanifold); a vanishing weight decay then selects a finite minimizer
  (``cost.bounded_cost_step``), keeping later plateaus on the path gradient descent takes.
  Two-layer networks are minimized by variable projection (:mod:`neuroalg.dynamics.projection`):
  quasi-Newton steps in the raw parameters stopped far from the minimum (gradient 0.1) and
  made modular addition interleave frequencies that gradient descent learns one after another. Active
  neurons that collapse to zero return to dormancy, keeping exponent 0 along the direction they
  were active in. The loss never rises along the staircase (checked: :func:`check_monotone`).
* **Outputs.** Order of activations (neuron indices), jump times (rescaled), loss levels after
  each jump, the neurons that collapsed, and the parameters (learned function) at each plateau.
  Rescaled time converts to gradient-descent steps with :func:`neuroalg.dynamics.steps_for`.

References
----------
[KMC25] D. Kunin, G. L. Marchetti, F. Chen, D. Karkada, J. B. Simon, M. R. DeWeese, S. Ganguli,
        N. Miolane (2025), Alternating Gradient Flows: A Theory of Feature Learning in Two-layer
        Neural Networks, arXiv:2506.06489.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, ClassVar

import numpy as np
from scipy.integrate import solve_ivp

from ..errors import NeuroalgError, SpecError
from ..progress import check_progress
from ..random import check_seed
from ..results import Certainty, Result
from .cost import bounded_cost_step
from .finite_alpha import agf_quadratic_finite
from .limit import agf_quadratic_limit
from .models import SumOfNeurons, check_homogeneity
from .utility import grad_all as _grad_all
from .utility import quadratic_forms as _quadratic_forms


class AGFInvariantError(NeuroalgError):
    """The AGF engine produced a staircase that violates one of its invariants (a bug: the
    prediction is refused rather than returned)."""


#: Largest rise of the loss between plateaus, relative to the initial loss, tolerated as
#: rounding when checking that the staircase is non-increasing.
MONOTONE_RTOL = 1e-9
#: kappa > 2: largest gradient of the minimized objective at a plateau, relative to the initial
#: loss, before the result notes that a cost minimization did not reach a stationary point.
STATIONARY_GRADIENT = 1e-4


def check_monotone(initial_level: float, levels, times) -> None:
    """Assert that the AGF staircase never raises the loss.

    Each cost-minimization phase is gradient flow of the loss started from the previous
    plateau plus one neuron of vanishing size, and a neuron returns to dormancy only by
    shrinking continuously to zero; the loss is non-increasing along gradient flow, so
    L(0) >= level_1 >= level_2 >= ... A rise beyond ``MONOTONE_RTOL * L(0)`` means the cost
    minimization reached a point gradient flow does not, and the prediction is refused.

    Raises
    ------
    AGFInvariantError
        Naming the first jump at which the loss rose.
    """
    prev = float(initial_level)
    tol = MONOTONE_RTOL * max(abs(prev), 1e-300)
    for k, (lv, t) in enumerate(zip(levels, times)):
        if not lv <= prev + tol:
            raise AGFInvariantError(
                f"AGF engine: the loss rose from {prev:.10g} to {lv:.10g} at jump {k + 1} "
                f"(tau = {t:.10g}); gradient flow never raises the loss, so this prediction is "
                "wrong and is refused (a bug in neuroalg, please report it with the data)")
        prev = lv


@dataclass(frozen=True)
class AGFResult(Result):
    """The AGF prediction for one problem (alpha -> 0 limit; times rescaled, see ``time_unit``)."""

    model: str
    kappa: int
    order: tuple[int, ...]
    jump_times: tuple[float, ...]
    levels: tuple[float, ...]
    initial_level: float
    collapsed: tuple[tuple[int, ...], ...]
    plateaus: tuple[tuple[tuple[float, ...], ...], ...]
    time_unit: str
    seed: int | None
    seconds: float
    notes: tuple[str, ...] = dc_field(default=())
    #: initialization scale (None: the alpha -> 0 limit)
    alpha: float | None = None

    headline_key: ClassVar[str] = "n_jumps"

    @property
    def n_jumps(self) -> int:
        return len(self.jump_times)

    @property
    def status(self) -> Certainty:
        return Certainty.NUMERICAL  # floating-point flows; the staircase invariant is checked

    @property
    def spec(self) -> str:
        return self.model

    @property
    def method(self) -> str:
        limit = "alpha -> 0 limit" if self.alpha is None else f"finite alpha = {self.alpha:g}"
        return f"Alternating Gradient Flows (Kunin et al. arXiv:2506.06489), kappa = {self.kappa}, {limit}"

    def headline(self) -> str:
        return (f"AGF: {self.n_jumps} jump{'s' if self.n_jumps != 1 else ''}, final loss "
                f"{self.levels[-1] if self.levels else self.initial_level:.6g} "
                f"({'alpha -> 0 limit' if self.alpha is None else f'alpha = {self.alpha:g}'}, numerical)")

    def lines(self) -> list[tuple[str, str]]:
        rows = [("model", self.model), ("kappa", str(self.kappa)), ("time unit", self.time_unit),
                ("initial loss", f"{self.initial_level:.10g}")]
        for k, (n, t, lv) in enumerate(zip(self.order, self.jump_times, self.levels)):
            c = f", collapsed {list(self.collapsed[k])}" if self.collapsed[k] else ""
            rows.append((f"jump {k + 1}", f"neuron {n} at {t:.10g} -> loss {lv:.10g}{c}"))
        rows += [("seed", str(self.seed)), ("time", f"{self.seconds:.3f} s")]
        rows += [("note", n) for n in self.notes]
        return rows

    def payload(self) -> dict:
        return {"n_jumps": self.n_jumps, "model": self.model, "kappa": self.kappa, "order": list(self.order),
                "jump_times": list(self.jump_times), "levels": list(self.levels),
                "initial_level": self.initial_level,
                "collapsed": [list(c) for c in self.collapsed],
                "plateaus": [[list(r) for r in p] for p in self.plateaus],
                "time_unit": self.time_unit, "notes": list(self.notes), "alpha": self.alpha}


def agf(model: SumOfNeurons, X, Y, *, seed=None, Theta0=None, max_jumps: int = 100,
        eps: float = 1e-4, gtol: float = 1e-13, collapse_tol: float = 1e-3,
        n_activate: float = 1e6, atol: float = 1e-10, tau_max: float = 1e6,
        overlap_rtol: float = 1e-9, alpha: float | None = None, ridge: float = 1e-6,
        show_progress=False) -> AGFResult:
    """Run AGF on ``model`` and data (X, Y) in the limit alpha -> 0.

    Parameters
    ----------
    model : SumOfNeurons
        Neurons must be positively homogeneous of degree kappa >= 2 (checked numerically; raises
        SpecError otherwise). kappa = 2 neurons must have quadratic utilities (bilinear neurons).
    X, Y : arrays
        Samples and targets (conventions: :mod:`neuroalg.dynamics.models`).
    seed : int or Generator, optional
        Draws the directions of the initialization (``model.init(1, rng)``) unless ``Theta0``
        (the initialization divided by alpha) is given.
    eps : float
        Size at which an activated neuron enters the cost minimization.
    alpha : float, optional
        kappa = 2 only: run AGF at this finite initialization scale instead of the limit
        (:mod:`neuroalg.dynamics.finite_alpha`: dormant neurons follow expm(2 M t) theta exactly
        and activate at size 1; refused when float64 cannot resolve the dormant neurons at this
        alpha); times are still reported divided by log(1/alpha).
    overlap_rtol : float
        kappa = 2, alpha -> 0: eigen-components of a dormant neuron whose overlap (relative to
        the vector they come from) is at most this are treated as zero. The default only drops
        rounding; raising it (e.g. for sampled data whose population utilities commute)
        drops genuine small overlaps, an approximation recorded in ``notes``.
    ridge : float
        kappa > 2: weight decay (times the initial loss) that gives the cost minimization a
        minimizer when the loss over the active neurons has none at finite norm (see
        ``cost.bounded_cost_step``); such plateaus are counted in ``notes``.

    Raises
    ------
    SpecError
        Bad input (non-homogeneous neurons, alpha outside (0, 1), ...).
    AGFInvariantError
        The staircase would raise the loss (:func:`check_monotone`): refused, never returned.
    """
    progress = check_progress(show_progress)
    start = time.perf_counter()
    recorded_seed, rng = check_seed(seed)
    X, Y = model.check_data(X, Y)
    kappa = check_homogeneity(model, X[: min(len(X), 64)], rng=np.random.default_rng(0))
    if model.degree is not None and model.degree != kappa:
        raise SpecError(f"{type(model).__name__}: declared degree {model.degree} but measured {kappa}")
    Theta_hat = model.init(1.0, rng) if Theta0 is None else np.array(Theta0, dtype=float)
    L0 = model.loss(np.zeros_like(Theta_hat), X, Y)
    run: Callable[..., Any] = agf_quadratic_limit if kappa == 2 else _agf_blowup
    if alpha is not None:
        if kappa != 2:
            raise SpecError(f"finite alpha is implemented for kappa = 2 only (got kappa = {kappa}); "
                            "for kappa > 2 the rescaled AGF is alpha-free")
        if not 0 < alpha < 1:
            raise SpecError(f"alpha must be in (0, 1); got {alpha}")
        run = agf_quadratic_finite
    if kappa > 2:
        gtol = max(gtol, 1e-9)
    order, times, levels, collapsed, plateaus, notes = run(
        model, X, Y, Theta_hat, kappa=kappa, max_jumps=max_jumps, eps=eps, gtol=gtol,
        collapse_tol=collapse_tol, n_activate=n_activate, atol=atol, tau_max=tau_max,
        progress=progress, L0=L0, overlap_rtol=overlap_rtol, alpha=alpha,
        **({"ridge": ridge} if kappa > 2 else {}))
    check_monotone(L0, levels, times)
    unit = ("gradient-flow time / log(1/alpha)" if kappa == 2 else
            f"gradient-flow time * alpha^{kappa - 2}")
    return AGFResult(type(model).__name__, kappa, tuple(order), tuple(times), tuple(levels),
                     float(L0), tuple(map(tuple, collapsed)),
                     tuple(tuple(map(tuple, p.tolist())) for p in plateaus), unit,
                     recorded_seed, time.perf_counter() - start, tuple(notes),
                     None if alpha is None else float(alpha))


def _agf_blowup(model, X, Y, Theta_hat, *, kappa, max_jumps, eps, gtol, collapse_tol,
                n_activate, atol, tau_max, progress, L0, alpha=None, ridge=1e-6, **_ignored):
    """kappa > 2: alpha-free dormant dynamics in tau = t alpha^(kappa-2) until blow-up."""
    n, m = model.n_neurons, model.neuron_size
    norms = np.linalg.norm(Theta_hat, axis=1)
    logn = np.log(np.maximum(norms, 1e-300))
    dirs = Theta_hat / np.maximum(norms, 1e-300)[:, None]
    active = np.zeros(n, dtype=bool)
    Theta = np.zeros((n, m))
    tau = 0.0
    order: list[int] = []
    times: list[float] = []
    levels: list[float] = []
    collapsed_all: list[list[int]] = []
    plateaus: list[np.ndarray] = []
    log_act = np.log(n_activate)
    stalls = 0
    n_unattained = 0
    worst_gradient = 0.0

    for _ in range(max_jumps):
        R = Y - model.forward(Theta, X)
        dormant = np.flatnonzero(~active)
        if len(dormant) == 0:
            break
        nd = len(dormant)

        def rhs(_, y):
            ln = y[:nd]
            D = y[nd:].reshape(nd, m)
            D = D / np.maximum(np.linalg.norm(D, axis=1), 1e-300)[:, None]
            full = np.zeros((n, m))
            full[dormant] = D
            G = _grad_all(model, full, X, R)[dormant]
            U = np.sum(G * D, axis=1) / kappa
            sc = np.exp(np.clip((kappa - 2) * ln, -700.0, 2 * log_act))
            return np.concatenate([kappa * sc * U, ((G - kappa * U[:, None] * D) * sc[:, None]).ravel()])

        def hit(_, y):
            return np.max(y[:nd]) - log_act
        # attributes solve_ivp reads from an event function (setattr: mypy rejects new
        # attributes on a function)
        setattr(hit, "terminal", True)
        setattr(hit, "direction", 1)
        y0 = np.concatenate([logn[dormant], dirs[dormant].ravel()])
        sol = solve_ivp(rhs, (0.0, tau_max - tau), y0, method="RK45", events=hit, rtol=1e-8,
                        atol=1e-10)
        if sol.status != 1:
            break
        y = sol.y[:, -1]
        logn[dormant] = y[:nd]
        D = y[nd:].reshape(nd, m)
        dirs[dormant] = D / np.linalg.norm(D, axis=1)[:, None]
        a = int(np.argmax(y[:nd]))
        i = int(dormant[a])
        U = rhs(0.0, y)[a] / (kappa * np.exp((kappa - 2) * y[a]))
        remaining = np.exp((2 - kappa) * y[a]) / ((kappa - 2) * kappa * U) if U > 0 else 0.0
        tau += float(sol.t[-1]) + remaining
        active[i] = True
        Theta[i] = max(eps, 0.05) * dirs[i]
        Theta, collapsed, unattained, gradient = bounded_cost_step(
            model, X, Y, Theta, active, ridge=ridge * L0, collapse_tol=collapse_tol)
        n_unattained += unattained
        worst_gradient = max(worst_gradient, gradient / L0)
        level = model.loss(Theta, X, Y)
        if i in collapsed and level >= (levels[-1] if levels else L0) - 1e-12 * L0:
            # the activated neuron collapsed at once without lowering the loss: no jump; it
            # stays dormant at the initial scale (n = 1) so the engine cannot stall on it
            for j in collapsed:
                logn[j] = 0.0
            stalls += 1
            if stalls > n:
                break
            continue
        for j in collapsed:
            logn[j] = 0.0
        if levels and level >= levels[-1] - 1e-9 * L0:
            continue  # the neuron activated but the loss did not drop: no jump to record
        order.append(i)
        times.append(tau)
        levels.append(level)
        collapsed_all.append(collapsed)
        plateaus.append(Theta.copy())
        if progress:
            progress(f"jump {len(times)}: neuron {i} at {tau:.6g}, loss {level:.6g}")
        if level <= 1e-14 * L0:
            break
    notes = [f"kappa = {kappa}: dormant neurons activate at ||theta|| = {n_activate:g} alpha plus "
             "the remaining blow-up time; collapsed neurons return to dormancy at the initial scale "
             "alpha"]
    if n_unattained:
        notes.append(f"{n_unattained} cost minimization(s) had no minimizer at finite norm (the "
                     "loss infimum over the active neurons lies on the boundary of their "
                     f"function space); level = minimum with weight decay {ridge:g} L(0)")
    if worst_gradient > STATIONARY_GRADIENT:
        notes.append(f"a cost minimization stopped short of a stationary point (gradient "
                     f"{worst_gradient:.2g} L(0) > {STATIONARY_GRADIENT:g} L(0)): its level is an "
                     "upper bound of the plateau, and later activations may differ")
    return order, times, levels, collapsed_all, plateaus, notes


def max_utility(model: SumOfNeurons, X, R, i: int = 0, *, seed=None, n_starts: int = 20,
                n_iter: int = 2000) -> float:
    """U* = max of U_i(theta; R) over the unit sphere (kappa = 2: exactly, the top eigenvalue of
    M; otherwise projected gradient ascent from ``n_starts`` random starts, so a lower estimate).

    kappa is ``model.degree``, or measured (:func:`check_homogeneity`) when the model declares
    none; raises SpecError if the neurons are not homogeneous."""
    X, R = model.check_data(X, R)
    kappa = model.degree
    if kappa is None:
        kappa = check_homogeneity(model, X[: min(len(X), 64)], rng=np.random.default_rng(0))
    if kappa == 2:
        return float(np.linalg.eigvalsh(_quadratic_forms(model, X, R, [i])[0])[-1])
    _, rng = check_seed(seed)
    best = -np.inf
    T = np.zeros((model.n_neurons, model.neuron_size))
    for _ in range(n_starts):
        th = rng.standard_normal(model.neuron_size)
        th /= np.linalg.norm(th)
        step = 0.1
        for _ in range(n_iter):
            T[i] = th
            g = _grad_all(model, T, X, R)[i]
            u = float(th @ g) / kappa
            g_t = g - kappa * u * th
            if np.linalg.norm(g_t) < 1e-10:
                break
            new = th + step * g_t
            new /= np.linalg.norm(new)
            T[i] = new
            if float(new @ _grad_all(model, T, X, R)[i]) / kappa >= u:
                th, step = new, step * 1.2
            else:
                step *= 0.5
        T[i] = th
        best = max(best, float(th @ _grad_all(model, T, X, R)[i]) / kappa)
    return best


def first_jump_lower_bound(model: SumOfNeurons, X, Y, Theta_hat, *, seed=None,
                           n_starts: int = 20) -> float:
    """Lower bound on the first AGF jump time from d||theta||/dt <= kappa ||theta||^(kappa-1) U*.

    kappa = 2: tau_1 >= 1 / (2 U*) (rescaled by log(1/alpha)); kappa > 2: tau_1 >=
    n0^(2-kappa) / ((kappa-2) kappa U*) (rescaled by alpha^(kappa-2)), n0 = max_i ||theta_hat_i||
    the largest initial neuron norm in units of alpha. Equality for kappa = 2 when the top utility
    direction is reachable (diagonal and whitened linear networks). For kappa > 2, U* comes from
    :func:`max_utility` (a maximization by local ascent), so the bound is as good as that
    maximization.
    """
    X, Y = model.check_data(X, Y)
    kappa = check_homogeneity(model, X[: min(len(X), 64)], rng=np.random.default_rng(0))
    u = max(max_utility(model, X, Y, i, seed=seed, n_starts=n_starts) for i in
            (range(model.n_neurons) if type(model).__name__ == "DiagonalLinear" else [0]))
    if u <= 0:
        return float("inf")
    if kappa == 2:
        return 1.0 / (2 * u)
    n0 = float(np.max(np.linalg.norm(Theta_hat, axis=1)))
    return n0 ** (2 - kappa) / ((kappa - 2) * kappa * u)
