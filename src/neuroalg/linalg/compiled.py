"""The small steps of the modular elimination compiled with numba (the ``fast`` extra).

Same functions and contracts as :mod:`neuroalg.linalg.kernels` (the numpy reference), fused into
single passes. Reductions of a float64 integer ``|x| < 2**53`` use ``x - floor(x / p) p`` with
one correction each way (the floating quotient is off by at most one). The thin-block
elimination works in float64 with delayed reduction when ``BASE_COLS (p - 1)**2 < 2**52``
(primes below ~2**24): each entry is reduced once when its column becomes the pivot column
instead of after every update; larger primes reduce after every update in int64. Compiled
code is cached on disk (numba ``cache=True``), so only the first run after an install compiles.
"""

from __future__ import annotations

import numba
import numpy as np

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
