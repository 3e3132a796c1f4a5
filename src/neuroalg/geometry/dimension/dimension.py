"""Dimension of a neurovariety: proven bounds, certified or Monte Carlo value, and evidence.

Convention: the affine dimension of the (Zariski closure of the) image of Phi over C, i.e. of the
affine cone; ``projective=True`` subtracts the number of independent output scalings (one
projective factor per output, so a product-of-projective-spaces dimension). Over C unless stated.

Method (DESIGN section 3). Let P = #params.

* Lower bound: the rank over GF(p) of the sketched evaluation Jacobian, whose rows are
  ``c_j^T dPhi(theta)(x_j)`` for random theta, inputs x_j and output covectors c_j mod p. A nonzero
  minor mod p is nonzero over Q, and the rank at one point is at most the generic rank over C,
  which equals dim: rigorous whatever was drawn. With at least ``dim`` rows the generic rank of the
  sketch is dim, because the functionals f -> c^T f(x) span the dual of the function space.
* Upper bound: min(ambient, P - rank over GF(p) of the known symmetry fields at theta). The
  fields lie in ker dPhi identically, so the generic fiber has at least that dimension: rigorous.
  The rank is that of a random row compression R S of the field matrix S when S is tall and
  sparse (:func:`neuroalg.linalg.rank_lower_bound_mod`): rank R S <= rank S, so the bound stays
  rigorous, and it is the rank of S except with probability below p^-2 / (p - 1).
* The upper bound is sharpened by certificates where they apply: before the first Jacobian,
  whose rows then stop at the certified bound, by the composition certificate in closed forms
  (no rank, :func:`~neuroalg.geometry.dimension.composition.composition_certificate` with
  ``structural=True``); after the first trial, if the bounds still differ, by: flattening minors
  (catalecticant, Koszul) for shallow monomial networks (:mod:`neuroalg.geometry.dimension.certificates`)
  and composition of sub-architectures (:mod:`neuroalg.geometry.dimension.composition`), and for small
  architectures by exactly verified linear symmetry fields the architecture does not declare.
* Equal bounds: the dimension is **certified**. Otherwise the rank is repeated at independent
  points over random 31-bit primes; the largest rank is the Monte Carlo value v. If dim > v, a
  fixed nonzero (v+1)-minor M, of degree at most (v+1) e (e = ``arch.jacobian_degree``), vanished at
  every trial point, which by Schwartz–Zippel has probability at most prod_t (v+1) e / p_t; this
  is ``error_bound``. It assumes p_t divides no coefficient of M, i.e. M stays nonzero mod p_t
  (primes are drawn at random from ~2**31 / 21 candidates).
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field

from ..._version import __version__
from ...arch import Architecture
from ...errors import PoleError, SpecError
from ...fields import GF, REAL
from ...linalg import numerical_rank, random_prime, rank_lower_bound_mod, rank_mod
from ...progress import check_progress
from ...random import check_seed, spawn
from ...results import Certainty, Result
from ..jacobian import sketched_jacobian
from .budget import check_budget, rank_estimate
from .certificates import catalecticant_certificate, determinantal_certificate, koszul_certificate
from .composition import MAX_FIELD_ENTRIES, composition_certificate
from .symmetries import symmetry_certificate

#: Bits of the first (fast, single-limb BLAS) prime and of the Monte Carlo primes.
FAST_BITS, MC_BITS = 21, 31
_ROW_MARGIN = 2


@dataclass(frozen=True)
class DimensionResult(Result):
    """The dimension of a neurovariety and how it was obtained (see :func:`dimension`)."""

    spec: str
    params: int
    ambient: int | None
    expected: int
    expected_formula: str
    expected_reference: str
    lower: int | None
    upper: int | None
    dimension: int
    certainty: Certainty
    error_bound: float | None
    symmetry_rank: int | None
    convention: str
    method: str
    seed: int | None
    primes: tuple[int, ...] = ()
    ranks: tuple[int, ...] = ()
    rows: int = 0
    gap: float | None = None
    seconds: float = 0.0
    version: str = __version__
    notes: tuple[str, ...] = dc_field(default=())
    certificate: dict | None = None
    #: what the projective convention subtracted (0 in the affine convention)
    output_scalings: int = 0
    #: theorems about this family checked against the result (1/x networks: :mod:`.rational_theory`)
    theory: tuple = ()
    #: (deg P_k, deg Q) of a 1/x network f_k = P_k / Q (Grosdos-Robeva-Zubkov recursion)
    rational_degrees: tuple[int, int] | None = None

    # --- derived ---------------------------------------------------------------------------
    @property
    def is_certified(self) -> bool:
        return self.certainty is Certainty.CERTIFIED

    @property
    def defect(self) -> int:
        """expected - dimension (> 0: defective)."""
        return self.expected - self.dimension

    @property
    def is_defective(self) -> bool:
        return self.defect > 0

    @property
    def is_filling(self) -> bool | None:
        """Whether the neurovariety fills its ambient space (None without a finite ambient)."""
        return None if self.ambient is None else self.dimension == self.ambient

    @property
    def fiber_dimension(self) -> int:
        """Dimension of the generic fiber of Phi (#params - affine dimension)."""
        return self.params - self.dimension - self.output_scalings

    @property
    def is_identifiable(self) -> bool | None:
        """Finitely identifiable up to the known symmetries: the generic fiber is a finite union
        of symmetry orbits (fiber dimension == rank of the symmetry fields)."""
        if self.symmetry_rank is None:
            return None
        return self.fiber_dimension == self.symmetry_rank

    # --- rendering -------------------------------------------------------------------------
    def headline(self) -> str:
        if self.certainty is Certainty.CERTIFIED:
            return f"dim = {self.dimension} (certified)"
        if self.certainty is Certainty.MONTE_CARLO:
            return (f"dim in [{self.lower}, {self.upper}], Monte Carlo {self.dimension}, "
                    f"error <= {self.error_bound:.1e}")
        return f"dim = {self.dimension} (numerical, singular-value gap {self.gap:.1e})"

    def lines(self) -> list[tuple[str, str]]:
        amb = "none (not a finite-dimensional space)" if self.ambient is None else str(self.ambient)
        if self.is_defective:
            verdict = f"defective by {self.defect}"
        elif self.defect < 0:
            verdict = f"exceeds the expected dimension by {-self.defect}"
        else:
            verdict = "not defective"
        rows = [
            ("architecture", self.spec),
            ("convention", f"{self.convention} dimension over C"),
            ("parameters", str(self.params)),
            ("ambient", amb),
        ]
        if self.rational_degrees is not None:
            a, b = self.rational_degrees
            rows.append(("rational degrees", f"numerators P_k of degree {a}, common denominator Q "
                                             f"of degree {b} (Grosdos-Robeva-Zubkov recursion)"))
        rows += [
            ("expected", f"{self.expected} = {self.expected_formula}"),
            ("reference", self.expected_reference),
        ]
        if self.lower is not None:
            rows.append(("proven bounds", f"[{self.lower}, {self.upper}]"))
        rows += [
            ("defect", f"{self.defect} ({verdict})"),
            ("filling", "n/a" if self.is_filling is None else ("yes" if self.is_filling else "no")),
            ("generic fiber", f"dimension {self.fiber_dimension}"
             + ("" if self.symmetry_rank is None else f" (known symmetries: {self.symmetry_rank})")),
        ]
        if self.is_identifiable is not None:
            rows.append(("identifiable", "finitely, up to the known symmetries" if self.is_identifiable
                         else "no: the fiber is larger than the known symmetries explain"))
        ev = f"{self.method}; {self.rows} Jacobian rows"
        if self.primes:
            ev += f"; ranks {list(self.ranks)} mod primes {list(self.primes)}"
        if self.gap is not None:
            ev += f"; singular-value gap {self.gap:.2e}"
        rows.append(("evidence", ev))
        if self.certificate is not None:
            c = self.certificate
            rows.append(("upper bound", f"{c['bound']} by {c['kind']}: {c['statement']}; {c['verification']}"))
        rows += [(f"theory: {t.kind}", t.line()) for t in self.theory]
        rows += [("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]
        rows += [("note", n) for n in self.notes]
        return rows

    @property
    def title_style(self) -> str:
        return {"certified": "bold green", "monte_carlo": "bold yellow",
                "numerical": "bold red"}[self.certainty.value]

    headline_key = "dimension"

    @property
    def status(self) -> Certainty:
        return self.certainty

    def payload(self) -> dict:
        d = asdict(self)
        d["certainty"] = self.certainty.value
        d.update(
            certified=self.is_certified,
            error_bound=0.0 if self.is_certified else self.error_bound,
            defect=self.defect,
            filling=self.is_filling,
            fiber_dimension=self.fiber_dimension,
            identifiable=self.is_identifiable,
            primes=list(self.primes),
            ranks=list(self.ranks),
            rational_degrees=None if self.rational_degrees is None else list(self.rational_degrees),
            notes=list(self.notes),
        )
        return d


def dimension(arch, *, seed=None, method: str = "auto", projective: bool = False,
              error_target: float = 1e-12, max_trials: int = 8, force: bool = False,
              memory_limit: int | None = None, show_progress=False) -> DimensionResult:
    """Dimension of the neurovariety of ``arch``, with proven bounds (see the module docstring).

    Parameters
    ----------
    arch : Architecture or str
        An architecture or a spec string (:func:`neuroalg.parse_spec`).
    seed : int, numpy Generator or None
        Source of all randomness; recorded in the result (drawn from OS entropy if None).
    method : {"auto", "exact", "numerical"}, default="auto"
        "exact": modular ranks (proven bounds); "numerical": float64 rank with its singular-value
        gap, no proof. "auto" is exact for algebraic families, numerical for softmax attention.
    projective : bool, default=False
        Report dimensions in the product-of-projective-spaces convention (affine minus the
        number of independent output scalings).
    error_target : float, default=1e-12
        Monte Carlo trials continue until the error bound is below this (or ``max_trials``).
    max_trials : int, default=8
    force : bool, default=False
        Run even when the predicted memory or time exceeds the budget.
    show_progress : bool or callable(str), default=False
        True: a short message at each stage on stderr; a callable receives them
        (:mod:`neuroalg.progress`).

    Returns
    -------
    DimensionResult
        ``dimension``, the proven ``lower`` and ``upper`` bounds with their evidence (primes,
        ranks, certificate) and ``status``: ``"certified"`` (the bounds meet),
        ``"monte_carlo"`` (bounds differ; the value holds except with probability at most
        ``error_bound``, Schwartz–Zippel) or ``"numerical"`` (``method="numerical"``: a float
        rank with its singular-value gap, no proof).

    References
    ----------
    Kileel, Trager, Bruna (2019), On the expressive power of deep polynomial neural networks,
    NeurIPS, arXiv:1905.12207 (dimension via the Jacobian rank; expected dimension).

    Raises
    ------
    SpecError
        Malformed architecture or options.
    BudgetError
        Predicted cost over the budget and ``force`` is False.

    Examples
    --------
    >>> r = dimension("mlp 3,3,3,3 x^2", seed=0)
    >>> r.dimension, r.is_certified
    (21, True)
    """
    from ...spec import parse_spec

    arch = parse_spec(arch)
    if method not in ("auto", "exact", "numerical"):
        raise SpecError(f"method must be 'auto', 'exact' or 'numerical'; got {method!r}")
    if method == "auto":
        method = "exact" if arch.is_algebraic else "numerical"
    if method == "exact" and not arch.is_algebraic:
        raise SpecError(f"{arch} is not algebraic: only method='numerical' applies")
    if not (0 < error_target < 1):
        raise SpecError(f"error_target must be in (0, 1); got {error_target}")
    if not (isinstance(max_trials, int) and max_trials >= 1):
        raise SpecError(f"max_trials must be a positive integer; got {max_trials!r}")
    say = check_progress(show_progress)
    P, ambient = arch.n_params, arch.ambient_dimension
    max_rows = (P if ambient is None else min(P, ambient)) + _ROW_MARGIN
    check_budget(f"dimension of {arch}", rank_estimate(max_rows, P, 2), force=force,
                 memory_limit=memory_limit)
    seed, rng = check_seed(seed)
    t0 = time.perf_counter()
    expected = arch.expected_dimension()
    common = dict(spec=str(arch), params=P, ambient=ambient, expected=expected.value,
                  expected_formula=expected.formula, expected_reference=expected.reference,
                  seed=seed, rational_degrees=arch.rational_degrees()
                  if getattr(arch, "is_rational", False) else None)
    if method == "numerical":
        say("float64 Jacobian and its singular values")
        theta = arch.random_params(rng, REAL)
        nr = numerical_rank(sketched_jacobian(arch, theta, max_rows, REAL, rng))
        res = DimensionResult(**common, lower=None, upper=None, dimension=nr.rank,
                              certainty=Certainty.NUMERICAL, error_bound=None, symmetry_rank=None,
                              convention="affine", method="float64 SVD rank", rows=max_rows,
                              gap=nr.gap, seconds=time.perf_counter() - t0,
                              notes=("numerical: the rank is read off floating-point singular "
                                     "values and is not proven",))
        return _with_theory(_convert(res, arch) if projective else res, arch)

    e = arch.jacobian_degree
    sym: int | None  # None once a trial finds no symmetry rank
    primes, ranks, upper, lower, sym = [], [], None, -1, 0
    streams = spawn(rng, max_trials + 1)
    error, certificate = 1.0, None

    def closed_form(bound: int):  # before any Jacobian: no rank, nothing random
        return composition_certificate(arch, 0, None, known_upper=bound, structural=True)

    for trial in range(max_trials):
        p = random_prime(FAST_BITS if trial == 0 else MC_BITS, streams[trial])
        say(f"trial {trial + 1}: Jacobian over GF({p})")
        r, s, n_rows, cert = _rank_trial(arch, GF(p), streams[trial], upper,
                                         closed_form if trial == 0 else None)
        certificate = cert or certificate
        sym = None if s is None or sym is None else max(sym, s)
        bound = ambient if s is None else (P - s if ambient is None else min(P - s, ambient))
        upper = bound if upper is None else min(upper, bound)
        if certificate is not None:
            upper = min(upper, certificate.bound)
        primes.append(p)
        ranks.append(r)
        lower = max(lower, r)
        if trial == 0 and lower < upper:
            say("looking for an upper-bound certificate")
            better = best_certificate(arch, random_prime(FAST_BITS, streams[-1]), streams[-1],
                                      upper, lower)
            if better is not None:
                certificate, upper = better, min(upper, better.bound)
        error = math.prod(min(1.0, (lower + 1) * e / q) for q in primes)
        if lower >= upper or error <= error_target:
            break
    certified = lower == upper
    res = DimensionResult(
        **common, lower=lower, upper=upper, dimension=lower,
        certainty=Certainty.CERTIFIED if certified else Certainty.MONTE_CARLO,
        error_bound=0.0 if certified else error, symmetry_rank=sym, convention="affine",
        method="rank mod p of the sketched evaluation Jacobian; symmetry-field upper bound",
        primes=tuple(primes), ranks=tuple(ranks), rows=n_rows, seconds=time.perf_counter() - t0,
        certificate=None if certificate is None else certificate.to_dict(),
        notes=() if certified else (
            f"Monte Carlo: the generic fiber may be larger than the known symmetries explain; "
            f"Schwartz-Zippel bound prod_t (v+1)*{e}/p_t over {len(primes)} trials",))
    return _with_theory(_convert(res, arch) if projective else res, arch)


def best_certificate(arch, p: int, rng, upper: int, lower: int):
    """The certificate with the lowest bound below ``upper`` (None if there is none): the
    determinantal theorem for linear networks, flattenings (catalecticant, Koszul) for shallow
    monomial networks, composition, and, while the bounds still differ, exactly verified linear
    symmetry fields (at most 40 parameters)."""
    best = determinantal_certificate(arch)
    if best is not None and best.bound >= upper:
        best = None
    if best is not None and best.bound <= lower:
        return best
    for make in (catalecticant_certificate, koszul_certificate):
        cert = make(arch, p, rng)
        if cert is not None and cert.bound < (upper if best is None else best.bound):
            best = cert
    cert = composition_certificate(arch, p, rng, known_upper=upper if best is None else best.bound)
    best = cert if cert is not None else best
    if (upper if best is None else best.bound) > lower:
        cert = symmetry_certificate(arch, lower, rng)
        if cert is not None and cert.bound < (upper if best is None else best.bound):
            best = cert
    return best


def _rank_trial(arch: Architecture, field: GF, rng, upper: int | None, certify=None):
    """One trial: (rank of the sketched Jacobian, rank of the symmetry fields, rows,
    certificate) mod p; the symmetry rank is None when the field matrix is too large to build.
    ``certify(bound)``, if given, is asked for a certificate (below ``bound``, or None) before
    the Jacobian is built, so that its rows stop at the certified bound."""
    ambient = arch.ambient_dimension
    # a field matrix of more than MAX_FIELD_ENTRIES entries is not built: the upper bound is then
    # min(ambient, #params) until a certificate (e.g. composition) lowers it, and the symmetry
    # rank stays unknown (and with it the identifiability verdict). When P - #fields >= ambient
    # nothing is lost: the bound is the ambient dimension whatever the rank.
    skip_fields = arch.n_params * arch.n_symmetry_fields > MAX_FIELD_ENTRIES
    cap = arch.n_params if ambient is None else min(ambient, arch.n_params)
    cert = None
    for _ in range(20):
        theta = arch.random_params(rng, field)
        sym, bound = None, cap
        if not skip_fields:
            sym_cols = arch.symmetry_fields(theta, field)
            # a lower bound on the rank of the fields (exact but for probability < p^-2/(p-1))
            sym = rank_lower_bound_mod(sym_cols, field.p, spawn(rng, 1)[0]) if sym_cols.shape[1] else 0
            bound = min(bound, arch.n_params - sym)
        if upper is not None:
            bound = min(bound, upper)
        if certify is not None:
            cert, certify = certify(bound), None
        n_rows = (bound if cert is None else min(bound, cert.bound)) + _ROW_MARGIN
        try:
            jac = sketched_jacobian(arch, theta, n_rows, field, rng)
        except PoleError:
            continue  # degenerate parameters for a rational map: draw again
        return rank_mod(jac, field.p, overwrite=True), sym, n_rows, cert
    raise PoleError(f"{arch}: could not avoid the poles over {field} in 20 draws")


def _with_theory(res: DimensionResult, arch: Architecture) -> DimensionResult:
    """``res`` with the theory checks of its family (1/x networks), if any."""
    from dataclasses import replace

    from .rational_theory import rational_checks

    checks = rational_checks(arch, dimension=res.dimension, lower=res.lower, upper=res.upper,
                             certified=res.is_certified, ambient=res.ambient,
                             output_scalings=res.output_scalings)
    return replace(res, theory=checks) if checks else res


def _convert(res: DimensionResult, arch: Architecture) -> DimensionResult:
    """Switch a result to the product-of-projective-spaces convention."""
    s = arch.n_output_scalings
    sub = lambda v: None if v is None else v - s  # noqa: E731
    from dataclasses import replace

    return replace(res, ambient=sub(res.ambient), expected=res.expected - s, lower=sub(res.lower),
                   upper=sub(res.upper), dimension=res.dimension - s, convention="projective",
                   output_scalings=s, expected_formula=f"({res.expected_formula}) - {s}")
