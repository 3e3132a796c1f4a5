"""Number systems the architectures evaluate over: GF(p), float64 and complex128.

A field object holds the arithmetic; architectures write their maps once with it and run exactly
over a prime field (elements are ``int64`` arrays with entries in ``[0, p)``) or numerically over
float64 / complex128. Exactness over GF(p) rests on two facts: ``p < 2**31`` keeps every product
of two elements below ``2**62`` (exact in int64), and matrix products go through float64 BLAS on
limbs small enough that every partial sum stays below ``2**53`` (exact in float64).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .errors import PoleError, SpecError

_EXACT = 2**53


@dataclass(frozen=True)
class GF:
    """The prime field GF(p), ``2 < p < 2**31``; elements are int64 arrays in ``[0, p)``."""

    p: int
    is_exact = True
    dtype = np.int64

    def __post_init__(self):
        if not (isinstance(self.p, int) and 2 < self.p < 2**31):
            raise SpecError(f"prime p must be an integer with 2 < p < 2**31; got {self.p!r}")

    def __str__(self) -> str:
        return f"GF({self.p})"

    def asarray(self, a) -> np.ndarray:
        return np.mod(np.asarray(a, dtype=np.int64), self.p)

    def constant(self, c: int | Fraction) -> int:
        c = Fraction(c)
        if c.denominator % self.p == 0:
            raise PoleError(f"coefficient {c} has a denominator divisible by p = {self.p}")
        return c.numerator * pow(c.denominator, -1, self.p) % self.p

    def random(self, rng: np.random.Generator, shape) -> np.ndarray:
        return rng.integers(0, self.p, size=shape, dtype=np.int64)

    def add(self, a, b):
        return _mod(a + b, self.p)

    def sub(self, a, b):
        return _mod(a - b, self.p)

    def mul(self, a, b):
        return _mod(a * b, self.p)

    def neg(self, a):
        return (-a) % self.p

    def sum(self, a, axis):
        return np.sum(a, axis=axis) % self.p

    def pow(self, a, k: int):
        out = np.ones_like(a)
        base = a.copy()
        while k:
            if k & 1:
                out = out * base % self.p
            base = base * base % self.p
            k >>= 1
        return out

    def inv(self, a):
        if np.any(a == 0):
            raise PoleError(f"division by zero in {self}")
        return self.pow(a, self.p - 2)

    def matmul(self, a, b):
        return matmul_mod(a, b, self.p)

    def outer(self, g, h, out) -> None:
        """``out[n, i d_h + j] = g[n, i] h[n, j]`` (row-wise outer products), written into
        ``out`` (N, d_g d_h) of any dtype holding the elements (int64 or float64). Compiled
        (one pass, no temporary) once numba's kernels are loaded (:data:`COMPILED_OUTER`)."""
        if COMPILED_OUTER and out.size >= 4096:
            COMPILED_OUTER[0](g, h, self.p, out)
            return
        np.remainder(g[:, :, None] * h[:, None, :], self.p, out=_split_columns(out, h.shape[1]))


#: The compiled :meth:`GF.outer` (same results), registered by :mod:`neuroalg.linalg.compiled`
#: when numba's kernels are loaded; empty otherwise.
COMPILED_OUTER: list = []


