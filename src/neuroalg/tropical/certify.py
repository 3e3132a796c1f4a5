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
