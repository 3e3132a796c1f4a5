"""Batched evaluation of polynomial systems and their Jacobians with moving coefficients.

A :class:`TermPlan` is compiled once from the exponents and equation index of every term. It
evaluates, for a batch of B points, sums of the form sum_k c_k x^(a_k) over the rows of the values
(n_eqs rows) and of the Jacobian (n_eqs x n rows, d/dx_j of c x^a being a_j c x^(a - e_j)):

- every monomial that occurs in a term or in a partial derivative is the product of a smaller one
  and one variable, so all of them come from one multiplication per monomial, level by level in
  the degree (one vectorized product per degree);
- with fixed coefficients the output rows are a sparse matrix (rows x monomials, coefficients
  and exponent factors summed) times the monomial values: one sparse product;
- with per-path coefficients (T, B) the entries (output row, monomial, term, factor) are
  gathered, multiplied by their path's coefficient and summed by a sparse 0/factor matrix;
- arrays are feature-major ((monomials or entries) x B): gathering a monomial copies one
  contiguous row of B numbers, and the sparse products add contiguous rows.

Work arrays are allocated for the largest batch seen and reused (``out=``), so a tracker that
evaluates at every step does not allocate its large temporaries again.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from scipy import sparse


class TermPlan:
    """Evaluation plan for terms (exponents (T, n), equation (T,)) in ``n_eqs`` equations."""

    def __init__(self, exponents, equation, n_eqs: int):
        e = np.asarray(exponents, dtype=np.int64)
        q = np.asarray(equation, dtype=np.int64)
        n_terms, n = e.shape
        self.n_vars, self.n_eqs, self.n_terms = n, n_eqs, n_terms
        self.n_rows = n_eqs * (1 + n)
        rows, exps, base, factor = [q], [e], [np.arange(n_terms)], [np.ones(n_terms)]
        for j in range(n):
            has = np.flatnonzero(e[:, j] > 0)
            d = e[has].copy()
            d[:, j] -= 1
            rows.append(n_eqs + q[has] * n + j)
            exps.append(d)
            base.append(has)
            factor.append(e[has, j].astype(float))
        row, ex = np.concatenate(rows), np.vstack(exps)
        order = np.argsort(row, kind="stable")
        self.entry_row, ex = row[order], ex[order]
        self.entry_base = np.concatenate(base)[order]
        self.entry_factor = np.concatenate(factor)[order]
        self.n_value_entries = int(np.searchsorted(self.entry_row, n_eqs))
        self._monomials(ex)
        n_e = len(self.entry_row)
        self.entry_sum = sparse.csr_matrix((self.entry_factor, (self.entry_row, np.arange(n_e))),
                                           shape=(self.n_rows, n_e))
        k = self.n_value_entries
        self.value_sum = sparse.csr_matrix((self.entry_factor[:k], (self.entry_row[:k],
                                                                     np.arange(k))),
                                           shape=(n_eqs, k))
        self._flat: np.ndarray | None = None
        self._width = 0

    def _monomials(self, entry_exponents):
        """Unique monomials closed under removing one variable, sorted by degree, with
        (parent, variable) for each of degree >= 1; ``entry_mono`` indexes them."""
        have = {tuple(a) for a in np.unique(entry_exponents, axis=0).tolist()}
        todo = list(have)
        while todo:
            a = todo.pop()
            if sum(a):
                j = next(k for k, v in enumerate(a) if v)
                up = a[:j] + (a[j] - 1,) + a[j + 1:]
                if up not in have:
                    have.add(up)
                    todo.append(up)
        have.add((0,) * self.n_vars)
        monos = sorted(have, key=lambda a: (sum(a), a))
        index = {a: k for k, a in enumerate(monos)}
        degree = np.array([sum(a) for a in monos], dtype=np.int64)
        parent = np.zeros(len(monos), dtype=np.int64)
        var = np.zeros(len(monos), dtype=np.int64)
        for k, a in enumerate(monos):
            if degree[k]:
                j = next(i for i, v in enumerate(a) if v)
                parent[k] = index[a[:j] + (a[j] - 1,) + a[j + 1:]]
                var[k] = j
        self.n_monomials = len(monos)
        self.levels = []
        for d in range(1, int(degree.max(initial=0)) + 1):
            idx = np.flatnonzero(degree == d)
            self.levels.append((int(idx[0]), int(idx[-1]) + 1, parent[idx], var[idx]))
        self.entry_mono = np.array([index[tuple(a)] for a in entry_exponents.tolist()],
                                   dtype=np.int64)

    @cached_property
    def tree(self) -> tuple[np.ndarray, np.ndarray]:
        """(parent, var) of every monomial: monomial j = monomial parent[j] times x[var[j]]
        (j >= 1; monomial 0 is 1)."""
        parent = np.zeros(self.n_monomials, dtype=np.int64)
        var = np.zeros(self.n_monomials, dtype=np.int64)
        for start, stop, par, v in self.levels:
            parent[start:stop], var[start:stop] = par, v
        return parent, var

    def _work(self, batch: int):
        """(monomials (M, B), entries (E, B), scratch (E, B), level scratch (W, B)) as
        contiguous views of one buffer allocated for the largest batch seen."""
        n_e = len(self.entry_mono)
        width = max((stop - start for start, stop, _, _ in self.levels), default=1)
        sizes = (self.n_monomials, n_e, n_e, width)
        if self._flat is None or self._width < batch:
            self._flat = np.empty(sum(sizes) * batch, dtype=np.complex128)
            self._width = batch
        out, at = [], 0
        for rows in sizes:
            out.append(self._flat[at: at + rows * batch].reshape(rows, batch))
            at += rows * batch
        return out

    def monomials(self, x):
        """All monomials at the points x (B, n), as (M, B) (a work array, valid until the next
        call)."""
        mono, _, _, tmp = self._work(len(x))
        xt = np.ascontiguousarray(x.T)
        mono[0] = 1.0
        for start, stop, parent, var in self.levels:
            k = stop - start
            np.take(mono, parent, axis=0, out=tmp[:k], mode="clip")
            np.multiply(tmp[:k], xt[var], out=mono[start:stop])
        return mono

    def matrix(self, coefficients) -> sparse.csr_matrix:
        """The output rows as a sparse (n_rows, M) matrix for fixed per-term coefficients
        (T,): rows = matrix @ monomials."""
        c = np.asarray(coefficients, dtype=np.complex128)[self.entry_base] * self.entry_factor
        keep = c != 0
        return sparse.csr_matrix((c[keep], (self.entry_row[keep], self.entry_mono[keep])),
                                 shape=(self.n_rows, self.n_monomials))

    def split(self, out, batch):
        """Values (B, n_eqs) and Jacobian (B, n_eqs, n) from all rows (n_rows, B)."""
        n = self.n_eqs
        return out[:n].T, out[n:].reshape(n, self.n_vars, batch).transpose(2, 0, 1)

    def per_path(self, x, coefficients, dt_coefficients=None):
        """Values, Jacobian (and the values with ``dt_coefficients``) for per-path term
        coefficients (T, B)."""
        batch = len(x)
        mono = self.monomials(x)
        _, ent, scratch, _ = self._work(batch)
        np.take(mono, self.entry_mono, axis=0, out=ent, mode="clip")
        np.take(coefficients, self.entry_base, axis=0, out=scratch, mode="clip")
        scratch *= ent
        values, jac = self.split(self.entry_sum @ scratch, batch)
        if dt_coefficients is None:
            return values, jac
        k = self.n_value_entries
        part = scratch[:k]
        np.take(dt_coefficients, self.entry_base[:k], axis=0, out=part, mode="clip")
        part *= ent[:k]
        return values, jac, (self.value_sum @ part).T
