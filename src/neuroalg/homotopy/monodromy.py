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
from .homotopies import ParameterHomotopy, ParameterSegments
from .polynomial import PolySystem
from .result import unique_points
from .tracker import TrackStatus, compiled_tracking, newton, track


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


def move(system, x, p0, p1, **track_opts):
    """Track solutions x of F(.; p0) to F(.; p1); returns endpoints and a success mask.

    p0 and p1 are one parameter point (m,) for all paths, or one per path (B, m). ``system`` is
    a PolySystem, or any object with its ``evaluate(x, p, dp)`` (e.g. a structured system that
    evaluates faster than its expanded terms), which the compiled tracker replaces by its
    ``expanded`` PolySystem when it has one."""
    p0, p1 = np.asarray(p0, dtype=np.complex128), np.asarray(p1, dtype=np.complex128)
    poly = system if isinstance(system, PolySystem) else getattr(system, "expanded", None)
    if poly is not None and (p0.ndim > 1 or p1.ndim > 1 or poly is not system) and \
            compiled_tracking():
        res = track(ParameterSegments(poly, np.broadcast_to(p0, (len(x), len(p0.T))),
                                      np.broadcast_to(p1, (len(x), len(p1.T)))),
                    x, 0.0, 1.0, compiled=True, **track_opts)
    elif p0.ndim == 1 and p1.ndim == 1 and isinstance(system, PolySystem):
        res = track(ParameterHomotopy(system, p0, p1), x, 0.0, 1.0, **track_opts)
    else:
        segments = _Segments(system, p0, p1, len(x))
        res = track(segments, x, segments.t_start, segments.t_start + 1, **track_opts)
    ok = res.status == TrackStatus.SUCCESS
    if ok.any():
        target = p1 if p1.ndim == 1 else p1[ok]
        refined, norms = newton(lambda z: system.evaluate(z, target), res.x[ok], 2)
        res.x[ok] = refined
        ok[np.flatnonzero(ok)[norms[-1] > 1e-8]] = False
    return res.x, ok


class _Segments:
    """Parameter homotopies F(x; a_i + s (b_i - a_i)) with one segment per path, in one batch.

    The tracker hands a homotopy only x and t, for the paths still running; path i therefore
    runs over t in [4 i, 4 i + 1] (s = t - 4 i), so that t itself says which segment a point is
    on. dF/dt = dF/dp . (b_i - a_i)."""

    STRIDE = 4.0

    def __init__(self, system, a, b, n: int):
        self.system, self.n_vars = system, system.n_vars
        self.a = np.broadcast_to(a, (n, system.n_params))
        self.d = np.broadcast_to(b, (n, system.n_params)) - self.a
        self.t_start = self.STRIDE * np.arange(n, dtype=np.complex128)

    def evaluate(self, x, t):
        i = np.floor(t.real / self.STRIDE + 0.125).astype(np.int64)
        s = (t - self.STRIDE * i)[:, None]
        return self.system.evaluate(x, self.a[i] + s * self.d[i], self.d[i])


