"""Phi as exact polynomials: the coefficients of an architecture's output in the input monomials.

:func:`expand` runs an architecture's own forward pass over exact multivariate polynomials
(flint ``fmpq_mpoly``) in the parameters theta and the input x, and reads off the coefficient of
each input monomial: Phi(theta) = (Phi_m(theta))_m in the ambient coordinates (output k, input
monomial x^e). These coordinates are the ones the ``unit`` metric and ``equations`` refer to.
The square systems built from Phi live in :mod:`neuroalg.geometry.witness.systems`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations_with_replacement
from typing import Any

import flint
import numpy as np

from .errors import SpecError
from .fields import _Numeric
from .spec import parse_spec


@dataclass(frozen=True)
class _PolyField(_Numeric):
    """The numeric field protocol over flint polynomials (object arrays), for the forward pass:
    arithmetic is inherited; constants are exact and 1/x is refused."""

    ctx: Any = None  # the flint.fmpq_mpoly_ctx of the parameters, set per instance

    def asarray(self, a):
        if isinstance(a, np.ndarray):
            return a
        raise TypeError("symbolic field expects object arrays")

    def constant(self, c):
        c = Fraction(c)
        out = np.empty((), dtype=object)  # 0-d: numpy must not iterate the polynomial's terms
        out[()] = self.ctx.constant(flint.fmpq(c.numerator, c.denominator))
        return out

    def inv(self, a):
        raise SpecError("1/x networks have no polynomial parameterization; this command takes "
                        "polynomial architectures (mlp, linear, cnn, lightning attention)")


def _objects(values, shape):
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out.reshape(shape)


@dataclass(frozen=True, eq=False)
class PolynomialMap:
    """Phi: C^P -> C^M with exact coefficients: ``polys[m]`` maps theta-exponents to Fractions."""

    spec: str
    n_params: int
    labels: tuple[str, ...]
    polys: tuple[dict, ...]
    keys: tuple[tuple[int, tuple[int, ...]], ...]  # (output index, input exponent) per coordinate

    @property
    def n_coordinates(self) -> int:
        return len(self.polys)


def expand(arch) -> PolynomialMap:
    """The coefficients of Phi(theta) in the input monomials, as exact polynomials in theta."""
    if isinstance(arch, str):
        arch = parse_spec(arch)
    n_in = int(np.prod(arch.input_shape))
    names = tuple(f"t{i}" for i in range(arch.n_params)) + tuple(f"x{i}" for i in range(n_in))
    ctx = flint.fmpq_mpoly_ctx.get(names, "lex")
    gens = ctx.gens()
    theta = _objects(gens[: arch.n_params], (arch.n_params,))
    x = _objects(gens[arch.n_params:], (1,) + tuple(arch.input_shape))
    try:
        out = arch.forward(theta, x, _PolyField(object, ctx))
    except (TypeError, AttributeError) as exc:
        raise SpecError(f"{arch}: cannot expand symbolically ({exc})") from None
    out = np.asarray(out).reshape(-1)
    coords: dict = {}
    p = arch.n_params
    for k, poly in enumerate(out):
        poly = poly if hasattr(poly, "to_dict") else ctx.constant(poly)
        for exps, c in poly.to_dict().items():
            exps = tuple(int(e) for e in exps)
            key = (k, exps[p:])
            coords.setdefault(key, {})[exps[:p]] = Fraction(int(c.p), int(c.q))
    keys = sorted(coords)
    labels = tuple(f"y{k + 1}:" + ("*".join(f"x{i + 1}^{e}" for i, e in enumerate(m) if e) or "1")
                   for k, m in keys)
    return PolynomialMap(str(arch), p, labels, tuple(coords[k] for k in keys), tuple(keys))


def random_rational(rng, shape, *, scale: int = 1000) -> np.ndarray:
    """Random rationals a/scale with |a| <= scale (object array of Fractions)."""
    ints = rng.integers(-scale, scale + 1, size=shape)
    return np.vectorize(lambda a: Fraction(int(a), scale), otypes=[object])(ints)


def exponent_vectors(n: int, k: int) -> np.ndarray:
    """All exponent vectors of degree k in n variables (rows), in a fixed order."""
    rows = []
    for combo in combinations_with_replacement(range(n), k):
        e = [0] * n
        for i in combo:
            e[i] += 1
        rows.append(e)
    return np.array(rows, dtype=np.int64).reshape(-1, n)


def vanishes_on(phi, monomials: np.ndarray, form: list[Fraction]) -> bool:
    """F(Phi(theta)) == 0 exactly over Q."""
    names = tuple(f"t{i}" for i in range(phi.n_params))
    ctx = flint.fmpq_mpoly_ctx.get(names, "lex")
    coords = [ctx.from_dict({a: flint.fmpq(c.numerator, c.denominator) for a, c in poly.items()})
              if poly else ctx.constant(0) for poly in phi.polys]
    total = ctx.constant(0)
    for mono, c in zip(monomials, form):
        if c:
            term = ctx.constant(flint.fmpq(c.numerator, c.denominator))
            for i in mono:
                term = term * coords[int(i)]
            total = total + term
    return total.is_zero()
