"""Exact certificates that activation regions are non-empty (a rigorous lower bound).

Every float64 is a rational number, so a network's weights can be read exactly as Fractions. For
a region found by cell splitting, its interior point x (rounded to a float, hence rational) is
checked in exact arithmetic: along the layers the pre-activation of every neuron is an affine
function ``M_j x + m_j`` (exact), and the pattern holds at x strictly — ``> 0`` for active
neurons, ``< 0`` for inactive ones, or the function is identically ``<= 0`` (a constant dead
neuron). Then the pattern holds on a neighbourhood of x, so the region is a non-empty open set;
distinct patterns are distinct regions, so the number of certified regions is a proven lower
bound on the number of activation regions (no floating-point tolerance involved).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np


def _exact_layers(net):
    return [([[Fraction(v) for v in row] for row in np.asarray(W).tolist()],
             [Fraction(v) for v in np.asarray(b).tolist()])
            for W, b in zip(net.weights, net.biases)]


def certify_pattern(layers, pattern, x) -> bool:
    """Whether ``pattern`` holds strictly around the rational point ``x`` (see module docstring)."""
    n0 = len(x)
    xs = [Fraction(v) for v in x]
    M = [[Fraction(int(i == j)) for j in range(n0)] for i in range(n0)]
    m = [Fraction(0)] * n0
    pos = 0
    for W, b in layers[:-1]:
        newM, newm = [], []
        for j, (row, bj) in enumerate(zip(W, b)):
            Mj = [sum(row[k] * M[k][i] for k in range(len(row))) for i in range(n0)]
            mj = sum(row[k] * m[k] for k in range(len(row))) + bj
            val = sum(a * xi for a, xi in zip(Mj, xs)) + mj
            active = bool(pattern[pos + j])
            if active:
                if not val > 0:
                    return False
                newM.append(Mj)
                newm.append(mj)
            else:
                if not (val < 0 or (all(a == 0 for a in Mj) and mj <= 0)):
                    return False
                newM.append([Fraction(0)] * n0)
                newm.append(Fraction(0))
        pos += len(W)
        M, m = newM, newm
    return True


def n_certified(net, cells, dom) -> int:
    """Number of cells whose pattern is certified at its centre in exact arithmetic."""
    layers = _exact_layers(net)
    pts = dom.to_x(np.array([c.y for c in cells])) if cells else []
    return sum(certify_pattern(layers, c.pattern, x) for c, x in zip(cells, pts))


def _region_halfplanes(layers, pattern, n0):
    """Exact constraints ``a.x + c >= 0`` of the closure of the region of ``pattern``."""
    M = [[Fraction(int(i == j)) for j in range(n0)] for i in range(n0)]
    m = [Fraction(0)] * n0
    cons, pos = [], 0
    for W, b in layers[:-1]:
        newM, newm = [], []
        for j, (row, bj) in enumerate(zip(W, b)):
            Mj = [sum(row[k] * M[k][i] for k in range(len(row))) for i in range(n0)]
            mj = sum(row[k] * m[k] for k in range(len(row))) + bj
            sign = 1 if pattern[pos + j] else -1
            cons.append(([sign * a for a in Mj], sign * mj))
            newM.append(Mj if sign > 0 else [Fraction(0)] * n0)
            newm.append(mj if sign > 0 else Fraction(0))
        pos += len(W)
        M, m = newM, newm
    return cons


def _clip(poly, a, c):
    """Convex polygon (list of exact vertices, 1-D: interval endpoints) ∩ ``{a.x + c >= 0}``."""
    val = [sum(ai * xi for ai, xi in zip(a, p)) + c for p in poly]
    out = []
    k = len(poly)
    if k == 0:
        return []
    if len(poly[0]) == 1:  # interval [lo, hi]
        lo, hi = poly[0][0], poly[-1][0]
        if a[0] == 0:
            return poly if c >= 0 else []
        root = -c / a[0]
        lo, hi = (max(lo, root), hi) if a[0] > 0 else (lo, min(hi, root))
        return [(lo,), (hi,)] if lo < hi else []
    for i in range(k):
        p, q, vp, vq = poly[i], poly[(i + 1) % k], val[i], val[(i + 1) % k]
        if vp >= 0:
            out.append(p)
        if (vp > 0 > vq) or (vp < 0 < vq):
            t = vp / (vp - vq)
            out.append(tuple(pi + t * (qi - pi) for pi, qi in zip(p, q)))
    return out


def _measure(poly) -> Fraction:
    if not poly:
        return Fraction(0)
    if len(poly[0]) == 1:
        return poly[-1][0] - poly[0][0]
    s = Fraction(0)
    for i in range(len(poly)):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % len(poly)]
        s += x1 * y2 - x2 * y1
    return abs(s) / 2


def certify_box_cover(net, cells, box) -> bool:
    """For 1 or 2 inputs on a box: every region has positive exact length/area and these sum
    exactly to the box's, so the regions found are all the regions (a full certificate).

    Each region's closure is computed exactly (Fractions) by clipping the box with the
    half-planes of its pattern. Positive area proves the region non-empty; if the areas of
    regions with distinct patterns (disjoint open sets) add up to the area of the box, their
    closures cover it, and any further region would be an open set inside that finite union of
    closures, hence would meet one of the regions — impossible, as patterns differ. A region
    missed (e.g. thinner than the tolerance) makes the sum fall short and the check fail."""
    n0 = net.n_inputs
    if n0 > 2 or box is None:
        return False
    layers = _exact_layers(net)
    B = [(Fraction(lo), Fraction(hi)) for lo, hi in box]
    start: list[tuple[Fraction, ...]]  # the box's vertices
    if n0 == 1:
        start = [(B[0][0],), (B[0][1],)]
    else:
        (x0, x1), (y0, y1) = B
        start = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    total = _measure(start)
    acc = Fraction(0)
    for c in cells:
        poly = start
        for a, cc in _region_halfplanes(layers, c.pattern, n0):
            if any(v != 0 for v in a):
                poly = _clip(poly, a, cc)
            elif cc < 0:
                poly = []
            if not poly:
                return False
        area = _measure(poly)
        if area <= 0:
            return False
        acc += area
    return acc == total


def _line_key(a, c):
    """Normalised exact key of the line ``a.x + c = 0`` and the factor applied (sign included)."""
    lead = a[0] if a[0] != 0 else a[1]
    f = 1 / lead
    return (a[0] * f, a[1] * f, c * f), f


def certify_plane_cover(net, cells) -> bool:
    """For 1 or 2 inputs on the whole space: prove that the regions found are all the regions.

    1 input: the exact intervals of the regions tile the line. 2 inputs: every region's closure
    is computed exactly by clipping a square ``[-K, K]^2`` (K above the distance of every wall
    line from the origin) with the half-planes of its pattern. Every edge reaching the square
    is checked to continue to infinity (no wall of its region cuts its line beyond the square),
    so no vertex lies outside; then every edge, on its wall line, must be covered exactly by
    edges of regions on the other side of that line (edges on the square exempt). Edges beyond
    the square are matched rays and lines, so the union of the closures has no boundary: it is
    the whole plane; with positive areas and distinct patterns (disjoint open regions), no
    further region can exist.
    """
    n0 = net.n_inputs
    if n0 > 2 or not cells:
        return False
    layers = _exact_layers(net)
    walls = []
    for c in cells:
        hp = []
        for a, cc in _region_halfplanes(layers, c.pattern, n0):
            if all(v == 0 for v in a):
                if cc < 0:
                    return False
                continue
            hp.append((a, cc))
        walls.append(hp)
    if n0 == 1:
        iv = []
        for hp in walls:
            lo, hi = None, None  # None = infinite
            for (a,), cc in hp:
                r = -cc / a
                if a > 0:
                    lo = r if lo is None else max(lo, r)
                else:
                    hi = r if hi is None else min(hi, r)
            if lo is not None and hi is not None and not lo < hi:
                return False
            iv.append((lo, hi))
        iv.sort(key=lambda t: (t[0] is not None, t[0] if t[0] is not None else 0))
        if iv[0][0] is not None or iv[-1][1] is not None:
            return False
        return all(iv[k][1] is not None and iv[k][1] == iv[k + 1][0] for k in range(len(iv) - 1))
    # --- two inputs: the square
    bound = Fraction(1)
    for hp in walls:
        for a, cc in hp:
            bound = max(bound, abs(cc) / (abs(a[0]) + abs(a[1])))
    if len({tuple(c.pattern) for c in cells}) != len(cells):
        return False
    K = Fraction(int(4 * bound + 4))  # every wall line crosses the open square
    for _ in range(40):
        verdict = _plane_edges_match(cells, walls, K)
        if verdict is not None:
            return verdict
        K *= 16  # a vertex lies outside the square: enlarge it
    return False


def _plane_edges_match(cells, walls, K):
    """True/False, or None if some region has a vertex outside ``[-K, K]^2``."""
    sides: dict = {}
    for c, hp in zip(cells, walls):
        poly = [(-K, -K), (K, -K), (K, K), (-K, K)]
        for a, cc in hp:
            poly = _clip(poly, a, cc)
            if not poly:
                return False
        if _measure(poly) <= 0:
            return False
        for k in range(len(poly)):
            p, q = poly[k], poly[(k + 1) % len(poly)]
            on = [(a, cc) for a, cc in hp
                  if a[0] * p[0] + a[1] * p[1] + cc == 0 and a[0] * q[0] + a[1] * q[1] + cc == 0]
            box_edge = (p[0] == q[0] and abs(p[0]) == K) or (p[1] == q[1] and abs(p[1]) == K)
            if box_edge:
                continue
            if not on:
                return False
            for v, w in ((p, q), (q, p)):
                # an edge reaching the square must go on to infinity: beyond v (direction
                # v - w) no wall of the region may cut its line, else a vertex lies outside
                if abs(v[0]) == K or abs(v[1]) == K:
                    u = (v[0] - w[0], v[1] - w[1])
                    if any(a2[0] * u[0] + a2[1] * u[1] < 0 for a2, _ in hp):
                        return None
            a, cc = on[0]
            key, f = _line_key(a, cc)
            side = 1 if f > 0 else -1  # region lies where key.x >= 0 (side 1) or <= 0 (side -1)
            d = (-key[1], key[0])
            t0, t1 = sorted((d[0] * p[0] + d[1] * p[1], d[0] * q[0] + d[1] * q[1]))
            sides.setdefault(key, {1: [], -1: []})[side].append((t0, t1))
    return all(_union(s[1]) == _union(s[-1]) for s in sides.values())


def _union(intervals):
    out: list[tuple[Fraction, Fraction]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
