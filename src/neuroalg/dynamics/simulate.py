"""Gradient descent from small initialization: loss curves, plateaus and jumps.

Conventions (:mod:`neuroalg.dynamics.models`): loss ``loss_scale/(2N) sum ||y - f||^2``;
gradient descent ``Theta <- Theta - lr grad L`` approximates gradient flow at time t = k lr;
for neurons of degree kappa = 2 the *rescaled* time is tau = t / log(1/alpha), for kappa > 2 it
is tau = t alpha^(kappa - 2) [KMC25]. Conversely a rescaled time tau is reached after
``steps = tau * log(1/alpha) / lr`` (kappa = 2) or ``tau * alpha^(2 - kappa) / lr`` steps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..errors import SpecError
from ..options import check_float, check_int
from ..progress import check_progress
from ..random import check_seed


def time_scale(alpha: float, kappa: int) -> float:
    """Gradient-flow time per unit of rescaled (AGF) time: log(1/alpha) for kappa = 2, else
    alpha^(2 - kappa)."""
    alpha = check_float(alpha, "alpha", low=0.0, high=1.0, open_low=True, open_high=True)
    return float(np.log(1 / alpha)) if kappa == 2 else float(alpha ** (2 - kappa))


def steps_for(tau: float, *, alpha: float, kappa: int, lr: float) -> float:
    """Number of gradient-descent steps of size ``lr`` that reach rescaled time ``tau``."""
    return tau * time_scale(alpha, kappa) / lr


@dataclass(frozen=True)
class Jumps:
    """Jumps detected in a loss curve: times (in the curve's time unit), loss before and after."""

    times: tuple[float, ...]
    before: tuple[float, ...]
    levels: tuple[float, ...]

    @property
    def n_jumps(self) -> int:
        return len(self.times)


def detect_jumps(times, losses, *, min_drop: float = 0.05, rate_factor: float = 10.0,
                 floor: float = 1e-6) -> Jumps:
    """Plateaus and jumps of a loss curve.

    Works on the log-loss, so that drops of very different sizes are found alike: a jump is a
    maximal run of samples where -d log(L + eps)/dt exceeds ``rate_factor / (t_end - t_0)``
    (eps = ``floor`` * L(0)), and in which the loss drops by at least the fraction ``min_drop``
    of its value before the run. Its time is where -dL/dt peaks in the run; ``before`` is the loss
    at the start of the run and ``levels`` the loss at the plateau after it (the sample of
    smallest log-rate before the next jump, or the last sample after the last jump).
    """
    t = np.asarray(times, dtype=float)
    L = np.asarray(losses, dtype=float)
    if t.ndim != 1 or t.shape != L.shape or len(t) < 3:
        raise SpecError("detect_jumps: times and losses must be 1-D arrays of equal length >= 3")
    if not L[0] > 0:
        return Jumps((), (), ())
    logL = np.log(np.maximum(L, 0) + floor * L[0])
    dt = np.diff(t)
    lrate = -np.diff(logL) / dt
    rate = -np.diff(L) / dt
    fast = lrate > rate_factor / (t[-1] - t[0])
    runs, i = [], 0
    while i < len(fast):
        if fast[i]:
            j = i
            while j + 1 < len(fast) and fast[j + 1]:
                j += 1
            if L[i] - L[j + 1] > min_drop * L[i]:
                runs.append((i, j))
            i = j + 1
        else:
            i += 1
    jt, before, levels = [], [], []
    for k, (i, j) in enumerate(runs):
        peak = i + int(np.argmax(rate[i: j + 1]))
        jt.append(float(0.5 * (t[peak] + t[peak + 1])))
        before.append(float(L[i]))
        if k + 1 < len(runs):
            seg = lrate[j + 1: runs[k + 1][0]]
            m = j + 1 + int(np.argmin(np.abs(seg))) if len(seg) else j + 1
            levels.append(float(L[m]))
        else:
            levels.append(float(L[-1]))
    return Jumps(tuple(jt), tuple(before), tuple(levels))


@dataclass(frozen=True)
class TrainingRun:
    """A gradient-descent run from small initialization (conventions: module docstring)."""

    model: str
    alpha: float
    lr: float
    n_steps: int
    kappa: int | None
    times: tuple[float, ...]  # rescaled times of the recorded samples
    losses: tuple[float, ...]
    jumps: Jumps
    final_params: tuple[tuple[float, ...], ...]
    seed: int | None
    seconds: float

    @property
    def jump_times(self) -> tuple[float, ...]:
        return self.jumps.times

    @property
    def levels(self) -> tuple[float, ...]:
        return self.jumps.levels

    def to_dict(self) -> dict:
        return {"model": self.model, "alpha": self.alpha, "lr": self.lr, "n_steps": self.n_steps,
                "kappa": self.kappa, "jump_times": list(self.jumps.times),
                "levels": list(self.jumps.levels), "final_loss": self.losses[-1],
                "time_unit": _unit(self.kappa), "seed": self.seed, "seconds": self.seconds}

    def __str__(self) -> str:
        lines = [f"gradient descent: {self.jumps.n_jumps} jumps detected (numerical)",
                 f"  model      {self.model}", f"  alpha      {self.alpha:g}, lr {self.lr:g}, "
                 f"{self.n_steps} steps", f"  time unit  {_unit(self.kappa)}"]
        for t, lv in zip(self.jumps.times, self.jumps.levels):
            lines.append(f"  jump at {t:.6g} -> loss {lv:.6g}")
        return "\n".join(lines)

    def __rich__(self):
        return str(self)


def _unit(kappa):
    return ("gradient-flow time / log(1/alpha)" if kappa == 2 else
            f"gradient-flow time * alpha^{kappa - 2}" if kappa else "gradient-flow time")


def simulate(model, X, Y, *, alpha: float, tau_max: float, lr: float | None = None,
             Theta0=None, seed=None, n_records: int = 10000, max_steps: int = 5_000_000,
             method: str = "gd", rtol: float = 1e-8, atol: float = 1e-12, callback=None,
             show_progress=False) -> TrainingRun:
    """Gradient descent (``method="gd"``) or gradient flow (``method="flow"``: the ODE
    dTheta/dt = -grad L integrated by LSODA to ``rtol``/``atol``) on ``model`` from the small
    initialization of scale ``alpha``.

    Runs until rescaled time ``tau_max`` (see :func:`time_scale`) and records the loss at about
    ``n_records`` evenly spaced times (calling ``callback(tau, Theta)`` there, if given).
    ``lr`` defaults to 0.05 / lambda_max(X^T X / N) scaled by
    the loss scale (stable while the learned weights stay O(1)).
    """
    progress = check_progress(show_progress)
    recorded_seed, rng = check_seed(seed)
    X, Y = model.check_data(X, Y)
    kappa = model.degree
    scale = time_scale(alpha, kappa or 2)
    tau_max = check_float(tau_max, "tau_max", low=0.0, open_low=True)
    n_records = check_int(n_records, "n_records", low=2)
    if lr is None:
        lam = np.linalg.eigvalsh(X.T @ X / len(X))[-1] * model.loss_scale
        lr = 0.05 / max(lam, 1e-12)
    lr = check_float(lr, "lr", low=0.0, open_low=True)
    n_steps = int(np.ceil(tau_max * scale / lr))
    if n_steps > max_steps:
        raise SpecError(f"simulate: {n_steps} steps needed (tau_max {tau_max}, alpha {alpha}, "
                        f"lr {lr:g}); the limit is max_steps={max_steps}")
    Theta = model.init(alpha, rng) if Theta0 is None else np.array(Theta0, dtype=float)
    if method == "flow":
        return _flow(model, X, Y, Theta, alpha=alpha, tau_max=tau_max, scale=scale, kappa=kappa,
                     n_records=n_records, rtol=rtol, atol=atol, callback=callback,
                     seed=recorded_seed)
    if method != "gd":
        raise SpecError(f"simulate: method must be 'gd' or 'flow'; got {method!r}")
    every = max(1, n_steps // n_records)
    ts, ls = [], []
    start = time.perf_counter()
    for k in range(n_steps + 1):
        with np.errstate(over="ignore", invalid="ignore"):  # divergence: the check below says so
            loss, grad = model.loss_and_grad(Theta, X, Y)
        if k % every == 0 or k == n_steps:
            ts.append(k * lr / scale)
            ls.append(loss)
            if callback is not None:
                callback(ts[-1], Theta)
            if progress and k % (every * 200) == 0:
                progress(f"step {k}/{n_steps}: loss {loss:.6g}")
        if not np.isfinite(loss):
            raise SpecError(f"simulate: the loss diverged at step {k}; use a smaller lr (got {lr:g})")
        if k < n_steps:
            Theta = Theta - lr * grad
    seconds = time.perf_counter() - start
    return TrainingRun(type(model).__name__, float(alpha), float(lr), n_steps, kappa, tuple(ts),
                       tuple(ls), detect_jumps(ts, ls) if len(ts) >= 3 else Jumps((), (), ()),
                       tuple(map(tuple, Theta.tolist())),
                       recorded_seed, seconds)


def _flow(model, X, Y, Theta, *, alpha, tau_max, scale, kappa, n_records, rtol, atol, callback,
          seed) -> TrainingRun:
    from scipy.integrate import solve_ivp

    shape = Theta.shape

    def rhs(_, z):
        return -model.loss_and_grad(z.reshape(shape), X, Y)[1].ravel() * scale

    taus = np.linspace(0.0, tau_max, n_records + 1)
    start = time.perf_counter()
    sol = solve_ivp(rhs, (0.0, tau_max), Theta.ravel(), method="LSODA", t_eval=taus, rtol=rtol,
                    atol=atol * alpha)
    if not sol.success:
        raise SpecError(f"simulate: the ODE solver failed ({sol.message})")
    ls = []
    for tau, z in zip(sol.t, sol.y.T):
        ls.append(model.loss(z.reshape(shape), X, Y))
        if callback is not None:
            callback(float(tau), z.reshape(shape))
    seconds = time.perf_counter() - start
    ts = tuple(map(float, sol.t))
    return TrainingRun(type(model).__name__, float(alpha), 0.0, int(sol.nfev), kappa, ts,
                       tuple(ls), detect_jumps(ts, ls),
                       tuple(map(tuple, sol.y[:, -1].reshape(shape).tolist())), seed, seconds)
