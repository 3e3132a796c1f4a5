"""Summary of the tropical rational map of a network: monomial counts, the expression, and the
sampling radius (the ``neuroalg tropical`` command)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..report import Report
from .radius import SamplingRadius, sampling_radius
from .maxplus import TropicalRationalMap, tropicalize
from .network import load_network


@dataclass(frozen=True)
class TropicalExpression(Report):
    """``f = F ⊘ G`` for a ReLU network, with monomial counts (pruned or not) and optionally the
    sampling radius R (every linear region meets ``[-R, R]^n0``)."""

    network: str
    widths: tuple
    pruned: bool
    is_exact: bool
    monomials: tuple  # ((n_F, n_G) per output)
    expression: str | None
    radius: SamplingRadius | None
    seconds: float
    #: per output ``{"numerator": F.to_dict(), "denominator": G.to_dict()}`` (lossless)
    polynomials: tuple = ()

    def headline(self) -> str:
        m = ", ".join(f"{a} ⊘ {b}" for a, b in self.monomials)
        return (f"tropical rational map with {m} monomials "
                f"({'pruned' if self.pruned else 'not pruned'}, {'exact' if self.is_exact else 'float'})")

    def lines(self):
        rows = [("network", f"{self.network}  widths {','.join(map(str, self.widths))}"),
                ("reference", "Zhang-Naitzat-Lim 2018: ReLU(H - G) = max(H, G) - G, layer by layer")]
        if self.radius is not None:
            rows.append(("sampling radius", str(self.radius)))
        if self.expression is not None:
            rows.append(("expression", self.expression))
        rows.append(("time", f"{self.seconds:.2f} s"))
        return rows

    title_style = "bold green"

    def to_dict(self) -> dict:
        return {"network": self.network, "widths": list(self.widths), "pruned": self.pruned,
                "exact": self.is_exact, "monomials": [list(m) for m in self.monomials],
                "expression": self.expression, "polynomials": list(self.polynomials),
                "number_format": "lossless: exact entries are integers or 'p/q' strings, floats "
                                 "are IEEE doubles written as their shortest round-trip decimal",
                "radius": None if self.radius is None else self.radius.to_dict(),
                "seconds": self.seconds}


def tropical_expression(net, *, prune: bool = True, radius: bool = False, seed=None,
                        max_chars: int = 4000) -> TropicalExpression:
    """Tropicalize ``net`` (see :func:`.maxplus.tropicalize`).

    The expression text (entries written exactly: ``p/q`` or shortest round-trip floats) is kept
    when shorter than ``max_chars``; ``polynomials`` (and ``to_dict``) always hold the monomials
    losslessly, so ``F ⊘ G`` can be re-evaluated from the JSON. ``radius`` also computes the
    sampling radius (:mod:`.radius`; one output), proven on the exact expression of the
    network (a float network's weights read as the rationals they are)."""
    t0 = time.perf_counter()
    net = load_network(net, seed=seed)
    m: TropicalRationalMap = tropicalize(net, prune=prune)
    text = str(m)
    R = None
    if radius:
        # the radius is proven on the exact expression of the network (floats read exactly):
        # a floating-point expression has rounding slivers that are neither empty nor usable
        exact = m if net.is_exact and prune else tropicalize(net.as_exact(), prune=True)
        R = sampling_radius(exact)
    return TropicalExpression(str(net), net.widths, prune, net.is_exact,
                              tuple((F.n_monomials, G.n_monomials) for F, G in zip(m.numerators, m.denominators)),
                              text if len(text) <= max_chars else None, R, time.perf_counter() - t0,
                              tuple({"numerator": F.to_dict(), "denominator": G.to_dict()}
                                    for F, G in zip(m.numerators, m.denominators)))
