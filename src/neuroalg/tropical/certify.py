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
