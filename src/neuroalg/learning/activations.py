"""Activations of the numerical networks of :mod:`neuroalg.learning`: tanh, erf and polynomials.

The algebraic code of neuroalg (:class:`neuroalg.activation.Activation`) knows polynomials and 1/x.
Statistics at singular points (Amari, Park, Ozeki 2001) is classically studied with the smooth
sigmoids tanh and erf, so this module adds them for float64 evaluation only:

* ``tanh``: sigma(z) = tanh z, sigma' = 1 - tanh^2 z, sigma'' = -2 tanh z (1 - tanh^2 z);
* ``erf``: sigma(z) = erf z = (2/sqrt(pi)) int_0^z exp(-t^2) dt (no rescaling of z),
  sigma' = (2/sqrt(pi)) exp(-z^2), sigma'' = -2 z sigma'(z);
* a polynomial :class:`~neuroalg.activation.Activation` (``x^2``, ``x^3+x^2``, ``x``) evaluated
  in float64.

Results computed with tanh or erf are numerical and say so. Each activation also records the
structure the strata of :mod:`neuroalg.learning.strata` use: sigma(0), sigma'(0), its parity
(odd, even or none: sigma(-z) = -sigma(z) or sigma(z)) and, for monomials c z^r, the
homogeneity sigma(s z) = s^r sigma(z).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..activation import Activation
from ..errors import SpecError

SMOOTH = ("tanh", "erf")
ALLOWED = "tanh, erf, or a polynomial in x (x^2, x^3+x^2, 0.5x^2-x, x)"
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


@dataclass(frozen=True)
class SmoothActivation:
    """A hidden-layer activation evaluated in float64.

    Attributes
    ----------
    name : str
        ``"tanh"``, ``"erf"`` or the polynomial's canonical string.
    polynomial : Activation or None
        The polynomial, for polynomial activations (None for tanh and erf).
    """

    name: str
    polynomial: Activation | None = None

    @classmethod
    def parse(cls, text: str) -> SmoothActivation:
        """``tanh``, ``erf`` or a polynomial in x; raises :class:`SpecError` otherwise."""
        s = text.strip()
        if s.lower() in SMOOTH:
            return cls(s.lower())
        if s.lower() in ("relu", "sigmoid", "softplus", "gelu"):
            raise SpecError(f"activation '{s}' is not available for the learning commands; "
                            f"allowed: {ALLOWED}")
        try:
            poly = Activation.parse(s)
        except SpecError as exc:
            raise SpecError(f"activation '{s}': allowed are {ALLOWED} ({exc})") from None
        if poly.reciprocal:
            raise SpecError(f"activation 1/x has poles; allowed are {ALLOWED}")
        return cls(str(poly), poly)

    def __str__(self) -> str:
        return self.name

    # --- structure -------------------------------------------------------------------------
    @property
    def is_polynomial(self) -> bool:
        return self.polynomial is not None

    @property
    def degree(self) -> int | None:
        """Polynomial degree (None for tanh and erf)."""
        return None if self.polynomial is None else self.polynomial.degree

    @property
    def value_at_zero(self) -> float:
        return float(self.polynomial.coefficients[0]) if self.polynomial is not None else 0.0

    @property
    def slope_at_zero(self) -> float:
        if self.polynomial is None:
            return 1.0 if self.name == "tanh" else _TWO_OVER_SQRT_PI
        c = self.polynomial.coefficients
        return float(c[1]) if len(c) > 1 else 0.0

    @property
    def parity(self) -> str | None:
        """``"odd"``, ``"even"`` or None."""
        if self.polynomial is None:
            return "odd"
        powers = self.polynomial.powers
        if all(k % 2 == 1 for k in powers):
            return "odd"
        if all(k % 2 == 0 for k in powers):
            return "even"
        return None

    @property
    def monomial_power(self) -> int | None:
        """``r`` if sigma = c z^r, else None."""
        return None if self.polynomial is None else self.polynomial.monomial_power

    def scale_factor(self, s: float) -> float | None:
        """``c`` with sigma(s z) = c sigma(z) for all z, or None if there is none."""
        if s == 1:
            return 1.0
        r = self.monomial_power
        if r is not None and s != 0:
            return float(s) ** r
        if s == -1 and self.parity is not None:
            return -1.0 if self.parity == "odd" else 1.0
        return None

    # --- evaluation ------------------------------------------------------------------------
    def __call__(self, z: np.ndarray) -> np.ndarray:
        if self.name == "tanh":
            return np.tanh(z)
        if self.name == "erf":
            from scipy.special import erf

            return erf(z)
        return _poly(self._coefficients(), z)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        if self.name == "tanh":
            t = np.tanh(z)
            return 1.0 - t * t
        if self.name == "erf":
            return _TWO_OVER_SQRT_PI * np.exp(-z * z)
        c = self._coefficients()
        return _poly(tuple(k * a for k, a in enumerate(c))[1:], z)

    def second_derivative(self, z: np.ndarray) -> np.ndarray:
        if self.name == "tanh":
            t = np.tanh(z)
            return -2.0 * t * (1.0 - t * t)
        if self.name == "erf":
            return -2.0 * z * _TWO_OVER_SQRT_PI * np.exp(-z * z)
        c = self._coefficients()
        return _poly(tuple(k * (k - 1) * a for k, a in enumerate(c))[2:], z)

    def _coefficients(self) -> tuple[Fraction, ...]:
        """The polynomial's coefficients c_0, c_1, ... (only called for polynomials)."""
        assert self.polynomial is not None, self.name
        return self.polynomial.coefficients


def _poly(coefficients: tuple[Fraction, ...], z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    out = np.zeros_like(z)
    for c in reversed(coefficients):
        out = out * z + float(c)
    return out
