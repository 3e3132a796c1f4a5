"""Defining equations of a neurovariety by interpolation over GF(p), with exact verification.

Coordinates: the coefficients (output k, input monomial x^e) that Phi can reach
(:func:`neuroalg.polymap.expand`; the other ambient coordinates vanish identically);
for 1/x networks (any depth), the coefficients of the numerators and common denominator
(P_1, ..., P_m, Q) (:func:`neuroalg.geometry.equations.rational_map.rational_map`, an affine cone of
dimension ``dimension(arch) + 1``).
Every network of the zoo has a last affine layer, so its neurovariety is a cone and its ideal is
homogeneous: I = sum_d I_d. For each degree d <= K:

- upper bound: dim I_d <= N_d - rank_p(E_d), where E_d evaluates the N_d monomials of degree d at
  N_d + 20 points Phi(theta_j) with theta_j random in GF(p)^P. A rank mod p of this specialization
  never exceeds the generic rank over Q, so the bound is proven (DESIGN §3's argument for ranks);
- lower bound: the kernel of E_d mod p in reduced row echelon form (canonical) for several primes,
  lifted by Chinese remaindering and rational reconstruction (Wang's algorithm), and each lifted
  form F checked exactly: F(Phi(theta)) = 0 as a polynomial in theta over Q (flint). The number of
  independent verified forms is a proven lower bound. When both bounds meet, dim I_d is certified
  and the forms are a basis of I_d.
The Hilbert function of the coordinate ring in degree d is N_d - dim I_d.

**Linear span first.** Degree 1 is computed as above; when I_1 is certified (its verified
forms reach the proven bound), its RREF basis expresses m - k pivot coordinates in k free ones.
Then C[y]/I_1 is the polynomial ring in the free coordinates, I = I_1 + J with J = I cap
C[y_free] (the ideal of the isomorphic projection of V to the free coordinates), and
dim I_d = [C(m+d-1, d) - C(k+d-1, d)] + dim J_d. Degrees d >= 2 are interpolated for J in the k
free coordinates only (C(k+d-1, d) monomials instead of C(m+d-1, d)), with the same proven upper
bound, lifting and exact verification; the listed generators are the I_1 forms and the J forms.
One-layer attention (d = 2, out = 1, t = 2): 20 coordinates, 14 linear forms, the quartic among
126 monomials in 6 free coordinates instead of 8,855.
Structural generators (stacked catalecticants, determinantal and LCN Sylvester/resultant
equations; :mod:`neuroalg.geometry.equations.structural`) are attached when the architecture has them, each
compared with the interpolated I_d.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field, replace
from fractions import Fraction
from math import comb

import flint
import numpy as np

from ...errors import SpecError
from ...formula import parse_formula
from ...linalg import random_prime, rank_mod
from ...linalg.exact import crt_lift, kernel_rref_mod
from ...polymap import expand, vanishes_on
from ...progress import check_progress
from ...random import check_seed
from ...results import Certainty, Result
from ...spec import parse_spec
from .rational_map import rational_map
from .structural import Span, StructuralFamily, _coefficient_rank, _y_ring, compare
from .structural import span as structural_span
from .structural import structural as structural_families


@dataclass(frozen=True)
class DegreePart:
    degree: int
    n_monomials: int
    lower: int | None  # verified independent forms (None: generators not computed)
    upper: int

    @property
    def is_certified(self) -> bool:
        return self.lower == self.upper

    @property
    def hilbert_function(self) -> int | None:
        return self.n_monomials - self.upper if self.is_certified else None


@dataclass(frozen=True)
class EquationsResult(Result):
    spec: str
    coordinates: tuple[str, ...]
    parts: tuple[DegreePart, ...]
    generators: tuple[str, ...]  # verified forms (sympy syntax, coordinates y0, y1, ...)
    primes: tuple[int, ...]
    seed: int
    seconds: float
    notes: tuple[str, ...] = field(default_factory=tuple)
    structural: tuple[StructuralFamily, ...] = field(default_factory=tuple)
    structural_span: tuple[Span, ...] = field(default_factory=tuple)

    @property
    def structural_claim(self) -> str:
        """What the theory says of all structural generators together: "ideal", "set" or ""."""
        claims = {f.cuts_out for f in self.structural}
        return "ideal" if "ideal" in claims else "set" if "set" in claims else ""

    def headline(self) -> str:
        sure = all(p.is_certified for p in self.parts)
        counts = ", ".join(f"{p.upper if p.is_certified else f'<= {p.upper}'} of degree {p.degree}"
                           for p in self.parts)
        return f"ideal in degree <= {self.parts[-1].degree}: {counts} ({'certified' if sure else 'bounds'})"

    def lines(self) -> list[tuple[str, str]]:
        out = [("architecture", self.spec),
               ("coordinates", f"{len(self.coordinates)} reachable coefficients y0.. "
                               f"(y_i = {', '.join(self.coordinates[:4])}"
                               f"{', ...' if len(self.coordinates) > 4 else ''})")]
        for p in self.parts:
            bounds = str(p.upper) if p.is_certified else f"in [{p.lower if p.lower is not None else 0}, {p.upper}]"
            hf = p.hilbert_function
            out.append((f"degree {p.degree}", f"dim I_d {bounds} of {p.n_monomials} monomials"
                        + (f"; Hilbert function {hf}" if hf is not None else "")))
        for i, g in enumerate(self.generators[:12]):
            out.append((f"  F{i + 1}", g if len(g) < 160 else g[:157] + "..."))
        if len(self.generators) > 12:
            out.append(("", f"... {len(self.generators) - 12} more (--json lists all)"))
        for fam in self.structural:
            out += _structural_lines(fam)
        cuts = {"ideal": "generate the ideal of V (theorem)", "set": "cut out V set-theoretically "
                "(theorem)", "": "vanish on V; not known to cut it out"}[self.structural_claim]
        if self.structural:
            n = sum(f.n_generators for f in self.structural)
            out.append(("structural", f"{n} generator{'s' if n != 1 else ''} in all: {cuts}"))
        for x in self.structural_span:
            out.append((f"  span of I_{x.degree}", f"{x.verdict} ({x.evidence})"))
        if self.structural and not self.structural_span:
            out.append(("  span", f"not compared: generators of degree "
                                  f"{min(f.degree for f in self.structural)} > {self.parts[-1].degree}"))
        if self.structural_claim == "ideal":
            out.append(("  span of I_d", "yes for every d (they generate the ideal of V)"))
        out += [("note", n) for n in self.notes]
        out += [("primes", ", ".join(map(str, self.primes))), ("seed", str(self.seed)),
                ("time", f"{self.seconds:.2f} s")]
        return out

    def latex(self) -> list[str]:
        """The verified generators in LaTeX (coordinates y_0, y_1, ... as in ``coordinates``)."""
        import sympy

        return [sympy.latex(parse_formula(g)) for g in self.generators]

    headline_key = "n_generators"

    @property
    def n_generators(self) -> int:
        """Verified generators listed (all degrees)."""
        return len(self.generators)
    method_name = "interpolation over GF(p), rational reconstruction, exact verification"

    @property
    def status(self) -> Certainty:
        """certified when the Hilbert function is proven in every degree; else undecided."""
        return (Certainty.CERTIFIED if all(p.is_certified for p in self.parts)
                else Certainty.UNDECIDED)

    def payload(self) -> dict:
        return {"spec": self.spec, "coordinates": list(self.coordinates),
                "n_generators": self.n_generators,
                "parts": [{"degree": p.degree, "monomials": p.n_monomials, "lower": p.lower,
                           "upper": p.upper, "certified": p.is_certified,
                           "hilbert_function": p.hilbert_function} for p in self.parts],
                "generators": list(self.generators), "generators_latex": self.latex(),
                "structural": [f.to_dict() for f in self.structural],
                "structural_claim": self.structural_claim,
                "structural_span": [x.to_dict() for x in self.structural_span],
                "primes": list(self.primes),
                "certified": all(p.is_certified for p in self.parts), "notes": list(self.notes),
                "seed": self.seed, "seconds": round(self.seconds, 4)}


def _structural_lines(fam: StructuralFamily) -> list[tuple[str, str]]:
    out = [("structural", fam.summary())]
    if fam.matrix and len(fam.matrix) * len(fam.matrix[0]) <= 48:
        out += [("  matrix" if i == 0 else "", "| " + ",  ".join(row) + " |")
                for i, row in enumerate(fam.matrix)]
    out.append(("  why", fam.statement))
    out.append(("  verified", fam.verification))
    for i, g in enumerate(fam.generators[:4]):
        out.append((f"  G{i + 1}", g if len(g) < 160 else g[:157] + "..."))
    if fam.n_generators > 4:
        out.append(("", f"... {fam.n_generators - 4} more (--json lists all)"))
    return out


def _points_mod(phi, n: int, p: int, rng) -> np.ndarray:
    """Phi(theta_j) mod p for n random theta_j in GF(p)^P: (n, M) int64."""
    theta = rng.integers(0, p, size=(n, phi.n_params), dtype=np.int64)
    out = np.zeros((n, phi.n_coordinates), dtype=np.int64)
    for m, poly in enumerate(phi.polys):
        for a, c in poly.items():
            coef = c.numerator % p * pow(c.denominator, -1, p) % p
            term = np.full(n, coef, dtype=np.int64)
            for j, e in enumerate(a):
                for _ in range(e):
                    term = term * theta[:, j] % p
            out[:, m] = (out[:, m] + term) % p
    return out


def _evaluation_matrix(points: np.ndarray, monomials: np.ndarray, p: int) -> np.ndarray:
    out = np.ones((len(points), len(monomials)), dtype=np.int64)
    for col in range(monomials.shape[1]):
        out = out * points[:, monomials[:, col]] % p
    return out


def _form_string(monomials, form) -> str:
    import sympy

    ys = sympy.symbols(f"y0:{int(monomials.max()) + 1}")
    expr = sum(sympy.Rational(c.numerator, c.denominator) * sympy.Mul(*[ys[int(i)] for i in mono])
               for mono, c in zip(monomials, form) if c)
    return str(sympy.factor(expr))


def _interpolate(phi, coords: list[int], d: int, primes: list[int], rng, max_generators: int):
    """Forms of degree d in the coordinates ``coords`` that vanish on V: (lower, upper, forms,
    note), or None beyond the interpolation limit. upper = N - rank_p of the N monomials in
    ``coords`` evaluated at N + 20 points of V (proven); lower = the forms found mod the primes,
    lifted to Q and verified exactly (None: not computed); forms = [(monomials, coefficients)]
    with monomials as rows of global coordinate indices."""
    n_mono = comb(len(coords) + d - 1, d)
    if n_mono > 20000:
        return None
    monomials = np.array(list(itertools.combinations_with_replacement(coords, d)))
    kernels, upper = [], n_mono
    for i, p in enumerate(primes):
        evals = _evaluation_matrix(_points_mod(phi, n_mono + 20, p, rng), monomials, p)
        if i == 0:
            upper = n_mono - rank_mod(evals.copy(), p)
            if upper == 0 or n_mono > max_generators:
                break
        kernels.append(kernel_rref_mod(evals, p))
    if not kernels:
        note = f"{n_mono} monomials > max_generators; upper bound only" if upper else ""
        return (0 if upper == 0 else None), upper, [], note
    lifted = crt_lift(kernels, primes[: len(kernels)])
    if lifted is None:
        return None if upper else 0, upper, [], "rational reconstruction failed (use more primes)"
    good = [f for f in lifted if vanishes_on(phi, monomials, f)]
    return len(good), upper, [(monomials, f) for f in good], ""  # distinct RREF rows: independent


def _quotient(m: int, forms) -> list[int]:
    """The free coordinates of the linear relations ``forms`` (degree 1, RREF over Q): each
    relation expresses its pivot (first nonzero coordinate) in the free ones, so C[y]/I_1 is
    the polynomial ring in the free coordinates and I = I_1 + J, J = I cap C[y_free], with
    dim I_d = dim (I_1)_d + dim J_d and dim (I_1)_d = C(m+d-1, d) - C(k+d-1, d), k = #free."""
    pivots = set()
    for mono, f in forms:
        pivots.add(int(next(mono[j][0] for j, c in enumerate(f) if c)))
    return [i for i in range(m) if i not in pivots]


