"""The modular elimination compiled with numba (the ``fast`` extra): its small steps, and
(:func:`rank`) the whole recursion with its products by BLAS dgemm.

The small steps have the functions and contracts of :mod:`neuroalg.linalg.kernels` (the numpy
reference), fused into single passes. Reductions of a float64 integer ``|x| < 2**53`` use ``x - floor(x / p) p`` with
one correction each way (the floating quotient is off by at most one). The thin-block
elimination works in float64 with delayed reduction when ``BASE_COLS (p - 1)**2 < 2**52``
(primes below ~2**24): each entry is reduced once when its column becomes the pivot column
instead of after every update; larger primes reduce after every update in int64. Compiled
code is cached on disk (numba ``cache=True``), so only the first run after an install compiles.
"""

from __future__ import annotations

import numba
import numpy as np

from ..fields import COMPILED_OUTER

BASE_COLS = 16
BASE_TRSM = 32
_FLOAT_PRODUCTS = 2**52 // BASE_COLS  # (p - 1)^2 below this: delayed float64 reduction

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def _reduce(x, p, pinv):
    x = x - np.floor(x * pinv) * p
    if x < 0:
        x += p
    elif x >= p:
        x -= p
    return x


@_jit
def _mulmod(a, b, p, pinv):
    """a b mod p for floats a, b in [0, p)."""
    if (p - 1.0) * (p - 1.0) < 2.0**52:
        return _reduce(a * b, p, pinv)
    return float(np.int64(a) * np.int64(b) % np.int64(p))


@_jit
def _inverse(a, p):
    """a^-1 mod p (extended Euclid), a in [1, p)."""
    r0, r1, s0, s1 = np.int64(p), np.int64(a), np.int64(0), np.int64(1)
    while r1 != 0:
        q = r0 // r1
        r0, r1 = r1, r0 - q * r1
        s0, s1 = s1, s0 - q * s1
    return float(s0 % p)


@_jit
def sub_product(s, prod, p):
    """``s = (s - prod) mod p`` in place; ``s`` in ``[0, p)``, ``prod`` integers in ``[0, 2**53 - p)``."""
    pinv = 1.0 / p
    for i in range(s.shape[0]):
        for j in range(s.shape[1]):
            s[i, j] = _reduce(s[i, j] - prod[i, j], p, pinv)


@_jit
def store_product(t, prod, p):
    """``t = prod mod p`` in place; ``prod`` integers in ``[0, 2**53)``."""
    pinv = 1.0 / p
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            t[i, j] = _reduce(prod[i, j], p, pinv)


@_jit
def permute_rows(a, perm):
    """``a[:] = a[perm]`` in place, cycle by cycle, with one row of extra memory."""
    m, n = a.shape
    done = np.zeros(m, dtype=np.bool_)
    row = np.empty(n)
    for start in range(m):
        if done[start] or perm[start] == start:
            continue
        row[:] = a[start]
        i = start
        while perm[i] != start:
            a[i] = a[perm[i]]
            done[i] = True
            i = perm[i]
        a[i] = row
        done[i] = True


