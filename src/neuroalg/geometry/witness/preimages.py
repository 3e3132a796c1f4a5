"""Witness sets of a neurovariety as preimages under one square map, tracked in batches.

The witness family of V = closure of Phi(C^P) is the square map

    G: C^P -> C^P,   G(theta) = (A Phi(theta), C theta),

with A (dim V x M) and C ((P - dim V) x P) fixed: the witness system "A Phi(theta) = b,
C theta = c" of :func:`neuroalg.geometry.witness.systems.witness_system` is G(theta) = p with
parameters p = (b, c). :class:`SliceMap` compiles G for batches: the monomials of Phi and of its
first derivatives are evaluated along a chain (each monomial is a known one times one variable,
one vectorized product per degree), Phi and its Jacobian are sparse matrices times those values,
and A is applied last. As a parametric system F(theta; p) = G(theta) - p it has the
interface of :class:`neuroalg.homotopy.polynomial.PolySystem` that the parameter homotopies use
(``evaluate(x, p, dp)``), and, because dF/dp = -I, it also accepts one parameter direction per
point.

:func:`track_segments` moves every point along its own parameter segment in one batch (path i
runs over t in [2 i, 2 i + 1], so the homotopy knows its segment from t alone); :func:`sample`
uses it to send random points of parameter space to one target (each path lands on some witness
point, every witness point with positive probability), and :func:`loops` sends known points
around random triangles (monodromy). Both only *find* points; completeness evidence
is the trace test (:func:`trace_test`), which moves the points along a pencil of parallel slices
and checks that the sum of the distinct images Phi(theta) is affine in the pencil parameter
(Sommese–Verschelde–Wampler 2004; Leykin–Rodriguez–Sottile 2018).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from ...homotopy.monodromy import TraceTest
from ...homotopy.result import unique_points
from ...homotopy.tracker import TrackStatus, newton, track
from ...polymap import PolynomialMap

#: relative Newton step below which a tracked endpoint counts as a solution
ENDPOINT_TOL = 1e-8
#: trace-test residual below which the witness set counts as complete: complete sets give
#: 1e-17..1e-14 here (endpoints Newton-refined), while one missing point has given 1.5e-7
TRACE_TOL = 1e-10


def _chain(monomials: set[tuple[int, ...]], n: int):
    """Close ``monomials`` under removing the first variable of positive exponent; return the
    ordered list (by degree, the constant first) and, per monomial, (parent index, variable)."""
    todo = set(monomials) | {(0,) * n}
    stack = list(todo)
    while stack:
        a = stack.pop()
        if sum(a):
            k = next(i for i, e in enumerate(a) if e)
            up = a[:k] + (a[k] - 1,) + a[k + 1:]
            if up not in todo:
                todo.add(up)
                stack.append(up)
    order = sorted(todo, key=lambda a: (sum(a), a))
    index = {a: i for i, a in enumerate(order)}
    parent, var = np.zeros(len(order), dtype=np.int64), np.zeros(len(order), dtype=np.int64)
    for i, a in enumerate(order[1:], start=1):
        k = next(j for j, e in enumerate(a) if e)
        parent[i], var[i] = index[a[:k] + (a[k] - 1,) + a[k + 1:]], k
    degree = np.array([sum(a) for a in order], dtype=np.int64)
    levels = [np.flatnonzero(degree == d) for d in range(1, int(degree.max(initial=0)) + 1)]
    return order, index, parent, var, levels


class SliceMap:
    """G(theta) = (A Phi(theta), C theta) compiled for batches; F(theta; p) = G(theta) - p.

    Phi and its Jacobian are sparse in the monomials (each coordinate of a network has few
    terms), so they are evaluated as sparse matrices times the monomial values, in a layout
    with one row per monomial (contiguous over the batch), and A is applied afterwards.

    Parameters
    ----------
    phi : PolynomialMap
        The exact expansion of Phi (:func:`neuroalg.polymap.expand`).
    a_matrix : array (dim, M)
        The function-space slice (converted to complex128).
    c_matrix : array (P - dim, P)
        The parameter-space slice (a gauge, or random).
    """

    def __init__(self, phi: PolynomialMap, a_matrix, c_matrix):
        a = np.asarray(np.asarray(a_matrix, dtype=float), dtype=np.complex128)
        c = np.asarray(np.asarray(c_matrix, dtype=float), dtype=np.complex128).reshape(-1, phi.n_params)
        p, m = phi.n_params, phi.n_coordinates
        needed: set[tuple[int, ...]] = set()
        for poly in phi.polys:
            for e in poly:
                needed.add(e)
                for k, ek in enumerate(e):
                    if ek:
                        needed.add(e[:k] + (ek - 1,) + e[k + 1:])
        order, index, self._parent, self._var, self._levels = _chain(needed, p)
        rows, cols, vals, jrows, jcols, jvals = [], [], [], [], [], []
        for j, poly in enumerate(phi.polys):
            for e, coef in poly.items():
                rows.append(j)
                cols.append(index[e])
                vals.append(float(coef))
                for k, ek in enumerate(e):
                    if ek:  # d Phi_j / d theta_k has the term ek coef theta^(e - e_k)
                        jrows.append(j * p + k)
                        jcols.append(index[e[:k] + (ek - 1,) + e[k + 1:]])
                        jvals.append(ek * float(coef))
        shape = (m, len(order))
        self._values = sparse.csr_matrix((np.asarray(vals, dtype=np.complex128), (rows, cols)), shape)
        self._jac = sparse.csr_matrix((np.asarray(jvals, dtype=np.complex128), (jrows, jcols)),
                                      (m * p, len(order)))
        self.a_matrix, self.c_matrix = a, c
        self.n_vars = self.n_eqs = self.n_params = p
        self.dim, self.n_coordinates = a.shape[0], m

    def _monomials(self, x):
        """Monomial values, one row per monomial: (n_monomials, B)."""
        xt = np.ascontiguousarray(np.asarray(x, dtype=np.complex128).T)
        mono = np.empty((len(self._parent), xt.shape[1]), dtype=np.complex128)
        mono[0] = 1
        for lev in self._levels:
            mono[lev] = mono[self._parent[lev]] * xt[self._var[lev]]
        return mono

    def image(self, x) -> np.ndarray:
        """Phi(theta) for a batch (B, P) -> (B, M)."""
        x = np.atleast_2d(x)
        if not len(x):
            return np.zeros((0, self.n_coordinates), dtype=np.complex128)
        return (self._values @ self._monomials(x)).T

    def map(self, x) -> np.ndarray:
        """G(theta) = (A Phi(theta), C theta) for a batch (B, P) -> (B, P)."""
        x = np.atleast_2d(np.asarray(x, dtype=np.complex128))
        return np.hstack([(self.a_matrix @ (self._values @ self._monomials(x))).T,
                          x @ self.c_matrix.T])

    def evaluate(self, x, p=None, dp=None):
        """F = G(x) - p, its Jacobian in x and, with ``dp`` ((m,) or one row per point),
        dF/dp . dp = -dp (the PolySystem interface)."""
        x = np.atleast_2d(np.asarray(x, dtype=np.complex128))
        b, n, dim = len(x), self.n_vars, self.dim
        mono = self._monomials(x)
        values = np.empty((b, n), dtype=np.complex128)
        values[:, :dim] = (self.a_matrix @ (self._values @ mono)).T
        values[:, dim:] = x @ self.c_matrix.T
        if p is not None:
            values -= p
        jac = np.empty((b, n, n), dtype=np.complex128)
        dphi = (self._jac @ mono).reshape(self.n_coordinates, n * b)
        jac[:, :dim] = (self.a_matrix @ dphi).reshape(dim, n, b).transpose(2, 0, 1)
        jac[:, dim:] = self.c_matrix
        if dp is None:
            return values, jac
        return values, jac, -np.broadcast_to(np.asarray(dp, dtype=np.complex128), values.shape)


class Segments:
    """Homotopy in which path i follows p(t) = (1 - s) starts[i] + s ends[i], t = 2 i + s."""

    def __init__(self, system: SliceMap, starts, ends):
        self.system = system
        self.starts = np.asarray(starts, dtype=np.complex128)
        self.ends = np.asarray(ends, dtype=np.complex128)
        self.n_vars = system.n_vars

    def evaluate(self, x, t):
        k = np.floor(t.real / 2 + 0.25).astype(np.int64)
        s = (t - 2 * k)[:, None]
        start, end = self.starts[k], self.ends[k]
        return self.system.evaluate(x, (1 - s) * start + s * end, end - start)


@dataclass(frozen=True)
class Moved:
    """Endpoints of a batch of segments: ``x`` (B, P) and ``ok`` (B,) (tracked to s = 1 and
    Newton-converged at the end parameters), with the batch's step counts."""

    x: np.ndarray
    ok: np.ndarray
    n_steps: int


