"""Exact rank of matrices over GF(p).

Two methods, chosen by measurement (``benchmarks/dimension.py``):

- ``"blas"``: an in-place recursive PLUQ decomposition (rank-revealing LU with row and column
  permutations, in the style of Toledo's recursive LU and of FFLAS-FFPACK's PLUQ): the left half
  of the columns is reduced, its multipliers give the Schur complement of the right half by one
  triangular solve and one matrix product, and the right half is reduced recursively; pivot
  columns are then moved to the front. Products are float64 BLAS calls on integers whose partial
  sums stay below ``2**53`` (exact), reduced mod p as they are subtracted; for primes too large
  for one float64 product (``p > ~2**26``) they go through :func:`~neuroalg.fields.matmul_mod`.
  The small steps (thin column blocks, small triangular inverses, reductions, row permutations)
  run compiled by numba when it is installed (the ``fast`` extra, :mod:`.compiled`), otherwise
  in numpy (:mod:`.kernels`); both give the same factorization. Cost ~ ``m n r`` flops like a
  float LU; memory: the matrix itself (converted to float64 in place when allowed) plus one
  reused product buffer of at most 64 MiB.
- ``"flint"``: python-flint's ``nmod_mat.rank``, an independent implementation (tests compare
  against it); building the matrix from Python integers costs more than the rank itself.
"""

from __future__ import annotations

import functools
import sys
from types import ModuleType

import numpy as np

from ..errors import SpecError
from ..fields import matmul_mod

#: The compiled kernels are loaded for a matrix with a side at least this long (numba's first use
#: costs ~0.7 CPU-s, which the compiled steps save on a ~4,000 x 5,000 elimination); once
#: loaded, they are used for every matrix.
COMPILE_MIN_SIZE = 4000
#: :func:`rank_lower_bound_mod` compresses when the elimination would cost at least this many
#: ``m n^2`` (about a CPU-second), or once scipy.sparse is loaded (its import costs ~0.3 CPU-s)
SKETCH_MIN_WORK = 2e10
_BUFFER = 1 << 23  # entries of the reused product buffer (64 MiB)
_EXACT = 2**53


def rank_mod(a: np.ndarray, p: int, *, method: str = "auto", overwrite: bool = False,
             compiled: bool | None = None) -> int:
    """Rank of the integer matrix ``a`` (entries in ``[0, p)``) over GF(p), exactly.

    Parameters
    ----------
    a : ndarray of shape (m, n), integer entries in [0, p) (int64 or integral float64)
    p : int, a prime below 2**31
    method : {"auto", "blas", "flint"}, default="auto"
        "auto" is "blas": with the numba kernels faster than flint at every size measured, with
        the numpy kernels from n ~ 200 on (``benchmarks/dimension.py``); below that flint's lead
        (under a millisecond) is smaller than the cost of importing it (~0.06 CPU-s).
    overwrite : bool, default=False
        Allow the "blas" method to destroy ``a`` (converting int64 to float64 in place), so that
        no second copy of the matrix is made.
    compiled : bool or None, default=None
        The small steps of "blas" compiled by numba (True), in numpy (False), or (None) compiled
        when numba is installed and either the compiled kernels are already loaded or a side
        of ``a`` is at least ``COMPILE_MIN_SIZE``. All choices give the same rank.
    """
    if method not in ("auto", "blas", "flint"):
        raise SpecError(f"rank method must be 'auto', 'blas' or 'flint'; got {method!r}")
    m, n = a.shape
    if m == 0 or n == 0:
        return 0
    requested = compiled
    if compiled is None:  # numba's first use costs ~0.7 CPU-s (import, compiled-code cache)
        compiled = _compiled_kernels.cache_info().currsize > 0 or (
            max(m, n) >= COMPILE_MIN_SIZE and has_numba())
    if method == "flint":
        import flint

        return flint.nmod_mat(m, n, a.astype(np.int64).ravel().tolist(), p).rank()
    kernels = _numpy_kernels()
    if compiled:
        try:
            kernels = _compiled_kernels()
        except OSError:  # numba installed but LLVM cannot load (e.g. under an address-space
            if requested:  # limit, as in the atlas's memory-limited tasks): same ranks in numpy
                raise
    if overwrite and a.flags.c_contiguous and a.dtype in (np.int64, np.float64):
        work = as_float_inplace(a)
    else:
        work = np.array(a, dtype=np.float64, order="C")
    return _Elimination(work.shape, p, kernels).pluq(work, need_factors=False)[1]


def rank_lower_bound_mod(a: np.ndarray, p: int, rng: np.random.Generator, *, margin: int = 2) -> int:
    """A lower bound on the rank of ``a`` over GF(p), equal to it except with probability at
    most ``p**-margin / (p - 1)``: the rank of ``R a`` for a uniformly random ``(n + margin) x m``
    matrix R over GF(p), when ``a`` (m x n) is tall and sparse; otherwise :func:`rank_mod`.

    Always ``rank(R a) <= rank(a)``. If ``a`` has rank r, with r independent columns ``a_J``,
    ``R -> R a_J`` is a surjective linear map, so ``R a_J`` is uniform among ``(n + margin) x r``
    matrices, which have rank < r with probability at most ``p**(r - n - margin) / (p - 1)``.
    ``R a`` costs ``nnz(a) (n + margin)`` operations (sparse products in int64, R split into
    limbs so that no sum overflows) instead of the ``m n r`` of an elimination of ``a``; it is
    used when that elimination is large (``SKETCH_MIN_WORK``) or scipy.sparse is loaded.
    Uses ``rng`` for R.
    """
    m, n = a.shape
    if m <= 2 * (n + margin) or (m * n * n < SKETCH_MIN_WORK and "scipy.sparse" not in sys.modules):
        return rank_mod(a, p)
    rows, cols = np.nonzero(a)
    if 4 * rows.size > m * n:
        return rank_mod(a, p)
    import scipy.sparse

    k = n + margin
    sparse = scipy.sparse.csr_matrix((a[rows, cols].astype(np.int64), (cols, rows)), shape=(n, m))
    heaviest = int(np.bincount(cols, minlength=n).max())
    bits = (p - 1).bit_length()
    s = min(bits, 62 - bits - heaviest.bit_length())  # heaviest * 2**s * p < 2**62
    assert s >= 1, "a column with 2**30 nonzeros"
    r = rng.integers(0, p, size=(m, k), dtype=np.int64)
    acc = np.zeros((n, k), dtype=np.int64)
    shift = 1
    while r.any():
        acc += (sparse @ (r & ((1 << s) - 1))) % p * shift % p
        acc %= p
        r >>= s
        shift = shift * (1 << s) % p
    return rank_mod(acc, p)


