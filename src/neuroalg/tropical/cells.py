"""Layerwise cell splitting: the activation regions of a ReLU network, each with an interior ball.

Every hidden neuron is affine on a cell of the previous layers, so its zero set cuts the cell
along a hyperplane. Starting from the domain (a box, or the whole space), the cells of layer l
are split neuron by neuron; a piece is kept iff it contains a ball of radius > ``rtol`` in the
normalised coordinates ``y`` (below), decided by a Chebyshev-ball LP (:mod:`._lp`). With
``method="lp"`` a split costs one LP for the side not containing the current centre; the other
side inherits the largest ball inside its part of the current ball (radius
``min(r, (r + |h|)/2)``) and gets its own LP only when that is <= ``rtol``. The leaves are the
activation regions, in a deterministic order.

The default method avoids most LPs: each piece's generators are enumerated (vertices, extreme
rays and lineality space, via Qhull on a bounded slice of its homogenisation, which also drops
redundant walls); a remaining hyperplane misses the piece when all vertices lie within ``rtol``
of one side and no ray or line crosses it (the other side could hold no ball of radius > rtol);
balls for new pieces are found among points between the centre and the vertices or along rays
and lines, with an LP only when none fits. ``method="lp"`` decides everything by LPs; both give
the same regions (tested against each other and against testing every pattern by LP).

Normalised coordinates (the scale-invariant tolerance). For a box ``[lo, hi]``,
``y = (x - centre) / half_width`` per axis, so the box is ``[-1, 1]^n0``; for the whole space
``y = x / L`` with ``L`` the largest distance from the origin of a first-layer hyperplane (1 if
all first-layer biases vanish), and inradii are capped at 1. All hyperplane rows are normalised
to unit length. Counts are therefore unchanged when the input is rescaled or when a neuron's
weights and bias are multiplied by a positive constant and its outgoing weights divided by it
(the same function): a region is counted iff its inradius exceeds ``rtol`` times the domain's
length scale. Regions thinner than
that (for instance slivers created by degenerate, nearly concurrent hyperplanes) are not counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import SpecError
from ..progress import check_progress
from ._lp import LPCounter, chebyshev
from .network import ReLUNetwork

#: default relative inradius below which a piece is not a region
RTOL = 1e-7
_REL_EPS = 1e-12


def row_norms(M: np.ndarray) -> np.ndarray:
    """Euclidean norms of the rows of ``M`` without overflow or underflow (each row is divided by
    its largest entry first: ``np.linalg.norm`` squares the entries, so rows of size 1e155 give
    inf and rows of size 1e-162 give 0)."""
    M = np.asarray(M, dtype=float)
    if M.ndim == 1:
        return row_norms(M[None, :])[0]
    big = np.abs(M).max(axis=1, initial=0.0)
    safe = np.where(big > 0, big, 1.0)
    return big * np.sqrt(((M / safe[:, None]) ** 2).sum(axis=1))


@dataclass(frozen=True)
class Domain:
    """The input domain and the normalised coordinates ``x = centre + scale * y``."""

    box: tuple | None  # ((lo_1, hi_1), ...) or None for R^n0
    centre: np.ndarray
    scale: np.ndarray  # per-axis (box half-widths) or L repeated

    @property
    def is_box(self) -> bool:
        return self.box is not None

    def describe(self) -> str:
        if self.box is None:
            return f"R^{len(self.centre)}"
        return " x ".join(f"[{lo:g}, {hi:g}]" for lo, hi in self.box)

    def to_x(self, Y):
        return self.centre + self.scale * np.asarray(Y, dtype=float)


def check_box(box, n0: int):
    """Normalise ``box``: None, ``(lo, hi)`` for every axis, or one ``(lo, hi)`` per axis."""
    if box is None:
        return None
    try:
        arr = np.asarray(box, dtype=float)
    except (TypeError, ValueError):
        raise SpecError(f"box must be (lo, hi) or one (lo, hi) per input; got {box!r}") from None
    if arr.shape == (2,):
        arr = np.tile(arr, (n0, 1))
    if arr.shape != (n0, 2):
        raise SpecError(f"box must be (lo, hi) or {n0} pairs (lo, hi), one per input; got shape "
                        f"{arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr[:, 0] >= arr[:, 1]):
        raise SpecError(f"box must have finite bounds with lo < hi on every axis; got "
                        f"{tuple(tuple(r) for r in arr.tolist())}")
    return tuple((float(a), float(b)) for a, b in arr)


def make_domain(net: ReLUNetwork, box) -> Domain:
    n0 = net.n_inputs
    box = check_box(box, n0)
    if box is not None:
        arr = np.asarray(box)
        return Domain(box, arr.mean(axis=1), (arr[:, 1] - arr[:, 0]) / 2)
    W, b = net.float_weights()[0]
    norms = row_norms(W)
    ok = norms > 0
    L = float(np.max(np.abs(b[ok]) / norms[ok])) if ok.any() else 0.0
    return Domain(None, np.zeros(n0), np.full(n0, L if L > 0 else 1.0))


@dataclass
class Cell:
    """A full-dimensional cell ``{y : G y <= e}`` with a ball ``B(y, r)`` inside it.

    ``n_domain`` first rows are the domain's walls; ``pattern`` the activation pattern of the
    neurons split so far; ``A y + c`` the input of the next layer on the cell.
    """

    G: np.ndarray
    e: np.ndarray
    y: np.ndarray
    r: float
    A: np.ndarray | None  # None for the regions of a tropical rational map (no next layer)
    c: np.ndarray | None
    pattern: list


def initial_cell(net: ReLUNetwork, dom: Domain, extra=None) -> Cell:
    """The domain as a cell; ``extra = (G, e)`` adds walls in x-coordinates (e.g. a cone)."""
    n0 = net.n_inputs
    if dom.is_box:
        G = np.vstack([np.eye(n0), -np.eye(n0)])
        e = np.ones(2 * n0)
    else:
        G, e = np.zeros((0, n0)), np.zeros(0)
    y, r = np.zeros(n0), 1.0
    if extra is not None:
        Gx, ex = (np.atleast_2d(np.asarray(extra[0], dtype=float)), np.asarray(extra[1], dtype=float))
        Gy = Gx * dom.scale                      # G x <= e  <=>  (G diag(s)) y <= e - G centre
        ey = ex - Gx @ dom.centre
        nrm = row_norms(Gy)
        G, e = np.vstack([G, Gy / nrm[:, None]]), np.concatenate([e, ey / nrm])
        r, y = chebyshev(G, e)
        if y is None or r <= 0:
            raise SpecError("the domain restricted by the extra constraints is empty")
    return Cell(G, e, y, r, np.diag(dom.scale), dom.centre.copy(), [])


def _vertices(G, e, y):
    """``(V, rows)``: vertices of the bounded cell ``{G y <= e}`` around the interior point
    ``y`` and the indices of the rows that define them (the irredundant ones), or None."""
    if G.shape[1] == 1:
        g = G[:, 0]
        with np.errstate(divide="ignore"):
            bound = np.where(g != 0, e / np.where(g != 0, g, 1.0), np.nan)
        up, lo = np.flatnonzero(g > 0), np.flatnonzero(g < 0)
        if not len(up) or not len(lo):
            return None
        i, j = lo[np.argmax(bound[lo])], up[np.argmin(bound[up])]
        return np.array([[bound[i]], [bound[j]]]), np.array(sorted({int(i), int(j)}))
    from scipy.spatial import HalfspaceIntersection, QhullError

    try:
        hs = HalfspaceIntersection(np.column_stack([G, -e]), y)
    except (QhullError, ValueError):
        return None
    rows = np.unique(np.concatenate([np.asarray(f, dtype=int) for f in hs.dual_facets]))
    return hs.intersections, rows


_RAY_TOL = 1e-12


def _generators(G, e, y):
    """V-representation of ``P = {G y <= e}`` (unit rows) around the interior point ``y``:
    ``(V, R, L, rows)`` with vertices V, extreme rays R (unit), an orthonormal basis L of the
    lineality space (columns) and the indices of the walls that define them, or None.

    P = L + P' with P' pointed; the homogenisation ``C = {(z, s) : G U z <= e s, s >= 0}`` of P'
    is a pointed cone, cut by the hyperplane ``a.w = 1`` (a = minus the sum of C's unit wall
    normals, interior to the dual cone) into a polytope whose vertices (Qhull) are the extreme
    rays of C: ``s > 0`` gives the vertex ``z / s`` of P', ``s = 0`` a ray."""
    n = len(y)
    if G.shape[0] == 0:
        return y[None, :], np.zeros((0, n)), np.eye(n), np.zeros(0, dtype=int)
    _, S, Vt = np.linalg.svd(G)
    k = int(np.sum(S > 1e-10 * S[0]))
    U, Lb = Vt[:k].T, Vt[k:].T
    m = G.shape[0]
    M = np.zeros((m + 1, k + 1))
    M[:m, :k] = G @ U
    M[:m, k] = -e
    M[m, k] = -1.0
    M /= row_norms(M)[:, None]
    a = -M.sum(axis=0)
    w0 = a / (a @ a)
    B = np.linalg.svd(a[None, :])[2][1:].T          # orthonormal basis of a^perp, (k+1, k)
    Ah, bh = M @ B, -M @ w0
    wy = np.append(U.T @ y, 1.0)
    wy = wy / (a @ wy)
    t0 = B.T @ (wy - w0)
    if k == 1:
        g = Ah[:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            bound = bh / g
        up, lo = np.flatnonzero(g > 1e-14), np.flatnonzero(g < -1e-14)
        if not len(up) or not len(lo):
            return None
        i, j = lo[np.argmax(bound[lo])], up[np.argmin(bound[up])]
        T = np.array([[bound[i]], [bound[j]]])
        used = np.array(sorted({int(i), int(j)}))
    else:
        from scipy.spatial import HalfspaceIntersection, QhullError

        try:
            hs = HalfspaceIntersection(np.column_stack([Ah, -bh]), t0)
        except (QhullError, ValueError):
            return None
        T = hs.intersections
        used = np.unique(np.concatenate([np.asarray(f, dtype=int) for f in hs.dual_facets]))
    W = w0 + T @ B.T
    sv = W[:, k]
    base = Lb @ (Lb.T @ y)
    vert = sv > 1e-11
    V = (W[vert, :k] / sv[vert, None]) @ U.T + base
    R = W[~vert, :k] @ U.T
    if len(R):
        R = R / row_norms(R)[:, None]
    if not len(V):
        return None
    return V, R, Lb, used[used < m]


def split_layer(cell: Cell, W: np.ndarray, b: np.ndarray, rtol: float, counter: LPCounter,
                mode: str = "lp", tick=None):
    """The pieces of ``cell`` cut by the neurons ``relu(W z + b)``, ``z = A y + c``.

    First the neurons whose hyperplane meets the cell are found: from the cell's vertices when
    it is bounded (a hyperplane with every vertex within ``rtol`` of one side cannot leave a
    piece of inradius > rtol on the other), otherwise by one Chebyshev LP each. Then the cell is
    split by those neurons in turn; a piece on the far side of a hyperplane is certified without
    LP when a known interior point (witness) lies there with a ball of radius > rtol, else by LP.
    """
    assert cell.A is not None and cell.c is not None  # a cell of a network
    P = W @ cell.A
    p = W @ cell.c + b
    nu = row_norms(P)
    const = (nu <= _REL_EPS * row_norms(np.abs(W) @ np.abs(cell.A))) | (nu == 0)
    signs = np.zeros(W.shape[0], dtype=bool)
    signs[const] = p[const] > _REL_EPS * (np.abs(W[const]) @ np.abs(cell.c) + np.abs(b[const]))
    idx = np.flatnonzero(~const)
    Gn, hn = P[idx] / nu[idx, None], p[idx] / nu[idx]
    G, e, y, r = cell.G, cell.e, cell.y, cell.r
    if mode != "lp":
        out = _split_bounded(cell, P, p, signs, idx, Gn, hn, rtol, counter, tick,
                             bounded=mode == "vertices")
        if out is not None:
            return out
    vert = None
    cut, witnesses = [], [y]
    if vert is not None:
        V, rows = vert
        G, e = G[rows], e[rows]           # drop redundant walls: smaller LPs below
        D = V @ Gn.T + hn
        lo, hi = D.min(axis=0), D.max(axis=0)
        signs[idx[lo >= -rtol]] = True
        signs[idx[(hi <= rtol) & (lo < -rtol)]] = False
        cut = list(np.flatnonzero((lo < -rtol) & (hi > rtol)))
        witnesses.extend(y + 0.5 * (V - y))
        witnesses.extend(y + 0.9 * (V - y))
    else:
        for q in range(len(idx)):
            h0 = float(Gn[q] @ y + hn[q])
            s0 = 1.0 if h0 >= 0 else -1.0
            t1, y1 = chebyshev(np.vstack([G, s0 * Gn[q]]), np.append(e, -s0 * hn[q]), counter=counter)
            if t1 > rtol:
                cut.append(q)
                witnesses.append(y1)
            else:
                signs[idx[q]] = s0 > 0
    pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray, float, dict]] = [(G, e, y, r, {})]
    for q in cut:
        g, h = Gn[q], hn[q]
        Wp = np.array(witnesses)
        wside = Wp @ g + h
        new = []
        for G, e, y, r, sg in pieces:
            h0 = float(g @ y + h)
            s0 = 1.0 if h0 >= 0 else -1.0
            G1 = np.vstack([G, s0 * g])
            e1 = np.append(e, -s0 * h)
            t1 = -np.inf
            far = -s0 * wside > rtol
            if far.any():
                rho = np.minimum((e[None, :] - Wp[far] @ G.T).min(axis=1, initial=1.0), -s0 * wside[far])
                best = int(np.argmax(rho))
                if rho[best] > rtol:
                    t1, y1 = float(rho[best]), Wp[far][best]
            if not t1 > rtol:
                t1, y1 = chebyshev(G1, e1, counter=counter)
                if t1 > rtol:
                    witnesses.append(y1)
            if not t1 > rtol:
                new.append((G, e, y, r, {**sg, q: s0 > 0}))
                continue
            G2 = np.vstack([G, -s0 * g])
            e2 = np.append(e, s0 * h)
            if abs(h0) >= r:      # the ball lies on the centre's side: keep it
                r2, y2 = r, y
            else:                 # largest ball inside the cap of B(y, r) on that side
                r2 = (r + abs(h0)) / 2
                y2 = y + s0 * g * ((r - abs(h0)) / 2)
            if not r2 > rtol:
                r2, y2 = chebyshev(G2, e2, counter=counter)
            if r2 > rtol:  # deterministic order: inactive piece first
                kids = [(G1, e1, y1, t1, {**sg, q: s0 < 0}), (G2, e2, y2, r2, {**sg, q: s0 > 0})]
                new.extend(kids if s0 > 0 else kids[::-1])
            else:
                new.append((G1, e1, y1, t1, {**sg, q: s0 < 0}))
        pieces = new
        if tick is not None:
            tick(len(pieces))
    out = []
    for G, e, y, r, sg in pieces:
        s = signs.copy()
        for q, v in sg.items():
            s[idx[q]] = v
        sf = s.astype(float)
        out.append(Cell(G, e, y, r, P * sf[:, None], p * sf, cell.pattern + s.tolist()))
    return out


