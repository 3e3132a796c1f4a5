"""Degree of a neurovariety: by a theorem where one identifies it, else by a witness set.

V = closure of Phi(C^P) in the ambient coordinates of :func:`neuroalg.polymap.expand`. A random
affine space L of codimension dim V meets V in deg V points (for cones, the affine cone's degree
is the degree of the projective variety). We solve A Phi(theta) = b, C theta = c in theta: the
slice C theta = c (P - dim V random affine conditions) meets every fiber in finitely many points,
so every point of V ∩ L has a preimage on it; only one preimage per image is kept
(:mod:`neuroalg.geometry.witness.preimages`): the points are found by random parameter samples
sent to (b, c) and by monodromy loops, whose action on the images is the monodromy of V ∩ L
(transitive, as V is irreducible). The degree is the number of distinct images; the trace test
on the pencil b + s v (in function space, on the distinct images) is the completeness evidence;
Krawczyk's test certifies the parameter-space points (distinct and nonsingular) for the system as
stored. :func:`solve_witness` keeps every parameter-space solution (all preimages of each
image), for the fiber and membership questions that need them.

Theorems (:func:`closed_form`): linear networks (determinantal varieties), quadratic networks
(n, h, 1) (symmetric determinantal varieties) and networks with one hidden neuron
(Segre-Veronese cones) have a certified degree without computation; for polynomial
CNNs the Segre-Veronese degree of Shahverdi-Marchetti-Kohn is printed beside the count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from math import comb

import numpy as np

from ...errors import SpecError
from ...homotopy.certify import krawczyk_certify
from ...homotopy.monodromy import TraceTest, monodromy_solve, trace_test
from ...homotopy.polynomial import PolySystem
from ...homotopy.result import unique_points
from ...polymap import expand
from ...progress import check_progress
from ...random import check_seed, child_seed
from ...results import Certainty, Result
from ...spec import parse_spec
from .preimages import SliceMap, solve_images
from .systems import image_system, witness_system

#: the degree of a determinantal variety (Harris, Example 19.10)
_HARRIS = "Harris (1992), Algebraic Geometry: A First Course, Example 19.10 (degree of M_r)"
#: the image of a linear network is the determinantal variety of its narrowest width
_LINEAR = ("Trager, Kohn, Bruna (2020), Pure and spurious critical points: a geometric study of "
           "linear networks, ICLR, arXiv:1910.05297 (the image is M_r, r = narrowest width)")
_SMK = ("Shahverdi, Marchetti, Kohn (2025), On the geometry and optimization of polynomial "
        "convolutional networks, AISTATS, arXiv:2410.00722 (degree of the neuromanifold)")
_VERONESE = "the cone over the Segre-Veronese variety P^(dL-1) x P^(d0-1) under O(1, r)"
_HARRIS_TU = ("Harris, Tu (1984), On symmetric and skew-symmetric determinantal varieties, "
              "Topology 23: deg = prod_{a=0}^{n-r-1} C(n+a, n-r-a) / C(2a+1, a)")
_SEGRE_VERONESE = ("Harris (1992), Algebraic Geometry, Lectures 18-19: the degree of P^a x P^b "
                   "under O(1, r) is the top self-intersection (H_1 + r H_2)^(a+b)")


def symmetric_determinantal_degree(n: int, r: int) -> int:
    """Degree of {symmetric n x n matrices of rank <= r} (Harris-Tu 1984): 3 for the
    determinant of 3 x 3, 4 for the Veronese surface (n = 3, r = 1), 10 for n = 4, r = 2."""
    if r >= n:
        return 1
    out = Fraction(1)
    for a in range(n - r):
        out *= Fraction(comb(n + a, n - r - a), comb(2 * a + 1, a))
    assert out.denominator == 1
    return int(out)


@dataclass(frozen=True)
class ClosedForm:
    """A degree given by a theorem: ``is_exact`` when the theorem identifies this image (then
    the value is certified), otherwise the value the theorem predicts beside the computation."""

    value: int
    statement: str
    reference: str
    is_exact: bool
    dimension: int | None = None

    def text(self) -> str:
        return f"{self.statement} ({self.reference})"


def closed_form(arch) -> ClosedForm | None:
    """The degree of the neurovariety of ``arch`` by a theorem, where one applies.

    - Linear networks (every activation x), widths (d0, ..., dL), r = min width: the image is
      the variety M_r of dL x d0 matrices of rank <= r (every product has rank <= r, and every
      such matrix factors through widths >= r), times C^dL for the constant term with biases;
      its degree is the determinantal degree (Harris, Ex. 19.10) and its dimension
      r (d0 + dL - r) (+ dL). Exact: the value is certified.
    - Quadratic networks (n, h, 1) with x^2, no biases: sum_i u_i (w_i . x)^2 = x^T W^T diag(u) W x
      runs over all symmetric n x n matrices of rank <= h (over C every such matrix is a sum of
      h squares of linear forms), of degree given by Harris-Tu and dimension h n - h (h - 1) / 2.
      Exact.
    - One hidden neuron, x^r, no biases (d0, 1, dL): the cone {v (w . x)^r} over the
      Segre-Veronese variety P^(dL-1) x P^(d0-1) under O(1, r); degree (d0 + dL - 2)! /
      ((d0 - 1)! (dL - 1)!) r^(d0-1). Exact.
    - Polynomial CNNs with x^r, r > 1, one output: the Segre-Veronese degree of
      Shahverdi-Marchetti-Kohn (:func:`neuroalg.geometry.formulas.cnn_degree`); printed beside
      the witness-set count (expected, not taken for granted).
    """
    from ...arch import CNN, MLP
    from .. import formulas

    if isinstance(arch, MLP) and arch.is_linear:
        m, n, r = arch.widths[0], arch.widths[-1], min(arch.widths)
        extra = n if arch.bias else 0
        what = f"{n} x {m} matrices of rank <= {r}" + (f", times C^{n} (biases)" if arch.bias else "")
        return ClosedForm(formulas.determinantal_degree(m, n, r), what, f"{_LINEAR}; {_HARRIS}",
                          True, formulas.determinantal_dimension(m, n, r) + extra)
    if (isinstance(arch, MLP) and len(arch.widths) == 3 and arch.widths[2] == 1 and not arch.bias
            and arch.activations[0].monomial_power == 2 and arch.widths[1] > 1):
        n, h = arch.widths[0], min(arch.widths[:2])
        return ClosedForm(symmetric_determinantal_degree(n, h),
                          f"symmetric {n} x {n} matrices of rank <= {h}", _HARRIS_TU, True,
                          h * n - h * (h - 1) // 2)
    if isinstance(arch, MLP) and len(arch.widths) == 3 and arch.widths[1] == 1 and not arch.bias:
        power = arch.activations[0].monomial_power
        if power is not None and power >= 1:
            m, n = arch.widths[0], arch.widths[2]
            return ClosedForm(formulas.segre_veronese_degree([n - 1, m - 1], [1, power]),
                              _VERONESE.replace("r)", f"{power})"), _SEGRE_VERONESE, True,
                              m + n - 1)
    if isinstance(arch, CNN) and arch.out == 1:
        power = arch.activation.monomial_power
        if power is not None and power > 1:
            return ClosedForm(formulas.cnn_degree(arch.filters, power),
                              f"Segre-Veronese degree of filters {list(arch.filters)}, x^{power}",
                              _SMK, False)
    return None


@dataclass(frozen=True)
class DegreeResult(Result):
    """deg V with its evidence: a theorem (certified) or a witness set (numerical: sampling and
    monodromy, completeness by the trace test; undecided when the test failed)."""

    spec: str
    degree: int
    dimension: int
    dimension_certified: bool
    ambient: int
    n_solutions: int  # parameter-space witness points: one per image
    n_rounds: int
    n_paths: int
    n_failed: int
    trace_residual: float | None
    is_trace_passed: bool | None
    n_certified: int
    seed: int | None
    seconds: float
    method: str = "witness"
    #: the value a theorem gives, where one applies (see :func:`closed_form`)
    expected: int | None = None
    expected_reference: str | None = None
    #: seeds of the inner calls (derived from ``seed``), e.g. {"dimension": ...}
    child_seeds: dict = field(default_factory=dict)

    @property
    def is_by_theorem(self) -> bool:
        return self.method == "theorem"

    def headline(self) -> str:
        if self.is_by_theorem:
            return f"deg = {self.degree} (certified, by theorem)"
        test = "trace test passed" if self.is_trace_passed else "TRACE TEST FAILED: count may be incomplete"
        return f"deg = {self.degree} (numerical, {test})"

    def lines(self) -> list[tuple[str, str]]:
        dim = f"{self.dimension} ({'certified' if self.dimension_certified else 'Monte Carlo'})"
        out = [("architecture", self.spec), ("dimension", dim),
               ("ambient coordinates", str(self.ambient))]
        if self.expected is not None:
            agree = "" if self.is_by_theorem else (
                " (agrees)" if self.expected == self.degree else
                " (DISAGREES: evidence against the completeness of one of the two)")
            out.append(("by theorem" if self.is_by_theorem else "expected by theorem",
                        f"{self.expected}{agree}; {self.expected_reference}"))
        if not self.is_by_theorem:
            out += [("witness points", f"{self.degree} distinct in function space (one "
                                       "parameter-space point each)"),
                    ("search", f"{self.n_rounds} round{'s' if self.n_rounds != 1 else ''} of "
                               f"sampling and monodromy, {self.n_paths} paths, {self.n_failed} "
                               "dropped"),
                    ("trace test", f"residual {self.trace_residual:.1e} "
                                   f"({'passed' if self.is_trace_passed else 'failed'})"),
                    ("certified", f"{self.n_certified} of {self.n_solutions} parameter-space "
                                  "solutions (Krawczyk)")]
        out += [("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]
        return out

    headline_key = "degree"

    @property
    def status(self) -> Certainty:
        """certified by a theorem; numerical when the trace test passed; undecided (a lower
        bound) otherwise."""
        if self.is_by_theorem:
            return Certainty.CERTIFIED
        return Certainty.NUMERICAL if self.is_trace_passed else Certainty.UNDECIDED

    def payload(self) -> dict:
        return {"spec": self.spec, "degree": self.degree, "dimension": self.dimension,
                "dimension_certified": self.dimension_certified, "ambient": self.ambient,
                "expected": self.expected, "expected_reference": self.expected_reference,
                "n_solutions": self.n_solutions, "rounds": self.n_rounds, "paths": self.n_paths,
                "failed_paths": self.n_failed, "trace_residual": self.trace_residual,
                "trace_test_passed": self.is_trace_passed, "n_certified": self.n_certified,
                "method": self.method, "seed": self.seed, "child_seeds": dict(self.child_seeds),
                "seconds": round(self.seconds, 4)}


def generic_dimension(arch, seed):
    from ..dimension.dimension import dimension

    res = dimension(arch, seed=seed)
    return res.dimension, res.is_certified


@dataclass(frozen=True)
class Witness:
    """Monodromy solution of a witness system A Phi(theta) = b (+ slice), checked by the trace test."""

    system: PolySystem  # parameters (b, c)
    a_matrix: np.ndarray  # A: the witness slice is A f = b in function space
    parameters: np.ndarray
    solutions: np.ndarray
    labels: np.ndarray  # image class of each solution
    n_loops: int
    n_paths: int
    n_failed: int
    trace: TraceTest

    @property
    def n_images(self) -> int:
        return int(self.labels.max()) + 1 if len(self.labels) else 0


def solve_witness(phi, dim: int, rng, *, c_matrix=None, stagnation: int = 5,
                  max_rounds: int = 4, show_progress=False) -> Witness:
    """Slice the image of ``phi`` (dimension ``dim``) and solve by monodromy until the trace
    test on the distinct images passes (doubling the stagnation budget, ``max_rounds`` times).
    ``c_matrix``: the parameter-space slice C theta = c (random when None)."""
    show_progress = check_progress(show_progress)
    phi_system = image_system(phi)
    system, a_mat, c_mat = witness_system(phi, dim, rng, c_matrix=c_matrix)
    p = phi.n_params
    theta0 = (rng.standard_normal(p) + 1j * rng.standard_normal(p)) / np.sqrt(2)
    f0 = phi_system.evaluate(theta0[None])[0][0]
    p0 = np.concatenate([a_mat.astype(float) @ f0, c_mat.astype(float) @ theta0])

    def image(x):
        return phi_system.evaluate(x)[0] if len(x) else np.zeros((0, phi.n_coordinates))

    direction = np.zeros_like(p0)
    direction[:dim] = (rng.standard_normal(dim) + 1j * rng.standard_normal(dim)) / np.sqrt(2)
    sols, loops, paths, failed = theta0[None], 0, 0, 0
    for _ in range(max_rounds):
        mono = monodromy_solve(system, sols, p0, seed_rng=rng, stagnation=stagnation,
                               show_progress=show_progress)
        sols = mono.solutions
        loops, paths, failed = loops + mono.n_loops, paths + mono.n_paths, failed + mono.n_failed
        trace = trace_test(system, sols, p0, direction, image, rng)
        if show_progress:
            show_progress(f"trace test residual {trace.residual:.1e} with {trace.counts[0]} points")
        if trace.is_passed:
            break
        stagnation *= 2
    return Witness(system, a_mat.astype(float), p0, sols, unique_points(image(sols))[1], loops, paths, failed, trace)


def degree(arch, *, seed=None, method: str = "auto", max_rounds: int = 8,
           show_progress=False) -> DegreeResult:
    """Degree of the neurovariety V of ``arch``: the number of points of V on a generic affine
    space of complementary dimension.

    Where a theorem identifies V (linear networks: a determinantal variety; (n, h, 1) with x^2:
    a symmetric determinantal variety; one hidden neuron with x^r: a Segre-Veronese cone;
    :func:`closed_form`) the degree is that theorem's value, certified, unless
    ``method="witness"``. Otherwise the witness set V ∩ {A f = b} (dim V random
    rational conditions) is computed in parameter space on a random affine slice C theta = c
    that meets every fiber finitely, keeping one parameter point per distinct image Phi(theta)
    (:func:`neuroalg.geometry.witness.preimages.solve_images`): rounds of random samples sent
    to the slice and of monodromy loops, each closed by the trace test (the sum of the witness
    points moves affinely along a pencil of parallel slices iff the set is complete), which is
    the completeness evidence; Krawczyk's test in ball arithmetic certifies the parameter-space
    points. A theorem's value that only predicts V's degree (polynomial CNNs) is printed beside
    the count and stops the search once reached; the trace test still decides. Conventions: V
    is the affine cone in the coordinates of :func:`neuroalg.polymap.expand`, over C.

    Parameters
    ----------
    arch : str or Architecture
        A spec such as ``"mlp 3,2,1 x^2"`` (polynomial families; not 1/x networks).
    seed : int, numpy.random.Generator or None, default=None
        The one seed of every random choice (None: fresh, recorded in the result).
    method : {"auto", "witness", "theorem"}, default="auto"
        "auto": a theorem where one identifies V, else the witness set; "witness": always the
        witness set (the theorem's value is printed beside it); "theorem": only a theorem.
    max_rounds : int, default=8
        Rounds of sampling, monodromy and trace test before giving up (each round tracks twice
        as many monodromy triangles as the last).
    show_progress : bool or callable(str), default=False
        Called with one-line progress messages.

    Returns
    -------
    DegreeResult
        ``degree``, the evidence and ``status``: ``"certified"`` (a theorem), ``"numerical"``
        (the trace test passed) or ``"undecided"`` (the count is a lower bound).

    References
    ----------
    Duff, Hill, Jensen, Lee, Leykin, Sommars (2019), Solving polynomial systems via homotopy
    continuation and monodromy, IMA J. Numer. Anal. 39, arXiv:1609.08722.
    Leykin, Rodriguez, Sottile (2018), Trace test, Arnold Math. J. 4, arXiv:1608.00540.
    Harris (1992), Algebraic Geometry: A First Course, Example 19.10 (determinantal degrees).

    Examples
    --------
    >>> degree("mlp 2,1,1 x^2", seed=0, method="witness").degree  # squares of binary forms: a conic
    2
    >>> degree("linear 4,2,4").degree  # 4 x 4 matrices of rank <= 2
    20
    """
    if method not in ("auto", "witness", "theorem"):
        raise SpecError(f"degree: method must be 'auto', 'witness' or 'theorem'; got {method!r}")
    show_progress = check_progress(show_progress)
    clock = time.perf_counter()
    seed, rng = check_seed(seed)
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    theorem = closed_form(arch)
    expected = None if theorem is None else theorem.value
    reference = None if theorem is None else theorem.text()
    if method == "theorem" and (theorem is None or not theorem.is_exact):
        raise SpecError(f"degree: no theorem identifies the neurovariety of {arch} (theorems: "
                        "linear networks, (n, h, 1) with x^2, one hidden neuron with x^r); use "
                        "method 'auto' or 'witness'")
    if theorem is not None and theorem.is_exact and method != "witness":
        assert theorem.dimension is not None
        return DegreeResult(str(arch), theorem.value, theorem.dimension, True,
                            arch.ambient_dimension, 0, 0, 0, 0, None, None, 0, seed,
                            time.perf_counter() - clock, method="theorem", expected=expected,
                            expected_reference=reference)
    dim_seed = child_seed(rng)
    dim, dim_certified = generic_dimension(arch, dim_seed)
    phi = expand(arch)
    system, a_mat, c_mat = witness_system(phi, dim, rng)
    w = solve_images(SliceMap(phi, a_mat, c_mat), rng, max_rounds=max_rounds,
                     target=expected,
                     show_progress=show_progress)
    cert = krawczyk_certify(system.with_parameters(w.parameters), w.points)
    return DegreeResult(str(arch), w.n_images, dim, dim_certified, phi.n_coordinates,
                        w.n_images, w.n_rounds, w.n_paths, w.n_failed, w.trace.residual,
                        w.trace.is_passed, cert.n_certified, seed, time.perf_counter() - clock,
                        expected=expected, expected_reference=reference,
                        child_seeds={"dimension": dim_seed})