def track_segments(system: SliceMap, x, starts, ends, *, max_steps: int = 5000,
                   max_correction: float = 1e-4) -> Moved:
    """Track each x[i] (a solution at starts[i]) to ends[i], all in one batch."""
    x = np.atleast_2d(np.asarray(x, dtype=np.complex128))
    if not len(x):
        return Moved(x, np.zeros(0, dtype=bool), 0)
    ends = np.broadcast_to(np.asarray(ends, dtype=np.complex128), x.shape)
    starts = np.broadcast_to(np.asarray(starts, dtype=np.complex128), x.shape)
    k = 2.0 * np.arange(len(x))
    res = track(Segments(system, starts, ends), x, k, k + 1, max_steps=max_steps,
                max_correction=max_correction)
    ok = res.status == TrackStatus.SUCCESS
    out = res.x
    if ok.any():
        live = np.flatnonzero(ok)
        refined, norms = newton(lambda z: system.evaluate(z, ends[live]), out[live], 2)
        out[live] = refined
        ok[live[~(norms[-1] <= ENDPOINT_TOL)]] = False
    return Moved(out, ok, int((res.n_accepted + res.n_rejected).max()))


def random_points(rng, shape) -> np.ndarray:
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)


def _merge(old: np.ndarray, new: np.ndarray, *, rtol: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """Cluster ``new`` points against ``old`` distinct ones (closer than rtol (1 + |x|_max) in
    every real coordinate's norm): returns, for each new point, its index in old + (the new
    distinct ones, numbered from len(old) in order of appearance), and the positions in ``new``
    of the first point of each new cluster."""
    scale = 1 + max(float(np.abs(old).max(initial=0)), float(np.abs(new).max(initial=0)))
    index = np.full(len(new), -1, dtype=np.int64)
    if len(old):
        dist, near = cKDTree(np.hstack([old.real, old.imag]) / scale).query(
            np.hstack([new.real, new.imag]) / scale)
        index[dist <= rtol] = near[dist <= rtol]
    rest = np.flatnonzero(index < 0)
    _, labels = unique_points(new[rest], rtol=rtol)
    first = rest[np.unique(labels, return_index=True)[1]]
    index[rest] = len(old) + labels
    return index, first


class Found:
    """Points found so far with their distinct images Phi(theta): one parameter point per image
    (``per_image``, for witness sets) or every distinct parameter point, labelled by its image
    (for fibers)."""

    def __init__(self, system: SliceMap, *, per_image: bool = True):
        self.system, self.per_image = system, per_image
        self.points = np.zeros((0, system.n_vars), dtype=np.complex128)
        self.images = np.zeros((0, system.n_coordinates), dtype=np.complex128)
        self.labels = np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.points)

    @property
    def n_images(self) -> int:
        return len(self.images)

    def label(self, x) -> np.ndarray:
        """The index of the known image of each point of ``x`` (-1: not a known image)."""
        index, _ = _merge(self.images, self.system.image(np.atleast_2d(x)))
        return np.where(index < len(self.images), index, -1)

    def add(self, x) -> int:
        """Add the new points (new images, or with ``per_image=False`` new parameter points);
        returns how many were new."""
        x = np.atleast_2d(x)
        if not len(x):
            return 0
        imgs = self.system.image(x)
        image_of, new_images = _merge(self.images, imgs)
        self.images = np.vstack([self.images, imgs[new_images]])
        keep = new_images if self.per_image else _merge(self.points, x)[1]
        self.points = np.vstack([self.points, x[keep]])
        self.labels = np.concatenate([self.labels, image_of[keep]])
        return len(keep)


