"""Cauchy endgame for paths ending at singular solutions.

Near t = t_b, a path to a solution of multiplicity (winding number) c is a Puiseux series in
(t_b - t)^(1/c); by Cauchy's integral formula its endpoint is the mean of x over c loops around
t_b (Morgan–Sommese–Wampler, *Computing singular solutions to polynomial systems*, Adv. Appl.
Math. 13, 1992). Samples are taken at ``samples`` points per loop (trapezoid rule, exponentially
accurate), tracking along the chords. The estimate is repeated on a circle of radius ``r / shrink``
and accepted when both agree to ``atol`` (relative).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tracker import TrackStatus, track


@dataclass
class EndgameResult:
    x: np.ndarray  # (B, n) endpoint estimates
    winding: np.ndarray  # (B,) winding number (0 where the loops did not close)
    is_converged: np.ndarray  # (B,) both radii agreed
    error: np.ndarray  # (B,) relative difference of the two estimates


def _loops(homotopy, x, t_b, direction, radius, samples, max_winding, track_opts):
    batch = len(x)
    start = x.copy()
    total = np.zeros_like(x)
    winding = np.zeros(batch, dtype=np.int64)
    live = np.ones(batch, dtype=bool)
    cur = x.copy()
    angles = np.exp(2j * np.pi * np.arange(samples + 1) / samples)
    scale = 1 + np.linalg.norm(start, axis=1)
    for loop in range(1, max_winding + 1):
        for k in range(samples):
            idx = np.flatnonzero(live)
            if idx.size == 0:
                break
            total[idx] += cur[idx]
            ta = t_b - radius * direction * angles[k]
            tb = t_b - radius * direction * angles[k + 1]
            res = track(homotopy, cur[idx], ta[idx], tb[idx], **track_opts)
            cur[idx] = res.x
            lost = idx[res.status != TrackStatus.SUCCESS]
            live[lost] = False
        closed = live & (winding == 0) & (np.linalg.norm(cur - start, axis=1) <= 1e-6 * scale)
        winding[closed] = loop
        live &= ~closed
        if not live.any():
            break
    est = np.where(winding[:, None] > 0, total / np.maximum(winding, 1)[:, None] / samples, np.nan)
    return est, winding


def cauchy_endgame(homotopy, x, t_b, direction, radius: float, *, samples: int = 16,
                   max_winding: int = 16, shrink: float = 8.0, atol: float = 1e-8,
                   track_opts=None) -> EndgameResult:
    """Endpoints at t_b of paths currently at t = t_b - radius * direction (|direction| = 1)."""
    track_opts = dict(track_opts or {})
    x = np.array(x, dtype=np.complex128)
    batch = len(x)
    t_b = np.broadcast_to(np.asarray(t_b, dtype=np.complex128), (batch,))
    direction = np.broadcast_to(np.asarray(direction, dtype=np.complex128), (batch,))
    e1, w1 = _loops(homotopy, x, t_b, direction, radius, samples, max_winding, track_opts)
    inner = track(homotopy, x, t_b - radius * direction, t_b - radius / shrink * direction,
                  **track_opts)
    e2, w2 = _loops(homotopy, inner.x, t_b, direction, radius / shrink, samples, max_winding,
                    track_opts)
    err = np.linalg.norm(e1 - e2, axis=1) / (1 + np.linalg.norm(e2, axis=1))
    ok = (w1 > 0) & (w1 == w2) & (inner.status == TrackStatus.SUCCESS) & (err <= atol)
    return EndgameResult(np.where(np.isnan(e2), e1, e2), np.where(ok, w2, 0), ok,
                         np.nan_to_num(err, nan=np.inf))
