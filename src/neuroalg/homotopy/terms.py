"""Batched evaluation of a polynomial system and its Jacobian with per-path coefficients.

A :class:`TermPlan` is compiled once from the exponents and equation index of every term. It
evaluates, for a batch of B points x (B, n) and a coefficient matrix (T,) or (B, T) (one row per
path: homotopies move the coefficients), the values (B, n_eqs) and the Jacobian (B, n_eqs, n):

- every monomial that occurs in a term or in a partial derivative is the product of a smaller one
  and one variable, so all of them come from one multiplication per monomial, level by level in
  the degree (one vectorized product per degree);
- the entries (term, output row, factor) of the values and of the Jacobian (d/dx_j of c x^a is
  a_j c x^(a - e_j)) are sorted by output row, so the sums are one ``np.add.reduceat``.

Work arrays are allocated once per batch size and reused (``out=``), so a path tracker that calls
the plan at every step does not allocate the large temporaries again.
"""

from __future__ import annotations

import numpy as np


class TermPlan:
    """Evaluation plan for terms (exponents (T, n), equation (T,)) in ``n_eqs`` equations."""

    def __init__(self, exponents, equation, n_eqs: int):
        e = np.asarray(exponents, dtype=np.int64)
        q = np.asarray(equation, dtype=np.int64)
        n_terms, n = e.shape
        self.n_vars, self.n_eqs, self.n_terms = n, n_eqs, n_terms
        # entries: (output row, exponent of the monomial, base term, factor)
        rows, exps, base, factor = [q], [e], [np.arange(n_terms)], [np.ones(n_terms)]
        for j in range(n):
            has = np.flatnonzero(e[:, j] > 0)
            d = e[has].copy()
            d[:, j] -= 1
            rows.append(n_eqs + q[has] * n + j)
            exps.append(d)
            base.append(has)
            factor.append(e[has, j].astype(float))
        n_rows = n_eqs * (1 + n)
        empty = np.setdiff1d(np.arange(n_rows), np.concatenate(rows))
        rows.append(empty)  # rows with no entry get a zero entry (reduceat needs one)
        exps.append(np.zeros((len(empty), n), dtype=np.int64))
        base.append(np.zeros(len(empty), dtype=np.int64))
        factor.append(np.zeros(len(empty)))
        row, ex = np.concatenate(rows), np.vstack(exps)
        order = np.argsort(row, kind="stable")
        row, ex = row[order], ex[order]
        self.entry_base = np.concatenate(base)[order]
        self.entry_factor = np.concatenate(factor)[order]
        self.starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
        self.n_values_entries = int(self.starts[n_eqs]) if n_eqs < len(self.starts) else len(row)
        self._monomials(ex)
        self._buffers: dict[int, tuple[np.ndarray, ...]] = {}

    def _monomials(self, entry_exponents):
        """Unique monomials closed under removing one variable, sorted by degree, with
        (parent, variable) for each of degree >= 1; ``entry_mono`` indexes them."""
        n = self.n_vars
        have = {tuple(a) for a in np.unique(entry_exponents, axis=0).tolist()}
        todo = list(have)
        while todo:
            a = todo.pop()
            if sum(a):
                j = next(k for k, v in enumerate(a) if v)
                parent = a[:j] + (a[j] - 1,) + a[j + 1:]
                if parent not in have:
                    have.add(parent)
                    todo.append(parent)
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
        assert n == 0 or self.levels or self.n_monomials == 1

    def _work(self, batch: int):
        """Work arrays for ``batch`` rows: views of arrays allocated for the largest batch seen."""
        buf = self._buffers.get(0)
        if buf is None or len(buf[0]) < batch:
            n_entries = len(self.entry_mono)
            width = max((stop - start for start, stop, _, _ in self.levels), default=1)
            buf = (np.empty((batch, self.n_monomials), dtype=np.complex128),
                   np.empty((batch, n_entries), dtype=np.complex128),
                   np.empty((batch, n_entries), dtype=np.complex128),
                   np.empty((batch, n_entries), dtype=np.complex128),
                   np.empty((batch, width), dtype=np.complex128),
                   np.empty((batch, width), dtype=np.complex128))
            self._buffers[0] = buf
        return tuple(b[:batch] for b in buf)

    def monomials(self, x):
        """All monomial values (B, n_monomials) into the plan's work array (valid until the
        next call with the same batch size)."""
        batch = len(x)
        mono, _, _, _, left, right = self._work(batch)
        mono[:, 0] = 1.0
        for start, stop, parent, var in self.levels:
            k = stop - start
            np.take(mono, parent, axis=1, out=left[:, :k])
            np.take(x, var, axis=1, out=right[:, :k])
            np.multiply(left[:, :k], right[:, :k], out=mono[:, start:stop])
        return mono

    def entry_coefficients(self, coefficients):
        """Per-entry coefficients (E,) or (B, E) from per-term ones (T,) or (B, T)."""
        c = np.asarray(coefficients)
        return c[..., self.entry_base] * self.entry_factor

    def affine_coefficients(self, a, b, t):
        """Per-entry coefficients a + t b (B, E) for per-path t (B,), into a work array."""
        coef = self._work(len(t))[3]
        np.multiply(t[:, None], b, out=coef)
        coef += a
        return coef

    def evaluate_entries(self, x, entry_coef, dt_entry_coef=None):
        """Values (B, n_eqs) and Jacobian (B, n_eqs, n) from per-entry coefficients (E,) or
        (B, E); with ``dt_entry_coef``, also sum over value entries of mono * dt_entry_coef."""
        batch = len(x)
        mono = self.monomials(x)
        _, prod, scratch, _, _, _ = self._work(batch)
        np.take(mono, self.entry_mono, axis=1, out=prod)
        np.multiply(prod, entry_coef, out=scratch)
        out = np.add.reduceat(scratch, self.starts, axis=1)
        n = self.n_eqs
        values = out[:, :n]
        jac = out[:, n:].reshape(batch, n, self.n_vars)
        if dt_entry_coef is None:
            return values, jac
        k = self.n_values_entries
        dvals = np.multiply(prod[:, :k], dt_entry_coef[..., :k], out=scratch[:, :k])
        dt = np.add.reduceat(dvals, self.starts[:n], axis=1)
        return values, jac, dt
