"""Generic fibers of the parameterization: gauge slice, fiber size by monodromy, hidden symmetries.

Gauge slice: each rescaling symmetry theta -> (t w_in, t^-r w_out) of a hidden neuron (MLP) or
of a filter (CNN) with monomial activation x^r is fixed by <r_j, w_in> = 1 for a random vector
r_j; the slice meets each rescaling orbit exactly once (t = 1 / <r_j, w_in>).
On the slice, the generic fiber of Phi is finite exactly when #params - #gauge = dim V; then the
witness system A Phi(theta) = b on the slice is solved by random samples and monodromy loops
(:func:`neuroalg.geometry.witness.preimages.solve_fibers`), solutions are grouped by their
image, and the largest number of preimages of an image is the generic fiber size modulo
rescalings (e.g. hidden-neuron permutations). The loops stop once the full fibers have kept
receiving points without growing (a heuristic coincidence bound), long before every fiber, or
every point of V's witness set, is found; when the trace test on the images met passes, their
number is deg V.
Otherwise the fiber keeps dimension #params - #gauge - dim V (other symmetries: GL of linear
layers, orthogonal groups, or hidden ones) and only that dimension is reported.

Hidden symmetries: the generic kernel of dPhi has dimension #params - dim V; the known symmetry
fields (``Architecture.symmetry_fields``) span ``symmetry_rank`` of it; any excess is a hidden
infinitesimal symmetry (reported as a count; with a Monte Carlo dimension the count is Monte
Carlo too). Linear ansatz: vector fields V(theta) = B theta with dPhi(theta) B theta = 0 for all
theta are the kernel of a linear system in the P^2 entries of B (rows c^T dPhi(theta_i)(x) B
theta_i over GF(p) at random theta_i, x, c); their values at a generic theta, beyond the span of
the known fields, are reported as extra linear symmetries (a lower bound: with too few rows the
kernel can only be larger, never miss a true symmetry, so a reported 0 is Monte Carlo).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ...polymap import expand, random_rational
from ...progress import check_progress
from ...random import check_seed, child_seed
from ...results import Certainty, Result
from ...spec import parse_spec
from ..dimension.symmetries import hidden_symmetry_fields, linear_symmetries
from .preimages import SliceMap, solve_fibers


@dataclass(frozen=True)
class FiberResult(Result):
    spec: str
    dimension: int
    dimension_certified: bool
    n_params: int
    n_gauge: int  # rescalings fixed by the gauge slice
    fiber_dimension: int  # on the gauge slice
    symmetry_rank: int | None
    fiber_size: int | None  # points per generic fiber on the slice (None: positive-dimensional)
    n_linear_fields: int | None  # dimension of the space of linear symmetry fields B theta
    n_extra_linear: int | None  # their directions beyond the known symmetry fields
    degree: int | None  # deg V when the trace test passed on the images found
    trace_residual: float | None
    is_trace_passed: bool | None
    n_loops: int
    seed: int
    seconds: float
    n_images: int | None = None  # witness points of V met (all of them iff the test passed)
    n_full: int | None = None  # of which with fiber_size preimages found
    coincidence: float | None = None  # see solve_fibers: heuristic chance of a larger fiber
    n_orbit: int | None = None  # points of a fiber given by the neuron permutations of one
    #: verified linear fields beyond the known ones, as "d t_i = sum_j B_ij t_j; ..."
    extra_fields: tuple[str, ...] = ()
    #: seeds of the inner calls (derived from ``seed``), e.g. {"dimension": ...}
    child_seeds: dict = field(default_factory=dict)

    @property
    def n_hidden_symmetries(self) -> int | None:
        if self.symmetry_rank is None:
            return None
        return self.n_params - self.dimension - self.symmetry_rank

    def headline(self) -> str:
        if self.fiber_size is None:
            return (f"generic fiber of dimension {self.fiber_dimension} on the gauge slice "
                    f"({'certified' if self.dimension_certified else 'Monte Carlo'} dimension)")
        return (f"generic fiber: {self.fiber_size} point{'s' if self.fiber_size != 1 else ''} "
                f"modulo rescalings (numerical, the largest of {self.n_images} fibers)")

    def lines(self) -> list[tuple[str, str]]:
        kernel = self.n_params - self.dimension
        out = [("architecture", self.spec),
               ("dimension", f"{self.dimension} ({'certified' if self.dimension_certified else 'Monte Carlo'})"),
               ("gauge slice", f"{self.n_gauge} rescalings fixed (<r_j, w_j> = 1, r_j random)"),
               ("kernel of dPhi", f"{kernel} = {self.symmetry_rank} known symmetry directions"
                                  + (f" + {self.n_hidden_symmetries} hidden" if self.n_hidden_symmetries else ""))]
        if self.fiber_size is not None:
            deg = (f"{self.degree} (trace test on the images found: residual "
                   f"{self.trace_residual:.1e}, passed)" if self.is_trace_passed else
                   f"not determined ({self.n_images} witness points met; trace residual "
                   f"{self.trace_residual:.1e})")
            out += [("fibers", f"{self.fiber_size} preimages over {self.n_full} of the "
                               f"{self.n_images} witness points met, never more")]
            if self.n_orbit is not None and self.n_orbit > 1:
                out.append(("neuron permutations", f"{self.n_orbit} of them are the permutations of "
                                                   "one (exact symmetries, moved back to the slice)"
                            + ("; monodromy found no other" if self.n_orbit == self.fiber_size
                               else "")))
            out += [("evidence", f"full fibers kept receiving points and gained none: chance "
                                 f"{self.coincidence:.1e} if they had one more point (heuristic: "
                                 "uniform mixing by the monodromy loops)"),
                    ("degree", deg),
                    ("identifiable", "yes (up to rescaling)" if self.fiber_size == 1 else
                     f"finitely: {self.fiber_size} parameter points per function")]
        if self.n_linear_fields is not None:
            out.append(("linear ansatz", f"{self.n_linear_fields} linear symmetry fields B theta, "
                                         f"{self.n_extra_linear} directions beyond the known ones"))
        out += [(f"  field {i + 1}", f) for i, f in enumerate(self.extra_fields)]
        out += [("monodromy rounds", str(self.n_loops)), ("seed", str(self.seed)),
                ("time", f"{self.seconds:.2f} s")]
        return out

    headline_key = "fiber_size"
    method_name = "monodromy on a gauge slice until the largest fiber stops growing"

    @property
    def status(self) -> Certainty:
        return Certainty.NUMERICAL

    def payload(self) -> dict:
        return {"spec": self.spec, "dimension": self.dimension,
                "dimension_certified": self.dimension_certified, "params": self.n_params,
                "gauge_conditions": self.n_gauge, "fiber_dimension": self.fiber_dimension,
                "symmetry_rank": self.symmetry_rank, "hidden_symmetries": self.n_hidden_symmetries,
                "fiber_size": self.fiber_size, "degree": self.degree,
                "linear_symmetry_fields": self.n_linear_fields,
                "extra_linear_symmetries": self.n_extra_linear,
                "extra_fields_verified": list(self.extra_fields),
                "trace_residual": self.trace_residual, "trace_test_passed": self.is_trace_passed,
                "n_images": self.n_images, "n_full_fibers": self.n_full,
                "coincidence": self.coincidence, "permutation_orbit": self.n_orbit,
                "loops": self.n_loops, "seed": self.seed,
                "child_seeds": dict(self.child_seeds),
                "seconds": round(self.seconds, 4)}


def gauge_blocks(arch) -> tuple[tuple[int, ...], ...]:
    """The incoming weights of each unit with a rescaling symmetry (``Architecture.units``)."""
    return tuple(u.incoming for u in arch.units() if u.group == "rescaling")


def gauge_matrix(arch, rng) -> np.ndarray:
    """Rows r_j on unit j's incoming weights: the slice <r_j, w_j> = 1 meets each rescaling orbit
    t -> (t w_j, t^-r w_out) exactly once (Fractions, random)."""
    blocks = gauge_blocks(arch)
    out = np.empty((len(blocks), arch.n_params), dtype=object)
    out[:] = Fraction(0)
    for i, block in enumerate(blocks):
        out[i, list(block)] = random_rational(rng, (len(block),))
    return out


def neuron_moves(arch, gauge) -> Callable[[np.ndarray, np.ndarray], list[np.ndarray]] | None:
    """Known finite symmetries on a gauge slice, for MLPs: exchanging two neurons of a hidden
    layer (rows of W_l and entries of b_l, columns of W_{l+1}) keeps the function; the result
    is moved back to the slice <r_j, w_j> = c_j along the rescalings (layer by layer, since a
    neuron's outgoing weights are the next layer's incoming ones). Returns the map (points,
    levels c) -> their images under the adjacent transpositions of every hidden layer (which
    generate the permutations), or None when there is none."""
    if getattr(arch, "family", None) != "mlp":
        return None
    units = arch.units()
    rescaled = [u for u in units if u.group == "rescaling"]
    rows = np.asarray(np.asarray(gauge, dtype=float), dtype=np.complex128)
    pairs = [(u, v) for u, v in zip(units, units[1:]) if u.layer == v.layer]
    if not pairs:
        return None

    def normalize(x, levels):
        for row, level, u in zip(rows, levels, rescaled):
            t = level / (x[:, list(u.incoming)] @ row[list(u.incoming)])
            x[:, list(u.input_side)] *= t[:, None]
            x[:, list(u.outgoing)] *= (t ** -u.power)[:, None]
        return x

    def moves(x, levels):
        out = []
        for u, v in pairs:
            y = x.copy()
            for a, b in ((u.input_side, v.input_side), (u.outgoing, v.outgoing)):
                y[:, list(a) + list(b)] = x[:, list(b) + list(a)]
            out.append(normalize(y, levels))
        return out

    return moves


def fiber(arch, *, seed=None, error: float = 1e-6, show_progress=False) -> FiberResult:
    """The generic fiber of theta -> Phi(theta) for ``arch``, modulo the rescalings.

    The fiber of a generic point meets the gauge slice <r_j, w_j> = 1 (one random condition per
    rescaled unit, :func:`gauge_matrix`) in ``fiber_size`` points, found by monodromy on a
    witness system until the largest fibers found stop growing while they keep receiving
    points (evidence: ``coincidence``, the chance under uniform mixing that a larger fiber went
    unseen); its dimension on the slice is P - #gauge - dim V (0 means identifiable up to the
    known symmetries and finitely many points). Linear symmetry fields
    B theta in ker dPhi are searched over GF(p) and those beyond the known ones are verified and
    printed (hidden symmetries).

    Parameters
    ----------
    arch : str or Architecture
    seed : int, numpy.random.Generator or None, default=None
    error : float, default=1e-6
        Stop once the coincidence bound is below this.
    show_progress : bool or callable(str), default=False

    Returns
    -------
    FiberResult
        ``fiber_size`` (None for a positive-dimensional fiber), ``degree`` of V as a by-product
        when the images met pass the trace test (else None), the hidden symmetry fields;
        ``status`` is ``"numerical"``.

    References
    ----------
    Kileel, Trager, Bruna (2019), On the expressive power of deep polynomial neural networks,
    NeurIPS, arXiv:1905.12207 (fibers and identifiability).
    Shahverdi, Marchetti, Kohn (2025), Learning on a Razor's Edge: the singularity bias of
    polynomial neural networks, arXiv:2505.11846.

    Examples
    --------
    >>> fiber("mlp 2,1,1 x^2", seed=0).fiber_size  # identifiable up to the rescaling
    1
    """
    show_progress = check_progress(show_progress)
    from ..dimension.dimension import dimension

    clock = time.perf_counter()
    seed, rng = check_seed(seed)
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    dim_seed = child_seed(rng)
    dim_res = dimension(arch, seed=dim_seed)
    dim = dim_res.dimension
    n_gauge = len(gauge_blocks(arch))
    free = arch.n_params - n_gauge
    n_lin, n_extra = linear_symmetries(arch, dim, rng)
    extra = hidden_symmetry_fields(arch, dim, rng) if n_extra else ()
    base = dict(child_seeds={"dimension": dim_seed}, spec=str(arch), dimension=dim,
                dimension_certified=dim_res.is_certified,
                n_params=arch.n_params, n_gauge=n_gauge, fiber_dimension=free - dim,
                symmetry_rank=dim_res.symmetry_rank, n_linear_fields=n_lin,
                n_extra_linear=n_extra, seed=seed, extra_fields=extra)
    if free != dim:
        return FiberResult(**base, fiber_size=None, degree=None, trace_residual=None,
                           is_trace_passed=None, n_loops=0, seconds=time.perf_counter() - clock)
    phi = expand(arch)
    gauge = gauge_matrix(arch, rng)
    system = SliceMap(phi, random_rational(rng, (dim, phi.n_coordinates)), gauge)
    w = solve_fibers(system, rng, error=error, moves=neuron_moves(arch, gauge),
                     show_progress=show_progress)
    passed = w.trace.is_passed
    return FiberResult(**base, fiber_size=w.fiber_size, degree=len(w.images) if passed else None,
                       trace_residual=w.trace.residual, is_trace_passed=passed,
                       n_loops=w.n_rounds, seconds=time.perf_counter() - clock,
                       n_images=len(w.images), n_full=w.n_full, coincidence=w.coincidence,
                       n_orbit=w.n_orbit)
