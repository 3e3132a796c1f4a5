"""The small steps of the modular elimination (:mod:`neuroalg.linalg.modular`), in numpy.

This is the reference implementation; :mod:`neuroalg.linalg.compiled` has the same functions
compiled with numba (the ``fast`` extra). Matrices are float64 arrays holding integers; each
function states the range it accepts and leaves its output in ``[0, p)``. Arithmetic is exact:
int64 products of two elements of ``[0, p)`` stay below ``2**62`` (``p < 2**31``), and float64
values handled here stay below ``2**53``.
"""

from __future__ import annotations

import numpy as np

from ..fields import reduce_mod

#: Width of the thin column blocks eliminated directly, and of the triangular blocks inverted
#: directly, by this implementation.
BASE_COLS = 8
BASE_TRSM = 32
_CHUNK = 2048


def sub_product(s: np.ndarray, prod: np.ndarray, p: int) -> None:
    """``s = (s - prod) mod p`` in place; ``s`` in ``[0, p)``, ``prod`` integers in ``[0, 2**53 - p)``.
    ``prod`` is overwritten."""
    np.subtract(s, prod, out=prod)
    s[...] = reduce_mod(prod, p)


def store_product(t: np.ndarray, prod: np.ndarray, p: int) -> None:
    """``t = prod mod p`` in place; ``prod`` integers in ``[0, 2**53)``, overwritten."""
    t[...] = reduce_mod(prod, p)


def permute_rows(a: np.ndarray, perm: np.ndarray) -> None:
    """``a[:] = a[perm]`` in column chunks (bounded temporaries)."""
    if (perm == np.arange(len(perm))).all():
        return
    for c in range(0, a.shape[1], _CHUNK):
        a[:, c : c + _CHUNK] = a[perm, c : c + _CHUNK]


def pluq_base(a: np.ndarray, p: int) -> tuple[np.ndarray, int]:
    """Eliminate a thin block (entries in ``[0, p)``) column by column in int64, in place.

    Returns ``(perm, r)``: the rows of ``a`` were permuted by ``perm`` and its columns within
    the block so that the ``r`` pivot columns come first; ``a[:, :r]`` holds L\\U (unit lower L
    below the diagonal, reduced mod p). The other columns are left in an unspecified state:
    only L is read afterwards.
    """
    m, n = a.shape
    b = a.astype(np.int64)
    perm = np.arange(m)
    r = 0
    for j in range(n):
        if r == m:
            break
        nz = np.flatnonzero(b[r:, j])
        if nz.size == 0:
            continue
        i = r + int(nz[0])
        if j != r:
            b[:, [r, j]] = b[:, [j, r]]
        if i != r:
            b[[r, i]] = b[[i, r]]
            perm[[r, i]] = perm[[i, r]]
        mult = b[r + 1 :, r] * pow(int(b[r, r]), -1, p) % p
        b[r + 1 :, r] = mult
        if r + 1 < n:
            b[r + 1 :, r + 1 :] -= np.outer(mult, b[r, r + 1 :]) % p
            b[r + 1 :, r + 1 :] %= p
        r += 1
    a[...] = b
    return perm, r


def inv_unit_lower(l: np.ndarray, p: int) -> np.ndarray:
    """Inverse mod p of the unit lower triangular part of a small matrix (int64 row operations),
    as float64."""
    r = l.shape[0]
    li = np.tril(l.astype(np.int64), -1)
    inv = np.eye(r, dtype=np.int64)
    for i in range(1, r):
        inv[i] = (inv[i] - (li[i, :i, None] * inv[:i] % p).sum(axis=0)) % p
    return inv.astype(np.float64)