@_jit
def mix_columns(a, k, targets, coefs, p):
    """See :func:`neuroalg.linalg.kernels.mix_columns` (row by row here). Each head entry gets
    at most ``ceil(tail / k)`` terms per column of ``targets``: when their float64 sum stays
    exact, they are added unreduced and each touched entry reduced once."""
    pinv = 1.0 / p
    m, n = a.shape
    tail = n - k
    terms = targets.shape[1] * ((tail + k - 1) // k)
    delayed = terms * (p - 1.0) * (p - 1.0) + p < 2.0**53
    for i in range(m):
        row = a[i]
        for j in range(tail):
            x = row[k + j]
            for t in range(targets.shape[1]):
                c = targets[j, t]
                if delayed:
                    row[c] += coefs[j, t] * x
                else:
                    row[c] = _reduce(row[c] + _mulmod(coefs[j, t], x, p, pinv), p, pinv)
        if delayed:
            for j in range(min(tail, k)):
                for t in range(targets.shape[1]):
                    c = targets[j, t]
                    row[c] = _reduce(row[c], p, pinv)


@_jit
def pluq_base(a, p):
    """Eliminate a thin block in place; see :func:`neuroalg.linalg.kernels.pluq_base`.

    The block is copied transposed into a contiguous buffer, so that every update is a long
    loop over rows (vectorized), and copied back."""
    m, n = a.shape
    pinv = 1.0 / p
    delayed = (p - 1.0) * (p - 1.0) < _FLOAT_PRODUCTS
    t = np.empty((n, m))  # t[c, i] = a[i, c]
    for i in range(m):
        for c in range(n):
            t[c, i] = a[i, c]
    perm = np.arange(m)
    r = 0
    for j in range(n):
        if r == m:
            break
        col = t[j]
        for i in range(r, m):  # column j: reduce its pending updates
            col[i] = _reduce(col[i], p, pinv)
        piv = r
        while piv < m and col[piv] == 0:
            piv += 1
        if piv == m:
            continue
        if j != r:  # pivot column to position r
            for i in range(m):
                t[r, i], t[j, i] = t[j, i], t[r, i]
        if piv != r:  # pivot row to position r
            for c in range(n):
                t[c, r], t[c, piv] = t[c, piv], t[c, r]
            perm[r], perm[piv] = perm[piv], perm[r]
        inv = _inverse(t[r, r], p)
        lcol = t[r]
        for i in range(r + 1, m):  # multipliers: L below the pivot
            lcol[i] = _mulmod(lcol[i], inv, p, pinv)
        for c in range(r + 1, n):
            u = _reduce(t[c, r], p, pinv)  # U entry of the pivot row
            t[c, r] = u
            if u == 0:
                continue
            tc = t[c]
            if delayed:  # |t| grows by < (p-1)^2 per pivot: exact for BASE_COLS pivots
                for i in range(r + 1, m):
                    tc[i] -= lcol[i] * u
            else:
                for i in range(r + 1, m):
                    tc[i] = _reduce(tc[i] - _mulmod(lcol[i], u, p, pinv), p, pinv)
        r += 1
    for i in range(m):
        for c in range(n):
            a[i, c] = t[c, i]
    return perm, r


@_jit
def inv_unit_lower(l, p):
    """Inverse mod p of the unit lower triangular part of a small matrix, as float64."""
    r = l.shape[0]
    pinv = 1.0 / p
    inv = np.zeros((r, r))
    for i in range(r):
        inv[i, i] = 1.0
        for k in range(i):  # row i of the inverse: e_i - sum_k l[i, k] inv[k]
            c = l[i, k]
            if c == 0:
                continue
            for j in range(k + 1):
                inv[i, j] = _reduce(inv[i, j] - _mulmod(c, inv[k, j], p, pinv), p, pinv)
    return inv


# --- the whole elimination compiled, its products by BLAS dgemm in place -------------------
#
# The recursion of :class:`neuroalg.linalg.modular._Elimination`, with two differences: the
# products ``s -= a @ b`` are single dgemm calls (alpha = -1, beta = 1) on the matrix itself,
# and the result is not reduced at once: an entry updated with k products since its last
# reduction satisfies |x| < p + k (p - 1)**2 ("pending" k), exact in float64 while
# k <= kmax = (2**53 - 2p) // (p - 1)**2; blocks are reduced when they are read as operands (the
# thin-block elimination reduces each column as it reaches it; the triangular solve reduces its
# rows) or when more products would pass kmax. dgemm is scipy's (``scipy.linalg.cython_blas``),
# passed in as a ctypes function pointer (so that the compiled code can be cached). Views are
# row-major with unit column stride: a row-major m x n block with row stride ld is the
# column-major n x m matrix with leading dimension ld, so ``s -= a b`` is ``s^T -= b^T a^T``.


@_jit
def _reduce_block(a, p):
    pinv = 1.0 / p
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] = _reduce(a[i, j], p, pinv)


@_jit
def _gemm_sub(gemm, s, a, b, ints, reals):
    """``s -= a @ b`` in place by one dgemm (entries stay exact: the caller bounds them)."""
    m, k = a.shape
    n = b.shape[1]
    if m == 0 or n == 0 or k == 0:
        return
    ints[1], ints[2], ints[3] = n, m, k
    ints[4], ints[5], ints[6] = b.strides[0] // 8, a.strides[0] // 8, s.strides[0] // 8
    gemm(ints[0:].ctypes.data, ints[0:].ctypes.data, ints[1:].ctypes.data, ints[2:].ctypes.data,
         ints[3:].ctypes.data, reals[0:].ctypes.data, b.ctypes.data, ints[4:].ctypes.data,
         a.ctypes.data, ints[5:].ctypes.data, reals[1:].ctypes.data, s.ctypes.data,
         ints[6:].ctypes.data)


@_jit
def _sub_product(gemm, s, a, b, p, pend, kmax, ints, reals):
    """``s -= a @ b`` (``a``, ``b`` reduced; ``s`` pending ``pend``), lazily reduced; returns
    the pending count of ``s`` afterwards."""
    k = a.shape[1]
    k0 = 0
    while k0 < k:
        kc = min(k - k0, kmax)
        if pend + kc > kmax:
            _reduce_block(s, p)
            pend = 0
        _gemm_sub(gemm, s, a[:, k0 : k0 + kc], b[k0 : k0 + kc], ints, reals)
        pend += kc
        k0 += kc
    return pend


