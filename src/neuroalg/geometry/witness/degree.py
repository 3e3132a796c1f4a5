"""Degree of a neurovariety by monodromy on a witness system, with the trace test.

V = closure of Phi(C^P) in the ambient coordinates of :func:`neuro.expand`. A random affine
space L of codimension dim V meets V in deg V points (for cones, the affine cone's degree is the
degree of the projective variety). We solve A Phi(theta) = b, C theta = c in theta: the slice
C theta = c (P - dim V random affine conditions) is the gauge fixing, meeting every fiber in
finitely many points. Monodromy in (b, c) is transitive because theta -> (A Phi(theta), C theta)
is a dominant, generically finite map from the irreducible C^P. The degree is the number of
distinct images Phi(theta); the trace test on the pencil b + s v (in function space, on the
distinct images) is the completeness evidence; Krawczyk's test certifies the parameter-space
solutions (distinct and nonsingular) for the system as stored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ...homotopy.certify import krawczyk_certify
from ...homotopy.monodromy import TraceTest, monodromy_solve, trace_test
from ...homotopy.polynomial import PolySystem
from ...homotopy.result import unique_points
from ...polymap import expand
from ...progress import check_progress
from ...random import check_seed, child_seed
from ...results import Certainty, Result
from ...spec import parse_spec
from .systems import image_system, witness_system


@dataclass(frozen=True)
class DegreeResult(Result):
    """deg V with its evidence. ``status`` is "numerical": monodromy plus the trace test."""

    spec: str
    degree: int
    dimension: int
    dimension_certified: bool
    ambient: int
    n_solutions: int  # gauge-slice solutions in parameter space
    n_loops: int
    n_paths: int
    n_failed: int
    trace_residual: float
    is_trace_passed: bool
    n_certified: int
    seed: int
    seconds: float
    #: seeds of the inner calls (derived from ``seed``), e.g. {"dimension": ...}
    child_seeds: dict = field(default_factory=dict)

    def headline(self) -> str:
        test = "trace test passed" if self.is_trace_passed else "TRACE TEST FAILED: count may be incomplete"
        return f"deg = {self.degree} (numerical, {test})"

    def lines(self) -> list[tuple[str, str]]:
        dim = f"{self.dimension} ({'certified' if self.dimension_certified else 'Monte Carlo'})"
        return [("architecture", self.spec), ("dimension", dim),
                ("ambient coordinates", str(self.ambient)),
                ("witness points", f"{self.degree} distinct in function space, from "
                                   f"{self.n_solutions} gauge-slice solutions in parameter space"),
                ("monodromy", f"{self.n_loops} loops, {self.n_paths} paths, {self.n_failed} failed"),
                ("trace test", f"residual {self.trace_residual:.1e} "
                               f"({'passed' if self.is_trace_passed else 'failed'})"),
                ("certified", f"{self.n_certified} of {self.n_solutions} parameter-space solutions "
                              "(Krawczyk)"),
                ("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]

    headline_key = "degree"
    method_name = "witness set by monodromy, trace test"

    @property
    def status(self) -> Certainty:
        """numerical when the trace test passed; undecided (a lower bound) otherwise."""
        return Certainty.NUMERICAL if self.is_trace_passed else Certainty.UNDECIDED

    def payload(self) -> dict:
        return {"spec": self.spec, "degree": self.degree, "dimension": self.dimension,
                "dimension_certified": self.dimension_certified, "ambient": self.ambient,
                "n_solutions": self.n_solutions, "loops": self.n_loops, "paths": self.n_paths,
                "failed_paths": self.n_failed, "trace_residual": self.trace_residual,
                "trace_test_passed": self.is_trace_passed, "n_certified": self.n_certified,
                "seed": self.seed, "child_seeds": dict(self.child_seeds),
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


def degree(arch, *, seed=None, stagnation: int = 5, max_rounds: int = 4,
           show_progress=False) -> DegreeResult:
    """Degree of the neurovariety V of ``arch``: the number of points of V on a generic affine
    space of complementary dimension.

    The witness set V ∩ {A f = b} (dim V random rational conditions) is computed in parameter
    space on a random affine gauge slice C theta = c meeting every fiber finitely; monodromy
    loops populate it until ``stagnation`` loops bring no new point, and distinct images
    Phi(theta) are counted. The trace test (the sum of the witness points moves affinely along
    a pencil of parallel slices iff the set is complete) is the completeness evidence; Krawczyk's
    test in ball arithmetic certifies the parameter-space solutions. Conventions: V is the
    affine cone in the coordinates of :func:`neuroalg.polymap.expand`, over C.

    Parameters
    ----------
    arch : str or Architecture
        A spec such as ``"mlp 3,2,1 x^2"`` (polynomial families; not 1/x networks).
    seed : int, numpy.random.Generator or None, default=None
        The one seed of every random choice (None: fresh, recorded in the result).
    stagnation : int, default=5
        Loops without a new point before monodromy stops.
    max_rounds : int, default=4
        Rounds of monodromy + trace test before giving up.
    show_progress : bool or callable(str), default=False
        Called with one-line progress messages.

    Returns
    -------
    DegreeResult
        ``degree``, the evidence (loops, paths, failed paths, trace residual, certified
        solutions) and ``status``: ``"numerical"`` when the trace test passed, ``"undecided"``
        (the count is a lower bound) when it did not.

    References
    ----------
    Duff, Hill, Jensen, Lee, Leykin, Sommars (2019), Solving polynomial systems via homotopy
    continuation and monodromy, IMA J. Numer. Anal. 39, arXiv:1609.08722.
    Leykin, Rodriguez, Sottile (2018), Trace test, Arnold Math. J. 4, arXiv:1608.00540.

    Examples
    --------
    >>> degree("mlp 2,1,1 x^2", seed=0).degree  # squares of binary linear forms: a conic
    2
    """
    show_progress = check_progress(show_progress)
    clock = time.perf_counter()
    seed, rng = check_seed(seed)
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    dim_seed = child_seed(rng)
    dim, dim_certified = generic_dimension(arch, dim_seed)
    phi = expand(arch)
    w = solve_witness(phi, dim, rng, stagnation=stagnation, max_rounds=max_rounds,
                      show_progress=show_progress)
    cert = krawczyk_certify(w.system.with_parameters(w.parameters), w.solutions)
    return DegreeResult(str(arch), w.n_images, dim, dim_certified, phi.n_coordinates,
                        len(w.solutions), w.n_loops, w.n_paths, w.n_failed, w.trace.residual,
                        w.trace.is_passed, cert.n_certified, seed, time.perf_counter() - clock,
                        child_seeds={"dimension": dim_seed})