def _ball_from_points(Wp, G, e, g, h, side, rtol):
    """Best ball ``(t, y)`` among points ``Wp`` inside ``{G y <= e}`` on ``side * (g.y + h) > 0``."""
    depth = side * (Wp @ g + h)
    ok = depth > rtol
    if not ok.any():
        return -np.inf, None
    rho = np.minimum((e[None, :] - Wp[ok] @ G.T).min(axis=1, initial=1.0), depth[ok])
    best = int(np.argmax(rho))
    return float(rho[best]), Wp[ok][best]


def _split_bounded(cell, P, p, signs, idx, Gn, hn, rtol, counter, tick=None, bounded=False):
    """Vertex-based splitting: every piece gets its generators (vertices, rays, lineality;
    :func:`_generators`), which classify all remaining hyperplanes at once. A hyperplane misses
    the piece on one side when every vertex is within ``rtol`` of it there and no ray or line
    crosses it (rays within 1e-12 of parallel count as parallel). Balls for new pieces are found
    among points between the centre and the vertices or along rays and lines, and an LP is
    solved only when none fits. Returns None if Qhull fails on the first piece."""
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray, float, dict]] = []  # (G, e, y, r, signs)
    stack: list[tuple[np.ndarray, np.ndarray, np.ndarray, float, dict, list[int]]] = [
        (cell.G, cell.e, cell.y, cell.r, {}, list(range(len(idx))))]
    first = True
    while stack:
        if tick is not None:
            tick(len(out))
        G, e, y, r, sg, rem = stack.pop()
        gens = (_vertices(G, e, y) if bounded else _generators(G, e, y)) if rem else None
        if gens is not None and bounded:  # bounded pieces: no rays, no lines
            gens = (gens[0], np.zeros((0, len(y))), np.zeros((len(y), 0)), gens[1])
        if rem and gens is None:
            if first:
                return None
            # Qhull failed on a thin piece: fall back to one LP per remaining hyperplane
            pieces = [(G, e, y, r, sg)]
            for q in rem:
                nxt = []
                for G_, e_, y_, r_, sg_ in pieces:
                    nxt.extend(_lp_split(G_, e_, y_, r_, sg_, q, Gn[q], hn[q], rtol, counter))
                pieces = nxt
            for G_, e_, y_, r_, sg_ in reversed(pieces):
                stack.append((G_, e_, y_, r_, sg_, []))
            continue
        first = False
        if not rem:
            out.append((G, e, y, r, sg))
            continue
        assert gens is not None  # rem is not empty and Qhull succeeded
        V, R, Lb, rows = gens
        G, e = G[rows], e[rows]
        Gq, hq = Gn[rem], hn[rem]
        D = V @ Gq.T + hq
        pos, neg = D.max(axis=0), -D.min(axis=0)
        if len(R):
            RD = R @ Gq.T
            pos[RD.max(axis=0) > _RAY_TOL] = np.inf
            neg[RD.min(axis=0) < -_RAY_TOL] = np.inf
        if Lb.shape[1]:
            lin = np.abs(Gq @ Lb).max(axis=1) > _RAY_TOL
            pos[lin] = neg[lin] = np.inf
        sg = dict(sg)
        cut = []
        for k, q in enumerate(rem):
            if neg[k] <= rtol:
                sg[q] = True
            elif pos[k] <= rtol:
                sg[q] = False
            else:
                cut.append(q)
        if not cut:
            out.append((G, e, y, r, sg))
            continue
        q, rest = cut[0], cut[1:]
        g, h = Gn[q], hn[q]
        dirs = np.vstack([R, Lb.T, -Lb.T])
        Wp = np.vstack([y[None, :], y + 0.5 * (V - y), y + 0.9 * (V - y)]
                       + [y + mu * dirs for mu in (0.5, 2.0, 8.0)])
        kids = []
        for side in (-1.0, 1.0):  # inactive piece first
            Gk = np.vstack([G, -side * g])      # side * (g.y + h) >= 0
            ek = np.append(e, side * h)
            t, yk = _ball_from_points(Wp, G, e, g, h, side, rtol)
            if not t > rtol:
                t, yk = chebyshev(Gk, ek, counter=counter)
            if t > rtol:
                kids.append((Gk, ek, yk, t, {**sg, q: side > 0}, rest))
        for kid in reversed(kids):
            stack.append(kid)
    res = []
    for G, e, y, r, sg in out:
        s = signs.copy()
        for q, v in sg.items():
            s[idx[q]] = v
        sf = s.astype(float)
        res.append(Cell(G, e, y, r, P * sf[:, None], p * sf, cell.pattern + s.tolist()))
    return res