def sample(system: SliceMap, target, n: int, rng, *, max_steps: int) -> Moved:
    """Send ``n`` random points theta_k (Gaussian, times log-normal sizes) from their own
    parameters G(theta_k) to ``target``."""
    theta = random_points(rng, (n, system.n_vars)) * np.exp(rng.normal(0, 1, (n, 1)))
    return track_segments(system, theta, system.map(theta), target, max_steps=max_steps,
                          max_correction=FIND_CORRECTION)


def loops(system: SliceMap, x, target, rng, *, copies: int = 1,
          max_steps: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Send the points ``x`` (solutions at ``target``) around ``copies`` random triangles
    target -> p1 -> p2 -> target (all points around each, in one batch): each triangle permutes
    the solutions at ``target``, so a triangle maps the known points onto as many distinct
    ones. The corners have log-normal sizes around |target| (points of large norm are moved by
    large loops). Returns the endpoints that came back, the triangle of each, and the number of
    failed paths."""
    n = len(np.atleast_2d(x))
    x = np.tile(np.atleast_2d(x), (copies, 1))
    triangle = np.repeat(np.arange(copies), n)
    scale = (1 + np.linalg.norm(target) / np.sqrt(len(target))) * np.exp(rng.normal(0, 1, copies))
    corners = [np.repeat(scale[:, None] * random_points(rng, (copies, len(target))), n, axis=0)
               for _ in range(2)]
    p0, p1, p2 = np.broadcast_to(target, x.shape), corners[0], corners[1]
    failed = 0
    for edge in range(3):
        start, end = ((p0, p1), (p1, p2), (p2, p0))[edge]
        moved = track_segments(system, x, start, end, max_steps=max_steps,
                               max_correction=FIND_CORRECTION)
        failed += int((~moved.ok).sum())
        ok = moved.ok
        x, p0, p1, p2, triangle = moved.x[ok], p0[ok], p1[ok], p2[ok], triangle[ok]
    return x, triangle, failed


def trace_test(system: SliceMap, x, target, rng, *, tolerance: float = TRACE_TOL) -> TraceTest:
    """Trace test of the witness points ``x`` (one per image) at ``target``: move b along a
    random direction to s1 and s2 = -s1 (0.5 + u) in one batch and compare the traces of the
    distinct images: |T(s2) - T(0) - s2/s1 (T(s1) - T(0))| relative to their size."""
    x = np.atleast_2d(x)
    direction = np.zeros(system.n_params, dtype=np.complex128)
    direction[: system.dim] = random_points(rng, system.dim)
    s1 = complex(random_points(rng, ()))
    s2 = -s1 * complex(0.5 + rng.random())
    n = len(x)
    ends = np.vstack([np.broadcast_to(target + s1 * direction, x.shape),
                      np.broadcast_to(target + s2 * direction, x.shape)])
    moved = track_segments(system, np.vstack([x, x]), target, ends, max_correction=FIND_CORRECTION)
    traces, counts, size = [], [], 0.0
    for pts_x in (x, moved.x[:n][moved.ok[:n]], moved.x[n:][moved.ok[n:]]):
        pts, _ = unique_points(system.image(pts_x))
        counts.append(len(pts))
        traces.append(pts.sum(axis=0))
        size = max(size, float(np.abs(pts).sum()) if len(pts) else 0.0)
    t0, t1, t2 = traces
    residual = float(np.max(np.abs(t2 - t0 - (s2 / s1) * (t1 - t0))) / max(size, 1e-300))
    return TraceTest(residual, (counts[0], counts[1], counts[2]), int((~moved.ok).sum()), tolerance)


#: step budgets per segment: sampling and monodromy only find points (a path over budget is
#: dropped, never counted); the trace test tracks without a budget cut
SAMPLE_STEPS, LOOP_STEPS = 100, 200
#: trust region of the tracker's corrector when only finding points (a path that jumps still
#: ends at a solution; the trace test tracks with the default 1e-4)
FIND_CORRECTION = 1e-2
#: paths per monodromy batch at least (small batches cost as much per step as these)
LOOP_BATCH = 48


@dataclass(frozen=True)
class ImageWitness:
    """Witness points of V on the slice A f = b: one parameter point per distinct image."""

    system: SliceMap
    parameters: np.ndarray  # p0 = (b, c)
    points: np.ndarray  # (deg, P) representatives
    images: np.ndarray  # (deg, M) their images Phi(theta)
    n_rounds: int
    n_paths: int
    n_failed: int
    trace: TraceTest

    @property
    def n_images(self) -> int:
        return len(self.points)


def solve_images(system: SliceMap, rng, *, target: int | None = None, samples: int = 64,
                 max_rounds: int = 8, show_progress=None) -> ImageWitness:
    """Witness points of V = closure(Phi) on a random slice, one parameter point per image.

    The first round sends ``samples`` random parameter points to the slice p0 (:func:`sample`),
    the next ones first send every known point around random triangles (:func:`loops`; at
    least ``LOOP_BATCH`` paths, twice as many triangles each round: a triangle moves each
    missing point with some fixed probability) and then half as many samples (they find the
    points of large basins first); endpoints with new images are kept, and every round ends
    with the trace test, the stop at the first pass.
    With ``target`` (a count expected by a theorem), discovery stops once ``target`` images
    are known; the trace test still decides, and a failed test resumes the search."""
    theta0 = random_points(rng, (1, system.n_vars))
    p0 = system.map(theta0)[0]
    found = Found(system)
    found.add(theta0)
    paths = failed = 0
    trace = None
    copies = 2
    for rounds in range(1, max_rounds + 1):
        if rounds > 1 and (target is None or len(found) < target):
            copies = max(copies, -(-LOOP_BATCH // len(found)))
            x, _, n_failed = loops(system, found.points, p0, rng, copies=copies,
                                   max_steps=LOOP_STEPS)
            paths, failed = paths + 3 * copies * len(found), failed + n_failed
            found.add(x)
            copies *= 2
        if target is None or len(found) < target:
            moved = sample(system, p0, samples, rng, max_steps=SAMPLE_STEPS)
            paths, failed = paths + samples, failed + int((~moved.ok).sum())
            found.add(moved.x[moved.ok])
            samples = max(samples // 2, 8)
        trace = trace_test(system, found.points, p0, rng)
        paths += 2 * len(found)
        if not trace.is_passed and target is not None and len(found) >= target:
            target = None  # the expected count is not complete here: search on
        if show_progress:
            show_progress(f"round {rounds}: {len(found)} witness points, trace residual "
                          f"{trace.residual:.1e}")
        if trace.is_passed:
            break
    assert trace is not None
    return ImageWitness(system, p0, found.points, found.images, rounds, paths, failed, trace)


@dataclass(frozen=True)
class FiberWitness:
    """Parameter-space solutions of the witness system found, grouped by image: the fibers of
    Phi restricted to the slice over the witness points of V found so far."""

    parameters: np.ndarray  # p0 = (b, c)
    points: np.ndarray  # (N, P) distinct parameter points
    images: np.ndarray  # (K, M) distinct images found
    labels: np.ndarray  # (N,) index of each point's image
    n_rounds: int
    coincidence: float  # heuristic probability that a larger fiber hid (see solve_fibers)
    n_paths: int
    n_failed: int
    trace: TraceTest  # on one point per image found: passed iff every image was found
    n_orbit: int = 1  # points of one fiber given by the moves alone (the orbit of one point)

    @property
    def sizes(self) -> np.ndarray:
        return np.bincount(self.labels, minlength=len(self.images))

    @property
    def fiber_size(self) -> int:
        return int(self.sizes.max())

    @property
    def n_full(self) -> int:
        """How many images have ``fiber_size`` preimages."""
        return int((self.sizes == self.fiber_size).sum())


def solve_fibers(system: SliceMap, rng, *, error: float = 1e-6, samples: int = 32,
                 max_rounds: int = 12, moves=None, show_progress=None) -> FiberWitness:
    """Preimages on the slice of witness points of V, until the largest fiber is complete.

    Random samples give a first set of points; each round sends every known point (one per
    fiber with ``moves``) around random triangles (:func:`loops`, at least ``LOOP_BATCH``
    paths). A triangle maps the
    preimages of each witness point bijectively onto preimages of another, so every fiber keeps
    receiving points, and the largest fiber found reaches the generic size m long before every
    fiber is complete. Evidence that m is the size: a fiber with m known points that receives
    s distinct points from one triangle and gains none would, if the fiber had m + 1 points
    and the triangle mixed them uniformly, do so with probability C(m, s) / C(m + 1, s) =
    (m + 1 - s) / (m + 1). The product over the rounds since the largest size last grew is
    ``coincidence`` (a heuristic bound: monodromy is not uniform mixing), and the rounds stop
    once it is below ``error``. ``moves`` ((points, slice levels c) -> list of slice points with
    the same images, e.g. the neuron permutations of an MLP) fills each fiber with the orbits of its points at no
    tracking cost; the loops then look for points outside those orbits. Finally the trace test
    on one point per image says whether the images found are all of V's witness set (their
    number is then deg V)."""

    def add(x):
        before = len(found)
        found.add(x)
        while moves is not None and len(found) > before:
            new, before = found.points[before:], len(found)
            found.add(np.vstack(moves(new, p0[system.dim:])))

    theta0 = random_points(rng, (1, system.n_vars))
    p0 = system.map(theta0)[0]
    found = Found(system, per_image=False)
    add(theta0)
    orbit = len(found)  # theta0 and its images under the moves
    moved = sample(system, p0, samples, rng, max_steps=SAMPLE_STEPS)
    paths, failed = samples, int((~moved.ok).sum())
    add(moved.x[moved.ok])
    log_bound, best, rounds = 0.0, int(np.bincount(found.labels).max()), 0
    for rounds in range(1, max_rounds + 1):
        before = np.bincount(found.labels, minlength=found.n_images)
        # with moves, one point per fiber: an arrival outside the known orbit brings its orbit
        sources = found.points[np.unique(found.labels, return_index=True)[1]] if moves else found.points
        copies = max(2 if moves else 1, -(-LOOP_BATCH // len(sources)))
        x, triangle, n_failed = loops(system, sources, p0, rng, copies=copies, max_steps=LOOP_STEPS)
        paths, failed = paths + 3 * copies * len(sources), failed + n_failed
        add(x)
        sizes = np.bincount(found.labels, minlength=found.n_images)
        size = int(sizes.max())
        if size > best:
            log_bound, best = 0.0, size
        else:  # arrivals into fibers that were full and stayed full
            labels = found.label(x)
            triangle, labels = triangle[labels >= 0], labels[labels >= 0]
            before = np.concatenate([before, np.zeros(len(sizes) - len(before), dtype=np.int64)])
            full = np.flatnonzero((before == size) & (sizes == size))
            for t in range(copies):
                s = np.bincount(labels[triangle == t], minlength=found.n_images)[full]
                log_bound += float(np.log((size + 1 - s[s > 0]) / (size + 1)).sum())
        if show_progress:
            show_progress(f"fiber round {rounds}: {len(found)} parameter points over "
                          f"{found.n_images} images, largest fiber {size} "
                          f"({int((sizes == size).sum())} of them), coincidence "
                          f"{np.exp(log_bound):.1e}")
        if np.exp(log_bound) <= error:
            break
    reps = np.unique(found.labels, return_index=True)[1]
    trace = trace_test(system, found.points[reps], p0, rng)
    paths += 2 * len(reps)
    return FiberWitness(p0, found.points, found.images, found.labels, rounds,
                        float(np.exp(log_bound)), paths, failed, trace, orbit)