def _span_mod_linear(polys, bounds: dict, linear, free: list[int], m: int, prime: int) -> tuple[Span, ...]:
    """:func:`structural.span` modulo I_1: each generator is reduced by the certified I_1 (its
    RREF forms write every pivot coordinate in the free ones) and compared with J_d in the free
    coordinates; the ranks are those of (generators + I_1)_d = (I_1)_d + (reduced)_d. When the
    generators themselves span I_1 (a linear family) this is the rank of their own ideal; else
    the evidence says "with I_1"."""
    ctx = _y_ring(m)
    gens = ctx.gens()
    subs = list(gens)
    for form in linear:
        piv = next(j for j, c in enumerate(form) if c)
        for j in free:
            if form[j]:
                c = -Fraction(form[j]) / form[piv]
                subs[piv] = subs[piv] + flint.fmpq(c.numerator, c.denominator) * gens[j]
        subs[piv] = subs[piv] - gens[piv]
    lin = [f for f in polys if f.total_degree() == 1]
    has_i1 = len(lin) >= len(linear) and _coefficient_rank(lin, None) == len(linear)
    reduced = [g for g in (f.compose(*subs) for f in polys if f.total_degree() > 1) if not g.is_zero()]
    low = min(f.total_degree() for f in polys) if polys else None
    out = []
    for d in sorted(bounds):
        lower, upper = bounds[d]
        if low is None or d < low:
            continue
        off = comb(m + d - 1, d) - comb(len(free) + d - 1, d)
        inner = structural_span(reduced, {d: (None if lower is None else lower - off, upper - off)}, m,
                                prime=prime, coords=free) if reduced and d > 1 else ()
        inner_rank = inner[0].rank if inner else 0
        if inner_rank is None:
            out.append(Span(d, None, False, None, inner[0].evidence + " (modulo I_1)"))
            continue
        rank, exact = off + inner_rank, inner[0].is_exact if inner else True
        if d == 1:  # the linear generators themselves
            rank = _coefficient_rank(lin, None) if lin else 0
        spans = True if rank >= upper else False if exact and lower is not None and rank < lower else None
        how = (f"{'exact rank' if exact else f'rank mod {prime}'} {rank} = (I_1)_{d} {off} + "
               f"{rank - off} modulo I_1{'' if has_i1 else ' (with the I_1 forms)'}")
        verdict = {True: f" = proven upper bound of dim I_{d}",
                   False: f" < {lower} verified independent forms in I_{d}",
                   None: f", dim I_{d} in [{lower}, {upper}]"}[spans]
        out.append(Span(d, rank, exact, spans, how + verdict))
    return tuple(out)