def monodromy_solve(system, start, parameters, *, seed_rng, target: int | None = None,
                    stagnation: int = 5, max_loops: int = 200, show_progress=False,
                    filter=None, key=None, on_loop=None, history=(), loops_per_round: int = 1,
                    track_opts=None) -> MonodromyResult:
    """Grow the solution set of F(x; parameters) from the start solutions by monodromy loops.

    ``filter(x) -> bool mask`` may reject endpoints (e.g. degenerate ones) before they are kept.
    ``key(x) -> points``: solutions are kept one per distinct key (e.g. one parameter point per
    image Phi(x)); monodromy acts on the classes whenever the key commutes with it, and each
    loop tracks one representative per class. ``target``: stop as soon as that many classes are
    known. ``loops_per_round`` loops (independent random triangles) are tracked in one batch;
    stagnation counts loops. ``track_opts`` go to the tracker (e.g. ``max_steps``: a path over
    budget fails, which only costs that loop). ``on_loop(solutions, history)`` is called after
    each round (e.g. to checkpoint); ``history`` continues the counts of an earlier run that
    is resumed from ``start``."""
    show_progress = check_progress(show_progress)
    clock = time.perf_counter()
    rng = seed_rng
    track_opts = dict(track_opts or {})
    key = key if key is not None else (lambda z: z)
    p0 = np.asarray(parameters, dtype=np.complex128)
    start = np.atleast_2d(np.asarray(start, dtype=np.complex128))
    _, first = np.unique(unique_points(key(start))[1], return_index=True)
    sols = start[np.sort(first)]
    scale = 1 + np.linalg.norm(p0) / np.sqrt(len(p0))
    history, n_paths, n_failed, quiet, loops = list(history), 0, 0, 0, 0
    while loops < max_loops and quiet < stagnation and (target is None or len(sols) < target):
        k = max(1, min(loops_per_round, max_loops - loops))
        loops += k
        if k == 1:
            corners = [p0] + [scale * _random_complex(rng, p0.shape) for _ in range(2)] + [p0]
            x = sols
        else:  # loop j: paths j*n .. (j+1)*n - 1
            tri = scale * _random_complex(rng, (2, k) + p0.shape)
            corners = [np.broadcast_to(p0, (k * len(sols),) + p0.shape)] + [
                np.repeat(tri[c], len(sols), axis=0) for c in (0, 1)] + [p0]
            x = np.tile(sols, (k, 1))
        for edge in range(3):
            x_new, ok = move(system, x, corners[edge], corners[edge + 1], **track_opts)
            n_paths += len(x)
            n_failed += int((~ok).sum())
            x = x_new[ok]
            corners = [c[ok] if c.ndim == 2 else c for c in corners]
        if filter is not None and len(x):
            x = x[filter(x)]
        before = len(sols)
        if len(x):
            labels = unique_points(np.vstack([key(sols), key(x)]))[1]
            seen, fresh = set(labels[:before].tolist()), []
            for i, lab in enumerate(labels[before:].tolist()):
                if lab not in seen:
                    seen.add(lab)
                    fresh.append(i)
            sols = np.vstack([sols, x[fresh]])
        history.extend([len(sols)] * k)
        quiet = 0 if len(sols) > before else quiet + k
        if show_progress:
            show_progress(f"loop {loops}: {len(sols)} solutions")
        if on_loop is not None:
            on_loop(sols, tuple(history))
    return MonodromyResult(sols, p0, loops, n_paths, n_failed, tuple(history),
                           time.perf_counter() - clock)


def _add_new(known, known_keys, x, key):
    """Append to ``known`` the rows of x whose key is new (one per key); returns both arrays."""
    if not len(x):
        return known, known_keys
    keys = key(x)
    labels = unique_points(np.vstack([known_keys, keys]) if len(known_keys) else keys)[1]
    before = len(known_keys)
    seen, fresh = set(labels[:before].tolist()), []
    for i, lab in enumerate(labels[before:].tolist()):
        if lab not in seen:
            seen.add(lab)
            fresh.append(i)
    if not fresh:
        return known, known_keys
    return (np.vstack([known, x[fresh]]) if len(known) else x[fresh],
            np.vstack([known_keys, keys[fresh]]) if before else keys[fresh])


