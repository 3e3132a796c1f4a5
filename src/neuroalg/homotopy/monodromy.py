"""Monodromy solving of parametric systems F(x; p) = 0, and the trace test.

Starting from one solution x* of F(x; p0), each loop tracks every known solution around a random
triangle p0 -> p1 -> p2 -> p0 in parameter space (parameter homotopies along the edges) and adds
the endpoints it did not know. When the solution set of p0 is the generic fiber of an irreducible
incidence variety, the monodromy group acts transitively and the loops reach every solution
(Duff–Hill–Jensen–Lee–Leykin–Sommars, *Solving polynomial systems via homotopy continuation and
monodromy*, IMA J. Numer. Anal. 39, 2019). Stagnation (``stagnation`` loops with no new solution)
is only a heuristic stop; the trace test (:func:`trace_test`) is the completeness evidence.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from ..progress import check_progress
from .homotopies import ParameterHomotopy
from .polynomial import PolySystem
from .result import unique_points
from .tracker import TrackStatus, newton, track


@dataclass(frozen=True)
class MonodromyResult:
    """Solutions of ``system`` at ``parameters`` found by monodromy, with loop statistics."""

    solutions: np.ndarray
    parameters: np.ndarray
    n_loops: int
    n_paths: int
    n_failed: int
    history: tuple[int, ...]  # number of solutions after each loop
    seconds: float
    details: dict = field(default_factory=dict)

    @property
    def n_solutions(self) -> int:
        return len(self.solutions)


def _random_complex(rng, shape):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)


def move(system: PolySystem, x, p0, p1, **track_opts):
    """Track solutions x of F(.; p0) to F(.; p1); returns endpoints and a success mask."""
    res = track(ParameterHomotopy(system, p0, p1), x, 0.0, 1.0, **track_opts)
    ok = res.status == TrackStatus.SUCCESS
    if ok.any():
        refined, norms = newton(lambda z: system.evaluate(z, p1), res.x[ok], 2)
        res.x[ok] = refined
        ok[np.flatnonzero(ok)[norms[-1] > 1e-8]] = False
    return res.x, ok


def monodromy_solve(system: PolySystem, start, parameters, *, seed_rng, target: int | None = None,
                    stagnation: int = 5, max_loops: int = 200, show_progress=False,
                    filter=None) -> MonodromyResult:
    """Grow the solution set of F(x; parameters) from the start solutions by monodromy loops.

    ``filter(x) -> bool mask`` may reject endpoints (e.g. degenerate ones) before they are kept."""
    show_progress = check_progress(show_progress)
    clock = time.perf_counter()
    rng = seed_rng
    p0 = np.asarray(parameters, dtype=np.complex128)
    sols, _ = unique_points(np.atleast_2d(np.asarray(start, dtype=np.complex128)))
    scale = 1 + np.linalg.norm(p0) / np.sqrt(len(p0))
    history, n_paths, n_failed, quiet, loops = [], 0, 0, 0, 0
    while loops < max_loops and quiet < stagnation and (target is None or len(sols) < target):
        loops += 1
        p1, p2 = (scale * _random_complex(rng, p0.shape) for _ in range(2))
        x, ok = sols, np.ones(len(sols), dtype=bool)
        for a, b in ((p0, p1), (p1, p2), (p2, p0)):
            x_new, ok_new = move(system, x[ok], a, b)
            n_paths += int(ok.sum())
            n_failed += int((~ok_new).sum())
            x = x_new[ok_new]
            ok = np.ones(len(x), dtype=bool)
        if filter is not None and len(x):
            x = x[filter(x)]
        before = len(sols)
        sols, _ = unique_points(np.vstack([sols, x]))
        history.append(len(sols))
        quiet = 0 if len(sols) > before else quiet + 1
        if show_progress:
            show_progress(f"loop {loops}: {len(sols)} solutions")
    return MonodromyResult(sols, p0, loops, n_paths, n_failed, tuple(history),
                           time.perf_counter() - clock)


@dataclass(frozen=True)
class TraceTest:
    """Trace test on a pencil of parallel slices L + s v, s in {0, s1, s2}.

    For a complete witness set, the sum of the points (in any linear coordinates) is an affine
    function of s (Sommese–Verschelde–Wampler, *Symmetric functions applied to decomposing
    solution sets*, SIAM J. Numer. Anal. 42, 2004). ``residual`` is
    |T(s2) - T(0) - s2/s1 (T(s1) - T(0))| relative to the size of the points; it is ~1e-12 for a
    complete set and O(1) for an incomplete one."""

    residual: float
    counts: tuple[int, int, int]
    n_failed: int
    tolerance: float = 1e-7

    @property
    def is_passed(self) -> bool:
        return self.residual <= self.tolerance and len(set(self.counts)) == 1 and not self.n_failed


def trace_test(system: PolySystem, solutions, parameters, direction, image, rng) -> TraceTest:
    """Move the parameters along ``direction`` (the pencil), map solutions through ``image``
    (x -> points whose distinct values form the witness set) and test linearity of the trace."""
    p0 = np.asarray(parameters, dtype=np.complex128)
    s1 = complex(_random_complex(rng, ()))
    s2 = -s1 * complex(0.5 + rng.random())
    traces, counts, failed, size = [], [], 0, 0.0
    for s in (0.0, s1, s2):
        if s == 0.0:
            x, ok = solutions, np.ones(len(solutions), dtype=bool)
        else:
            x, ok = move(system, solutions, p0, p0 + s * direction)
        failed += int((~ok).sum())
        pts, _ = unique_points(image(x[ok]))
        counts.append(len(pts))
        traces.append(pts.sum(axis=0))
        size = max(size, float(np.abs(pts).sum()) if len(pts) else 0.0)
    t0, t1, t2 = traces
    residual = float(np.max(np.abs(t2 - t0 - (s2 / s1) * (t1 - t0))) / max(size, 1e-300))
    return TraceTest(residual, cast("tuple[int, int, int]", tuple(counts)), failed)  # one per slice s