def _lp_split(G, e, y, r, sg, q, g, h, rtol, counter):
    """Split one piece by one hyperplane with Chebyshev LPs (the general, unbounded case)."""
    h0 = float(g @ y + h)
    s0 = 1.0 if h0 >= 0 else -1.0
    G1, e1 = np.vstack([G, s0 * g]), np.append(e, -s0 * h)
    t1, y1 = chebyshev(G1, e1, counter=counter)
    if not t1 > rtol:
        return [(G, e, y, r, {**sg, q: s0 > 0})]
    G2, e2 = np.vstack([G, -s0 * g]), np.append(e, s0 * h)
    if abs(h0) >= r:
        r2, y2 = r, y
    else:
        r2, y2 = (r + abs(h0)) / 2, y + s0 * g * ((r - abs(h0)) / 2)
    if not r2 > rtol:
        r2, y2 = chebyshev(G2, e2, counter=counter)
    if not r2 > rtol:
        return [(G1, e1, y1, t1, {**sg, q: s0 < 0})]
    kids = [(G1, e1, y1, t1, {**sg, q: s0 < 0}), (G2, e2, y2, r2, {**sg, q: s0 > 0})]
    return kids if s0 > 0 else kids[::-1]


#: seconds a layer must run before its progress bar appears (short runs print nothing)
BAR_DELAY = 1.0