def monodromy_graph(system, start, parameters, *, seed_rng, target: int | None = None,
                    patience: int = 2, n_nodes: int = 3, n_edges: int = 2, extra_edges: int = 4,
                    max_rounds: int = 100,
                    show_progress=False, filter=None, key=None, on_round=None, history=(),
                    track_opts=None) -> MonodromyResult:
    """Monodromy on a graph of parameter points, every solution tracked once along every edge.

    Nodes: the base point ``parameters`` and ``n_nodes - 1`` random points, on a cycle with
    ``n_edges`` edges between consecutive nodes; an edge is a two-segment path through its own
    random midpoint. Every solution known at a node is tracked once along every edge at that node,
    endpoints that are new at the far node (one per ``key``) are kept and tracked in turn. When
    nothing is left to track, the solution sets are closed under the group generated by the
    graph's loops (E - V + 1 free generators). Then ``extra_edges`` more edges (between random
    nodes: as many new generators) are added and the process continues, until ``target``
    solutions are known at the base, or ``patience`` extensions in a row brought none (at most
    ``max_rounds`` tracking rounds).
    Tracking each solution once per edge, instead of once per loop, is the saving of
    Duff–Hill–Jensen–Lee–Leykin–Sommars (2019), *Solving polynomial systems via homotopy
    continuation and monodromy*, IMA J. Numer. Anal. 39, Section 3 (the graph heuristics).
    ``filter``, ``key``, ``track_opts`` as in :func:`monodromy_solve`; ``on_round(solutions at
    the base, history)`` after each round; ``history`` (solutions at the base after each round)
    continues a resumed run."""
    show_progress = check_progress(show_progress)
    clock = time.perf_counter()
    rng, track_opts = seed_rng, dict(track_opts or {})
    key = key if key is not None else (lambda z: z)
    p0 = np.asarray(parameters, dtype=np.complex128)
    scale = 1 + np.linalg.norm(p0) / np.sqrt(len(p0))
    nodes = [p0] + [scale * _random_complex(rng, p0.shape) for _ in range(n_nodes - 1)]
    edges: list[tuple[int, int, np.ndarray]] = []

    def add_edges(pairs):
        for u, v in pairs:
            edges.append((u, v, scale * _random_complex(rng, p0.shape)))

    add_edges([(i, (i + 1) % n_nodes) for i in range(n_nodes) for _ in range(n_edges)])
    empty = np.zeros((0, system.n_vars), dtype=np.complex128)
    sols, keys = [empty] * n_nodes, [np.zeros((0, 0), dtype=np.complex128)] * n_nodes
    sols[0], keys[0] = _add_new(empty, keys[0], np.atleast_2d(np.asarray(start, dtype=np.complex128)), key)
    sent: dict[tuple[int, int], int] = {}  # (edge, direction) -> solutions of its source sent
    history, n_paths, n_failed, rounds, quiet = list(history), 0, 0, 0, 0
    while rounds < max_rounds and (target is None or len(sols[0]) < target):
        todo = []
        for e, (u, v, _) in enumerate(edges):
            for d, (src, dst) in enumerate(((u, v), (v, u))):
                k = sent.get((e, d), 0)
                if k < len(sols[src]):
                    todo.append((e, src, dst, sols[src][k:]))
                    sent[(e, d)] = len(sols[src])
        if not todo:  # closed under the graph's loops
            if quiet >= patience:
                break
            quiet += 1
            add_edges([tuple(rng.choice(n_nodes, size=2, replace=False)) for _ in range(extra_edges)])
            continue
        before = len(sols[0])
        rounds += 1
        x = np.vstack([t[3] for t in todo])
        a = np.vstack([np.broadcast_to(nodes[t[1]], (len(t[3]),) + p0.shape) for t in todo])
        mid = np.vstack([np.broadcast_to(edges[t[0]][2], (len(t[3]),) + p0.shape) for t in todo])
        b = np.vstack([np.broadcast_to(nodes[t[2]], (len(t[3]),) + p0.shape) for t in todo])
        dest = np.concatenate([np.full(len(t[3]), t[2]) for t in todo])
        x1, ok = move(system, x, a, mid, **track_opts)
        n_paths += len(x)
        x2, ok2 = move(system, x1[ok], mid[ok], b[ok], **track_opts)
        n_paths += int(ok.sum())
        arrived, where = x2[ok2], dest[ok][ok2]
        n_failed += len(x) - len(arrived)
        if filter is not None and len(arrived):
            keep = filter(arrived)
            arrived, where = arrived[keep], where[keep]
        for node in range(n_nodes):
            sols[node], keys[node] = _add_new(sols[node], keys[node], arrived[where == node], key)
        history.append(len(sols[0]))
        quiet = 0 if len(sols[0]) > before else quiet
        if show_progress:
            show_progress(f"round {rounds}: {len(sols[0])} solutions at the base point, "
                          f"{len(edges)} edges, {n_paths} paths")
        if on_round is not None:
            on_round(sols[0], tuple(history))
    return MonodromyResult(sols[0], p0, rounds, n_paths, n_failed, tuple(history),
                           time.perf_counter() - clock, {"nodes": n_nodes, "edges": len(edges)})


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
