"""What a decomposition method decides, and the helpers shared by the decomposition methods
(:mod:`.decompose` for shallow monomial networks, :mod:`.partial_fractions` for 1/x networks).

Parameter vectors follow the architecture's layout: W1 row-major, then W2 row-major.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

EXACT, NUMERICAL = "exact", "numerical"
TOL = 1e-8


@dataclass(frozen=True)
class Decomposition:
    """What a decomposition method decided.

    ``in_variety``: f in the Zariski closure V; ``is_realized``: f = Phi(theta) for complex
    weights; ``is_real_realized``: for real weights (None: undecided). ``certainty`` is
    ``"exact"`` (rational arithmetic and theorems) or ``"numerical"`` (floating point) for the
    verdicts; the recovered weights may be floating point even when the verdicts are exact
    (irrational roots): ``residual`` is then the max relative coefficient error they leave
    (0 when they are exact rationals). ``points``: one
    parameter vector (layout of the architecture: W1 row-major, then W2) per point of the fiber
    modulo permutations and rescalings, or one representative when the fiber is larger
    (``fiber`` says which); ``exact_points``: the same as Fractions when exact.
    """

    method: str
    in_variety: bool | None
    is_realized: bool | None
    is_real_realized: bool | None
    certainty: str
    reason: str
    n_terms: int | None = None
    fiber: str = ""
    points: tuple = ()
    exact_points: tuple = ()
    residual: float | None = None

    @property
    def is_decisive(self) -> bool:
        return self.in_variety is not None and self.is_realized is not None


def parameter_vector(ws, a, h):
    """Parameter vector (W1 row-major, W2 row-major) with dead neurons (zero output weight)
    padding the r <= h recovered terms; ``ws`` r x d0, ``a`` m x r."""
    ws, a = list(ws), [list(row) for row in a]
    n = len(ws[0]) if ws else None
    if n is not None and not all(isinstance(v, Fraction) for w in ws for v in w):
        ws = [[complex(v) for v in w] for w in ws]
        a = [[complex(v) for v in row] for row in a]
    pad = h - len(ws)
    if n is not None and pad:
        unit = [type(ws[0][0])(1)] + [type(ws[0][0])(0)] * (n - 1)
        ws += [unit] * pad
        a = [row + [type(ws[0][0])(0)] * pad for row in a]
    return tuple(v for w in ws for v in w) + tuple(v for row in a for v in row)


def complex_point(theta) -> tuple:
    return tuple(complex(v) for v in theta)


def fiber_text(n_terms, h, unique):
    if n_terms == h and unique:
        return (f"finite: one orbit of the {h}! permutations and {h} rescalings "
                "(the decomposition is unique)")
    if n_terms < h:
        dead = f"{h - n_terms} dead neuron" + ("s" if h - n_terms > 1 else "")
        return f"positive-dimensional ({dead} with arbitrary input weights); one point shown"
    return "positive-dimensional (the decomposition is not unique); one point shown"


def to_fraction(v) -> Fraction:
    """sympy Rational -> Fraction."""
    return Fraction(int(v.p), int(v.q))


def zero_decomposition(method, moments, n, h):
    ws = [[Fraction(int(j == 0)) for j in range(n)] for _ in range(h)]
    a = [[Fraction(0)] * h for _ in moments]
    theta = parameter_vector(ws, a, h)
    return Decomposition(method, True, True, True, EXACT, "f = 0: all output weights zero (exact)",
                         n_terms=0, fiber=fiber_text(0, h, False),
                         points=(complex_point(theta),), exact_points=(theta,),
                         residual=0.0)
