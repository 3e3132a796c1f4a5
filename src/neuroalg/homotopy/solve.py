"""All isolated solutions of a square polynomial system by a homotopy from the best start system.

:func:`~.root_count.root_count` computes the Bezout number, a multi-homogeneous Bezout number and
the mixed volume (BKK bound) and picks the start system of the smallest: total degree
(x_i^{d_i} = 1), a linear product for the variable partition (:mod:`.multihomogeneous`), or a
random-coefficient system with the target's supports solved by the polyhedral homotopy
(:mod:`.polyhedral`). Start and target are homogenized with one random affine patch (so that
diverging paths stay bounded and end at points with x0 = 0), joined with the gamma trick, tracked to
t = 1 - r0, then to t = 1 in stages (1 - r0^2, 1 - r0^3). Paths whose end is not a
well-conditioned solution go through the Cauchy endgame from t = 1 - r0. Every path gets a
:class:`PathStatus`; distinct nonsingular finite solutions are certified by Krawczyk's test.
Nonsingular means Newton converges to 1e-12 and the Jacobian, each row divided by
sum_t |c_t| |x|^deg(t) of its equation, has condition number below 1e8.

At infinity. A path diverges exactly when its homogenizing coordinate x0 tends to 0 as t -> 1.
An endpoint that was computed (Newton converged at t = 1, or the endgame's two radii agree) is at
infinity when its x0 is zero to rounding (|x0| <= 1e-7 |x| on the patch): the coordinate of the
limit point itself, whatever the size of the affine solution (a finite solution with |x| ~ 240
has |x0| ~ 4e-3 |x|). Every path is tracked to t = 1 (in stages 1 - r0^2, 1 - r0^3, 1): near
an ill-conditioned finite solution x0 may still shrink at t = 1 - r0^3 (that |x| ~ 240 solution,
of condition number ~6e7, is reached only in the last stage). A path whose endpoint was not
computed is at infinity when x0, sampled at the stage ends and where the path stopped, shrank
by at least 1/0.8 over each of the last two samples: x0 is a Puiseux series in (1 - t)^(1/c)
(c the winding number) that tends to a nonzero limit for a finite endpoint, so its samples
settle, while for a diverging path they decay geometrically, by r0^(2m/c) per stage
(Morgan–Sommese–Wampler 1992, the projective endgame); otherwise it failed.

``endgame=False`` skips the Cauchy endgame: a path that reached t = 1 - r0 and ends neither at
a nonsingular solution nor at infinity is then reported singular (with probability one it ends
at a singular solution: a path to a nonsingular one stays well conditioned near t = 1), without
the point or its multiplicity. Counting nonsingular solutions does not need the endgame.
"""

from __future__ import annotations

import time

import numpy as np

from ..errors import SpecError
from ..options import check_choice
from ..progress import check_progress
from ..random import check_seed
from .certify import krawczyk_certify
from .endgame import cauchy_endgame
from .homotopies import StraightLine
from .memory import configure_allocator
from .multihomogeneous import linear_product_start
from .polyhedral import polyhedral_start
from .polynomial import PolySystem, start_system
from .result import PathStatus, SolveResult, unique_points
from .root_count import METHODS, RootCount, root_count
from .tracker import TrackStatus, newton, track

MAX_CONDITION = 1e8
INFINITY_TOL = 1e-7
#: x0 shrinks by at least this factor over each of the last two samples: a diverging path
DECAY = 0.8


def _random_complex(rng, shape):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)


