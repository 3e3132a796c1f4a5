"""Exact Gaussian moments and the exact Fisher information of polynomial networks.

For a polynomial network, every entry of the parameter Jacobian J(x) = df_theta(x)/dtheta is a
polynomial in x: J_k(x) = sum_alpha C_k[alpha, :] x^alpha (output k, monomials x^alpha). For
x ~ N(mu, Sigma),

    F(theta) = (1/sigma^2) E_x[J(x)^T J(x)] = (1/sigma^2) sum_k C_k^T M C_k,
    M[alpha, beta] = E[x^(alpha + beta)],

and the moments satisfy E[x_i x^beta] = mu_i E[x^beta] + sum_j Sigma_ij beta_j E[x^(beta - e_j)]
(Isserlis/Wick; for mu = 0, Sigma = I: E[x^alpha] = prod_i (alpha_i - 1)!! when every alpha_i is
even, else 0). The coefficients C_k come from the architecture's own reverse pass run over
exact polynomials in x (python-flint ``fmpq_mpoly``) at the exact rational point theta (a float
is its exact binary value), so F is an exact rational matrix and its rank is exact.

References
----------
[Iss18] L. Isserlis (1918), On a formula for the product-moment coefficient of any order of a
        normal frequency distribution in any number of variables, Biometrika 12, 134-139.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import flint
import numpy as np

from ..arch import Architecture
from ..errors import SpecError

#: exact path limits: parameters, and monomials of degree <= the output degree
MAX_EXACT_PARAMS = 300
MAX_EXACT_MONOMIALS = 2000


def gaussian_moment(alpha: tuple[int, ...], mean=None, cov=None) -> Fraction:
    """E[x^alpha] for x ~ N(mean, cov) (standard Gaussian when both are None), exactly.

    >>> gaussian_moment((4,)), gaussian_moment((2, 2)), gaussian_moment((1, 3))
    (Fraction(3, 1), Fraction(1, 1), Fraction(0, 1))
    """
    if mean is None and cov is None:
        out = Fraction(1)
        for a in alpha:
            if a % 2:
                return Fraction(0)
            out *= _double_factorial(a - 1)
        return out
    d = len(alpha)
    mean = tuple(Fraction(m) for m in (mean if mean is not None else (0,) * d))
    cov = tuple(tuple(Fraction(c) for c in row) for row in
                (cov if cov is not None else [[int(i == j) for j in range(d)] for i in range(d)]))
    return _moment(tuple(alpha), mean, cov)


@lru_cache(maxsize=200_000)
def _moment(alpha, mean, cov) -> Fraction:
    i = next((k for k, a in enumerate(alpha) if a > 0), None)
    if i is None:
        return Fraction(1)
    beta = list(alpha)
    beta[i] -= 1
    out = mean[i] * _moment(tuple(beta), mean, cov)
    for j, b in enumerate(beta):
        if b and cov[i][j]:
            gamma = list(beta)
            gamma[j] -= 1
            out += cov[i][j] * b * _moment(tuple(gamma), mean, cov)
    return out


def _double_factorial(n: int) -> int:
    out = 1
    while n > 1:
        out *= n
        n -= 2
    return out


@dataclass(frozen=True)
class _XPolyField:
    """The numeric field protocol of :mod:`neuroalg.fields` over object arrays of exact
    polynomials in the inputs x (flint ``fmpq_mpoly``), used to run an architecture's reverse
    pass with x symbolic and theta an exact rational point."""

    ctx: Any  # flint.fmpq_mpoly_ctx
    dtype = object
    is_exact = False

    def asarray(self, a):
        if isinstance(a, np.ndarray) and a.dtype == object:
            return a
        raise TypeError("exact polynomial field expects object arrays")

    def constant(self, c):
        c = Fraction(c)
        out = np.empty((), dtype=object)
        out[()] = self.ctx.constant(flint.fmpq(c.numerator, c.denominator))
        return out

    def add(self, a, b):
        return a + b

    def sub(self, a, b):
        return a - b

    def mul(self, a, b):
        return a * b

    def neg(self, a):
        return -a

    def sum(self, a, axis):
        return np.sum(a, axis=axis)

    def pow(self, a, k: int):
        return a**k

    def inv(self, a):
        raise SpecError("exact Fisher information needs a polynomial network (no 1/x)")

    def matmul(self, a, b):
        return a @ b


def _objects(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


#: per output k: monomial index -> [(parameter index, coefficient), ...]
Coefficients = dict[int, list[tuple[int, Fraction]]]


def jacobian_coefficients(arch: Architecture, theta: Sequence[Fraction]
                          ) -> tuple[list[tuple[int, ...]], list[Coefficients]]:
    """The Jacobian of a polynomial architecture at the exact point ``theta`` as polynomials in x.

    Returns ``(monomials, coefficients)``: a list of exponent tuples and, per output k, a dict
    mapping each monomial's index to a list of (parameter index, Fraction) pairs.
    """
    d = int(np.prod(arch.input_shape))
    ctx = flint.fmpq_mpoly_ctx.get(tuple(f"x{i}" for i in range(d)), "lex")
    field = _XPolyField(ctx)
    th = _objects([ctx.constant(flint.fmpq(t.numerator, t.denominator)) for t in theta])
    x = _objects(list(ctx.gens())).reshape((1,) + tuple(arch.input_shape))
    index: dict[tuple[int, ...], int] = {}
    per_output: list[Coefficients] = []
    for k in range(arch.n_outputs):
        cot = _objects([ctx.constant(int(j == k)) for j in range(arch.n_outputs)])
        row = arch.vjp(th, x, cot.reshape((1,) + tuple(arch.output_shape)), field)[0]
        coeffs: Coefficients = {}
        for p, poly in enumerate(row):
            if isinstance(poly, (int, np.integer)):
                if poly:
                    raise AssertionError("unexpected constant in the Jacobian")
                continue
            for exps, c in poly.to_dict().items():
                if c == 0:
                    continue
                a = index.setdefault(tuple(int(e) for e in exps), len(index))
                coeffs.setdefault(a, []).append((p, Fraction(int(c.p), int(c.q))))
        per_output.append(coeffs)
    monomials = sorted(index, key=index.__getitem__)  # by index
    return monomials, per_output


def exact_fisher(arch, theta: tuple[Fraction, ...], *, mean=None, cov=None,
                 noise: Fraction = Fraction(1)) -> flint.fmpq_mat:
    """F(theta) = (1/noise^2) E[J^T J] for x ~ N(mean, cov) (standard if None), exactly
    (module docstring)."""
    if arch.n_params > MAX_EXACT_PARAMS:
        raise SpecError(f"{arch}: {arch.n_params} parameters; the exact Fisher information "
                        f"allows at most {MAX_EXACT_PARAMS} (use method='quadrature')")
    monomials, per_output = jacobian_coefficients(arch, theta)
    n_mono, P = len(monomials), arch.n_params
    if n_mono > MAX_EXACT_MONOMIALS:
        raise SpecError(f"{arch}: {n_mono} input monomials; the exact Fisher information allows "
                        f"at most {MAX_EXACT_MONOMIALS} (use method='quadrature')")
    standard = mean is None and cov is None
    mom = flint.fmpq_mat(n_mono, n_mono)
    for a in range(n_mono):
        for b in range(a, n_mono):
            alpha = tuple(i + j for i, j in zip(monomials[a], monomials[b]))
            v = gaussian_moment(alpha) if standard else _moment(alpha, tuple(mean), tuple(cov))
            if v:
                mom[a, b] = mom[b, a] = flint.fmpq(v.numerator, v.denominator)
    F = flint.fmpq_mat(P, P)
    for coeffs in per_output:
        C = flint.fmpq_mat(n_mono, P)
        for a, entries in coeffs.items():
            for p, c in entries:
                C[a, p] = flint.fmpq(c.numerator, c.denominator)
        F += C.transpose() * mom * C
    scale = Fraction(1) / (Fraction(noise) ** 2)
    return F * flint.fmpq(scale.numerator, scale.denominator)


def to_float(mat: flint.fmpq_mat) -> np.ndarray:
    """An exact rational matrix as float64 (each entry correctly rounded)."""
    return np.array([[float(Fraction(int(v.p), int(v.q))) for v in row] for row in
                     _rows(mat)], dtype=float).reshape(mat.nrows(), mat.ncols())


def _rows(mat):
    return [[mat[i, j] for j in range(mat.ncols())] for i in range(mat.nrows())]


def exact_kernel(mat: flint.fmpq_mat) -> list[list[Fraction]]:
    """A basis of the right kernel of an exact rational matrix (from its reduced row echelon
    form: one vector per free column)."""
    rref, rank = mat.rref()
    n = mat.ncols()
    pivots, r = [], 0
    for i in range(rank):
        while r < n and rref[i, r] == 0:
            r += 1
        pivots.append(r)
    free = [j for j in range(n) if j not in set(pivots)]
    basis = []
    for f in free:
        v = [Fraction(0)] * n
        v[f] = Fraction(1)
        for i, pcol in enumerate(pivots):
            e = rref[i, f]
            v[pcol] = -Fraction(int(e.p), int(e.q))
        basis.append(v)
    return basis


def fmpq_matrix(rows) -> flint.fmpq_mat:
    """An fmpq_mat from rows of Fractions (or ints)."""
    rows = [list(r) for r in rows]
    m = flint.fmpq_mat(len(rows), len(rows[0]) if rows else 0)
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            v = Fraction(v)
            if v:
                m[i, j] = flint.fmpq(v.numerator, v.denominator)
    return m
