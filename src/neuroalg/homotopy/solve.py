"""All isolated solutions of a square polynomial system by a homotopy from the best start system.

:func:`~.root_count.root_count` computes the Bezout number, a multi-homogeneous Bezout number and
the mixed volume (BKK bound) and picks the start system of the smallest: total degree
(x_i^{d_i} = 1), a linear product for the variable partition (:mod:`.multihomogeneous`), or a
random-coefficient system with the target's supports solved by the polyhedral homotopy
(:mod:`.polyhedral`). Start and target are homogenized (so that diverging paths stay bounded and
end at points with a vanishing homogenizing coordinate): with the multi-homogeneous start, each
group of variables separately (its own coordinate x0_j and random affine patch: a solution whose
groups differ widely in size stays well scaled), otherwise all variables with one x0. They are
joined with the gamma trick, tracked to t = 1 - r0, then to t = 1 in stages (1 - r0^2,
1 - r0^3, 1). Paths whose end is not a well-conditioned solution go through the Cauchy endgame,
from t = 1 - r0 with radius r0, and where its loops do not close, again from the deeper stage
ends (radius r0^2, r0^3). Every path gets a :class:`PathStatus`; distinct nonsingular finite
solutions are certified by Krawczyk's test. Nonsingular means Newton converges to 1e-12 and
the Jacobian, each row divided by sum_t |c_t| |x|^deg(t) of its equation, has condition number
below 1e8; an ill-conditioned endpoint of winding number 1 is nonsingular when Krawczyk's test
proves it.

At infinity. A path diverges exactly when a homogenizing coordinate tends to 0 as t -> 1. An
endpoint that was computed (Newton converged at t = 1, or the endgame's two radii agree) is at
infinity when some x0_j vanishes to rounding there (|x0_j| <= 1e-7 |(x0_j, x_j)|): the
coordinates of the limit point itself, whatever the size of the affine solution (a finite
solution with |x| ~ 240 has |x0| ~ 4e-3 |x|; a threshold on x0 along the path labelled it at
infinity). Every path is tracked to t = 1: near an ill-conditioned finite solution x0 may still
shrink at t = 1 - r0^3. Only a path whose endpoint could not be computed is judged by its
samples of x0 at the stage ends (and where it stopped): at infinity when x0 shrank by at least
1/0.8 over each of the last two (x0 is a Puiseux series in (1 - t)^(1/c), c the winding
number, which settles at a nonzero limit for a finite endpoint and decays geometrically, by
r0^(2m/c) per stage, for a diverging one: Morgan–Sommese–Wampler 1992), else failed. This is
evidence, not proof: a path that passes a near-collision within 1e-6 of t = 1 (the |x| ~ 240
solution, of condition number ~6e7, from the total-degree start) can look the same.

``endgame=False`` skips the Cauchy endgame: a path that reached t = 1 - r0 and ends neither at
a nonsingular solution nor at infinity is then reported singular, without the point or its
multiplicity, unless Krawczyk's test (with ``certify``) proves its last point to approximate a
nonsingular solution. Counting nonsingular solutions does not need the endgame.
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
from .root_count import METHODS, RootCount, degree_matrix, root_count
from .tracker import TrackStatus, newton, track

MAX_CONDITION = 1e8
INFINITY_TOL = 1e-7
#: steps (accepted or rejected) of a path on [1 - r0^3, 1]: one to a nonsingular solution needs a
#: few dozen (61 for the |x| ~ 240 solution of condition ~6e7), one to a singular point or to
#: infinity may halve its step thousands of times before it fails
FINAL_STEPS = 300
#: x0 shrinks by at least this factor over each of the last two samples: a diverging path
DECAY = 0.8


def _random_complex(rng, shape):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)


def solve(system: PolySystem, *, seed=None, certify: bool = True, show_progress=False,
          endgame_radius: float = 1e-2, method: str = "auto", counts: RootCount | None = None,
          endgame: bool = True, select=None) -> SolveResult:
    """Solve ``system`` (square, no free parameters) by a homotopy.

    ``method``: 'auto' (the start system of the smallest root bound), 'total-degree',
    'multihomogeneous' or 'polyhedral'; ``counts``: the root bounds already computed by
    :func:`~.root_count.root_count` for this system (its start system is used). The result's
    ``details`` hold the three bounds and the start system used; with the polyhedral start,
    paths lost while solving the start system are counted as failed. ``endgame``: run the
    Cauchy endgame on paths that do not end at a nonsingular solution (see the module
    docstring for what ``False`` reports). ``select(x) -> bool mask``: only the nonsingular
    solutions it accepts are returned and certified (e.g. the regular points of a gauge)."""
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
    lost = 0
    groups: list = [tuple(range(n))]  # homogenized together
    if show_progress:
        show_progress(f"root bounds: Bezout {counts.bezout}, multi-homogeneous "
                      f"{counts.multihomogeneous}, mixed volume {counts.mixed_volume}; "
                      f"{counts.method} start system")
    if counts.method == "polyhedral":
        poly = polyhedral_start(system, rng, subdivision=counts.subdivision)
        start_aff, roots, lost = poly.system, poly.solutions, poly.n_failed
        details["start_paths_failed"] = lost
    elif counts.method == "multihomogeneous":
        start_aff, roots, _ = linear_product_start(system, counts.partition, rng)
        groups = [tuple(g) for g in counts.partition]
    else:
        start_aff, roots = start_system(system.degrees)
    degrees = (degree_matrix(system, groups) if len(groups) > 1
               else system.degrees[:, None])
    patches = [_random_complex(rng, len(g) + 1) for g in groups]
    target = system.multihomogenize(groups, degrees, patches)
    start = start_aff.multihomogenize(groups, degrees, patches)
    x0 = np.hstack([_on_patch(roots, g, c) for g, c in zip(groups, patches)]
                   + [np.zeros((len(roots), n), dtype=np.complex128)])
    for j, g in enumerate(groups):
        x0[:, len(groups) + np.asarray(g)] = roots[:, list(g)] * x0[:, j:j + 1]
    gamma = np.exp(2j * np.pi * rng.random())
    hom = StraightLine(start, target, gamma)
    if show_progress:
        show_progress(f"tracking {len(x0)} paths ({counts.method} start system)")

    first = track(hom, x0, 0.0, 1 - endgame_radius)

    def x0_ratio(z):  # the smallest homogenizing coordinate relative to its group
        return np.min([np.abs(z[:, j]) / np.linalg.norm(z[:, [j, *(len(groups) + np.asarray(g))]],
                                                          axis=1)
                       for j, g in enumerate(groups)], axis=0)

    # to t = 1 in stages, sampling x0 at each stage's end (see the module docstring)
    end_x, end_ok = first.x.copy(), first.status == TrackStatus.SUCCESS
    stages = [1 - endgame_radius, 1 - endgame_radius**2, 1 - endgame_radius**3, 1.0]
    samples = np.full((len(stages), len(x0)), np.nan)  # x0 at the stage ends reached
    samples[0] = x0_ratio(first.x)
    # the stage ends t = 1 - r0^(k + 1) each path reached, and its points there (an endgame
    # that fails from t = 1 - r0 is retried from the deeper ones, with radius r0^(k + 1))
    depth = np.where(end_ok, 0, -1)
    stage_x = [first.x.copy()]
    for k, (t_from, t_to) in enumerate(zip(stages[:-1], stages[1:])):
        idx = np.flatnonzero(end_ok)
        res = track(hom, end_x[idx], t_from, t_to,
                    max_steps=FINAL_STEPS if t_to == 1.0 else 5000)
        end_x[idx] = res.x
        end_ok[idx[res.status != TrackStatus.SUCCESS]] = False
        samples[k + 1, idx] = x0_ratio(res.x)
        if t_to < 1.0:
            stage_x.append(end_x.copy())
            depth[idx[res.status == TrackStatus.SUCCESS]] = k + 1
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
        status[todo] = np.where(newton_ok[todo], 2, 3)
        left = todo
        for k in range(len(stage_x)):  # from t = 1 - r0, then deeper for the paths it fails
            part = left[depth[left] >= k]
            if not part.size:
                break
            eg = cauchy_endgame(hom, stage_x[k][part], 1.0, 1.0, endgame_radius ** (k + 1))
            done = part[eg.is_converged]
            x[done], winding[done], status[done] = eg.x[eg.is_converged], eg.winding[eg.is_converged], 2
            left = np.setdiff1d(left, done)
    elif todo.size:
        status[todo] = 5
        details["endgame"] = ("not run: singular paths reached t = 1 - r0 and did not end at "
                              "a nonsingular solution or at infinity")
    # no endpoint computed (endgame off, or its loops did not close) and x0 kept shrinking
    status[np.isin(status, (3, 5)) & _decaying(samples)] = 4
    status[(status == 1)] = 3

    # a computed endpoint is at infinity when its own x0 vanishes to rounding
    with np.errstate(invalid="ignore"):
        finite = (x0_ratio(x) > INFINITY_TOL) & (status != 4)
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
    affine = np.empty((len(x), n), dtype=np.complex128)
    for j, g in enumerate(groups):
        affine[:, list(g)] = x[:, len(groups) + np.asarray(g)] / np.where(finite, x[:, j], 1)[:, None]
    kinds = np.array([s.value for s in tracked])
    computed = status != 5  # singular paths without the endgame have no endpoint, only the
    # last point tracked (a candidate for Krawczyk's test all the same)
    # two paths ending at one nonsingular solution: one of them jumped (and its own endpoint
    # was missed): the later ones count as failed
    ends = np.flatnonzero(kinds == PathStatus.NONSINGULAR.value)
    if ends.size > 1:
        labels = unique_points(affine[ends])[1]
        jumped = ends[np.setdiff1d(np.arange(ends.size), np.unique(labels, return_index=True)[1])]
        for k in jumped:
            tracked[k] = PathStatus.FAILED
        kinds[jumped] = PathStatus.FAILED.value
        details["jumped"] = int(jumped.size)
    if certify:  # an ill-conditioned endpoint of winding number 1 (or, without the endgame,
        # the last point of a path that did not end well conditioned) that Krawczyk's test
        # proves to be an isolated nonsingular zero is one, unless another path ends there
        cand = np.flatnonzero((kinds == PathStatus.SINGULAR.value) & (winding == 1)
                              & np.all(np.isfinite(affine), axis=1))
        if cand.size:
            # each alone; a proven one is replaced by the center of its box
            proven: list[int] = []
            for k in cand.tolist():
                cert = krawczyk_certify(system, affine[k][None])
                if not cert.is_certified[0]:
                    continue
                known = affine[kinds == PathStatus.NONSINGULAR.value]
                if len(known) and len(unique_points(np.vstack([known, cert.centers]))[0]) == len(known):
                    continue  # Newton slid to a solution another path reached
                proven.append(k)
                affine[k] = cert.centers[0]
                tracked[k] = PathStatus.NONSINGULAR
                kinds[k] = PathStatus.NONSINGULAR.value
            details["promoted_by_krawczyk"] = len(proven)
    path_status = [PathStatus.FAILED] * lost + tracked
    sols, _ = unique_points(affine[kinds == PathStatus.NONSINGULAR.value])
    if select is not None and len(sols):
        sols = sols[select(sols)]
    sing, _ = unique_points(affine[(kinds == PathStatus.SINGULAR.value) & computed])
    mask = krawczyk_certify(system, sols).is_certified if certify and len(sols) else (
        np.zeros(0, dtype=bool) if certify else None)
    return SolveResult(sols, sing, tuple(path_status), None if mask is None else int(mask.sum()),
                       f"{counts.method} homotopy", seed, time.perf_counter() - clock, details,
                       variables=tuple(system.names) if system.names else (),
                       certified=mask)


def _on_patch(roots, group, patch) -> np.ndarray:
    """The homogenizing coordinate x0 of each affine point's group, so that
    patch . (x0, x0 x_G) = 1: (N, 1)."""
    return 1 / (patch[0] + roots[:, list(group)] @ patch[1:])[:, None]


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