def _names(coords: list[int]) -> str:
    shown = ", ".join(f"y{i}" for i in coords[:8])
    return shown + (", ..." if len(coords) > 8 else "")


def equations(arch, *, degree: int, seed=None, n_primes: int = 3, max_generators: int = 6000,
              structural: bool = True, show_progress=False) -> EquationsResult:
    """The defining equations of the neurovariety V of ``arch`` in degrees 1..``degree``.

    For each degree d, dim I_d is bounded above by N_d - rank_p, the rank over GF(p) of the
    monomials of degree d evaluated at random points of V (a proof: rank mod p <= rank over Q),
    and below by generators found as kernels mod several primes, lifted to Q by CRT and
    rational reconstruction and verified exactly (F(Phi(theta)) = 0 in Q[theta]). Equal bounds
    certify the Hilbert function in that degree. Once I_1 is certified, higher degrees are
    interpolated in the free coordinates of the linear span of V (module docstring). With
    ``structural``, the generators known from theory (catalecticant minors, Sylvester matrices
    of LCNs, minors for deep linear networks, the adjugate stack of 1/x networks, attention
    invariants) are attached with how they were verified and compared
    with the interpolated I_d. Coordinates: those of :func:`neuroalg.polymap.expand` (1/x
    networks: the coefficients of (P_1, ..., P_m, Q)).

    Parameters
    ----------
    arch : str or Architecture
    degree : int
        The highest degree d (1..8).
    seed : int, numpy.random.Generator or None, default=None
    n_primes : int, default=3
        Primes for the lifting.
    max_generators : int, default=6000
        Compute generators only up to this many monomials (the bounds are computed regardless).
    structural : bool, default=True
    show_progress : bool or callable(str), default=False

    Returns
    -------
    EquationsResult
        Per degree the proven bounds and the verified generators; ``n_generators``; ``status``
        is ``"certified"`` when the bounds meet in every degree, else ``"undecided"``.

    References
    ----------
    Kileel, Trager, Bruna (2019), On the expressive power of deep polynomial neural networks,
    NeurIPS, arXiv:1905.12207.

    Examples
    --------
    >>> equations("mlp 3,1,1 x^2", degree=2, seed=0).n_generators  # 2x2 minors of a rank-1 symmetric 3x3
    6
    """
    show_progress = check_progress(show_progress)
    clock = time.perf_counter()
    seed, rng = check_seed(seed)
    if not isinstance(degree, int) or degree < 1 or degree > 8:
        raise SpecError(f"--degree must be an integer in 1..8; got {degree!r}")
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    phi = rational_map(arch) if getattr(arch, "is_rational", False) else expand(arch)
    m = phi.n_coordinates
    primes = [random_prime(30, rng) for _ in range(n_primes)]
    parts, generators, notes = [], [], []
    free = list(range(m))  # the coordinates interpolated in (after I_1: the quotient ones)
    linear: list = []  # the verified I_1 forms (RREF), once certified
    for d in range(1, degree + 1):
        n_mono, offset = comb(m + d - 1, d), comb(m + d - 1, d) - comb(len(free) + d - 1, d)
        step = _interpolate(phi, free, d, primes, rng, max_generators)
        if step is None:
            notes.append(f"degree {d}: {comb(len(free) + d - 1, d)} monomials"
                         f"{' in the quotient coordinates' if offset else ''}, beyond the "
                         f"interpolation limit 20000")
            break
        lower, upper, forms, note = step
        if note:
            notes.append(f"degree {d}: {note}")
        generators += [_form_string(mono, f) for mono, f in forms]
        if show_progress:
            show_progress(f"degree {d}: {n_mono} monomials, at most {upper + offset} equations")
        # I_d = (I_1)_d + J_d, J = the ideal of V in the quotient coordinates (see _quotient)
        parts.append(DegreePart(d, n_mono, None if lower is None and not offset else
                                offset + (lower or 0), offset + upper))
        if d == 1 and upper and lower == upper and forms:
            free, linear = _quotient(m, forms), [f for _, f in forms]
            notes.append(f"linear span: I_1 has {m - len(free)} verified forms, so V lies in a "
                         f"{len(free)}-dimensional space; degrees >= 2 are interpolated in the "
                         f"{len(free)} free coordinates {_names(free)} (I_d = (I_1)_d + J_d)")
    families: list[StructuralFamily] = []
    union: tuple[Span, ...] = ()
    if structural:
        found, more = structural_families(arch, phi, rng=rng)
        bounds = {p.degree: (p.lower, p.upper) for p in parts}
        if len(free) < m:  # compare modulo I_1, in the free coordinates
            families = [replace(f, span=_span_mod_linear(f.polys, bounds, linear, free, m, primes[0]))
                        for f in found]
            union = _span_mod_linear([g for f in found for g in f.polys], bounds, linear, free, m, primes[0])
        else:
            families = [compare(f, bounds, m, prime=primes[0]) for f in found]
            union = families[0].span if len(families) == 1 else \
                structural_span([g for f in families for g in f.polys], bounds, m, prime=primes[0])
        notes += more
        for x in union:  # structural forms are proven to lie in I_d: their rank is a lower bound
            part = parts[x.degree - 1]
            if x.rank is not None and x.rank > (part.lower or 0):
                parts[x.degree - 1] = DegreePart(part.degree, part.n_monomials, x.rank, part.upper)
                notes.append(f"degree {x.degree}: lower bound {x.rank} from the structural generators")
    return EquationsResult(str(arch), phi.labels, tuple(parts), tuple(generators), tuple(primes),
                           seed, time.perf_counter() - clock, tuple(notes), tuple(families), union)
