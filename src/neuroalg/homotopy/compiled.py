"""Path tracking compiled with numba (the ``fast`` extra), one path at a time.

The same predictor-corrector as :mod:`.tracker` (RK4 predictor, Newton corrector with the trust
region ``max_correction`` and the contraction test, the velocity of the next step solved with
the last Newton iteration, the same step-size control and failure rules), for homotopies whose
term coefficients move affinely, H(x, t) = sum_k (A_k + t B_k) x^(e_k) (straight-line and
parameter homotopies, :mod:`.homotopies`), evaluated from the monomial table and entry lists
of a :class:`~.terms.TermPlan` (same monomials, same sums). Per path it costs no Python: the
batched numpy tracker pays ~0.5 ms of interpreter and dispatch per step of a batch, which
dominates the small systems of the critical and fiber commands; here a step of a path with a
few hundred terms costs microseconds. Coefficients are shared by all paths (arrays (1, T)) or
given per path ((B, T), e.g. monodromy edges with one parameter segment per path).

Linear solves are LU with partial pivoting; an exactly singular matrix gives non-finite values,
which fail the step (the numpy tracker falls back to least squares there; both then reject
the step or the path). Compiled code is cached on disk (numba ``cache=True``).
"""

from __future__ import annotations

import numba
import numpy as np

from .tracker import GROWTH, SAFETY  # one step-size control for both trackers

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def _evaluate(x, t, plan, fa, fb, mono, rows, ht):
    """rows = values (n_eqs) then Jacobian (n_eqs * n, row-major) at (x, t); ht = dH/dt.

    The entries with a nonzero coefficient at t = 0 (fa) and with a moving one (fb) are summed
    apart, row by row (CSR pointers a_ptr, b_ptr over the output rows): a parameter homotopy
    moves the few terms with a parameter, a straight line keeps only the start system's terms
    at t = 0; rows = sum_a + t sum_b."""
    parent, var, a_ptr, a_mono, b_ptr, b_mono, n_eqs = plan
    mono[0] = 1.0
    for j in range(1, mono.shape[0]):
        mono[j] = mono[parent[j]] * x[var[j]]
    for r in range(rows.shape[0]):
        acc_a = 0j
        for e in range(a_ptr[r], a_ptr[r + 1]):
            acc_a += fa[e] * mono[a_mono[e]]
        acc_b = 0j
        for e in range(b_ptr[r], b_ptr[r + 1]):
            acc_b += fb[e] * mono[b_mono[e]]
        rows[r] = acc_a + t * acc_b
        if r < n_eqs:
            ht[r] = acc_b


@_jit
def _lu_solve(rows, n_eqs, n, rhs, k, lu):
    """Solve J X = rhs[:, :k] in place (J = the Jacobian block of ``rows``), LU with partial
    pivoting on the copy ``lu``."""
    for i in range(n):
        for j in range(n):
            lu[i, j] = rows[n_eqs + i * n + j]
    for c in range(n):
        p, big = c, lu[c, c].real ** 2 + lu[c, c].imag ** 2
        for i in range(c + 1, n):
            a = lu[i, c].real ** 2 + lu[i, c].imag ** 2
            if a > big:
                p, big = i, a
        if big == 0.0:  # exactly singular: non-finite values fail the step
            for i in range(n):
                for j in range(k):
                    rhs[i, j] = np.nan
            return
        if p != c:
            for j in range(n):
                lu[c, j], lu[p, j] = lu[p, j], lu[c, j]
            for j in range(k):
                rhs[c, j], rhs[p, j] = rhs[p, j], rhs[c, j]
        inv = 1.0 / lu[c, c]
        for i in range(c + 1, n):
            f = lu[i, c] * inv
            if f != 0:
                for j in range(c + 1, n):
                    lu[i, j] -= f * lu[c, j]
                for j in range(k):
                    rhs[i, j] -= f * rhs[c, j]
    for c in range(n - 1, -1, -1):
        for j in range(k):
            acc = rhs[c, j]
            for i in range(c + 1, n):
                acc -= lu[c, i] * rhs[i, j]
            rhs[c, j] = acc / lu[c, c]  # nonzero: every pivot was checked


@_jit
def _norm(v):
    acc = 0.0
    for i in range(v.shape[0]):
        acc += v[i].real ** 2 + v[i].imag ** 2
    return np.sqrt(acc)


@_jit
def _velocity(x, t, dt, plan, fa, fb, work, out):
    """out = -H_x^{-1} H_t dt at (x, t)."""
    mono, rows, ht, rhs, lu = work
    n = x.shape[0]
    n_eqs = plan[-1]
    _evaluate(x, t, plan, fa, fb, mono, rows, ht)
    for i in range(n):
        rhs[i, 0] = ht[i] * dt
    _lu_solve(rows, n_eqs, n, rhs, 1, lu)
    for i in range(n):
        out[i] = -rhs[i, 0]


