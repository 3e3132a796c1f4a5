"""Symmetry-reduced region counting for networks invariant under permutations of the inputs.

If ``f(P x) = f(x)`` for every permutation matrix P and the permutations act on the activation
regions (``P R`` is again a region, as when permuting inputs permutes neurons, e.g. DeepSets
``f(x) = sum_i ReLU(((lambda I + gamma 1 1^T) x)_i)``), then with the fundamental domain
``D = {x_1 >= x_2 >= ... >= x_n}`` [LWCBM24]:

``#regions = sum_{R meets int D} |O(R)| / |O(R) ∩ {regions meeting int D}|``,

where ``O(R)`` is the orbit of R. Only the regions meeting D are enumerated (cell splitting
started from the cone D). Orbits are computed exactly, without any floating-point deduplication
of gradients: the region ``P R`` is identified by the activation pattern at ``P c`` for an
interior point c of R with a ball of radius > rtol around it (P is an isometry, so ``P c`` is
interior to ``P R``). The distinct affine maps are ``{(F P^{-1}, f)}`` over the regions of D and
all permutations, compared as in :mod:`.regions`. Linear regions (merging across facets, which
also cross the walls of D) are not computed in this mode.

References
----------
[LWCBM24] P. Lezeau, T. Walker, Y. Cao, S. Bhatia, A. Monod, Tropical expressivity of neural
          networks, arXiv:2405.20174.
"""

from __future__ import annotations

import itertools
import math
import time
from fractions import Fraction

import numpy as np

from ._lp import LPCounter
from .bounds import bounds_panel, sampling_estimate
from .cells import RTOL, activation_cells, make_domain
from .network import ReLUNetwork, load_network
from .regions import MAP_RTOL, RegionCount, check_options
from ..errors import SpecError
from ..random import check_seed


def is_permutation_invariant(net: ReLUNetwork, *, seed=0, rtol: float = 1e-9) -> bool:
    """Numerical check of ``f(P x) = f(x)`` for a transposition and an n-cycle (they generate S_n)
    at 64 random points."""
    _, rng = check_seed(seed)
    n = net.n_inputs
    X = rng.standard_normal((64, n)) * 3
    fx = net(X)
    scale = 1.0 + float(np.abs(fx).max())
    gens = [[1, 0] + list(range(2, n)), list(range(1, n)) + [0]] if n > 1 else []
    return all(np.abs(net(X[:, g]) - fx).max() <= rtol * scale for g in gens)


def count_regions_symmetric(net, *, box=None, rtol: float = RTOL, seed=None, n_samples: int = 20000,
                            max_inputs: int = 8, progress=None) -> RegionCount:
    """Activation regions and distinct maps of a permutation-invariant network, counted on the
    fundamental domain ``x_1 >= ... >= x_n`` and weighted by orbit sizes (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> W = np.eye(3) - 0.3 * np.ones((3, 3))           # DeepSets, lambda = 1, gamma = -0.3
    >>> r = count_regions_symmetric([(W, np.zeros(3)), (np.ones((1, 3)), [0])], n_samples=0)
    >>> r.activation_regions, r.symmetry["cells_in_domain"]
    (8, 4)
    """
    t0 = time.perf_counter()
    check_options(rtol=rtol, n_samples=n_samples)
    recorded, rng = check_seed(seed)
    net = load_network(net, seed=rng)
    n = net.n_inputs
    if n > max_inputs:
        raise SpecError(f"symmetry reduction enumerates all n! permutations; n = {n} inputs exceeds "
                        f"max_inputs = {max_inputs}")
    if not is_permutation_invariant(net):
        raise SpecError("the network is not invariant under permutations of its inputs "
                        "(f(Px) != f(x)); count without --symmetric")
    dom = make_domain(net, box)
    if dom.is_box and len({b for b in dom.box}) != 1:
        raise SpecError("a box for symmetry reduction must be the same interval on every axis")
    walls = (np.array([np.eye(n)[i + 1] - np.eye(n)[i] for i in range(n - 1)]).reshape(-1, n),
             np.zeros(n - 1))
    counter = LPCounter()
    cells = activation_cells(net, dom, rtol=rtol, extra=walls if n > 1 else None, counter=counter,
                             progress=progress)
    perms = np.array(list(itertools.permutations(range(n))))
    centres = dom.to_x(np.array([c.y for c in cells]))
    in_domain = {p.tobytes() for p in np.packbits(net.patterns(centres), axis=1)}
    total = Fraction(0)
    orbits: set = set()
    for x in centres:
        pats = np.packbits(net.patterns(x[perms]), axis=1)
        orbit = frozenset(p.tobytes() for p in pats)
        orbits.add(orbit)
        total += Fraction(len(orbit), len(orbit & in_domain))
    notes = []
    if total.denominator != 1:
        notes.append(f"weighted sum {total} is not an integer: the permutations do not act on the "
                     f"activation regions, so the reduced count is not valid")
    maps = _orbit_map_keys(net, cells, dom, perms)
    sampling = None
    if n_samples:
        sbox = dom.box if dom.is_box else tuple((-4 * s, 4 * s) for s in dom.scale)
        sampling = sampling_estimate(net, sbox, n_samples=n_samples, seed=rng)
    sym = {"group": f"S_{n}", "n_permutations": math.factorial(n), "cells_in_domain": len(cells),
           "orbits": len(orbits), "weighted_count": str(total), "is_integral": total.denominator == 1}
    return RegionCount(str(net), net.widths, dom.describe() + ", symmetry-reduced to x1>=...>=xn",
                       int(round(total)), None, maps, bounds_panel(net), sampling, rtol,
                       net.is_exact, counter.n, time.perf_counter() - t0, recorded,
                       method="cell splitting on the fundamental domain, orbits by activation patterns",
                       symmetry=sym, notes=tuple(notes + ["linear regions are not computed in the "
                                                          "symmetry-reduced mode"]))


def _orbit_map_keys(net, cells, dom, perms) -> int:
    """Number of distinct maps ``x -> F P^{-1} x + f`` over the cells of D and permutations P."""
    keys = set()
    if net.is_exact:
        for c in cells:
            F, f = net.affine_map(c.pattern)
            for p in perms:
                keys.add(tuple(F[:, np.argsort(p)].ravel()) + tuple(f))
        return len(keys)
    WL, bL = net.float_weights()[-1]
    rows = []
    for c in cells:
        Fx = (WL @ c.A) / dom.scale
        f = WL @ c.c + bL - Fx @ dom.centre
        for p in perms:
            rows.append(np.concatenate([Fx[:, np.argsort(p)].ravel(), f]))
    if not rows:
        return 0
    M = np.array(rows)
    s = float(np.max(np.abs(M))) or 1.0
    return len({q.tobytes() for q in np.round(M / (s * MAP_RTOL)).astype(np.int64)})
