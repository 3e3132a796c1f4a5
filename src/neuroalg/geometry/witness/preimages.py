"""Witness sets of a neurovariety as preimages under one square map, tracked in batches.

The witness family of V = closure of Phi(C^P) on a gauge slice is the square map

    G: C^n -> C^n,   G(z) = (A psi(z), C z),

with psi(z) = Phi restricted to the slice (a coordinate gauge, :mod:`.gauge`, fixes P - dim V
parameters: then n = dim V and there is no C; or a random affine slice C theta = c in all P
parameters), A (dim V x M) fixed: the points with G(z) = p are the preimages on the slice of the
points of V on the affine space {A f = b} (p = b, or p = (b, c)). :class:`SliceMap` compiles G for
batches: the monomials of psi and of its first derivatives are evaluated along a chain (each
monomial is a known one times one variable, one vectorized product per degree), psi and its
Jacobian are sparse matrices times those values, and A is applied last. As a parametric system
F(z; p) = G(z) - p it has the interface of :class:`neuroalg.homotopy.polynomial.PolySystem` that
the parameter homotopies use (``evaluate(x, p, dp)``), and, because dF/dp = -I, it also accepts
one parameter direction per point.

:class:`Explorer` finds solutions at several parameter points (nodes) at once: three parallel
slices b0, b0 + s1 v, b0 + s2 v of one random pencil, and random far points added as needed.
Every round is one batch of paths (:func:`track_segments`: path i runs over t in [2 i, 2 i + 1],
so the homotopy knows its segment from t alone): random points sent from their own parameters to
the slices of the pencil (each lands on some witness point, every witness point with positive
probability), and every point newly known at a node sent once along each straight edge of the
graph of nodes (the graph's cycles are monodromy loops: Duff–Hill–Jensen–Lee–Leykin–Sommars
2019, Section 3). All of this only *finds* points: a path that jumps or fails costs a point,
never a wrong one (every endpoint is Newton-refined at its own target). The completeness evidence
is the trace test on the three slices of the pencil (:meth:`Explorer.trace`): the sum of *all*
the points of V on {A f = b0 + s v} is an affine function of s (Sommese–Verschelde–Wampler 2004;
Leykin–Rodriguez–Sottile 2018), so the sums of the distinct images found on the three slices
pass the test when the three sets are complete, and a missing point leaves a residual of the
size of the point (the sets need no correspondence: each slice's sum is tested as it is).
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
#: 1e-17..1e-13 here (endpoints Newton-refined), while one missing point has given 2e-7
TRACE_TOL = 1e-10
#: step budget per path: the rounds only find points (a path over budget is dropped and costs
#: only that point); most paths take 15-30 steps, and a batch takes as many steps as its slowest
STEPS = 45
#: paths per batch at least: a round with fewer points left to send along the edges adds nodes
#: (small batches cost as many steps as these)
BATCH = 48
#: orbits under the moves are filled in up to this size (larger groups: no moves)
MAX_ORBIT = 720
#: trust region of the tracker's corrector when only finding points (a path that jumps still
#: ends at a solution)
FIND_CORRECTION = 1e-2


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
    """G(z) = (A psi(z), C z) compiled for batches; F(z; p) = G(z) - p.

    A psi and its Jacobian are linear in the monomials of psi and of its first derivatives (a
    few dozen to a few hundred for the networks here), so they are one real matrix, built once
    (A applied to the sparse coefficient matrices), times the monomial values, in a layout with
    one row per monomial (contiguous over the batch).

    Parameters
    ----------
    phi : PolynomialMap
        The exact expansion of Phi (:func:`neuroalg.polymap.expand`), or of its restriction psi
        to a coordinate gauge (:meth:`neuroalg.geometry.witness.gauge.Gauge.restrict`).
    a_matrix : array (dim, M)
        The function-space slice (converted to complex128).
    c_matrix : array (n - dim, n) or None, default=None
        A parameter-space slice (none for a coordinate gauge: then n = dim).
    """

    def __init__(self, phi: PolynomialMap, a_matrix, c_matrix=None):
        a = np.asarray(a_matrix, dtype=float)
        c = np.asarray(np.asarray(np.zeros((0, phi.n_params)) if c_matrix is None else c_matrix,
                                  dtype=float), dtype=np.complex128).reshape(-1, phi.n_params)
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
        n_mono = len(order)
        self._values = sparse.csr_matrix((vals, (rows, cols)), (m, n_mono)).toarray()
        jac = sparse.csr_matrix((jvals, (jrows, jcols)), (m * p, n_mono))
        # A Phi and A dPhi (row i * p + k: d (A Phi)_i / d theta_k) as one real matrix on the
        # monomials: an evaluation is one matrix product
        self._slice = np.ascontiguousarray(np.vstack([
            a @ self._values, (sparse.kron(sparse.csr_matrix(a), sparse.eye(p)) @ jac).toarray()]))
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

    @staticmethod
    def _times(matrix, mono):
        """A real matrix times complex monomial values (n_monomials, B), as one real product
        on the interleaved real and imaginary parts."""
        out = matrix @ mono.view(np.float64)
        return out.view(np.complex128)

    def image(self, x) -> np.ndarray:
        """psi(z) for a batch (B, n) -> (B, M)."""
        x = np.atleast_2d(x)
        if not len(x):
            return np.zeros((0, self.n_coordinates), dtype=np.complex128)
        return self._times(self._values, self._monomials(x)).T

    def map(self, x) -> np.ndarray:
        """G(z) = (A psi(z), C z) for a batch (B, n) -> (B, n)."""
        x = np.atleast_2d(np.asarray(x, dtype=np.complex128))
        return np.hstack([self._times(self._slice[: self.dim], self._monomials(x)).T,
                          x @ self.c_matrix.T])

    def evaluate(self, x, p=None, dp=None):
        """F = G(x) - p, its Jacobian in x and, with ``dp`` ((m,) or one row per point),
        dF/dp . dp = -dp (the PolySystem interface)."""
        x = np.atleast_2d(np.asarray(x, dtype=np.complex128))
        b, n, dim = len(x), self.n_vars, self.dim
        out = self._times(self._slice, self._monomials(x))
        jac = out[dim:].reshape(dim, n, b).transpose(2, 0, 1)
        if dim == n:  # a coordinate gauge: no rows C z
            values = out[:dim].T if p is None else out[:dim].T - p
        else:
            values = np.hstack([out[:dim].T, x @ self.c_matrix.T])
            if p is not None:
                values -= p
            jac = np.concatenate([jac, np.broadcast_to(self.c_matrix, (b, n - dim, n))], axis=1)
        if dp is None:
            return values, jac
        return values, jac, -np.broadcast_to(np.asarray(dp, dtype=np.complex128), values.shape)


class Segments:
    """Homotopy in which path i follows p(t) = (1 - s) starts[i] + s ends[i], t = 2 i + s."""

    def __init__(self, system: SliceMap, starts, ends):
        self.system = system
        self.starts = np.asarray(starts, dtype=np.complex128)
        self.deltas = np.asarray(ends, dtype=np.complex128) - self.starts
        self.n_vars = system.n_vars

    def evaluate(self, x, t):
        k = (t.real * 0.5 + 0.25).astype(np.int64)  # t >= 0: truncation is the floor
        delta = self.deltas[k]
        return self.system.evaluate(x, self.starts[k] + (t - 2 * k)[:, None] * delta, delta)


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
    """Points found so far at one parameter point, with their distinct images psi(z): one point
    per image (``per_image``, for witness sets) or every distinct point, labelled by its image
    (for fibers). ``first[k]`` is the first point found with image k (its representative)."""

    def __init__(self, system: SliceMap, *, per_image: bool = True):
        self.system, self.per_image = system, per_image
        self.points = np.zeros((0, system.n_vars), dtype=np.complex128)
        self.images = np.zeros((0, system.n_coordinates), dtype=np.complex128)
        self.labels = np.zeros(0, dtype=np.int64)
        self.first = np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.points)

    @property
    def n_images(self) -> int:
        return len(self.images)

    @property
    def sizes(self) -> np.ndarray:
        """Points found per image."""
        return np.bincount(self.labels, minlength=self.n_images)

    def label(self, x) -> np.ndarray:
        """The index of the known image of each point of ``x`` (-1: not a known image)."""
        index, _ = _merge(self.images, self.system.image(np.atleast_2d(x)))
        return np.where(index < len(self.images), index, -1)

    def add(self, x) -> np.ndarray:
        """Add the new points (new images, or with ``per_image=False`` new parameter points);
        returns their positions in ``x``."""
        x = np.atleast_2d(x)
        if not len(x):
            return np.zeros(0, dtype=np.int64)
        imgs = self.system.image(x)
        image_of, new_images = _merge(self.images, imgs)
        self.images = np.vstack([self.images, imgs[new_images]])
        keep = new_images if self.per_image else _merge(self.points, x)[1]
        self.first = np.concatenate([self.first, len(self.points) + np.searchsorted(keep, new_images)])
        self.points = np.vstack([self.points, x[keep]])
        self.labels = np.concatenate([self.labels, image_of[keep]])
        return keep


@dataclass(frozen=True)
class Round:
    """What one batch of paths brought: the edge arrivals (destination node, image label there
    before the batch, -1 for an image new there) and the sizes of the images at every node
    before and after the batch."""

    node: np.ndarray
    label: np.ndarray
    before: list
    after: list
    n_paths: int


class Explorer:
    """Solutions of G(z) = p at the nodes of a graph of parameter points, grown one batch of
    paths per :meth:`step` (see the module docstring).

    Nodes 0, 1, 2 are the slices b0 + s v, s in {0, s1, s2} (s1, s2 random complex: the
    triangle 0, s1, s2 is a loop in the pencil's line), with b0 = G(z0) for a random z0 (the
    first point); edges join them in a triangle. When a round has fewer than ``BATCH`` points
    left to send along the edges (the sets are nearly closed under the graph's loops; a batch
    costs as many steps whatever its size), a random node at a log-normal distance around b0
    is added, joined to two random nodes by edges (a new loop). A point is never sent back
    along the edge it came by (that path would only return it). ``moves`` (points -> list of
    arrays of points with the same images, e.g. the neuron permutations) fills in the orbits
    of new points at no tracking cost; only the first point of each image is then sent along
    the edges."""

    def __init__(self, system: SliceMap, rng, *, per_image: bool = True, moves=None,
                 max_steps: int | None = None):
        self.system, self.rng, self.moves = system, rng, moves
        self.max_steps = STEPS if max_steps is None else max_steps
        self.per_image = per_image
        z0 = random_points(rng, (1, system.n_vars))
        p0 = system.map(z0)[0]
        self.scale = 1 + np.linalg.norm(p0) / np.sqrt(len(p0))
        direction = np.zeros_like(p0)
        direction[: system.dim] = random_points(rng, system.dim)
        self.pencil = np.concatenate([[0], random_points(rng, 2)])
        self.nodes = [p0 + s * direction for s in self.pencil]
        self.found = [Found(system, per_image=per_image) for _ in self.nodes]
        self.via = [np.zeros(0, dtype=np.int64) for _ in self.nodes]  # edge each point came by
        self.edges: list[tuple[int, int]] = [(0, 1), (1, 2), (2, 0)]
        self.sent: dict[tuple[int, int], int] = {}  # (edge, source node) -> points sent
        self.n_paths = self.n_failed = self.n_rounds = 0
        if moves is not None:
            self._words(z0)
        self.add(0, z0, np.array([-1]))
        self.n_orbit = len(self.found[0])  # z0 and its images under the moves

    @property
    def parameters(self) -> np.ndarray:
        return self.nodes[0]

    def add(self, node: int, x, edges) -> None:
        """Add points found at ``node`` (arrived along ``edges``, one per point; -1: sampled),
        with their orbits under the moves."""
        x, edges = np.atleast_2d(x), np.broadcast_to(edges, (len(np.atleast_2d(x)),))
        if self.moves is not None:
            x = self._orbits(x)
            edges = np.tile(edges, len(x) // max(len(edges), 1))
        keep = self.found[node].add(x)
        self.via[node] = np.concatenate([self.via[node], edges[keep]])

    def _orbits(self, x: np.ndarray) -> np.ndarray:
        """The points x with their images under every element of the group the moves generate
        (each element applied as the word that reached it from z0, no search per batch)."""
        images = [x]
        for parent, children in self._tree:
            moved = self.moves(images[parent])
            images += [moved[g] for g in children]
        return np.vstack(images)

    def _words(self, z0: np.ndarray) -> None:
        """Breadth-first search of the orbit of z0 under the moves: ``_tree`` lists, per orbit
        point reached, the generators that lead to new points (the orbit's words, in order).
        A group acting on generic points freely has the same words for every point."""
        orbit, self._tree = [z0], []
        k = 0
        while k < len(orbit) and len(orbit) <= MAX_ORBIT:
            children = []
            for g, y in enumerate(self.moves(orbit[k])):
                known = np.vstack(orbit)
                scale = 1 + np.abs(known).max()
                if np.min(np.max(np.abs(known - y), axis=1)) > 1e-6 * scale:
                    orbit.append(y)
                    children.append(g)
            if children:
                self._tree.append((k, children))
            k += 1
        if len(orbit) > MAX_ORBIT:  # too large to fill in: search without the moves
            self.moves, self._tree = None, []

    def _add_node(self) -> None:
        size = self.scale * np.exp(self.rng.normal(0, 1))
        self.nodes.append(size * random_points(self.rng, len(self.nodes[0])))
        self.found.append(Found(self.system, per_image=self.per_image))
        self.via.append(np.zeros(0, dtype=np.int64))
        new = len(self.nodes) - 1
        for end in self.rng.choice(new, size=2, replace=False):
            self.edges.append((int(end), new))

    def _sends(self):
        """(points, source node, destination node, edge) for every point not yet sent along
        an edge at its node, except back along the edge it came by (with moves, only the first
        point of each image: the others are its images under the moves, and so are their
        endpoints)."""
        out = []
        for e, (u, w) in enumerate(self.edges):
            for src, dst in ((u, w), (w, u)):
                found, k = self.found[src], self.sent.get((e, src), 0)
                if k < len(found):
                    self.sent[(e, src)] = len(found)
                    index = np.arange(k, len(found))
                    index = index[self.via[src][index] != e]
                    if self.moves is not None:
                        index = index[np.isin(index, found.first)]
                    if len(index):
                        out.append((found.points[index], src, dst, e))
        return out

    def step(self, n_samples: int) -> Round:
        """One batch: ``n_samples`` random points sent to each slice of the pencil, and every
        point not yet sent along an edge (new nodes are added when there is none)."""
        sends = self._sends()
        if sum(len(pts) for pts, _, _, _ in sends) < BATCH:
            self._add_node()
            sends += self._sends()
        x, starts, ends, dest, edge = [], [], [], [], []
        if n_samples:
            z = random_points(self.rng, (3 * n_samples, self.system.n_vars))
            z *= np.exp(self.rng.normal(0, 1, (len(z), 1)))
            x.append(z)
            starts.append(self.system.map(z))
            ends.append(np.repeat(np.array(self.nodes[:3]), n_samples, axis=0))
            dest.append(np.repeat(np.arange(3), n_samples))
            edge.append(np.full(len(z), -1))
        for pts, src, dst, e in sends:
            x.append(pts)
            starts.append(np.broadcast_to(self.nodes[src], pts.shape))
            ends.append(np.broadcast_to(self.nodes[dst], pts.shape))
            dest.append(np.full(len(pts), dst))
            edge.append(np.full(len(pts), e))
        moved = track_segments(self.system, np.vstack(x), np.vstack(starts), np.vstack(ends),
                               max_steps=self.max_steps, max_correction=FIND_CORRECTION)
        dest, edge = np.concatenate(dest)[moved.ok], np.concatenate(edge)[moved.ok]
        arrived = moved.x[moved.ok]
        self.n_paths += len(moved.ok)
        self.n_failed += int((~moved.ok).sum())
        self.n_rounds += 1
        before = [f.sizes for f in self.found]
        node = dest[edge >= 0]
        label = np.full(len(node), -1, dtype=np.int64)
        for j in np.unique(node):
            label[node == j] = self.found[j].label(arrived[(edge >= 0) & (dest == j)])
        for j in np.unique(dest):
            self.add(int(j), arrived[dest == j], edge[dest == j])
        return Round(node, label, before, [f.sizes for f in self.found], len(moved.ok))

    def trace(self, tolerance: float = TRACE_TOL) -> TraceTest:
        """The trace test on the three slices of the pencil: with T(s) the sum of the distinct
        images found on slice s, |T(s2) - T(0) - s2/s1 (T(s1) - T(0))| relative to the size
        of the images; the counts must agree too."""
        images = [f.images for f in self.found[:3]]
        t0, t1, t2 = (i.sum(axis=0) for i in images)
        size = max(float(np.abs(i).sum()) for i in images)
        s1, s2 = self.pencil[1], self.pencil[2]
        residual = float(np.max(np.abs(t2 - t0 - (s2 / s1) * (t1 - t0)))) / max(size, 1e-300)
        counts = (len(images[0]), len(images[1]), len(images[2]))
        return TraceTest(residual, counts, 0, tolerance)


@dataclass(frozen=True)
class ImageWitness:
    """Witness points of V on the slice A f = b: one parameter point per distinct image."""

    system: SliceMap
    parameters: np.ndarray  # p0 = b (and c)
    points: np.ndarray  # (deg, n) representatives
    images: np.ndarray  # (deg, M) their images psi(z)
    n_rounds: int
    n_paths: int
    n_failed: int
    trace: TraceTest
    n_nodes: int = 3

    @property
    def n_images(self) -> int:
        return len(self.points)


def solve_images(system: SliceMap, rng, *, samples: int = 24, max_rounds: int = 100,
                 show_progress=None) -> ImageWitness:
    """Witness points of V = closure(psi) on a random slice, one parameter point per image.

    Rounds of :meth:`Explorer.step` (``samples`` random points per slice of the pencil, half as
    many each round down to 4, and the graph's edges), each closed by the trace test on the
    three slices; the first pass stops (at most ``max_rounds`` rounds)."""
    explorer = Explorer(system, rng)
    trace = explorer.trace()
    while explorer.n_rounds < max_rounds and not trace.is_passed:
        explorer.step(samples)
        samples = max(samples // 2, 4)
        trace = explorer.trace()
        if show_progress:
            show_progress(f"round {explorer.n_rounds}: {list(trace.counts)} witness points on "
                          f"the three slices, trace residual {trace.residual:.1e}, "
                          f"{explorer.n_paths} paths")
    base = explorer.found[0]
    return ImageWitness(system, explorer.parameters, base.points, base.images, explorer.n_rounds,
                        explorer.n_paths, explorer.n_failed, trace, len(explorer.nodes))


@dataclass(frozen=True)
class FiberWitness:
    """Preimages found on the slices visited, grouped by image: the fibers of psi over the
    witness points of V met so far (at every node of the explorer)."""

    parameters: np.ndarray  # p0 = b (and c) of the base slice
    points: np.ndarray  # (N, n) distinct points on the base slice
    labels: np.ndarray  # (N,) index of each point's image
    sizes: np.ndarray  # points per fiber, over the fibers met at every node
    n_rounds: int
    coincidence: float  # heuristic probability that a larger fiber hid (see solve_fibers)
    n_arrivals: int  # arrivals into full fibers counted in ``coincidence``
    n_paths: int
    n_failed: int
    trace: TraceTest  # on the pencil: passed iff every image was found on the three slices
    n_orbit: int = 1  # points of one fiber given by the moves alone (the orbit of one point)

    @property
    def fiber_size(self) -> int:
        return int(self.sizes.max())

    @property
    def n_fibers(self) -> int:
        return len(self.sizes)

    @property
    def n_full(self) -> int:
        """How many fibers met have ``fiber_size`` points."""
        return int((self.sizes == self.fiber_size).sum())

    @property
    def n_images(self) -> int:
        """Witness points of V met on the base slice."""
        return int(self.labels.max(initial=-1)) + 1


def solve_fibers(system: SliceMap, rng, *, error: float = 1e-6, samples: int = 32,
                 max_rounds: int = 30, moves=None, show_progress=None) -> FiberWitness:
    """Preimages on the slices of the witness points of V met, until the largest fiber found
    is, heuristically, complete.

    Rounds of :meth:`Explorer.step` with every distinct point kept (one point per image sent
    along the edges when ``moves`` fill the orbits). An edge maps the fiber over one witness
    point bijectively onto the fiber over another, and an image already known at the
    destination is reached by a second route (a monodromy loop). Evidence that the largest size
    m found is the generic one: with the moves generating a group of order g that acts freely on
    generic fibers (``n_orbit`` = g), every fiber is a union of orbits of size g, so a fiber with
    m points would otherwise have at least m + g; a point arriving in a fiber that has m known
    points and gains none would, if the monodromy mixed the j + 1 orbits (j = m / g) uniformly,
    do so with probability j / (j + 1) (without moves g = 1). The product over these arrivals
    since m last grew is ``coincidence`` (a heuristic: monodromy is not uniform mixing), and the
    rounds stop once it is at most ``error``. The trace test on the pencil says whether the
    images found on its three slices are all of V's witness points (their number is then
    deg V)."""
    explorer = Explorer(system, rng, per_image=False, moves=moves)
    orbit = explorer.n_orbit
    log_bound, best, arrivals = 0.0, 0, 0
    while explorer.n_rounds < max_rounds:
        step = explorer.step(samples)
        samples = max(samples // 2, 4)
        size = max(int(s.max(initial=0)) for s in step.after)
        if size > best:
            log_bound, best, arrivals = 0.0, size, 0
        else:
            known = step.label >= 0
            node, label = step.node[known], step.label[known]
            full = np.array([step.before[j][k] == size and step.after[j][k] == size
                             for j, k in zip(node.tolist(), label.tolist())], dtype=bool)
            j = max(size // orbit, 1)
            arrivals += int(full.sum())
            log_bound += float(full.sum()) * np.log(j / (j + 1))
        if show_progress:
            show_progress(f"fiber round {explorer.n_rounds}: largest fiber {size} points, "
                          f"{arrivals} arrivals into full fibers, coincidence "
                          f"{np.exp(log_bound):.1e}")
        if arrivals and np.exp(log_bound) <= error:
            break
    base = explorer.found[0]
    sizes = np.concatenate([f.sizes for f in explorer.found])
    return FiberWitness(explorer.parameters, base.points, base.labels, sizes, explorer.n_rounds,
                        float(np.exp(log_bound)), arrivals, explorer.n_paths, explorer.n_failed,
                        explorer.trace(), orbit)