@_jit
def _trsm_base(l, t, p, pend, kmax):
    """``t = l^-1 t`` (unit lower part of a small ``l``) by forward substitution, row by row;
    ``t`` pending ``pend``, reduced afterwards."""
    r = l.shape[0]
    pinv = 1.0 / p
    if pend + r > kmax:
        _reduce_block(t, p)
    for i in range(r):
        for k in range(i):
            c = l[i, k]
            if c != 0:
                for j in range(t.shape[1]):
                    t[i, j] -= c * t[k, j]
        for j in range(t.shape[1]):
            t[i, j] = _reduce(t[i, j], p, pinv)


@_jit
def _trsm(gemm, l, t, p, pend, kmax, ints, reals):
    """``t = l^-1 t (mod p)`` in place for the unit lower triangular part of ``l`` (reduced);
    ``t`` pending ``pend``, reduced afterwards."""
    r = l.shape[0]
    if r <= BASE_TRSM:
        _trsm_base(l, t, p, pend, kmax)
        return
    h = r // 2
    _trsm(gemm, l[:h, :h], t[:h], p, pend, kmax, ints, reals)
    low = _sub_product(gemm, t[h:], l[h:, :h], t[:h], p, pend, kmax, ints, reals)
    _trsm(gemm, l[h:, h:], t[h:], p, low, kmax, ints, reals)


@_jit
def _pluq(gemm, a, p, stop, need_factors, split, pend, kmax, ints, reals):
    """See :meth:`neuroalg.linalg.modular._Elimination.pluq`; ``a`` pending ``pend``."""
    m, n = a.shape
    if n <= BASE_COLS:
        if pend + BASE_COLS > kmax:
            _reduce_block(a, p)
        return pluq_base(a, p)
    n1 = n // 2 if split < 0 else split
    # flags and counts passed as typed variables, never literals: one compiled specialization of
    # this recursive function (numba's cache of several of them crashes on loading)
    half, factors = n - n - 1, n > 0
    perm1, r1 = _pluq(gemm, a[:, :n1], p, stop, factors, half, pend, kmax, ints, reals)
    if r1 >= stop:
        return perm1, r1
    permute_rows(a[:, n1:], perm1)
    low = pend
    if r1 > 0:
        x = a[:r1, n1:]
        _trsm(gemm, a[:r1, :r1], x, p, pend, kmax, ints, reals)
        low = _sub_product(gemm, a[r1:, n1:], a[r1:, :r1], x, p, pend, kmax, ints, reals)
    perm2, r2 = _pluq(gemm, a[r1:, n1:], p, stop - r1, need_factors, half, low, kmax, ints, reals)
    if need_factors:
        permute_rows(a[r1:, :r1], perm2)
        if r2 > 0 and n1 > r1:  # the right pivot columns' L next to the left ones
            for i in range(r1, m):
                for j in range(r2):
                    a[i, r1 + j] = a[i, n1 + j]
    perm = np.empty(m, dtype=np.int64)
    perm[:r1] = perm1[:r1]
    for i in range(m - r1):
        perm[r1 + i] = perm1[r1 + perm2[i]]
    return perm, r1 + r2


def dgemm():
    """scipy's BLAS dgemm (``scipy.linalg.cython_blas``) as a ctypes function pointer."""
    import ctypes

    from numba.extending import get_cython_function_address

    if not _DGEMM:
        address = get_cython_function_address("scipy.linalg.cython_blas", "dgemm")
        _DGEMM.append(ctypes.CFUNCTYPE(None, *[ctypes.c_void_p] * 13)(address))
    return _DGEMM[0]


_DGEMM: list = []


@_jit
def rank(gemm, a, p, stop, split):
    """Rank (or at least ``stop``) of the row-major float64 matrix ``a`` (entries in [0, p),
    unit column stride), destroyed; ``split``: the first block's columns (-1: half)."""
    kmax = int((2.0**53 - 2.0 * p) // ((p - 1.0) * (p - 1.0)))
    ints = np.zeros(7, dtype=np.int32)
    ints[0] = 78  # 'N': no transposition
    reals = np.array([-1.0, 1.0])  # alpha, beta
    whole = a[:, : a.shape[1]]  # typed as a strided view, as every block below: one compilation
    return _pluq(gemm, whole, p, stop, stop < 0, split, stop - stop, kmax, ints, reals)[1]


@_jit
def outer_mod(g, h, p, out):
    """Row-wise outer products mod p, :meth:`neuroalg.fields.GF.outer` in one pass (int64
    elements of [0, p); ``out`` float64 or int64)."""
    pinv = 1.0 / p
    dh = h.shape[1]
    for n in range(g.shape[0]):
        for i in range(g.shape[1]):
            gi = float(g[n, i])
            for j in range(dh):
                out[n, i * dh + j] = _mulmod(gi, float(h[n, j]), p, pinv)


COMPILED_OUTER[:] = [outer_mod]  # GF.outer runs compiled from now on