class StageBar:
    """Progress of one layer on a :func:`neuroalg.progress.progress_bar` (stderr; rate, ETA),
    opened only once the layer has run for ``BAR_DELAY`` seconds."""

    def __init__(self, enabled: bool, total: int, description: str):
        self.enabled, self.total, self.description = enabled, max(int(total), 1), description
        self.t0, self.done = time.perf_counter(), 0
        self._cm: Any = None  # the progress_bar context manager, once opened
        self._advance: Callable[[int], object] | None = None

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        done = min(int(done), self.total)
        if self._advance is None:
            if time.perf_counter() - self.t0 < BAR_DELAY:
                return
            from ..progress import progress_bar

            self._cm = progress_bar(self.total, self.description)
            self._advance, self.done = self._cm.__enter__(), 0
        if done > self.done:
            self._advance(done - self.done)
            self.done = done

    def close(self) -> None:
        if self._advance is not None:
            self._advance(self.total - self.done)
            self._cm.__exit__(None, None, None)
            self._advance = None


def activation_cells(net: ReLUNetwork, dom: Domain, *, rtol: float = RTOL, extra=None,
                     method: str = "auto", counter: LPCounter | None = None,
                     show_progress=False) -> list[Cell]:
    """All activation regions of ``net`` on ``dom`` (see the module docstring).

    ``method``: ``"auto"`` classifies hyperplanes by the pieces' generators (Qhull) and uses LPs
    only where needed; ``"lp"`` decides everything by Chebyshev LPs. Both apply the same criterion
    and give the same cells (tested). ``show_progress`` (:mod:`neuroalg.progress`): a bar per
    layer on stderr
    (cells of the previous layer split so far, rate, ETA; for a layer that splits a single cell,
    the pieces found against their upper bound ``sum_{j<=n0} C(n_l, j)`` (Zaslavsky), reached
    for generic weights on the whole space), shown once a layer has run for ``BAR_DELAY``
    seconds; a message every 2 s (layer, cell, pieces, LPs) to a callable."""
    import math

    if method not in ("auto", "lp"):
        raise SpecError(f"method must be 'auto' or 'lp'; got {method!r}")
    prog = check_progress(show_progress)
    mode = "lp" if method == "lp" else ("vertices" if dom.is_box else "generators")
    counter = counter if counter is not None else LPCounter()
    layers = net.float_weights()
    cells = [initial_cell(net, dom, extra)]
    state: dict[str, Any] = {"last": time.perf_counter(), "where": "", "cell": 0}
    bar = StageBar(False, 1, "")

    def tick(n_inner: int = 0):
        bar.update(n_inner if len(cells) == 1 else state["cell"])
        if prog.sink is not None and time.perf_counter() - state["last"] > 2.0:
            state["last"] = time.perf_counter()
            prog(f"{state['where']}, {len(nxt) + n_inner} pieces, {counter.n} LPs")

    use_tick = bool(prog)
    L = len(layers) - 1
    for l, (W, b) in enumerate(layers[:-1], start=1):
        nxt = []
        if len(cells) == 1:
            bound = sum(math.comb(W.shape[0], j) for j in range(net.n_inputs + 1))
            bar = StageBar(prog.bars, bound, f"layer {l}/{L}: pieces")
        else:
            bar = StageBar(prog.bars, len(cells), f"layer {l}/{L}: cells")
        try:
            for i, cell in enumerate(cells):
                state["where"], state["cell"] = f"layer {l}/{L}: cell {i + 1}/{len(cells)}", i
                nxt.extend(split_layer(cell, W, b, rtol, counter, mode, tick if use_tick else None))
                if len(cells) > 1:
                    bar.update(i + 1)
        finally:
            bar.close()
        cells = nxt
    return cells


