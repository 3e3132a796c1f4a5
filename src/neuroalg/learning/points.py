"""Parameter points typed by users: exact rationals from decimal or p/q strings."""

from __future__ import annotations

import math
from fractions import Fraction

from ..errors import SpecError
from .network import layout

MAX_ENTRY_LENGTH = 60


def parse_point(values, net, name: str = "--at") -> tuple[Fraction, ...]:
    """``values`` (a string "1, 0.5, -1/3" or a sequence of numbers/strings) as exact Fractions.

    Decimal strings are read exactly (``"0.1"`` is 1/10); floats are their exact binary value.
    """
    if isinstance(values, str):
        parts = [p.strip() for p in values.replace(";", ",").split(",")]
        if len(parts) == 1 and not parts[0]:
            parts = []
    else:
        try:
            parts = list(values)
        except TypeError:
            raise SpecError(f"{name} must be {net.n_params} numbers; got {values!r}") from None
    if len(parts) != net.n_params:
        raise SpecError(f"{name}: {net} has {net.n_params} parameters ({layout(net)}); got "
                        f"{len(parts)} numbers")
    out = []
    for i, p in enumerate(parts, start=1):
        try:
            if isinstance(p, str):
                if len(p) > MAX_ENTRY_LENGTH or not p:
                    raise ValueError
                v = Fraction(p)
            elif isinstance(p, bool):
                raise ValueError
            elif isinstance(p, Fraction):
                v = p
            else:
                f = float(p)
                if not math.isfinite(f):
                    raise ValueError
                v = Fraction(int(p)) if float(p).is_integer() and abs(f) < 2**53 else Fraction(f)
            if not math.isfinite(float(v)):  # e.g. "1e999": a float overflow downstream
                raise ValueError
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            raise SpecError(f"{name}: entry {i} ({str(p)[:20]!r}) is not a finite number; expected "
                            "decimals or fractions p/q separated by commas") from None
        out.append(v)
    return tuple(out)


def show(v: Fraction) -> str:
    """A Fraction as ``p`` or ``p/q``."""
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
