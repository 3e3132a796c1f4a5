"""Batched predictor–corrector path tracking along complex segments t_a -> t_b.

Every path follows x(s) with H(x(s), t_a + s (t_b - t_a)) = 0, s in [0, 1], all paths of a batch
advancing together in complex128 with their own step sizes:

- predictor: classical Runge–Kutta (order 4) on dx/ds = -H_x^{-1} H_t (t_b - t_a);
- corrector: up to ``max_newton`` (default 3) Newton steps at the new s; the step is accepted
  when the first correction is below ``max_correction`` (relative to 1 + |x|, a trust region
  against path jumping) and a later one below max(``atol``, 1e-3 x the first) (contraction);
  each path stops iterating once it has converged (usually after the second step);
- the velocity at the start of a step is the one solved with the previous step's last Newton
  iteration (two right-hand sides, one factorization), so a step usually costs 5 evaluations
  and linear solves (3 for RK4, 2 for Newton);
- adaptive step: h <- h * clip(0.6 (max_correction / e_1)^(1/5), 0.5, 2) after success,
  h <- h / 2 after failure; a path whose step falls below ``min_step`` or that exceeds
  ``max_steps`` stops with status FAILED at the s it reached (never silently dropped).

Homotopies with affinely moving term coefficients (:mod:`.homotopies`) are tracked by the same
algorithm compiled with numba (:mod:`.compiled`, the ``fast`` extra) when ``compiled`` is True,
or (None) when numba is installed and either its tracker is already loaded or this process has
spent :data:`COMPILE_AFTER` CPU seconds tracking in numpy. Loading numba and the
cached code costs ~0.6 CPU-s, more than a small command spends tracking; deciding on the time
already spent (rather than on a guess of the work ahead) never costs more than twice the better
choice in hindsight (the ski-rental argument).
"""

from __future__ import annotations

import enum
import functools
import os
import time
from dataclasses import dataclass
from types import ModuleType

import numpy as np

from ..errors import SpecError
from ..options import optional_import

SAFETY, GROWTH = 0.6, 2.0  # step-size control: h <- h * clip(SAFETY (max_correction / e_1)^(1/5), 1/2, GROWTH)
COMPILE_AFTER = 0.6
_numpy_seconds = [0.0]  # CPU seconds of numpy tracking in this process


class TrackStatus(enum.IntEnum):
    """Outcome of tracking one path over one segment.

    TRACKING: still running (never returned). SUCCESS: reached s = 1. FAILED: the step size fell
    below ``min_step`` or the step budget ran out (the path stopped at ``s`` < 1)."""

    TRACKING = 0
    SUCCESS = 1
    FAILED = 2


@dataclass
class Tracked:
    """Per-path arrays after tracking a batch over a segment."""

    x: np.ndarray  # (B, n) last point
    s: np.ndarray  # (B,) progress reached in [0, 1]
    status: np.ndarray  # (B,) TrackStatus
    n_accepted: np.ndarray
    n_rejected: np.ndarray


