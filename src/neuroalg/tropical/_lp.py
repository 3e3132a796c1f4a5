"""Chebyshev-ball linear programs on HiGHS (the engine behind every feasibility decision).

``chebyshev(G, e)`` solves ``max t  s.t.  G y + t <= e,  t <= 1`` for rows of ``G`` of unit
Euclidean norm, i.e. the radius (capped at 1) and centre of the largest ball inside
``{y : G y <= e}``; an optional ``eq`` row is kept as an equality (a ball inside a facet).
HiGHS is called through its public Python package ``highspy`` (one reused solver: about 6x less
overhead per LP than ``scipy.optimize.linprog``, which solves the same problems with the same
engine).
"""

from __future__ import annotations

import numpy as np

#: HiGHS feasibility/optimality tolerances (absolute, in the normalised coordinates)
LP_TOL = 1e-9


class LPCounter:
    """Counts the LPs solved (reported in results and benchmarks)."""

    def __init__(self):
        self.n = 0


_solver = None


def _highs():
    global _solver
    if _solver is None:
        h = _quiet_solver()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("primal_feasibility_tolerance", LP_TOL)
        h.setOptionValue("dual_feasibility_tolerance", LP_TOL)
        h.setOptionValue("presolve", "off")
        _solver = h
    return _solver


def chebyshev(G: np.ndarray, e: np.ndarray, eq: tuple | None = None, counter: LPCounter | None = None):
    """``(t, y)``: the largest ``t <= 1`` with ``G y + t <= e`` (and ``a.y = b`` if ``eq=(a, b)``).

    Rows of ``G`` must have unit norm, so ``t`` is a Euclidean inradius. Returns ``(-inf, None)``
    only if the solver fails.
    """
    if counter is not None:
        counter.n += 1
    m, n = G.shape
    _hc = _highspy()
    _INF = _hc.kHighsInf
    nv = n + 1
    rows = np.empty((m + (eq is not None), nv))
    rows[:m, :n] = G
    rows[:m, n] = 1.0
    lower = np.full(rows.shape[0], -_INF)
    upper = np.empty(rows.shape[0])
    upper[:m] = e
    if eq is not None:
        rows[m, :n] = eq[0]
        rows[m, n] = 0.0
        lower[m] = upper[m] = eq[1]
    lp = _hc.HighsLp()
    lp.num_col_ = nv
    lp.num_row_ = rows.shape[0]
    cost = np.zeros(nv)
    cost[n] = -1.0
    lp.col_cost_ = cost
    lp.col_lower_ = np.full(nv, -_INF)
    up = np.full(nv, _INF)
    up[n] = 1.0
    lp.col_upper_ = up
    lp.row_lower_ = lower
    lp.row_upper_ = upper
    a = lp.a_matrix_
    a.format_ = _hc.MatrixFormat.kRowwise
    a.start_ = np.arange(0, rows.size + 1, nv, dtype=np.int32)
    a.index_ = np.tile(np.arange(nv, dtype=np.int32), rows.shape[0])
    a.value_ = rows.ravel()
    a.num_col_ = nv
    a.num_row_ = rows.shape[0]
    h = _highs()
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status != _hc.HighsModelStatus.kOptimal:
        if status == _hc.HighsModelStatus.kInfeasible:
            return -np.inf, None
        return _chebyshev_linprog(G, e, eq)  # solver trouble: a second, independent start
    x = np.asarray(h.getSolution().col_value)
    return float(x[n]), x[:n]


def _chebyshev_linprog(G, e, eq):
    from scipy.optimize import linprog

    m, n = G.shape
    c = np.zeros(n + 1)
    c[n] = -1.0
    A = np.hstack([G, np.ones((m, 1))])
    kw = {}
    if eq is not None:
        kw = dict(A_eq=np.append(eq[0], 0.0)[None, :], b_eq=[eq[1]])
    res = linprog(c, A_ub=A, b_ub=e, bounds=[(None, None)] * n + [(None, 1.0)], method="highs",
                  options={"primal_feasibility_tolerance": LP_TOL, "dual_feasibility_tolerance": LP_TOL},
                  **kw)
    if res.status != 0:
        return -np.inf, None
    return float(res.x[n]), res.x[:n]


def solve_lp(c, A, row_lower, row_upper, col_lower, col_upper, counter: LPCounter | None = None):
    """``min c.x`` s.t. ``row_lower <= A x <= row_upper``, ``col_lower <= x <= col_upper``
    (use ``±np.inf`` for no bound). Returns ``(value, x)`` or ``(None, None)`` if not optimal."""
    if counter is not None:
        counter.n += 1
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    _hc = _highspy()
    _INF = _hc.kHighsInf

    def fix(v):
        return np.clip(v, -_INF, _INF)

    lp = _hc.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = np.asarray(c, dtype=float)
    lp.col_lower_ = fix(np.asarray(col_lower, dtype=float))
    lp.col_upper_ = fix(np.asarray(col_upper, dtype=float))
    lp.row_lower_ = fix(np.asarray(row_lower, dtype=float))
    lp.row_upper_ = fix(np.asarray(row_upper, dtype=float))
    a = lp.a_matrix_
    a.format_ = _hc.MatrixFormat.kRowwise
    a.start_ = np.arange(0, A.size + 1, n, dtype=np.int32)
    a.index_ = np.tile(np.arange(n, dtype=np.int32), m)
    a.value_ = A.ravel()
    a.num_col_ = n
    a.num_row_ = m
    h = _highs()
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != _hc.HighsModelStatus.kOptimal:
        return None, None
    x = np.asarray(h.getSolution().col_value)
    return float(np.dot(c, x)), x


def _highspy():
    import highspy

    return highspy


def _quiet_solver():
    """A HiGHS solver. HiGHS prints a banner on stdout (C stdio) the first time a solver is built
    in a process; stdout carries only results (``--json``), so the first one is built with file
    descriptor 1 pointed at /dev/null and C's buffer flushed before it is restored."""
    import ctypes
    import os
    import sys

    highspy = _highspy()
    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        solver = highspy.Highs()
        ctypes.CDLL(None).fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    return solver
