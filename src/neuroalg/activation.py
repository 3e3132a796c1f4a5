"""Activations: univariate polynomials with rational coefficients, and the reciprocal 1/x.

Written as a polynomial in ``x``: ``x^2``, ``x^3+x^2``, ``x**2 - 1/2*x``, ``0.5x^3``, ``x``
(linear), or ``1/x``. ``relu`` belongs to the tropical side and is not an algebraic activation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from .errors import SpecError

_TERM = re.compile(
    r"""\s*(?P<sign>[+-])?\s*
        (?:(?P<coef>\d+(?:\.\d*)?(?:/\d+)?|\.\d+)\s*\*?\s*)?
        (?:(?P<x>x)\s*(?:(?:\^|\*\*)\s*(?P<pow>\d+))?)?\s*""",
    re.VERBOSE,
)

MAX_DEGREE = 1000
ALLOWED = "a polynomial in x with rational coefficients (e.g. x^2, x^3+x^2, 0.5x^2-x), or 1/x"


@dataclass(frozen=True)
class Activation:
    """An activation function sigma.

    Attributes
    ----------
    coefficients : tuple of Fraction
        ``coefficients[k]`` is the coefficient of ``x^k`` (no trailing zeros). Empty for 1/x.
    reciprocal : bool
        True for sigma(x) = 1/x (then ``coefficients`` is empty).
    """

    coefficients: tuple[Fraction, ...] = ()
    reciprocal: bool = False

    def __post_init__(self):
        if self.reciprocal:
            if self.coefficients:
                raise SpecError("the reciprocal activation 1/x takes no coefficients")
            return
        c = tuple(Fraction(x) for x in self.coefficients)
        while c and c[-1] == 0:
            c = c[:-1]
        if not c:
            raise SpecError(f"activation must be nonzero: {ALLOWED}")
        if len(c) == 1:
            raise SpecError(f"activation must be non-constant: {ALLOWED}; got the constant {c[0]}")
        object.__setattr__(self, "coefficients", c)

    @classmethod
    def parse(cls, text: str) -> Activation:
        """Parse ``x^2``, ``x^3+x^2``, ``x**2-1/2*x``, ``1/x``; raises :class:`SpecError`."""
        s = text.strip().replace(" ", "")
        if s in ("1/x", "x^-1", "x**-1", "x^(-1)"):
            return cls(reciprocal=True)
        if s.lower() == "relu":
            raise SpecError("activation 'relu' is piecewise linear, not algebraic: use the 'relu' "
                            "family (tropical geometry) or " + ALLOWED)
        if not s:
            raise SpecError(f"missing activation: expected {ALLOWED}")
        coeffs: dict[int, Fraction] = {}
        pos = 0
        while pos < len(s):
            m = _TERM.match(s, pos)
            if not m or m.end() == pos or (m.group("coef") is None and m.group("x") is None):
                raise SpecError(f"activation '{text}' is not {ALLOWED} (could not read '{s[pos:]}')")
            if pos > 0 and m.group("sign") is None:
                raise SpecError(f"activation '{text}': expected + or - before '{s[pos:]}'")
            try:
                coef = Fraction(m.group("coef")) if m.group("coef") else Fraction(1)
                power = 0 if m.group("x") is None else int(m.group("pow") or 1)
            except ValueError:  # more digits than Python converts
                raise SpecError(f"activation '{text[:40]}...': a number is too long") from None
            if power > MAX_DEGREE:
                raise SpecError(f"activation '{text}': degree {power} is over the limit "
                                f"{MAX_DEGREE}")
            if m.group("sign") == "-":
                coef = -coef
            coeffs[power] = coeffs.get(power, Fraction(0)) + coef
            pos = m.end()
        degree = max(coeffs)
        return cls(tuple(coeffs.get(k, Fraction(0)) for k in range(degree + 1)))

    # --- structure -------------------------------------------------------------------------
    @property
    def degree(self) -> int:
        """Degree of the polynomial; -1 for 1/x."""
        return -1 if self.reciprocal else len(self.coefficients) - 1

    @property
    def monomial_power(self) -> int | None:
        """``r`` if sigma = c x^r (r = -1 for 1/x), else None."""
        if self.reciprocal:
            return -1
        nonzero = [k for k, c in enumerate(self.coefficients) if c != 0]
        return nonzero[0] if len(nonzero) == 1 else None

    @property
    def is_linear(self) -> bool:
        return self.monomial_power == 1

    @property
    def powers(self) -> tuple[int, ...]:
        """Exponents with nonzero coefficient."""
        return tuple(k for k, c in enumerate(self.coefficients) if c != 0)

    # --- evaluation ------------------------------------------------------------------------
    def __call__(self, z, field):
        if self.reciprocal:
            return field.inv(z)
        return _horner(self.coefficients, z, field)

    def derivative(self, z, field):
        """sigma'(z) over ``field`` (for 1/x: -1/z^2)."""
        if self.reciprocal:
            return field.neg(field.pow(field.inv(z), 2))
        d = tuple(k * c for k, c in enumerate(self.coefficients))[1:]
        return _horner(d, z, field)

    def __str__(self) -> str:
        if self.reciprocal:
            return "1/x"
        terms = []
        for k in range(len(self.coefficients) - 1, -1, -1):
            c = self.coefficients[k]
            if c == 0:
                continue
            sign = "-" if c < 0 else "+"
            a = abs(c)
            mono = "" if k == 0 else ("x" if k == 1 else f"x^{k}")
            num = str(a) if (a != 1 or k == 0) else ""
            if num and "/" in num and mono:
                num += "*"
            terms.append((sign, num + mono))
        out = ("-" if terms[0][0] == "-" else "") + terms[0][1]
        return out + "".join(f"{s}{t}" for s, t in terms[1:])


def _horner(coefficients, z, field):
    out = None
    for c in reversed(coefficients):
        cst = field.constant(c)
        out = field.add(field.mul(out, z), cst) if out is not None else (z * 0 + cst)
    return field.asarray(out) if field.is_exact else out