def solve(system: PolySystem, *, seed=None, certify: bool = True, show_progress=False,
          endgame_radius: float = 1e-2, method: str = "auto", counts: RootCount | None = None,
          endgame: bool = True) -> SolveResult:
    """Solve ``system`` (square, no free parameters) by a homotopy.

    ``method``: 'auto' (the start system of the smallest root bound), 'total-degree',
    'multihomogeneous' or 'polyhedral'; ``counts``: the root bounds already computed by
    :func:`~.root_count.root_count` for this system (its start system is used). The result's
    ``details`` hold the three bounds and the start system used; with the polyhedral start,
    paths lost while solving the start system are counted as failed. ``endgame``: run the
    Cauchy endgame on paths that do not end at a nonsingular solution (see the module
    docstring for what ``False`` reports)."""
    show_progress = check_progress(show_progress)
    method = check_choice(method, "method", ("auto", *METHODS))
    configure_allocator()
    seed, rng = check_seed(seed)
    if system.n_params:
        raise SpecError("fix the parameters first (system.with_parameters(p))")
    if not system.is_square:
        raise SpecError(f"the system must be square; it has {system.n_eqs} equations in "
                        f"{system.n_vars} unknowns")
    clock = time.perf_counter()
    n = system.n_vars
    if counts is None:
        counts = root_count(system, rng, method=method)
    details = counts.to_dict()
    details["partition"] = [[system.names[i] for i in g] for g in counts.partition]
    degrees, lost = system.degrees, 0
    if show_progress:
        show_progress(f"root bounds: Bezout {counts.bezout}, multi-homogeneous "
                      f"{counts.multihomogeneous}, mixed volume {counts.mixed_volume}; "
                      f"{counts.method} start system")
    if counts.method == "polyhedral":
        poly = polyhedral_start(system, rng, subdivision=counts.subdivision)
        start_aff, roots, lost = poly.system, poly.solutions, poly.n_failed
        details["start_paths_failed"] = lost
    elif counts.method == "multihomogeneous":
        start_aff, roots, degrees = linear_product_start(system, counts.partition, rng)
    else:
        start_aff, roots = start_system(system.degrees)
    patch = _random_complex(rng, n + 1)
    target = system.homogenize(patch, degrees)
    start = start_aff.homogenize(patch, degrees)
    x0 = np.hstack([np.ones((len(roots), 1)), roots])
    x0 = x0 / (x0 @ patch)[:, None]
    gamma = np.exp(2j * np.pi * rng.random())
    hom = StraightLine(start, target, gamma)
    if show_progress:
        show_progress(f"tracking {len(x0)} paths ({counts.method} start system)")

    first = track(hom, x0, 0.0, 1 - endgame_radius)

    def x0_ratio(z):
        return np.abs(z[:, 0]) / np.linalg.norm(z, axis=1)

    # to t = 1 in stages, sampling x0 at each stage's end (see the module docstring)
    end_x, end_ok = first.x.copy(), first.status == TrackStatus.SUCCESS
    stages = [1 - endgame_radius, 1 - endgame_radius**2, 1 - endgame_radius**3, 1.0]
    samples = np.full((len(stages), len(x0)), np.nan)  # x0 at the stage ends reached
    samples[0] = x0_ratio(first.x)
    for k, (t_from, t_to) in enumerate(zip(stages[:-1], stages[1:])):
        idx = np.flatnonzero(end_ok)
        res = track(hom, end_x[idx], t_from, t_to)
        end_x[idx] = res.x
        end_ok[idx[res.status != TrackStatus.SUCCESS]] = False
        samples[k + 1, idx] = x0_ratio(res.x)
    x, cond, converged = _refine(target, end_x)
    good = end_ok & converged & (cond < MAX_CONDITION)
    # 0 nonsingular, 1 needs the endgame, 2 singular, 3 failed, 4 diverged, 5 singular (endgame off)
    status = np.where(good, 0, 1)
    winding = np.ones(len(x0), dtype=np.int64)
    # Newton converged at t = 1 to an ill-conditioned point: an endpoint (singular, or
    # nonsingular if Krawczyk's test proves it), also when the endgame's loops do not close
    newton_ok = end_ok & converged & ~good
    status[newton_ok] = 2
    todo = ((status == 1) | (newton_ok & endgame)) & (first.status == TrackStatus.SUCCESS)
    todo = np.flatnonzero(todo)
    if todo.size and endgame:
        if show_progress:
            show_progress(f"endgame for {todo.size} paths")
        eg = cauchy_endgame(hom, first.x[todo], 1.0, 1.0, endgame_radius)
        x[todo] = np.where(eg.is_converged[:, None], eg.x, x[todo])
        winding[todo] = np.where(eg.is_converged, eg.winding, 1)
        status[todo] = np.where(eg.is_converged | newton_ok[todo], 2, 3)
    elif todo.size:
        status[todo] = 5
        details["endgame"] = ("not run: singular paths reached t = 1 - r0 and did not end at "
                              "a nonsingular solution or at infinity")
    # no endpoint computed, and x0 kept shrinking: a diverging path
    status[np.isin(status, (1, 3, 5)) & _decaying(samples)] = 4
    status[(status == 1)] = 3

    # a computed endpoint is at infinity when its own x0 vanishes to rounding
    finite = (np.abs(x[:, 0]) > INFINITY_TOL * np.linalg.norm(x, axis=1)) & (status != 4)
    tracked = []
    for k in range(len(x0)):
        if status[k] == 3:
            tracked.append(PathStatus.FAILED)
        elif not finite[k]:
            tracked.append(PathStatus.AT_INFINITY)
        elif status[k] == 0:
            tracked.append(PathStatus.NONSINGULAR)
        else:
            tracked.append(PathStatus.SINGULAR)
    affine = x[:, 1:] / np.where(finite, x[:, 0], 1)[:, None]
    kinds = np.array([s.value for s in tracked])
    computed = status != 5  # singular paths without the endgame have no endpoint
    if certify:  # an ill-conditioned endpoint of winding number 1 that Krawczyk's test proves
        # to be an isolated nonsingular zero is one
        cand = np.flatnonzero((kinds == PathStatus.SINGULAR.value) & computed & (winding == 1))
        if cand.size:
            proven = cand[krawczyk_certify(system, affine[cand]).is_certified]
            for k in proven:
                tracked[k] = PathStatus.NONSINGULAR
            kinds[proven] = PathStatus.NONSINGULAR.value
            details["promoted_by_krawczyk"] = int(proven.size)
    path_status = [PathStatus.FAILED] * lost + tracked
    sols, _ = unique_points(affine[kinds == PathStatus.NONSINGULAR.value])
    sing, _ = unique_points(affine[(kinds == PathStatus.SINGULAR.value) & computed])
    mask = krawczyk_certify(system, sols).is_certified if certify and len(sols) else (
        np.zeros(0, dtype=bool) if certify else None)
    return SolveResult(sols, sing, tuple(path_status), None if mask is None else int(mask.sum()),
                       f"{counts.method} homotopy", seed, time.perf_counter() - clock, details,
                       variables=tuple(system.names) if system.names else (),
                       certified=mask)


def _decaying(samples) -> np.ndarray:
    """Per path (column), x0 fell by at least ``DECAY`` over each of its last two samples
    (``samples``: x0 at the stage ends, NaN after the stage where the path stopped)."""
    reached = np.sum(~np.isnan(samples), axis=0)
    cols = np.arange(samples.shape[1])
    out = np.zeros(samples.shape[1], dtype=bool)
    ok = reached >= 3
    a, b, c = (samples[reached[ok] - k, cols[ok]] for k in (3, 2, 1))
    out[ok] = (c < DECAY * b) & (b < DECAY * a)
    return out


def _refine(system: PolySystem, x):
    """Newton-refine endpoints; returns points, Jacobian condition numbers, convergence flags."""
    x, norms = newton(lambda z: system.evaluate(z), x, 3)
    _, jac = system.evaluate(x)
    with np.errstate(all="ignore"):  # rows weighted by the size of their equation at x
        scale = system.equation_scales(x)[:, :, None]
        cond = np.linalg.cond(jac / np.where(scale > 0, scale, 1))
    cond = np.where(np.isfinite(cond), cond, np.inf)
    return x, cond, norms[-1] <= 1e-12
