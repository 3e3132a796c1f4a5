"""What theory says of the dimension of 1/x networks, as checks against a computed dimension.

Conventions of :func:`neuroalg.dimension` for ``rational d0,d1,...,dL`` (no biases): the ambient
space is the tuples (P_1..P_m, Q) of forms of the recursion's degrees up to a common scalar
(``MLP.ambient_dimension``), so the dimension is that of the set of functions f = P / Q. Write
m = dL and L for the number of weight layers.

**One hidden layer** (``rational d0,h,m``): f_i = sum_j A_ij / l_j with l_j = w_j . x.
For d0 >= 2 and pairwise independent l_j the partial fraction decomposition is unique: the
poles give the l_j up to scale, the residues the A_ij. So the generic fiber is the h rescalings
(and the h! permutations) and dim = h (d0 + m) - h = h (d0 + m - 1). For d0 = 1 every l_j is a
multiple of x and f = c / x: dim = m. (:mod:`neuroalg.geometry.membership.partial_fractions`
recovers the weights.)

**Every hidden width 2** (deep binary networks when d0 = 2: "all layers but possibly the last
binary", Grosdos–Robeva–Zubkov). Every p^(k) of the recursion
(:mod:`neuroalg.geometry.equations.rational_map`) is a pair of linear forms in the plane spanned
by the rows of W_1, and p^(k+1) = W_{k+1} J p^(k) (J the swap), so the weights are the same data
as the pairs p^(1), ..., p^(L-1) (any pairs of independent forms of the plane: W_{k+1} is
solved from p^(k+1) and p^(k)) and W_L. In lowest terms, for generic weights,

    f_i = G (linear form in the plane)_i / D,   D = prod of the pairs at levels L-1, L-3, ...,
                                               G = prod of the pairs at levels L-2, L-4, ...

For d0 >= 2: f determines the plane (the directions v with d_v f = 0 form its annihilator),
D and, up to finitely many choices, G and the assignment of the linear factors to the levels;
the weights then follow up to the 2 (L - 1) rescalings of hidden neurons
(:mod:`neuroalg.geometry.membership.rational_deep` does this and verifies it exactly). Hence
the generic fiber is the rescalings up to finitely many points and

    dim = #params - 2 (L - 1) = 2 d0 + 4 (L - 2) + 2 m - 2 (L - 1) = 2 (d0 + L + m) - 6.

For d0 = 2 the ambient dimension is L (m + 1) for even L and m (L + 1) + L - 1 for odd L
(deg P, deg Q = L - 1, L or L, L - 1), so the network **fills its ambient space iff L = 2 or
m = 1** (the classification of filling deep binary RationalNets); for d0 >= 3 it never fills
(the printed comparison shows the gap); for d0 = 1, f = c x^(+-1) and dim = m fills.

**Other widths**: only the bound dim <= min(#params - #rescalings, ambient) (the rescaling
symmetry fields lie in the fibers), which :func:`neuroalg.dimension` already proves.

Every statement is tested against certified dimensions (all networks with hidden widths 2,
d0 <= 4, dL <= 3 and 2 <= L <= 5, and shallow ones).

References
----------
Grosdos, Robeva, Zubkov (2025), Algebraic geometry of rational neural networks, arXiv:2509.11088
(the ambient space, the recursion, the classification of filling deep binary RationalNets and
bounds on their dimension). The proofs above are given here; theorem numbers of the paper are not
cited because its text was not at hand, only its abstract.
"""

from __future__ import annotations

from dataclasses import dataclass

_GRZ = "Grosdos-Robeva-Zubkov (2025), arXiv:2509.11088"


@dataclass(frozen=True)
class TheoryCheck:
    """A theoretical statement about the dimension and whether the computation agrees.

    ``kind``: "dimension" (an exact value), "filling" (fills its ambient space or not) or
    "bound" (an upper bound); ``value`` the predicted dimension or bound (in the result's
    convention); ``agrees``: True / False against a certified dimension, or against the proven
    bounds of a Monte Carlo one when they decide, None when they do not."""

    kind: str
    statement: str
    value: int
    agrees: bool | None

    def line(self) -> str:
        verdict = {True: "agrees with the computed dimension", False: "DISAGREES with the computed "
                   "dimension", None: "not decided by the computed bounds"}[self.agrees]
        return f"{self.statement}; {verdict}"


