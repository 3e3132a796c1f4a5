"""Summary of the tropical rational map of a network: monomial counts, the expression, and the
sampling radius (the ``neuroalg tropical`` command)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..results import Certainty, Result
from .maxplus import TropicalRationalMap, tropicalize
from .network import load_network
from .radius import SamplingRadius, sampling_radius


@dataclass(frozen=True)
class TropicalExpression(Result):
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
    notes: tuple = ()

    def headline(self) -> str:
        m = ", ".join(f"{a} ⊘ {b}" for a, b in self.monomials)
        return (f"tropical rational map with {m} monomials "
                f"({'pruned' if self.pruned else 'not pruned'}, {'exact' if self.is_exact else 'float'})")

    def lines(self):
        rows = [("network", f"{self.network}  widths {','.join(map(str, self.widths))}"),
                ("reference", "Zhang-Naitzat-Lim 2018: ReLU(H - G) = max(H, G) - G, layer by layer"),
                ("arithmetic", "exact (rational weights)" if self.is_exact else
                 "exact on the float weights read as rationals; every entry shown is the float "
                 "nearest to the exact one")]
        if self.radius is not None:
            rows.append(("sampling radius", str(self.radius)))
        if self.expression is not None:
            rows.append(("expression", self.expression))
        rows.append(("time", f"{self.seconds:.2f} s"))
        rows += [("note", n) for n in self.notes]
        return rows

    title_style = "bold green"

    headline_key = "n_monomials"
    method_name = "Zhang-Naitzat-Lim layerwise max-plus expansion"

    @property
    def spec(self) -> str:
        return self.network

    @property
    def status(self) -> Certainty:
        """certified: the expansion is exact (in rationals; float weights read as the
        rationals they are) and pruning is exactly verified."""
        return Certainty.CERTIFIED

    def payload(self) -> dict:
        return {"network": self.network, "n_monomials": sum(a + b for a, b in self.monomials),
                "widths": list(self.widths), "pruned": self.pruned,
                "exact": self.is_exact, "monomials": [list(m) for m in self.monomials],
                "expression": self.expression, "polynomials": list(self.polynomials),
                "number_format": ("exact: integers or 'p/q' strings" if self.is_exact else
                                  "each entry is the IEEE double nearest to the exact entry, "
                                  "written as its shortest round-trip decimal"),
                "radius": None if self.radius is None else self.radius.to_dict(),
                "seconds": self.seconds, "notes": list(self.notes)}


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
    # always expanded in exact arithmetic (a float network's weights read as the rationals they
    # are): pruning is verified exactly, entries are rounded once, and the radius is proven on
    # the exact expression (a float expansion has rounding slivers, neither empty nor usable)
    exact: TropicalRationalMap = tropicalize(net.as_exact(), prune=prune)
    m, lost = (exact, 0) if net.is_exact else exact.to_float()
    notes = () if not lost else (
        f"{lost} non-zero entries of the exact expression are outside the normal float64 range "
        f"(shown as 0, subnormal or inf); give exact weights for an exact expression",)
    text = str(m)
    R = None
    if radius:
        R = sampling_radius(exact if prune else tropicalize(net.as_exact(), prune=True))
    return TropicalExpression(str(net), net.widths, prune, net.is_exact,
                              tuple((F.n_monomials, G.n_monomials) for F, G in zip(m.numerators, m.denominators)),
                              text if len(text) <= max_chars else None, R, time.perf_counter() - t0,
                              tuple({"numerator": F.to_dict(), "denominator": G.to_dict()}
                                    for F, G in zip(m.numerators, m.denominators)), notes)