@_jit
def _track_one(x, ta, tb, plan, fa, fb, work, atol, max_correction, max_newton, initial_step,
               min_step, max_steps):
    """Track x (in place) from ta to tb; returns (s reached, status 1/2, accepted, rejected)."""
    mono, rows, ht, rhs, lu = work
    n = x.shape[0]
    n_eqs = plan[-1]
    dt = tb - ta
    s, h, acc, rej = 0.0, initial_step, 0, 0
    k1 = np.empty(n, dtype=np.complex128)
    k2 = np.empty_like(k1)
    k3 = np.empty_like(k1)
    k4 = np.empty_like(k1)
    y = np.empty_like(k1)
    xc = np.empty_like(k1)
    v = np.empty_like(k1)
    fresh = False
    for _ in range(max_steps):
        step = min(h, 1.0 - s)
        if not fresh:
            _velocity(x, ta + s * dt, dt, plan, fa, fb, work, k1)
            fresh = True
        for i in range(n):
            y[i] = x[i] + 0.5 * step * k1[i]
        _velocity(y, ta + (s + 0.5 * step) * dt, dt, plan, fa, fb, work, k2)
        for i in range(n):
            y[i] = x[i] + 0.5 * step * k2[i]
        _velocity(y, ta + (s + 0.5 * step) * dt, dt, plan, fa, fb, work, k3)
        for i in range(n):
            y[i] = x[i] + step * k3[i]
        _velocity(y, ta + (s + step) * dt, dt, plan, fa, fb, work, k4)
        for i in range(n):
            y[i] = x[i] + step / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])
        s_new = s + step
        t_new = ta + s_new * dt
        # corrector: the first Newton step decides the trust region, later ones contraction
        _evaluate(y, t_new, plan, fa, fb, mono, rows, ht)
        for i in range(n):
            rhs[i, 0] = rows[i]
        _lu_solve(rows, n_eqs, n, rhs, 1, lu)
        for i in range(n):
            xc[i] = y[i] - rhs[i, 0]
        norm0 = _norm(rhs[:, 0]) / (1.0 + _norm(xc))
        ok = False
        if norm0 <= max_correction and np.isfinite(norm0):
            for _it in range(1, max_newton):
                _evaluate(xc, t_new, plan, fa, fb, mono, rows, ht)
                for i in range(n):
                    rhs[i, 0] = rows[i]
                    rhs[i, 1] = ht[i] * dt
                _lu_solve(rows, n_eqs, n, rhs, 2, lu)
                finite = True
                for i in range(n):
                    xc[i] -= rhs[i, 0]
                    v[i] = rhs[i, 1]
                    if not (np.isfinite(xc[i].real) and np.isfinite(xc[i].imag)):
                        finite = False
                norm = _norm(rhs[:, 0]) / (1.0 + _norm(xc))
                if norm <= max(atol, 1e-3 * norm0) and np.isfinite(norm) and finite:
                    ok = True
                    break
        if ok:
            for i in range(n):
                x[i] = xc[i]
                k1[i] = -v[i]
            s = 1.0 if 1.0 - s_new < 1e-15 else s_new
            e1 = max(norm0, 1e-300)
            h = step * min(max(SAFETY * (max_correction / e1) ** 0.2, 0.5), GROWTH)
            acc += 1
            if s >= 1.0:
                return s, 1, acc, rej
        else:
            h = step / 2.0
            rej += 1
            if h < min_step:
                return s, 2, acc, rej
    return s, 2, acc, rej


@_jit
def track_paths(x, ta, tb, a, b, parent, var, a_entries, b_entries, n_eqs, atol,
                max_correction, max_newton, initial_step, min_step, max_steps):
    """Track every row of x (B, n) in place from ta[i] to tb[i] with term coefficients
    a + t b (rows of a, b: one per path, or one row for all). ``a_entries`` and ``b_entries``
    are (row pointers, monomial, term, factor) of the plan's entries whose term has a nonzero
    coefficient in a (resp. b) for some path, in CSR form over the output rows. Returns s,
    status, accepted, rejected per path."""
    batch, n = x.shape
    s = np.zeros(batch)
    status = np.zeros(batch, dtype=np.int64)
    acc = np.zeros(batch, dtype=np.int64)
    rej = np.zeros(batch, dtype=np.int64)
    a_ptr, a_mono, a_base, a_factor = a_entries
    b_ptr, b_mono, b_base, b_factor = b_entries
    fa = np.empty(a_mono.shape[0], dtype=np.complex128)
    fb = np.empty(b_mono.shape[0], dtype=np.complex128)
    work = (np.empty(parent.shape[0], dtype=np.complex128),
            np.empty(n_eqs * (1 + n), dtype=np.complex128),
            np.empty(n_eqs, dtype=np.complex128),
            np.empty((n, 2), dtype=np.complex128),
            np.empty((n, n), dtype=np.complex128))
    plan = (parent, var, a_ptr, a_mono, b_ptr, b_mono, n_eqs)
    row = -1
    for i in range(batch):
        r = i if a.shape[0] > 1 else 0
        if r != row:
            for e in range(fa.shape[0]):
                fa[e] = a[r, a_base[e]] * a_factor[e]
            for e in range(fb.shape[0]):
                fb[e] = b[r, b_base[e]] * b_factor[e]
            row = r
        s[i], status[i], acc[i], rej[i] = _track_one(
            x[i], ta[i], tb[i], plan, fa, fb, work, atol, max_correction, max_newton,
            initial_step, min_step, max_steps)
    return s, status, acc, rej


def entries(plan, a, b) -> tuple:
    """The arguments of :func:`track_paths` that describe the terms of ``plan`` (a
    :class:`~.terms.TermPlan`) with coefficients a + t b, a and b of shape (P, T)."""
    parent, var = plan.tree
    out = []
    for coef in (a, b):
        used = np.any(coef != 0, axis=0)  # terms with a nonzero coefficient for some path
        keep = np.flatnonzero(used[plan.entry_base])
        ptr = np.searchsorted(plan.entry_row[keep], np.arange(plan.n_rows + 1))
        out.append((ptr.astype(np.int64), plan.entry_mono[keep], plan.entry_base[keep],
                    plan.entry_factor[keep].astype(np.float64)))
    return parent, var, out[0], out[1], plan.n_eqs