def rational_prediction(arch) -> tuple[int, str] | None:
    """(exact dimension, why) for 1/x networks with one hidden layer or every hidden width 2
    (affine convention of :func:`neuroalg.dimension`); None when theory here gives no value.

    >>> from neuroalg import parse_spec
    >>> rational_prediction(parse_spec("rational 2,2,2,2,1"))
    (8, '2 (d0 + L + dL) - 6 = 2 (2 + 4 + 1) - 6: hidden widths 2, f determines its levels of linear forms')
    """
    if not getattr(arch, "is_rational", False):
        return None
    widths = arch.widths
    d0, m, L = widths[0], widths[-1], len(widths) - 1
    if d0 == 1:
        return m, "dL: d0 = 1, every output is c_i x^(+-1) and every c is reached"
    if L == 2:
        h = widths[1]
        return h * (d0 + m - 1), (f"h (d0 + dL - 1) = {h} ({d0} + {m} - 1): one hidden layer, "
                                  f"partial fractions are unique")
    if all(w == 2 for w in widths[1:-1]):
        return 2 * (d0 + L + m) - 6, (f"2 (d0 + L + dL) - 6 = 2 ({d0} + {L} + {m}) - 6: hidden "
                                      f"widths 2, f determines its levels of linear forms")
    return None


def rational_checks(arch, *, dimension: int, lower: int | None, upper: int | None,
                    certified: bool, ambient: int | None, output_scalings: int = 0) -> tuple[TheoryCheck, ...]:
    """The theory checks of a 1/x network against a computed dimension (``output_scalings``:
    what the result's convention subtracted); () for other architectures."""
    if not getattr(arch, "is_rational", False):
        return ()

    def agree(value: int) -> bool | None:  # an exact value against the computation
        if certified:
            return dimension == value
        if lower is not None and upper is not None and not lower <= value <= upper:
            return False
        return None

    pred = rational_prediction(arch)
    if pred is None:
        n_resc = sum(arch.widths[1:-1])
        value = arch.n_params - n_resc - output_scalings
        value = value if ambient is None else min(value, ambient)
        ok = True if (certified and dimension <= value) or (upper is not None and upper <= value) \
            else False if lower is not None and lower > value else None
        return (TheoryCheck("bound", f"bound dim <= {value} = min(#params - #rescalings, ambient) "
                                     f"(the rescalings of the {n_resc} hidden neurons lie in the "
                                     f"fibers)", value, ok),)
    value, why = pred
    if output_scalings:
        why = f"{why}; minus {output_scalings} output scalings"
    value -= output_scalings
    out = [TheoryCheck("dimension", f"dim = {value} by theory: {why} (proofs: "
                                    f"neuroalg.geometry.dimension.rational_theory)", value, agree(value))]
    if ambient is not None:
        widths = arch.widths
        d0, m, L = widths[0], widths[-1], len(widths) - 1
        if d0 == 2 and all(w == 2 for w in widths[1:-1]):
            fills = L == 2 or m == 1
            why = (f"the deep binary classification ({_GRZ}): widths (2, ..., 2, dL) fill iff "
                   f"L = 2 or dL = 1 (here L = {L}, dL = {m})")
        else:
            fills = value == ambient
            why = f"theory's dim {value} {'=' if fills else '<'} ambient {ambient}"
        computed = None if not certified else dimension == ambient
        ok = None if computed is None else computed == fills
        if not certified and upper is not None and upper < ambient:
            ok = not fills  # proven not to fill
        out.append(TheoryCheck("filling", f"{'filling' if fills else 'not filling'} by {why}",
                               ambient if fills else value, ok))
    return tuple(out)