@functools.cache
def has_numba() -> bool:
    """Whether numba is installed (the ``fast`` extra), without importing it."""
    import importlib.util

    return importlib.util.find_spec("numba") is not None


def _numpy_kernels() -> ModuleType:
    from . import kernels

    return kernels


@functools.cache
def _compiled_kernels() -> ModuleType:
    from ..options import optional_import

    optional_import("numba", extra="fast", purpose="compiled modular elimination")
    from . import compiled

    return compiled


def as_float_inplace(a: np.ndarray) -> np.ndarray:
    """Reinterpret an int64 array (|entries| < 2**53) as float64 in place, row block by row block."""
    if a.dtype == np.float64:
        return a
    f = a.view(np.float64)
    flat_i, flat_f = a.reshape(-1), f.reshape(-1)
    step = 1 << 20
    for s in range(0, flat_i.size, step):
        flat_f[s : s + step] = flat_i[s : s + step].astype(np.float64)
    return f


class _Elimination:
    """The recursive PLUQ of one matrix mod p: the kernels, the prime and one product buffer
    reused by every matrix product."""

    def __init__(self, shape: tuple[int, int], p: int, kernels: ModuleType):
        m, n = shape
        self.p, self.k = p, kernels
        # one float64 product sum_k a_ik b_kj (< chunk (p-1)^2) minus an entry stays exact
        self.inner = (_EXACT - 2 * p) // (p - 1) ** 2
        self.cols = int(min(2048, max(256, _BUFFER // max(m, 1))))
        self.buffer = np.empty(min(m * n, max(m, self.cols) * self.cols))

    def product(self, rows: int, cols: int) -> np.ndarray:
        return self.buffer[: rows * cols].reshape(rows, cols)

    def sub_product(self, s: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
        """``s = (s - a @ b) mod p`` in place."""
        k = a.shape[1]
        if self.inner >= min(k, 512):  # single float64 products, chunked over the inner index
            for k0 in range(0, k, self.inner):
                prod = self.product(*s.shape)
                np.matmul(a[:, k0 : k0 + self.inner], b[k0 : k0 + self.inner], out=prod)
                self.k.sub_product(s, prod, self.p)
        else:
            self.k.sub_product(s, matmul_mod(a, b, self.p), self.p)

    def store_product(self, t: np.ndarray, a: np.ndarray) -> None:
        """``t = (a @ t) mod p`` in place, for a small square ``a``."""
        if self.inner >= a.shape[1]:
            prod = self.product(*t.shape)
            np.matmul(a, t, out=prod)
            self.k.store_product(t, prod, self.p)
        else:
            t[...] = matmul_mod(a, t, self.p)

    def pluq(self, a: np.ndarray, need_factors: bool = True) -> tuple[np.ndarray, int]:
        """Reduce ``a`` (m x n, entries in [0, p)) in place; return ``(perm, r)``.

        Afterwards the rows of ``a`` are permuted by ``perm`` and, if ``need_factors``, its first
        ``r`` columns hold L\\U (unit lower L below the diagonal, its rows in the order of
        ``perm``); only L is read by the caller. The rank alone needs no factors: the right
        spine of the recursion skips moving them.
        """
        m, n = a.shape
        if n <= self.k.BASE_COLS:
            return self.k.pluq_base(a, self.p)
        n1 = n // 2
        perm1, r1 = self.pluq(a[:, :n1])
        self.k.permute_rows(a[:, n1:], perm1)
        if r1 == m:
            return perm1, r1
        if r1:
            l11, l21 = a[:r1, :r1], a[r1:, :r1]
            for c in range(n1, n, self.cols):
                x = a[:r1, c : c + self.cols]
                self.trsm(l11, x)
                self.sub_product(a[r1:, c : c + self.cols], l21, x)
        perm2, r2 = self.pluq(a[r1:, n1:], need_factors)
        if need_factors:
            self.k.permute_rows(a[r1:, :r1], perm2)
            if r2 and n1 > r1:  # the right pivot columns' L next to the left ones
                a[r1:, r1 : r1 + r2] = a[r1:, n1 : n1 + r2]
        return np.concatenate([perm1[:r1], perm1[r1:][perm2]]), r1 + r2

    def trsm(self, l: np.ndarray, t: np.ndarray) -> None:
        """``t = l^-1 t (mod p)`` in place for the unit lower triangular part of ``l``."""
        r = l.shape[0]
        if r <= self.k.BASE_TRSM:
            self.store_product(t, self.k.inv_unit_lower(l, self.p))
            return
        h = r // 2
        self.trsm(l[:h, :h], t[:h])
        self.sub_product(t[h:], l[h:, :h], t[:h])
        self.trsm(l[h:, h:], t[h:])