def pattern_cell(net: ReLUNetwork, dom: Domain, pattern) -> tuple[np.ndarray, np.ndarray] | None:
    """The walls ``G y <= e`` (unit rows) of the closure of the region of ``pattern`` (a 0/1
    vector over the hidden neurons), or None if a neuron that is constant on the pattern's
    domain has the other sign (same rule as the splitting: active iff the constant is > 0)."""
    G0, e0 = (np.vstack([np.eye(net.n_inputs), -np.eye(net.n_inputs)]), np.ones(2 * net.n_inputs)) \
        if dom.is_box else (np.zeros((0, net.n_inputs)), np.zeros(0))
    A, c = np.diag(dom.scale), dom.centre.copy()
    rows, rhs, pos = [G0], [e0], 0
    for W, b in net.float_weights()[:-1]:
        P, p = W @ A, W @ c + b
        s = np.asarray(pattern[pos:pos + W.shape[0]], dtype=bool)
        pos += W.shape[0]
        sign = np.where(s, -1.0, 1.0)          # active: -(P y + p) <= 0 ; inactive: P y + p <= 0
        nrm = row_norms(P)
        keep = nrm > _REL_EPS * row_norms(np.abs(W) @ np.abs(A))
        const_active = p > _REL_EPS * (np.abs(W) @ np.abs(c) + np.abs(b))
        if np.any(const_active[~keep] != s[~keep]):
            return None                        # a constant neuron contradicts the pattern
        rows.append((sign[:, None] * P)[keep] / nrm[keep, None])
        rhs.append((-sign * p)[keep] / nrm[keep])
        A, c = P * s[:, None], p * s
    return np.vstack(rows), np.concatenate(rhs)


def count_by_patterns(net: ReLUNetwork, dom: Domain, *, rtol: float = RTOL,
                      counter: LPCounter | None = None, limit: int | None = None) -> int:
    """Baseline: test every activation pattern (all 2^N) by one Chebyshev LP.

    Returns the number of patterns whose region has inradius > ``rtol`` (same criterion as the
    cell splitting). ``limit`` stops after that many patterns (for timing the baseline)."""
    import itertools

    counter = counter if counter is not None else LPCounter()
    n = 0
    for i, bits in enumerate(itertools.product((0, 1), repeat=net.n_hidden)):
        if limit is not None and i >= limit:
            break
        walls = pattern_cell(net, dom, bits)
        if walls is not None:
            t, _ = chebyshev(*walls, counter=counter)
            n += t > rtol
    return n