def _split_columns(out: np.ndarray, k: int) -> np.ndarray:
    """The (N, c) array ``out`` as an (N, c / k, k) view (writes go through)."""
    n, c = out.shape
    s0, s1 = out.strides
    return np.lib.stride_tricks.as_strided(out, (n, c // k, k), (s0, k * s1, s1))


def _mod(x, p: int):
    """``x mod p``, in place for an array (a fresh temporary: no second one)."""
    return np.remainder(x, p, out=x) if isinstance(x, np.ndarray) else x % p


@dataclass(frozen=True)
class _Numeric:
    dtype: type
    is_exact = False

    def __str__(self) -> str:
        return np.dtype(self.dtype).name

    def asarray(self, a):
        return np.asarray(a, dtype=self.dtype)

    def constant(self, c):
        return self.dtype(float(Fraction(c)))

    def random(self, rng: np.random.Generator, shape):
        x = rng.standard_normal(shape)
        if self.dtype is np.complex128:
            x = (x + 1j * rng.standard_normal(shape)) / np.sqrt(2)
        return x

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
        if np.any(a == 0):
            raise PoleError(f"division by zero in {self}")
        return 1 / a

    def matmul(self, a, b):
        return a @ b

    def outer(self, g, h, out) -> None:
        np.multiply(g[:, :, None], h[:, None, :], out=_split_columns(out, h.shape[1]))


REAL = _Numeric(np.float64)
COMPLEX = _Numeric(np.complex128)
Field = "GF | _Numeric"


def check_field(field) -> GF | _Numeric:
    """Accept a field object, a prime (int) or one of ``"float64"``, ``"complex128"``."""
    if isinstance(field, (GF, _Numeric)):
        return field
    if isinstance(field, int) and not isinstance(field, bool):
        return GF(field)
    names = {"float64": REAL, "real": REAL, "complex128": COMPLEX, "complex": COMPLEX}
    if isinstance(field, str) and field in names:
        return names[field]
    raise SpecError(f"field must be GF(p), a prime p < 2**31, 'float64' or 'complex128'; got {field!r}")


def reduce_mod(x: np.ndarray, p: int) -> np.ndarray:
    """Reduce a float64 array of integers ``|x| < 2**53`` into ``[0, p)``, in place.

    ``floor(x / p)`` in floating point is off by at most one, which two masked corrections fix;
    this is ~10x faster than ``np.fmod``.
    """
    q = np.floor(x * (1.0 / p))
    q *= p
    x -= q
    np.add(x, p, out=x, where=x < 0)
    np.subtract(x, p, out=x, where=x >= p)
    return x


def _limbs(p: int, k: int) -> tuple[int, int]:
    """Limb width ``s`` (bits) and inner chunk ``kc`` with ``kc * (2**s - 1) * (p - 1) < 2**53``."""
    b = (p - 1).bit_length()
    for n_limbs in (1, 2, 3, 4):
        s = -(-b // n_limbs)
        kc = (_EXACT - 1) // ((2**s - 1) * (p - 1))
        if kc >= min(k, 512):
            return s, int(min(kc, k))
    return s, max(int(kc), 1)


def matmul_mod(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """``a @ b mod p`` for integer arrays with entries in ``[0, p)``, exactly, through float64 BLAS.

    ``a`` is split into limbs of ``s`` bits and the inner dimension into chunks of ``kc`` so that
    every float64 partial sum is an integer below ``2**53`` (:func:`_limbs`); for ``p < 2**21``
    one limb and chunks of >= 2048 suffice, larger primes recombine limbs in int64. Works for
    stacked (batched) arrays. Returns the dtype of ``a`` (int64 or float64).
    """
    k = a.shape[-1]
    af = a.astype(np.float64, copy=False)
    bf = b.astype(np.float64, copy=False)
    s, kc = _limbs(p, max(k, 1))
    n_limbs = -(-(p - 1).bit_length() // s)
    shape = np.broadcast_shapes(af.shape[:-2], bf.shape[:-2]) + (af.shape[-2], bf.shape[-1])
    if n_limbs == 1:
        acc = np.zeros(shape)
        for k0 in range(0, k, kc):
            part = reduce_mod(af[..., k0 : k0 + kc] @ bf[..., k0 : k0 + kc, :], p)
            if k0 == 0:
                acc = part
            else:
                acc += part
                np.subtract(acc, p, out=acc, where=acc >= p)
        return acc.astype(a.dtype, copy=False)
    acc = np.zeros(shape, dtype=np.int64)
    base = float(2**s)
    for k0 in range(0, k, kc):
        rest = af[..., k0 : k0 + kc]
        bc = bf[..., k0 : k0 + kc, :]
        shift = 1
        for _ in range(n_limbs):
            limb = np.fmod(rest, base)
            rest = (rest - limb) / base
            term = reduce_mod(limb @ bc, p).astype(np.int64)
            acc += term * shift % p
            acc %= p
            shift = shift * 2**s % p
    return acc.astype(a.dtype, copy=False)
