"""Feasibility of small systems of linear constraints, grown one block at a time.

A :class:`Tableau` holds the constraints ``c . a <= r`` and ``c . a = r`` on a free vector
``a`` in R^n in simplex tableau form: every constraint gets a slack (``s = r - c . a``, ``s >= 0``
or ``s = 0``), and the basic variables are written in terms of the nonbasic ones,
``x_B(i) = rhs_i - sum_j T_ij x_j``. :meth:`Tableau.feasible` pivots with the least-index
criss-cross rule on a zero objective (Terlaky, *A convergent criss-cross method*, Optimization 16,
1985; with a zero objective it is a finite pivoting method for linear feasibility), free
variables entering first (once basic they never leave) and equality slacks leaving for good.
A row whose basic variable is out of bounds and which no eligible column can repair proves the
system infeasible. Adding constraints to a feasible tableau starts from its basis (a warm start),
which is what a depth-first search over growing constraint sets needs: a child costs a few pivots.

Floating point with a relative tolerance: the answers are used to prune a search whose leaves are
verified exactly (see :mod:`.mixed_volume`).
"""

from __future__ import annotations

import numpy as np

FREE, NONNEG, FIXED = 0, 1, 2
_LOWER = np.array([-np.inf, 0.0, 0.0])  # bounds of a variable by kind
_UPPER = np.array([np.inf, np.inf, 0.0])


class Tableau:
    """Constraints on a free vector of length ``n``; starts empty (feasible)."""

    __slots__ = ("T", "rhs", "basis", "lower", "upper", "kind", "nonbasic", "tol")

    def __init__(self, n: int, tol: float = 1e-9):
        self.T = np.zeros((0, n))
        self.rhs = np.zeros(0)
        self.basis = np.zeros(0, dtype=np.int64)
        self.lower = np.zeros(0)  # bounds of each row's basic variable
        self.upper = np.zeros(0)
        self.kind = np.full(n, FREE, dtype=np.int8)
        self.nonbasic = np.ones(n, dtype=bool)
        self.tol = tol

    def copy(self) -> "Tableau":
        new = Tableau.__new__(Tableau)
        new.T, new.rhs, new.basis = self.T.copy(), self.rhs.copy(), self.basis.copy()
        new.lower, new.upper = self.lower.copy(), self.upper.copy()
        new.kind, new.nonbasic, new.tol = self.kind, self.nonbasic.copy(), self.tol
        return new

    def add(self, rows: np.ndarray, values: np.ndarray, kinds: np.ndarray) -> None:
        """Add the constraints ``rows @ a <= values`` (``kinds`` NONNEG) or ``== values``
        (``kinds`` FIXED): rows (k, n) float, values (k,), kinds (k,) int8."""
        k, n = rows.shape
        m, width = self.T.shape
        new = np.zeros((m + k, width + k))
        new[:m, :width] = self.T
        block = new[m:]
        block[:, :n] = rows
        block[:, width:] = np.eye(k)
        rhs = np.concatenate([self.rhs, values])
        if m:  # write the new rows in the nonbasic variables
            coef = block[:, self.basis]
            block -= coef @ new[:m]
            rhs[m:] -= coef @ self.rhs
        self.T, self.rhs = new, rhs
        self.basis = np.concatenate([self.basis, width + np.arange(k)])
        self.lower = np.concatenate([self.lower, _LOWER[kinds]])
        self.upper = np.concatenate([self.upper, _UPPER[kinds]])
        self.kind = np.concatenate([self.kind, kinds])
        self.nonbasic = np.concatenate([self.nonbasic, np.zeros(k, dtype=bool)])

    def _pivot(self, r: int, j: int) -> None:
        T, rhs = self.T, self.rhs
        p = T[r, j]
        rhs[r] /= p
        T[r] /= p
        col = T[:, j].copy()
        col[r] = 0.0
        T -= col[:, None] * T[r]
        rhs -= col * rhs[r]
        self.nonbasic[self.basis[r]] = True
        self.nonbasic[j] = False
        self.basis[r] = j
        self.lower[r] = _LOWER[self.kind[j]]
        self.upper[r] = _UPPER[self.kind[j]]

    def feasible(self, max_pivots: int = 10_000) -> bool:
        """Pivot until every basic variable is within its bounds (True) or a row proves that
        no solution exists (False)."""
        kind = self.kind
        for _ in range(max_pivots):
            rhs = self.rhs
            tol = self.tol * (1.0 + np.abs(rhs))
            low = rhs < self.lower - tol
            bad = np.flatnonzero(low | (rhs > self.upper + tol))
            if bad.size == 0:
                return True
            r = int(bad[np.argmin(self.basis[bad])])  # least-index infeasible variable
            row = self.T[r]
            eps = self.tol * (1.0 + np.abs(row).max())
            movable = self.nonbasic & (np.abs(row) > eps)
            free = np.flatnonzero(movable & (kind == FREE))
            if free.size:
                self._pivot(r, int(free[0]))
                continue
            # raise x_B(r) = rhs_r - T_r x: a nonnegative column with T_rj < 0 enters
            sign = row < 0 if low[r] else row > 0
            cand = np.flatnonzero(movable & sign & (kind == NONNEG))
            if cand.size == 0:
                return False
            self._pivot(r, int(cand[0]))
        raise RuntimeError("criss-cross pivoting did not terminate (numerical cycling)")

    def point(self) -> np.ndarray:
        """The free variables' values in the current basic solution (nonbasic ones at 0)."""
        n = int(np.sum(self.kind == FREE))
        x = np.zeros(len(self.kind))
        x[self.basis] = self.rhs
        return x[:n]