def solve_batched(a, b):
    """Solve a x = b for a batch (B, n, n), (B, n); singular members get least squares."""
    try:
        return np.linalg.solve(a, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.empty_like(b)
        for i in range(len(a)):
            out[i] = np.linalg.lstsq(a[i], b[i], rcond=None)[0]
        return out


def _norm(v):
    return np.sqrt(np.sum(np.abs(v) ** 2, axis=-1))


def newton(evaluate, x, n_iter: int):
    """``n_iter`` Newton steps on x -> evaluate(x); returns x and the relative step norms."""
    norms = []
    for _ in range(n_iter):
        h, hx = evaluate(x)
        dx = solve_batched(hx, h)
        x = x - dx
        norms.append(_norm(dx) / (1 + _norm(x)))
    return x, np.array(norms).reshape(n_iter, len(x))


def track(homotopy, x0, t_a, t_b, *, atol: float = 1e-10, max_correction: float = 1e-4,
          max_newton: int = 3, initial_step: float = 0.05, min_step: float = 1e-13,
          max_steps: int = 5000, compiled: bool | None = None) -> Tracked:
    """Track the points ``x0`` (B, n) from t_a to t_b (arrays (B,) or scalars, complex).

    A homotopy whose data differ per path (e.g. the cells of a polyhedral homotopy) provides
    ``select(indices)``, the homotopy of those paths only; the tracker calls it whenever the
    set of live paths changes. ``compiled``: see the module docstring."""
    x = np.array(x0, dtype=np.complex128)
    batch = len(x)
    t_a = np.broadcast_to(np.asarray(t_a, dtype=np.complex128), (batch,)).copy()
    t_b = np.broadcast_to(np.asarray(t_b, dtype=np.complex128), (batch,)).copy()
    if batch and _use_compiled(homotopy, compiled):
        kernel = _compiled()
        a, b = np.atleast_2d(homotopy.terms_a), np.atleast_2d(homotopy.terms_b)
        s, status, acc, rej = kernel.track_paths(
            x, t_a, t_b, a, b, *kernel.entries(homotopy.plan, a, b), float(atol),
            float(max_correction), max(2, int(max_newton)), float(initial_step),
            float(min_step), int(max_steps))
        return Tracked(x, s, status, acc, rej)
    s = np.zeros(batch)
    h = np.full(batch, initial_step)
    status = np.full(batch, TrackStatus.TRACKING, dtype=np.int64)
    acc = np.zeros(batch, dtype=np.int64)
    rej = np.zeros(batch, dtype=np.int64)
    if batch == 0:
        return Tracked(x, s, status, acc, rej)

    clock = time.thread_time()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        _advance(homotopy, x, t_a, t_b, s, h, status, acc, rej, atol=atol,
                 max_correction=max_correction, max_newton=max(2, max_newton),
                 min_step=min_step, max_steps=max_steps)
    _numpy_seconds[0] += time.thread_time() - clock
    status[status == TrackStatus.TRACKING] = TrackStatus.FAILED
    return Tracked(x, s, status, acc, rej)


def _use_compiled(homotopy, compiled: bool | None) -> bool:
    if compiled is False or not hasattr(homotopy, "terms_a"):
        return False
    return True if compiled else compiled_tracking()


def compiled_tracking() -> bool:
    """Whether ``compiled=None`` tracks compiled now (module docstring). The environment
    variable ``NEUROALG_TRACKER`` = ``numpy`` or ``compiled`` fixes the choice (results of a seed
    then do not depend on what the process ran before: the two trackers agree to rounding, not
    bit for bit); ``auto`` (the default) decides as described."""
    mode = os.environ.get("NEUROALG_TRACKER", "auto")
    if mode == "numpy":
        return False
    if mode == "compiled":
        _compiled()
        return True
    if mode != "auto":
        raise SpecError(f"NEUROALG_TRACKER must be auto, numpy or compiled; got {mode!r}")
    if _compiled.cache_info().currsize:
        return True
    # numba missing, or LLVM cannot load (address-space limit): numpy
    return _numpy_seconds[0] >= COMPILE_AFTER and load_compiled()


def load_compiled() -> bool:
    """Load the compiled tracker now, so that every later ``compiled=None`` call uses it (e.g.
    before timing); False when numba is not installed or cannot load."""
    try:
        _compiled()
    except (SpecError, OSError):
        return False
    return True


@functools.cache
def _compiled() -> ModuleType:
    optional_import("numba", extra="fast", purpose="compiled path tracking")
    from . import compiled

    return compiled


def _solve2(a, b, c):
    """Solve a [u, v] = [b, c] for a batch; returns u, v."""
    both = solve_batched_columns(a, np.stack([b, c], axis=-1))
    return both[..., 0], both[..., 1]


def solve_batched_columns(a, b):
    """Solve a x = b for a batch (B, n, n), (B, n, k); singular members get least squares."""
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        out = np.empty_like(b)
        for i in range(len(a)):
            out[i] = np.linalg.lstsq(a[i], b[i], rcond=None)[0]
        return out


def _advance(homotopy, x, t_a, t_b, s, h, status, acc, rej, *, atol, max_correction, max_newton,
             min_step, max_steps):
    """The predictor-corrector loop (updates the per-path arrays in place); non-finite values
    from diverging trial steps are rejected like any failed step.

    The velocity at the start of a step (RK4's k1) comes with the last Newton iteration of the
    previous step (one solve with two right-hand sides at the corrected point's predecessor,
    which differs from it by the last correction, below ``atol``), and is kept over rejected
    steps (same point)."""
    select = getattr(homotopy, "select", None)
    batch, n = x.shape
    k1 = np.zeros_like(x)
    fresh = np.zeros(batch, dtype=bool)  # k1 valid at x
    live_prev = None
    hom = homotopy
    for _ in range(max_steps):
        live = np.flatnonzero(status == TrackStatus.TRACKING)
        if live.size == 0:
            break
        if select is not None and (live_prev is None or len(live_prev) != len(live)):
            hom = select(live)
        live_prev = live
        xa, sa, ta, dt = x[live], s[live], t_a[live], t_b[live] - t_a[live]
        step = np.minimum(h[live], 1 - sa)

        def velocity(xx, ss):
            _, hx, ht = hom.evaluate(xx, ta + ss * dt)
            return -solve_batched(hx, ht * dt[:, None])

        need = ~fresh[live]
        if need.all():
            k1[live] = velocity(xa, sa)
        elif need.any():
            part = hom if select is None else hom.select(np.flatnonzero(need))
            _, hx, ht = part.evaluate(xa[need], ta[need] + sa[need] * dt[need])
            k1[live[need]] = -solve_batched(hx, ht * dt[need][:, None])
        fresh[live] = True
        ka = k1[live]
        half = 0.5 * step[:, None]
        k2 = velocity(xa + half * ka, sa + 0.5 * step)
        k3 = velocity(xa + half * k2, sa + 0.5 * step)
        k4 = velocity(xa + step[:, None] * k3, sa + step)
        pred = xa + step[:, None] / 6 * (ka + 2 * k2 + 2 * k3 + k4)
        s_new = sa + step
        t_new = ta + s_new * dt
        xc, v, norm0, ok = _correct(hom, select is not None, pred, t_new, dt, atol,
                                    max_correction, max_newton)
        good, bad = live[ok], live[~ok]
        x[good] = xc[ok]
        k1[good] = -v[ok]
        s[good] = np.where(1 - s_new[ok] < 1e-15, 1.0, s_new[ok])
        e1 = np.maximum(norm0[ok], 1e-300)
        h[good] = step[ok] * np.clip(SAFETY * (max_correction / e1) ** 0.2, 0.5, GROWTH)
        acc[good] += 1
        h[bad] = step[~ok] / 2
        rej[bad] += 1
        status[good[s[good] >= 1.0]] = TrackStatus.SUCCESS
        status[bad[h[bad] < min_step]] = TrackStatus.FAILED


def _correct(hom, per_path, pred, t, dt, atol, max_correction, max_newton):
    """Newton's method at t from the predicted points: a path converges at iteration k >= 2
    when its correction is below max(atol, 1e-3 x the first one); a path whose first correction
    exceeds ``max_correction`` (or is not finite) is dropped at once, and iterations continue
    on the unconverged paths only. Returns the points, the velocities solved with each path's
    last iteration (at the point before its last correction), the first corrections and the
    convergence mask."""
    count = len(pred)
    x_out, v_out = pred.copy(), np.zeros_like(pred)
    converged = np.zeros(count, dtype=bool)
    val, hx = hom.evaluate(pred, t)[:2]
    dx = solve_batched(hx, val)
    xc = pred - dx
    norm0 = _norm(dx) / (1 + _norm(xc))
    pending = np.flatnonzero((norm0 <= max_correction) & np.isfinite(norm0))
    xp = xc[pending]
    sub = hom.select(pending) if per_path and pending.size < count else hom
    for _ in range(1, max_newton):
        if pending.size == 0:
            break
        val, hx, ht = sub.evaluate(xp, t[pending])
        dx, v = _solve2(hx, val, ht * dt[pending][:, None])
        xp = xp - dx
        norm = _norm(dx) / (1 + _norm(xp))
        done = (norm <= np.maximum(atol, 1e-3 * norm0[pending])) & np.isfinite(norm)
        done &= np.all(np.isfinite(xp), axis=1)
        idx = pending[done]
        x_out[idx], v_out[idx], converged[idx] = xp[done], v[done], True
        if per_path and done.any() and not done.all():
            sub = sub.select(np.flatnonzero(~done))
        pending, xp = pending[~done], xp[~done]
    return x_out, v_out, norm0, converged
