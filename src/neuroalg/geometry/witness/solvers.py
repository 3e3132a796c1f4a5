"""The two solvers of the square critical systems (gauge system or Lagrange system).

Both find the isolated nonsingular solutions x of F(x; w0) = 0 for the system's base parameters
w0, keeping those that pass ``filter`` (a regular point of the parameterization, or a smooth
point of V), and return them as a :class:`~neuroalg.homotopy.monodromy.MonodromyResult` (one
record for both; ``details["solver"]`` says which ran):

- ``homotopy``: :func:`neuroalg.homotopy.solve` on F(x; w0) from the start system of the smaller
  of the Bezout and multi-homogeneous Bezout numbers (the root bound = the number of paths; the
  mixed volume is not computed: its cell search costs more than these paths, and the polyhedral
  start measured slower here), without the endgame (singular endpoints are never counted). With
  probability one (gamma trick) every isolated nonsingular solution is the end of a path, so a
  run in which no path failed has found all of them: completeness evidence that monodromy cannot
  give. Nonsingular endpoints are Newton-refined; ill-conditioned ones count when Krawczyk's
  test proves them.
- ``monodromy``: :func:`neuroalg.homotopy.monodromy.monodromy_graph` from one constructed start
  solution, one solution per ``key`` (the image point), stopping at the theorem's count or after
  ``patience`` quiet extensions of the graph (no completeness evidence of its own).

``auto`` runs the homotopy when a theorem gives the count and the root bound is at most
:data:`PATHS_PER_POINT` times it, or, without a theorem, when the root bound is at most
:data:`HOMOTOPY_BUDGET`; else monodromy, which stops at the theorem's count (measured in
benchmarks/critical.py with the compiled tracker: the homotopy's paths cost several times a
monodromy path, since many of them diverge or end singular through the slow final stages,
while monodromy tracks ~10-25 paths per critical point); with a checkpoint (something to
resume) it runs monodromy.
"""

from __future__ import annotations

import time

import numpy as np

from ...homotopy.monodromy import MonodromyResult, monodromy_graph
from ...homotopy.result import PathStatus
from ...homotopy.root_count import RootCount, best_partition
from ...homotopy.solve import solve
from .checkpoint import Checkpoint, fingerprint
from .points import distinct

SOLVERS = ("auto", "homotopy", "monodromy")
#: auto: the homotopy when the root bound is at most this many times the theorem's count ...
PATHS_PER_POINT = 2
#: ... or, without a theorem, at most this many paths
HOMOTOPY_BUDGET = 300
#: the tracker settings of the monodromy paths: a path over budget fails, which costs only its
#: edge, and a path that jumps still ends at a solution (every endpoint is Newton-refined and
#: verified), so monodromy tracks loosely (measured in benchmarks/critical.py)
LOOP_TRACKING = {"max_steps": 200, "max_correction": 1e-2}
#: with a theorem's count as target, monodromy waits this many times longer without a new point
#: (then the shortfall is printed as a disagreement)
TARGET_PATIENCE = 3


def root_bound(system) -> RootCount:
    """Bezout and multi-homogeneous Bezout numbers of a square PolySystem, the start system of
    the smaller (no mixed volume)."""
    bezout = system.bezout_number
    partition, mhom = best_partition(system)
    method = "total-degree" if bezout <= mhom else "multihomogeneous"
    return RootCount(bezout, mhom, partition, None, False, method,
                     "not computed (the multi-homogeneous start is used)")


def choose(solver: str, bound: int, target: int | None, checkpoint) -> str:
    """The solver that ``auto`` runs (see the module docstring)."""
    if solver != "auto":
        return solver
    if checkpoint is not None:
        return "monodromy"
    budget = HOMOTOPY_BUDGET if target is None else PATHS_PER_POINT * target
    return "homotopy" if bound <= budget else "monodromy"


def solve_square(system, start, w0, rng, patience, show_progress, *, key, filter, target,
                 checkpoint, solver: str = "auto") -> MonodromyResult:
    """The solutions of ``system`` at ``w0`` that pass ``filter``, one per ``key``, by the
    solver ``solver`` chooses (module docstring); ``details`` record the solver, and for the
    homotopy its start system, root bound and the fate of every path."""
    fixed = system.with_parameters(w0)
    counts = root_bound(fixed)
    solver = choose(solver, counts.bound, target, checkpoint)
    if solver == "monodromy":
        mono = _monodromy(system, start, w0, rng, patience, show_progress, key=key,
                          filter=filter, target=target, checkpoint=checkpoint)
        return MonodromyResult(mono.solutions, mono.parameters, mono.n_loops, mono.n_paths,
                               mono.n_failed, mono.history, mono.seconds,
                               {**mono.details, "solver": "monodromy",
                                "root_bound": counts.bound, "start_system": counts.method})
    clock = time.perf_counter()
    if show_progress:
        show_progress(f"{counts.method} homotopy: {counts.bound} paths (root bound)")

    def select(x):  # the solutions that pass ``filter``, one per key (the image point)
        keep = filter(x)
        if keep.any():
            first = np.flatnonzero(keep)[np.unique(distinct(key(x[keep]))[1], return_index=True)[1]]
            keep = np.isin(np.arange(len(x)), first)
        return keep

    # nonsingular endpoints (ill-conditioned ones only where Krawczyk's test proved them), with
    # the test's verdict on each
    res = solve(fixed, seed=int(rng.integers(2**63)), counts=counts, endgame=False, certify=True,
                select=select)
    x = res.solutions
    certified = res.certified if res.certified is not None else np.zeros(len(x), dtype=bool)
    details = {"solver": "homotopy", "start_system": counts.method, "root_bound": counts.bound,
               "bezout_number": counts.bezout,
               "multihomogeneous_bezout_number": counts.multihomogeneous,
               "nonsingular": res._count(PathStatus.NONSINGULAR),
               "singular": res._count(PathStatus.SINGULAR),
               "at_infinity": res.n_at_infinity, "failed": res.n_failed,
               "promoted_by_krawczyk": res.details.get("promoted_by_krawczyk", 0),
               "certified": certified}
    return MonodromyResult(x, np.asarray(w0, dtype=np.complex128), 1, res.n_paths, res.n_failed,
                           (len(x),), time.perf_counter() - clock, details)


def _monodromy(system, start, w0, rng, patience, show_progress, *, key, filter, target,
               checkpoint):
    """monodromy_graph with the critical command's settings, resuming from and writing to
    ``checkpoint`` = (file, problem) when given."""
    history, on_loop = (), None
    if checkpoint is not None:
        path, problem = checkpoint
        store = Checkpoint.open(path, {**problem, "fingerprint": fingerprint(system.coefficients, w0)})
        stored = store.load()
        if stored is not None:
            start, _, history = stored
            if show_progress:
                show_progress(f"resuming from {len(start)} critical points after {len(history)} rounds")

        def on_loop(sols, hist):
            store.save(sols, len(hist), hist)

    # below a theorem's count, the graph must stay quiet longer before the count is reported
    # (as a disagreement with the theorem)
    patience = patience * (1 if target is None else TARGET_PATIENCE)
    return monodromy_graph(system, start, w0, seed_rng=rng, target=target, patience=patience,
                           show_progress=show_progress, filter=filter, key=key,
                           track_opts=LOOP_TRACKING, on_round=on_loop, history=history)
