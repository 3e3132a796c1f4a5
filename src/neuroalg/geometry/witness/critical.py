"""Critical points of the squared loss on a neurovariety: ED degree and learning degree.

The loss is |f - u|_Q^2 = (f - u)^T Q (f - u) for f = Phi(theta) in the ambient coordinates of
:func:`neuroalg.polymap.expand`, with the metrics of :mod:`.metrics` (generic, unit, data).

Parameter method. A coordinate gauge (:mod:`.gauge`) fixes P - dim V parameters so that the
restriction psi of Phi to the other dim V parameters z has a Jacobian of rank dim V (proven
mod p at a random point): every continuous symmetry is removed and the solutions of the square
system J_psi(z)^T (Q psi(z) - w) = 0 (:func:`.systems.critical_system`) are isolated where J_psi
has full rank, and there they are exactly the critical points on the regular part of V. The
square system is solved (:mod:`.solvers`) by a homotopy from a start system when its root bound
is small (every path accounted for: all isolated nonsingular solutions, the completeness
evidence monodromy lacks), else by monodromy in w (the ED correspondence of V is irreducible, so
loops act transitively on its critical points; the gauge lifts them to z), keeping one parameter
point per image psi(z), on a graph of parameter points where every solution is tracked once per
edge (:func:`neuroalg.homotopy.monodromy.monodromy_graph`). Every kept point is verified against
the unrandomized conditions (theta regular: rank J = dim V; J^T (Q Phi - w) = 0 for the full
Jacobian); points off the regular part are reported apart, never counted. Krawczyk's test
certifies the parameter-space solutions of the square system.

Implicit method (``method="implicit"``, :mod:`.implicit`): the Lagrange system in function space
on verified equations of V (their gradients of rank codim V at generic points), from a sampled
point of V, keeping smooth points of V only. It shares no equations with the parameter method,
so agreement of the two counts is independent evidence; ``"auto"`` is the parameter method,
which needs no equations.

Theory and completeness. No trace test exists for critical points. Where a theorem gives the
count (:mod:`neuroalg.geometry.expected`), it is printed beside the computed value, monodromy
stops once it is reached, and a disagreement is evidence against completeness (or against the
theorem's hypotheses). Otherwise monodromy stops after ``patience`` closures of the graph
without a new point. A homotopy run with no failed path is complete for the square system
(probability one); failed paths are evidence against. Two more checks (``check=True``): an
independent run (another seed, start and random choices) must find the same count, and the
parameter homotopy from the found solutions to a fresh random target must send every path to a
distinct regular critical point. The result states
which evidence holds; its status is ``numerical`` when all hold and ``undecided`` otherwise.

For a real target (random, or from the data) the real critical points get their loss and
Hessian index: the Hessian of theta -> loss at a real preimage has P - dim V zero eigenvalues
along the fiber; the index is the number of negative ones among the others (second derivatives
by central differences: numerical).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from ...errors import SpecError
from ...homotopy.certify import krawczyk_certify
from ...homotopy.monodromy import MonodromyResult, move
from ...homotopy.polynomial import PolySystem
from ...homotopy.result import is_real_point
from ...options import check_choice
from ...polymap import expand
from ...progress import check_progress
from ...random import check_seed, child_seed
from ...spec import parse_spec
from ..expected import expected_critical
from .checkpoint import check_checkpoint_path, stored_seed
from .critical_result import CriticalPoint
from .critical_result import CriticalResult as CriticalResult  # re-exported
from .critical_result import Evidence as Evidence  # re-exported
from .degenerate import Degenerate, analyze, projected_rank
from .degree import generic_dimension
from .gauge import coordinate_gauge
from .implicit import implicit_model, is_lagrange, lagrange_system_for, on_smooth_part
from .metrics import METRICS, check_data, evaluation_matrix, metric_matrix, restrict
from .points import compress, distinct, n_distinct
from .solvers import SOLVERS, solve_square
from .systems import critical_system, image_system

#: tracking to a given target (real target, fresh target, the other run's base point): the
#: default trust region (no path jumping), a bounded step budget (a path over it is reported
#: failed, never dropped silently)
TARGET_TRACKING = {"max_steps": 1000}
METHODS = ("auto", "param", "implicit")


def _complex_rows(a) -> tuple[tuple[complex, ...], ...]:
    return tuple(tuple(complex(v) for v in row) for row in np.asarray(a, dtype=np.complex128))


def critical_points(arch, *, metric: str = "generic", data=None, n_samples: int | None = None,
                    seed=None, patience: int = 2, strata: bool = False, check: bool = True,
                    method: str = "auto", solver: str = "auto", checkpoint=None,
                    show_progress=False) -> CriticalResult:
    """Critical points of the squared loss |f - u|_Q^2 on the neurovariety V of ``arch``.

    Counts the complex critical points on the regular part of V for a generic target u: the
    Euclidean distance degree for the ``generic`` (random positive definite Q) and ``unit``
    (Q = I on the monomial coefficients) metrics, the learning degree for the ``data`` metric
    Q = (1/N) sum_j V(x_j)^T V(x_j). Solved on a coordinate gauge by a homotopy or by monodromy
    (see the module docstring), counted as distinct images Phi(theta), with the theorem's count beside it where
    one applies. For a real target, lists the real critical functions with their loss, whether
    real weights realize them (decided without the gauge, see :mod:`.realizable`) and the
    Hessian index there.

    Parameters
    ----------
    arch : str or Architecture
        A polynomial architecture spec, e.g. ``"linear 3,2,4"``.
    metric : {"generic", "unit", "data"}, default="generic"
    data : dict or None, default=None
        ``{"X": [[...], ...], "Y": [[...], ...]}`` for ``metric="data"`` (random Gaussian data
        of ``n_samples`` points when None; Y random when omitted).
    n_samples : int or None, default=None
        Size of the random data (default 4 * #params).
    seed : int, numpy.random.Generator or None, default=None
        The one seed (None: fresh, recorded, or the one recorded in ``checkpoint``); inner calls
        get recorded child seeds.
    patience : int, default=2
        Extensions of the monodromy graph in a row (4 new random edges each, once the graph is
        closed) without a new critical point before monodromy stops (3x more below a theorem's
        count).
    strata : bool, default=False
        Also count critical points on each stratum given by a smaller architecture
        (:func:`subnetworks`: MLPs with one neuron removed; one-layer attention with key/query
        rank a - 1, the singular locus for d = a = 2, out = 1).
    method : {"auto", "param", "implicit"}, default="auto"
        ``param``: gauge-fixed parameters; ``implicit``: the Lagrange system on the equations
        of V (SpecError when they are not found within the interpolation limits); ``auto``:
        param.
    solver : {"auto", "homotopy", "monodromy"}, default="auto"
        How the square system is solved (:mod:`.solvers`): a homotopy from the start system of
        the smaller Bezout number (``auto`` when it has at most 2 paths per critical point a
        theorem predicts, or at most 300 without a theorem), or monodromy (``auto`` otherwise,
        and with a checkpoint; it stops at the theorem's count). The result's ``solver`` says
        which ran and the root bound.
    check : bool, default=True
        Completeness evidence: an independent second run and a parameter homotopy to a fresh
        target.
    checkpoint : str or Path or None, default=None
        A JSON file holding the solutions found so far, written after every monodromy round;
        an existing file for the same spec, metric and seed is resumed (monodromy only).
    show_progress : bool or callable(str), default=False

    Returns
    -------
    CriticalResult
        ``n_critical``, the evidence and the real critical points; ``status`` is ``"numerical"``
        when all evidence agrees and ``"undecided"`` otherwise (no trace test exists for
        critical points).

    References
    ----------
    Draisma, Horobeț, Ottaviani, Sturmfels, Thomas (2016), The Euclidean distance degree of an
    algebraic variety, Found. Comput. Math. 16, arXiv:1309.0049.
    Kohn, Merkh, Montúfar, Trager (2022), Geometry of linear convolutional networks, SIAM J.
    Appl. Algebra Geom. 6, arXiv:2108.01538 (the data-induced metric).
    Duff, Hill, Jensen, Lee, Leykin, Sommars (2019), Solving polynomial systems via homotopy
    continuation and monodromy, IMA J. Numer. Anal. 39, arXiv:1609.08722.

    Examples
    --------
    >>> critical_points("mlp 2,1,1 x^1", seed=0).n_critical  # V = all linear forms
    1
    """
    show_progress = check_progress(show_progress)
    clock = time.perf_counter()
    if metric not in METRICS:
        raise SpecError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
    method = check_choice(method, "method", METHODS)
    solver = check_choice(solver, "solver", SOLVERS)
    if n_samples is not None and metric != "data":
        raise SpecError(f"n_samples (--samples) is the size of random data for metric 'data'; "
                        f"got metric {metric!r} (it would be ignored)")
    if n_samples is not None and data is not None:
        raise SpecError("n_samples (--samples) is the size of random data; data were given "
                        "(it would be ignored)")
    if checkpoint is not None:
        if solver == "homotopy":
            raise SpecError("--checkpoint resumes a monodromy run; the homotopy solver is one "
                            "pass (use --solver monodromy or auto)")
        check_checkpoint_path(checkpoint)
    if seed is None:
        seed = stored_seed(checkpoint)
    seed, rng = check_seed(seed)
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    subs = subnetworks(arch) if strata else []  # unsupported families fail before any work
    seeds = {"dimension": child_seed(rng)}
    dim, dim_certified = generic_dimension(arch, seeds["dimension"])
    phi = expand(arch)
    data = check_data(arch, data, rng, n_samples) if metric == "data" else None
    q = metric_matrix(phi, metric, rng, data)
    n_proj = projected_rank(phi, data, rng) if metric == "data" else None
    if n_proj is not None and n_proj < dim:
        _refuse_in_degenerate(method, checkpoint, n_proj, dim)
        return _degenerate(arch, phi, dim, data, q, rng, patience, show_progress, seed, seeds,
                           clock, solver, subs)
    theorem = expected_critical(arch, metric, n_samples=None if data is None else len(data["X"]),
                                n_coordinates=phi.n_coordinates,
                                dimension=dim if dim_certified else None,
                                projected_dimension=n_proj)
    target = None if theorem is None else theorem.value
    formulate = _implicit if method == "implicit" else _param
    problem = None if checkpoint is None else (checkpoint, {"spec": str(arch), "metric": metric,
                                                            "seed": seed, "method": formulate.__name__[1:]})
    main = formulate(arch, phi, dim, q, rng, patience, show_progress, target=target,
                     checkpoint=problem, solver=solver)
    mono, qf = main.mono, q.astype(float)
    sols = mono.solutions
    phi_system, m = image_system(phi), phi.n_coordinates

    runs = [main]
    homotopy = main.mono.details["solver"] == "homotopy"
    evidence = Evidence(theorem, stagnated=not homotopy and (target is None or main.n_critical < target),
                        homotopy=(mono.n_paths, mono.n_failed) if homotopy else None)
    if check:
        seeds["second run"] = child_seed(rng)
        if show_progress:
            show_progress("independent run (another seed, start and random choices)")
        runs.append(formulate(arch, phi, dim, q, np.random.default_rng(seeds["second run"]),
                              patience, show_progress, target=target, solver=solver))
        # both runs' parameters mean the same (w, or B^T w with the same span B)
        found = [_at(run, main.w0, rng) for run in runs]
        scale = 1 + np.linalg.norm(main.w0) / np.sqrt(len(main.w0))
        w1 = scale * (rng.standard_normal(len(main.w0)) + 1j * rng.standard_normal(len(main.w0))) / np.sqrt(2)
        fresh = n_distinct(np.vstack([_at(run, w1, rng)[0] for run in runs]))
    else:
        found = [(main.functions(sols), None if main.thetas is None else main.thetas(sols))]
    functions, weights = _union(found)
    n_critical = len(functions)
    if check:
        evidence = replace(evidence, first_run=main.n_critical, second_run=runs[1].n_critical,
                           n_fresh_paths=sum(len(run.mono.solutions) for run in runs),
                           n_fresh_distinct=fresh)

    # real target (from the solutions of every run)
    if metric == "data":
        v = evaluation_matrix(phi, data["X"]).astype(float)
        w_real = v.T @ data["Y"].reshape(-1) / len(data["X"])
        const = float(np.sum(data["Y"] ** 2) / len(data["X"]))
    else:
        u = rng.standard_normal(m)
        w_real, const = qf @ u, float(u @ qf @ u)
    images, thetas, n_target_failed = [], [], 0
    for run in runs:
        x_real, ok = _track(run, run.mono.solutions, run.parameters(w_real), rng)
        n_target_failed += int((~ok).sum())
        images.append(run.functions(x_real[ok]))
        if run.thetas is not None:
            thetas.append(run.thetas(x_real[ok]))
    reals = _real_points(arch, phi, phi_system, np.vstack(images),
                         np.vstack(thetas) if len(thetas) == len(runs) else None, qf, w_real, const,
                         dim)
    counts, strata_deg = _strata(subs, phi, q, data, rng, seeds, patience, solver, show_progress)
    return CriticalResult(str(arch), metric, n_critical, dim, len(sols), len(mono.history),
                          mono.n_paths, mono.n_failed, mono.history, main.n_certified, reals,
                          n_target_failed, seed, time.perf_counter() - clock, counts,
                          tuple(phi.labels), n_rejected=main.n_rejected,
                          n_irregular=main.n_irregular, formulation=main.description,
                          evidence=evidence, method=main.method,
                          tracking_seconds=mono.seconds, n_edges=mono.details.get("edges", 0),
                          solver=dict(mono.details), child_seeds=seeds,
                          critical_functions=_complex_rows(functions),
                          critical_weights=None if weights is None else _complex_rows(weights),
                          target=tuple(complex(v) for v in main.target), metric_matrix=tuple(
                              tuple(float(v) for v in row) for row in qf),
                          strata_degenerate=strata_deg)


def _union(found):
    """Distinct critical functions of several runs [(functions, thetas or None)], with one
    parameter point each (None unless every run has them)."""
    reps, labels = distinct(np.vstack([f for f, _ in found]))
    if any(t is None for _, t in found):
        return reps, None
    first = np.unique(labels, return_index=True)[1]
    return reps, np.vstack([t for _, t in found])[first]


def _refuse_in_degenerate(method, checkpoint, n_proj, dim):
    """Options the degenerate regime cannot honor are errors, never ignored."""
    why = (f"the data metric is degenerate on V (the samples see a {n_proj}-dimensional "
           f"projection of the {dim}-dimensional V)")
    if method == "implicit":
        raise SpecError(f"--method implicit: {why}; the degenerate regime is analyzed on a "
                        "coordinate gauge only (zero-loss set, isolated critical points): use "
                        "--method param or auto, or more samples")
    if checkpoint is not None:
        raise SpecError(f"--checkpoint: {why}; this regime runs no resumable monodromy (a "
                        "witness set and one start-system homotopy): run without --checkpoint, "
                        "or with more samples")


def _strata(subs, phi, q, data, rng, seeds, patience, solver, show_progress):
    """Critical points on each stratum (a smaller architecture, its coordinates a subset of the
    network's): on its regular part for the metric restricted to it; for a data metric
    degenerate on the stratum, its isolated critical points off its zero-loss set
    (:func:`.degenerate.analyze`)."""
    counts: list[tuple[str, int | None]] = []
    regimes: list[Degenerate | None] = []
    for sub in subs:
        if show_progress:
            show_progress(f"stratum {sub}")
        phi_s = expand(sub)
        dim_s = generic_dimension(sub, seeds.setdefault(f"dimension {sub}", child_seed(rng)))[0]
        q_s = restrict(q, phi, phi_s)
        if data is not None and projected_rank(phi_s, data, rng) < dim_s:
            deg = analyze(sub, phi_s, dim_s, data, rng, show_progress=show_progress,
                          n_values=_values(sub, rng, patience, None, solver))
            counts.append((str(sub), deg.n_isolated))
            regimes.append(deg)
        else:
            counts.append((str(sub), _param(sub, phi_s, dim_s, q_s, rng, patience, None,
                                            solver=solver).n_critical))
            regimes.append(None)
    return tuple(counts), tuple(regimes)


def _values(arch, rng, patience, show_progress, solver):
    """``n_values`` of :func:`.degenerate.analyze`: the critical points of the distance to the
    data on W = pi(V) (the parameter method on the map pi o Phi of dimension n')."""
    def values(pi, n_proj):
        unit = metric_matrix(pi, "unit", rng)
        return _param(arch, pi, n_proj, unit, rng, patience, show_progress,
                      solver=solver).n_critical
    return values


def _degenerate(arch, phi, dim, data, q, rng, patience, show_progress, seed, seeds, clock, solver,
                subs):
    """The result for a data metric degenerate on V (:mod:`.degenerate`)."""
    deg = analyze(arch, phi, dim, data, rng, n_values=_values(arch, rng, patience, show_progress, solver),
                  show_progress=show_progress)
    counts, strata_deg = _strata(subs, phi, q, data, rng, seeds, patience, solver, show_progress)
    return CriticalResult(str(arch), "data", deg.n_isolated or 0, dim, 0, 0, deg.n_paths, 0, (), 0,
                          (), 0, seed, time.perf_counter() - clock, counts,
                          coordinates=tuple(phi.labels),
                          method="degenerate", degenerate=deg, child_seeds=seeds,
                          critical_functions=_complex_rows(deg.functions),
                          critical_weights=_complex_rows(deg.weights),
                          target=tuple(complex(v) for v in deg.target),
                          metric_matrix=tuple(tuple(float(v) for v in row) for row in q),
                          strata_degenerate=strata_deg)


@dataclass(frozen=True)
class _Solved:
    """Monodromy solution of a critical system by either method (internal).

    ``functions(x)``: the points f in the ambient coordinates; ``parameters(w)``: the system's
    parameters for an ambient target w = Q u (``target``: an ambient w with parameters w0);
    ``is_valid(x, p)``: regular and critical at parameters p (the unrandomized conditions);
    ``thetas(x)``: network parameters (param method only)."""

    method: str
    description: str
    system: PolySystem
    w0: np.ndarray
    mono: MonodromyResult  # restricted to the verified solutions
    functions: Callable
    parameters: Callable
    is_valid: Callable
    thetas: Callable | None
    n_critical: int
    n_certified: int
    n_rejected: int
    n_irregular: int
    target: np.ndarray


def _finish(method, description, system, w0, mono, functions, parameters, is_valid, thetas,
            irregular, target) -> _Solved:
    """Keep the solutions that pass ``is_valid`` at w0; count, certify (Krawczyk; the
    homotopy's own verdicts when it ran)."""
    good = is_valid(mono.solutions, w0)
    sols = mono.solutions[good]
    n_crit = n_distinct(functions(sols))
    details = dict(mono.details)
    certified = details.pop("certified", None)
    if certified is not None:
        n_cert = int(certified[good].sum())
    else:
        n_cert = krawczyk_certify(system.with_parameters(w0), sols).n_certified if len(sols) else 0
    return _Solved(method, description, system, w0, replace(mono, solutions=sols, details=details),
                   functions,
                   parameters, is_valid, thetas, n_crit, n_cert, int((~good).sum()), irregular,
                   np.asarray(target, dtype=np.complex128))


def _full_rank(jac, points, dim, floor: float = 0.0) -> np.ndarray:
    """rank = dim for each Jacobian (B, M, n) at points (B, n), numerically: sigma_dim >
    1e-8 max(sigma_1, floor) after scaling column j by 1 + |x_j| (derivatives for relative
    changes of the coordinates: the test does not depend on how large a coordinate is).
    ``floor``: the size sigma_1 of the Jacobian at a generic point of unit size. A homogeneous
    map has J(t z) = t^k J(z), so the relative test alone calls z ~ 1e-63 regular, a rounding of
    the point z = 0 where J vanishes (a nonsingular solution of the square system that a
    homotopy from a start system reaches)."""
    if dim == 0 or not len(points):
        return np.ones(len(points), dtype=bool)
    s = np.linalg.svd(jac * (1 + np.abs(points))[:, None, :], compute_uv=False)
    return s[:, dim - 1] > 1e-8 * np.maximum(s[:, 0], floor)


def _jacobian_size(system, point) -> float:
    """sigma_1 of a system's Jacobian at one point (the floor of :func:`_full_rank`)."""
    return float(np.linalg.svd(system.evaluate(np.atleast_2d(point))[1][0], compute_uv=False)[0])


def _regular(psi_system, z, dim, floor: float = 0.0) -> np.ndarray:
    """rank J_psi(z) = dim (:func:`_full_rank`)."""
    if not len(z):
        return np.ones(0, dtype=bool)
    return _full_rank(psi_system.evaluate(z)[1], z, dim, floor)


def _param(arch, phi, dim, q, rng, patience, show_progress, *, target=None,
           checkpoint=None, solver: str = "auto") -> _Solved:
    """The parameter method: monodromy on the critical system of psi = Phi restricted to a
    coordinate gauge (:func:`.gauge.coordinate_gauge`, :func:`.systems.critical_system`) from a
    constructed start pair (z0 random, w0 = Q psi(z0) - n with n normal to im J_psi(z0)), one
    parameter point per image psi(z). Endpoints where J_psi drops rank are dropped
    (``n_irregular``); every kept solution is then checked against the unrandomized conditions
    with the full Jacobian of Phi (theta regular: rank J = dim V; J^T (Q Phi - w) = 0);
    failures are counted in ``n_rejected``, never in the count."""
    gauge = coordinate_gauge(arch, phi, dim, rng)
    psi = gauge.restrict(phi)
    system = critical_system(psi, q)
    qf = q.astype(float)
    psi_system, phi_system = image_system(psi), image_system(phi)
    z0 = (rng.standard_normal(dim) + 1j * rng.standard_normal(dim)) / np.sqrt(2)
    f0, jac0 = (a[0] for a in psi_system.evaluate(z0[None]))
    left = _null_space(jac0.T)  # n with J^T n = 0
    noise = rng.standard_normal(left.shape[1]) + 1j * rng.standard_normal(left.shape[1])
    w0 = qf @ f0 - left @ noise
    floor_psi, floor_phi = _jacobian_size(psi_system, z0), _jacobian_size(phi_system, gauge.embed(z0)[0])
    irregular = [0]

    def regular(z):
        ok = _regular(psi_system, z, dim, floor_psi)
        irregular[0] += int((~ok).sum())
        return ok

    def functions(z):
        return psi_system.evaluate(z)[0] if len(z) else np.zeros((0, phi.n_coordinates))

    def is_valid(z, w):
        return (_regular(psi_system, z, dim, floor_psi)
                & _is_critical(phi_system, gauge.embed(z), qf, w, dim, floor=floor_phi))

    mono = solve_square(system, z0[None], w0, rng, patience, show_progress,
                        key=lambda z: compress(functions(z)), filter=regular, target=target,
                        checkpoint=checkpoint, solver=solver)
    return _finish("param", gauge.describe(), system, w0, mono, functions, lambda w: w, is_valid,
                   gauge.embed, irregular[0], w0)


def _implicit(arch, phi, dim, q, rng, patience, show_progress, *, target=None,
              checkpoint=None, solver: str = "auto") -> _Solved:
    """The implicit method (:mod:`.implicit`): the Lagrange system on verified equations of V,
    from a sampled point of V; counted as distinct points f = B y."""
    model = implicit_model(phi, dim, rng)
    system, w0, start = lagrange_system_for(model, q, phi, rng)
    s = model.n_span
    span = model.span.astype(float)
    irregular = [0]

    def smooth(x):
        ok = on_smooth_part(model, x[:, :s])
        irregular[0] += int((~ok).sum())
        return ok

    def functions(x):
        return x[:, :s] @ span.T

    def is_valid(x, w):
        return on_smooth_part(model, x[:, :s]) & is_lagrange(system, x, w)

    mono = solve_square(system, start, w0, rng, patience, show_progress,
                        key=lambda x: compress(functions(x)), filter=smooth, target=target,
                        checkpoint=checkpoint, solver=solver)
    # an ambient w with B^T w = w0: B is the identity on the pivot coordinates
    target = np.zeros(phi.n_coordinates, dtype=np.complex128)
    target[list(model.pivots)] = w0
    return _finish("implicit", model.describe(), system, w0, mono, functions,
                   lambda w: span.T @ w, is_valid, None, irregular[0], target)


def _track(solved: _Solved, x, w, rng, *, detours: int = 4):
    """Track solutions x of ``solved`` from its base point to parameters w (the default, tight
    tracker). When a path fails, ends off the regular critical points at w (``is_valid``) or
    at the same point as another (a jump), *all* paths are tracked again along a detour
    through a new random point, with a 10x tighter trust region and a step budget grown to
    match (steps shrink like the trust region^(1/5)): every path must take the same route,
    since routes that differ by a loop around the discriminant permute the endpoints (a
    detour for some paths only collides with the others). Returns the endpoints and mask of
    the first clean route, else of the route with the most distinct valid endpoints."""
    w0 = solved.w0
    scale = 1 + np.linalg.norm(w0) / np.sqrt(len(w0))
    best: tuple[int, np.ndarray, np.ndarray] | None = None
    for attempt in range(detours + 1):
        if attempt == 0:
            y, ok = move(solved.system, x, w0, w, **TARGET_TRACKING)
        else:
            opts = dict(TARGET_TRACKING, max_correction=1e-4 / 10 ** attempt,
                        max_steps=int(TARGET_TRACKING["max_steps"] * 2 ** attempt))
            mid = scale * (rng.standard_normal(len(w0)) + 1j * rng.standard_normal(len(w0))) / np.sqrt(2)
            y1, ok = move(solved.system, x, w0, mid, **opts)
            y = y1.copy()
            y[ok], ok2 = move(solved.system, y1[ok], mid, w, **opts)
            ok[np.flatnonzero(ok)[~ok2]] = False
        good = ok.copy()
        good[ok] = solved.is_valid(y[ok], w)
        n_good = n_distinct(solved.functions(y[good])) if good.any() else 0
        if best is None or n_good > best[0]:
            best = (n_good, y, ok)
        if n_good == len(x):
            break
    assert best is not None
    return best[1], best[2]


def _at(solved: _Solved, w, rng) -> tuple[np.ndarray, np.ndarray | None]:
    """The critical points of a run at parameters w: its solutions tracked there (:func:`_track`)
    when w is not its base point, kept where they are regular and critical, as points of the
    ambient space, with their network parameters (None for the implicit method)."""
    x = solved.mono.solutions
    if len(x) and not np.array_equal(np.asarray(w), solved.w0):
        x, ok = _track(solved, x, w, rng)
        x = x[ok]
    x = x[solved.is_valid(x, w)] if len(x) else x
    return solved.functions(x), None if solved.thetas is None else solved.thetas(x)


def _is_critical(phi_system, thetas, qf, w, dim, *, rtol: float = 1e-7,
                 floor: float = 0.0) -> np.ndarray:
    """The unrandomized conditions at each theta: rank J = dim (a regular point of the
    parameterization, :func:`_full_rank`) and J^T (Q Phi - w) = 0 relative to
    |J| (|Q Phi| + |w|)."""
    if not len(thetas):
        return np.zeros(0, dtype=bool)
    values, jac = phi_system.evaluate(thetas)
    rank_ok = _full_rank(jac, thetas, dim, floor)
    s = np.linalg.svd(jac, compute_uv=False)
    resid = values @ qf.T - w[None, :]
    grad = np.einsum("bmp,bm->bp", jac, resid)
    scale = s[:, 0] * (np.linalg.norm(values @ qf.T, axis=1) + np.linalg.norm(w))
    return rank_ok & (np.linalg.norm(grad, axis=1) <= rtol * np.maximum(scale, 1e-300))


def subnetworks(arch):
    """Strata given by smaller architectures of the same family: for MLPs one hidden neuron
    removed (its outgoing weights zero), per hidden layer of width >= 2; for one-layer attention
    with a >= 2 the rank drop rank Q^T K <= a - 1 (attention with key/query rank a - 1; for
    out = 1 and a = d = 2 it is the singular locus of V, where rank V = rank Q^T K = 1:
    Henry–Marchetti–Kohn 2025, arXiv:2408.17221). Each stratum is the neurovariety of the smaller
    architecture, its coordinates a subset of the network's."""
    from ...arch import MLP, Attention

    if isinstance(arch, Attention) and arch.layers == 1 and not arch.softmax:
        return [Attention(1, arch.d, arch.a - 1, arch.t, arch.out)] if arch.a >= 2 else []
    if not isinstance(arch, MLP) or any(a.reciprocal for a in arch.activations):
        raise SpecError("strata are implemented for polynomial MLPs (and linear nets) and "
                        "one-layer lightning attention")
    out = []
    for l in range(1, len(arch.widths) - 1):
        if arch.widths[l] >= 2:
            widths = arch.widths[:l] + (arch.widths[l] - 1,) + arch.widths[l + 1:]
            out.append(MLP(widths, arch.activations, bias=arch.bias))
    return out


def _null_space(a, rtol: float = 1e-10):
    u, s, vh = np.linalg.svd(a)
    rank = int(np.sum(s > rtol * s[0])) if len(s) else 0
    return vh[rank:].conj().T


def _real_points(arch, phi, phi_system, images, thetas, qf, w, const, dim):
    """Distinct real critical functions, whether real weights realize them (decided without the
    gauge; ``thetas``: parameter points of the images, when known), and the Hessian index at
    such weights."""
    from .realizable import real_realization

    if not len(images):
        return ()
    reps, labels = distinct(images)
    out = []
    for k, f in enumerate(reps):
        if not is_real_point(f[None], rtol=1e-7)[0]:
            continue
        f = f.real
        loss = float(f @ qf @ f - 2 * f @ w + const)
        real_pre = None
        if thetas is not None:
            pre = thetas[labels == k]
            pre = pre[is_real_point(pre, rtol=1e-7)]
            real_pre = pre[0].real if len(pre) else None
        real = real_realization(arch, phi, f, real_preimage=real_pre)
        theta = real.theta
        index = None if theta is None else _hessian_index(phi_system, theta, qf, w, dim)
        out.append(CriticalPoint(loss, index, tuple(f.tolist()), real.status, real.reason,
                                 None if theta is None else tuple(theta.tolist())))
    return tuple(out)


def _hessian_index(phi_system, theta, qf, w, dim, h: float = 1e-5) -> int:
    """Negative eigenvalues of the loss Hessian, ignoring the P - dim fiber directions."""
    p = len(theta)
    f, jac = (a[0].real for a in phi_system.evaluate(theta[None]))
    resid = qf @ f - w
    second = np.zeros((p, p))
    for k in range(p):
        e = np.zeros(p)
        e[k] = h
        jp = phi_system.evaluate((theta + e)[None])[1][0].real
        jm = phi_system.evaluate((theta - e)[None])[1][0].real
        second[:, k] = resid @ ((jp - jm) / (2 * h))
    hess = 2 * (jac.T @ qf @ jac + (second + second.T) / 2)
    eig = np.linalg.eigvalsh(hess)
    keep = np.argsort(np.abs(eig))[p - dim:]
    return int(np.sum(eig[keep] < 0))
