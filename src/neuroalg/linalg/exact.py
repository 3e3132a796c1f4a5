"""Exact linear algebra over GF(p) and Q: kernels and reduced echelon forms mod p, the Chinese
remainder theorem with rational reconstruction, and ranks over Q.

Kernels mod p are canonical (reduced row echelon form), so that the same rational kernel read
modulo several primes can be lifted: CRT gives it modulo the product M, and Wang's rational
reconstruction recovers n/d from a mod M when |n|, d <= sqrt(M/2) (Wang 1981; von zur Gathen and
Gerhard, *Modern Computer Algebra*, Section 5.10). A lift is a candidate only: callers verify it
exactly.
"""

from __future__ import annotations

from fractions import Fraction
from typing import cast

import flint
import numpy as np


def kernel_rref_mod(matrix: np.ndarray, p: int) -> np.ndarray:
    """Kernel of matrix mod p as rows in reduced row echelon form (canonical)."""
    x, nullity = flint.nmod_mat(matrix.tolist(), p).nullspace()
    if nullity == 0:
        return np.zeros((0, matrix.shape[1]), dtype=np.int64)
    basis = flint.nmod_mat([[int(x[i, j]) for i in range(x.nrows())] for j in range(nullity)], p)
    rref, rank = basis.rref()
    return np.array([[int(rref[i, j]) for j in range(rref.ncols())] for i in range(rank)],
                    dtype=np.int64)


def rational_reconstruction(a: int, m: int) -> Fraction | None:
    """n/d = a mod m with |n|, d <= sqrt(m/2) (Wang 1981), or None."""
    bound = int((m // 2) ** 0.5)
    r0, r1, s0, s1 = m, a % m, 0, 1
    while r1 > bound:
        q = r0 // r1
        r0, r1, s0, s1 = r1, r0 - q * r1, s1, s0 - q * s1
    if s1 == 0 or abs(s1) > bound:
        return None
    return Fraction(r1, s1)


def crt_lift(kernels: list[np.ndarray], primes: list[int]) -> list[list[Fraction]] | None:
    """The rational matrix whose reductions mod ``primes`` are ``kernels`` (same shape), by CRT
    and rational reconstruction entrywise; None when the shapes differ or an entry does not
    reconstruct (more primes are needed, or the kernels are not reductions of one matrix)."""
    shapes = {k.shape for k in kernels}
    if len(shapes) != 1:
        return None
    modulus = 1
    acc = np.zeros(kernels[0].shape, dtype=object)
    for k, p in zip(kernels, primes):  # CRT
        inv = pow(modulus, -1, p)
        acc = acc + modulus * ((k.astype(object) - acc) * inv % p)
        modulus *= p
    rows = []
    for row in acc:
        lifted = [rational_reconstruction(int(v), modulus) for v in row]
        if any(v is None for v in lifted):
            return None
        rows.append(cast("list[Fraction]", lifted))  # no None left
    return rows


def nullspace_mod(a: np.ndarray, p: int) -> np.ndarray:
    """Basis of the right kernel of ``a`` over GF(p), as columns."""
    m, n = a.shape
    mat = flint.nmod_mat(m, n, a.astype(np.int64).ravel().tolist(), p)
    x, nullity = mat.nullspace()
    cols = [[int(x[i, j]) for j in range(nullity)] for i in range(n)]
    return np.array(cols, dtype=np.int64).reshape(n, nullity)


def rank_q(mat) -> int:
    """Exact rank over Q of a matrix of Fractions (a list of rows)."""
    if not mat or not mat[0]:
        return 0
    return flint.fmpq_mat(len(mat), len(mat[0]),
                          [flint.fmpq(v.numerator, v.denominator) for row in mat for v in row]).rank()


def rref_q(mat) -> tuple[list[list[Fraction]], list[int]]:
    """The nonzero rows of the reduced row echelon form over Q of a matrix of Fractions (list of
    rows) and its pivot columns. Column j of the matrix is sum_i R[i][j] (column pivots[i])."""
    m = len(mat)
    n = len(mat[0]) if m else 0
    if m == 0:
        return [], []
    rref, rank = flint.fmpq_mat(m, n, [flint.fmpq(v.numerator, v.denominator)
                                       for row in mat for v in row]).rref()
    pivots, row = [], 0
    for col in range(n):
        if row < rank and rref[row, col] != 0:
            pivots.append(col)
            row += 1
    rows = [[Fraction(int(rref[i, j].p), int(rref[i, j].q)) for j in range(n)] for i in range(rank)]
    return rows, pivots


def nullspace_q(mat) -> list[list[Fraction]]:
    """A basis of the right kernel over Q of a matrix of Fractions (list of rows), as a list of
    column vectors: one per free column of the reduced row echelon form (exact)."""
    m = len(mat)
    n = len(mat[0]) if m else 0
    if m == 0:
        return [[Fraction(int(i == j)) for i in range(n)] for j in range(n)]
    rref, pivots = rref_q(mat)
    basis = []
    for free in (c for c in range(n) if c not in pivots):
        vec = [Fraction(0)] * n
        vec[free] = Fraction(1)
        for i, col in enumerate(pivots):
            vec[col] = -rref[i][free]
        basis.append(vec)
    return basis
