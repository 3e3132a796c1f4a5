"""Exact counting of the linear regions of a ReLU network (three notions), with bounds.

For ``f`` a ReLU network (:mod:`.network`) on a domain D (a box or ``R^{n_0}``):

* **activation regions**: the non-empty open sets ``{x in D : pattern(x) = s}``, ``s`` in
  ``{0,1}^N`` (convex polyhedra), found by layerwise cell splitting, deciding feasibility from
  the pieces' generators and Chebyshev-ball LPs (:mod:`.cells`; the tolerance is scale-invariant
  and documented there); optionally re-checked in exact arithmetic (:mod:`.certify`);
* **linear regions**: the connected pieces on which ``f`` is one affine map, obtained by merging
  activation regions with the same affine map across shared facets ((n_0-1)-dimensional common
  faces; regions touching along lower-dimensional faces stay apart);
* **distinct maps**: the number of different affine maps ``x -> F x + f`` taken by ``f``.

activation >= linear >= distinct. Affine maps of exact networks (integer/rational weights) are
compared exactly (Fractions); otherwise after rounding to ``MAP_RTOL`` relative to the largest
coefficient of any region's map. Facets are found by a Chebyshev LP inside each wall of a region
whose map is shared with another region, and the neighbour across a facet is the region of that
map containing a point just beyond the facet's centre.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from dataclasses import field as dc_field

import numpy as np

from .._version import __version__
from ..progress import check_progress
from ..random import check_seed
from ..results import Certainty, Result
from ._lp import LPCounter, chebyshev
from .bounds import SamplingEstimate, bounds_panel, sampling_estimate
from .cells import RTOL, Cell, activation_cells, make_domain
from .network import ReLUNetwork, load_network, normalize_neurons

MAP_RTOL = 1e-9

_BOUND_NAMES = {"2^N": "2^N", "zaslavsky": "Zaslavsky (one hidden layer)",
                "zhang_naitzat_lim": "Zhang-Naitzat-Lim 2018", "montufar": "Montufar 2017",
                "serra": "Serra-Tjandraatmadja-Ramalingam 2018",
                "serra_rank": "Serra et al. with ranks"}


@dataclass(frozen=True)
class RegionCount(Result):
    """Counts of the regions of a ReLU network on a domain (see :func:`count_regions`)."""

    network: str
    widths: tuple
    domain: str
    activation_regions: int
    linear_regions: int | None  # None: not computed (symmetry-reduced mode)
    distinct_maps: int
    bounds: dict
    sampling: SamplingEstimate | None
    rtol: float
    is_exact_arithmetic: bool
    n_lp: int
    seconds: float
    seed: int | None
    method: str = "layerwise cell splitting, HiGHS Chebyshev-ball LPs"
    #: regions certified non-empty in exact arithmetic (a proven lower bound), None if not checked
    certified_regions: int | None = None
    #: True: the count itself is proven (1-2 inputs: exact areas of the regions sum to the box's,
    #: or on the whole space their exact edges match, see :mod:`.certify`); None: not checked
    is_certified: bool | None = None
    symmetry: dict | None = None
    version: str = __version__
    notes: tuple = dc_field(default=())

    def headline(self) -> str:
        lin = "linear regions not computed" if self.linear_regions is None else \
            f"{self.linear_regions} linear regions"
        how = ("activation count certified" if self.is_certified else
               f"exact enumeration, inradius > {self.rtol:g} relative"
               + ("; the exact cover check FAILED, regions may be missing"
                  if self.is_certified is False else ""))
        return (f"{self.activation_regions} activation regions, {lin}, "
                f"{self.distinct_maps} distinct affine maps ({how})")

    def lines(self) -> list[tuple[str, str]]:
        rows = [("network", f"{self.network}  widths {','.join(map(str, self.widths))}"),
                ("domain", self.domain),
                ("method", f"{self.method}; {self.n_lp} LPs"),
                ("maps compared", "exactly (rational weights)" if self.is_exact_arithmetic
                 else f"to relative {MAP_RTOL:g}")]
        if self.is_certified:
            rows.append(("certified", "count proven in exact arithmetic (regions tile the domain)"))
        elif self.is_certified is False:
            rows.append(("certified", f"NOT proven: the regions found do not tile the domain in "
                         f"exact arithmetic (some region was missed or is thinner than rtol); "
                         f"{self.certified_regions} of {self.activation_regions} regions proven "
                         f"non-empty, a lower bound"))
        elif self.certified_regions is not None:
            rows.append(("certified", f"{self.certified_regions} of {self.activation_regions} "
                         f"regions proven non-empty in exact arithmetic (lower bound)"))
        for k, v in self.bounds.items():
            if v is not None:
                rows.append((f"bound {_BOUND_NAMES.get(k, k)}", f"{v}"))
        if self.sampling is not None:
            s = self.sampling
            axes = {tuple(b) for b in s.box}
            box = (f"[{s.box[0][0]:.3g}, {s.box[0][1]:.3g}]^{len(s.box)}" if len(axes) == 1 else
                   " x ".join(f"[{lo:.3g}, {hi:.3g}]" for lo, hi in s.box))
            rows.append(("sampling estimate", f"{s.estimate:.1f}, 95% CI [{s.low:.1f}, {s.high:.1f}] "
                         f"(Chao1, heuristic: {s.observed} patterns seen in {s.n_samples} points of "
                         f"{box}; regions outside it or too small to be hit are not seen)"))
        if self.symmetry is not None:
            sy = self.symmetry
            rows.append(("symmetry", f"{sy['group']}: {sy['cells_in_domain']} regions meet the "
                         f"fundamental domain in {sy['orbits']} orbits; weighted count "
                         f"{sy['weighted_count']}; {sy.get('merge_edges', 0)} same-map facets "
                         f"crossed between orbit representatives"))
        rows += [("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]
        rows += [("note", n) for n in self.notes]
        return rows

    title_style = "bold green"

    headline_key = "activation_regions"

    @property
    def spec(self) -> str:
        return self.network

    @property
    def status(self) -> Certainty:
        """certified when the activation count is proven (1-2 inputs, exact cover check);
        numerical otherwise (a tolerance decides which pieces are regions)."""
        return Certainty.CERTIFIED if self.is_certified else Certainty.NUMERICAL

    def payload(self) -> dict:
        return {"network": self.network, "widths": list(self.widths), "domain": self.domain,
                "activation_regions": self.activation_regions, "linear_regions": self.linear_regions,
                "distinct_maps": self.distinct_maps, "bounds": dict(self.bounds),
                "sampling": None if self.sampling is None else self.sampling.to_dict(),
                "rtol": self.rtol, "exact_arithmetic": self.is_exact_arithmetic, "n_lp": self.n_lp,
                "seconds": self.seconds, "seed": self.seed, "method": self.method,
                "certified_regions": self.certified_regions, "certified": self.is_certified,
                "symmetry": self.symmetry, "version": self.version, "notes": list(self.notes)}


#: largest sampling budget (the estimate is a heuristic; beyond this it only costs time)
MAX_SAMPLES = 10_000_000


def check_options(*, rtol: float, n_samples: int, names=("rtol", "n_samples")) -> tuple:
    """Validate the shared counting options; returns ``(rtol, n_samples)`` cleaned (SpecError
    naming the bad one as ``names``, e.g. ``("--rtol", "--samples")`` from the CLI)."""
    from ..errors import SpecError
    from ..options import check_float, check_int

    if isinstance(rtol, bool):
        raise SpecError(f"{names[0]} must be a number; got {rtol!r}")
    rtol = check_float(rtol, names[0], low=0, high=1, open_low=True, open_high=True)
    n_samples = check_int(n_samples, names[1], low=0, high=MAX_SAMPLES)
    return rtol, n_samples


def map_keys(net: ReLUNetwork, cells: list[Cell], dom) -> list:
    """Hashable keys of the affine maps (in x-coordinates) of ``f`` on each cell."""
    if net.is_exact:
        keys = []
        for c in cells:
            F, f = net.affine_map(c.pattern)
            keys.append(tuple(F.ravel()) + tuple(f))
        return keys
    WL, bL = net.float_weights()[-1]
    rows = []
    for c in cells:
        assert c.A is not None and c.c is not None  # cells of a network
        Fy = WL @ c.A
        fy = WL @ c.c + bL
        Fx = Fy / dom.scale
        rows.append(np.concatenate([Fx.ravel(), fy - Fx @ dom.centre]))
    if not rows:
        return []
    M = np.array(rows)
    scale = float(np.max(np.abs(M))) or 1.0
    Q = np.round(M / (scale * MAP_RTOL)).astype(np.int64)
    return [q.tobytes() for q in Q]


def domain_walls(net, dom, extra=None) -> np.ndarray:
    """Rows ``[g, e]`` (normalised coordinates) of the walls of the domain of :func:`initial_cell`."""
    from .cells import initial_cell

    c = initial_cell(net, dom, extra)
    return np.column_stack([c.G, c.e])


class _UnionFind:
    def __init__(self, n):
        self.p = list(range(n))

    def find(self, i):
        while self.p[i] != i:
            self.p[i] = self.p[self.p[i]]
            i = self.p[i]
        return i

    def union(self, i, j):
        a, b = self.find(i), self.find(j)
        if a != b:
            self.p[max(a, b)] = min(a, b)


def merge_linear_regions(cells: list[Cell], keys: list, domain_walls: np.ndarray, rtol: float,
                         counter: LPCounter, locate=None, show_progress=False) -> int:
    """Number of connected linear regions: cells with equal keys joined across shared facets.

    ``domain_walls`` are rows ``[g, e]`` of the domain's boundary (never shared facets);
    ``locate(y)`` optionally returns the index of the cell containing ``y`` (a fast path for the
    neighbour across a facet; otherwise the cells with the same key are scanned);
    ``show_progress``: a progress bar of the regions whose facets are checked (stderr)."""
    from .cells import StageBar

    groups: dict = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    uf = _UnionFind(len(cells))
    shared = [i for members in groups.values() if len(members) > 1 for i in members]
    bar = StageBar(check_progress(show_progress).bars, len(shared), "linear regions (merging)")
    try:
        _merge(cells, keys, groups, uf, domain_walls, rtol, counter, locate, bar)
    finally:
        bar.close()
    return len({uf.find(i) for i in range(len(cells))})


def _merge(cells, keys, groups, uf, domain_walls, rtol, counter, locate, bar) -> None:
    done = 0
    for members in groups.values():
        if len(members) < 2:
            continue
        for i in members:
            done += 1
            bar.update(done)
            c = cells[i]
            for k in range(len(c.e)):
                gk, ek = c.G[k], c.e[k]
                if len(domain_walls) and np.any(np.abs(domain_walls - np.append(gk, ek)).max(axis=1) < 1e-12):
                    continue
                dup = (np.abs(c.G - gk).max(axis=1) < 1e-12) & (np.abs(c.e - ek) < 1e-12)
                others = ~dup
                t, p = chebyshev(c.G[others], c.e[others], eq=(gk, ek), counter=counter)
                if p is None or not t > rtol:
                    continue  # not a facet
                for delta in (1e-3 * t, 1e-6 * t):
                    q = p + delta * gk
                    j = locate(q) if locate is not None else None
                    if j is not None and j != i:
                        hit = [j] if keys[j] == keys[i] else []
                    else:
                        hit = [j for j in members if j != i
                               and np.max(cells[j].G @ q - cells[j].e, initial=-1.0) < 0]
                    if hit:
                        for j in hit:
                            uf.union(i, j)
                        break


def count_regions(net, *, box=None, rtol: float = RTOL, seed=None, n_samples: int = 20000,
                  extra=None, method: str = "auto", certify: bool | None = None,
                  show_progress=False) -> RegionCount:
    """Count the activation regions, linear regions and distinct affine maps of a ReLU network.

    Parameters
    ----------
    net : ReLUNetwork, JSON path, spec ``"relu 2,6,1"``, list of (W, b), or torch nn.Sequential
    box : None (whole space), ``(lo, hi)`` for every input, or one ``(lo, hi)`` per input
    rtol : float, default 1e-7
        A piece is a region iff it contains a ball of this radius in normalised coordinates
        (:mod:`.cells`).
    seed : random seed of a spec network and of the sampling estimate (recorded)
    n_samples : points of the sampling estimate (0: none); sampled in ``box``, or for the whole
        space in ``[-4L, 4L]^n0`` with L the domain's length scale
    extra : optional walls ``(G, e)`` meaning ``G x <= e`` (used by symmetry reduction)
    method : ``"auto"`` (pieces classified by their generators, LPs where needed) or ``"lp"``
    certify : check every region's interior point in exact arithmetic (:mod:`.certify`), giving
        a proven lower bound ``certified_regions`` (and, for 1-2 inputs on a box, a proof of the
        count); default: for exact (rational) networks with at most 2000 regions
    show_progress : bool or callable(str), default False (:mod:`neuroalg.progress`)
        True: bars on stderr (rate, ETA) for the cell splitting of each layer and the merging
        of linear regions, shown once a stage has run for 1 s; a callable receives a status
        line every 2 s during the splitting.

    Examples
    --------
    >>> r = count_regions([([[1], [-1]], [0, 0]), ([[1, 1]], [0])], n_samples=0)
    >>> (r.activation_regions, r.linear_regions, r.distinct_maps)
    (2, 2, 2)
    """
    t0 = time.perf_counter()
    rtol, n_samples = check_options(rtol=rtol, n_samples=n_samples)
    recorded, rng = check_seed(seed)
    net = load_network(net, seed=rng)
    work, n_lost = normalize_neurons(net)   # same regions exactly, no float over/underflow
    dom = make_domain(work, box)
    counter = LPCounter()
    cells = activation_cells(work, dom, rtol=rtol, extra=extra, method=method, counter=counter,
                             show_progress=show_progress)
    keys = map_keys(work, cells, dom)
    index = {bytes(np.packbits(np.asarray(c.pattern, dtype=bool))): i for i, c in enumerate(cells)}

    def locate(y):
        pat = work.patterns(dom.to_x(y)[None, :])[0]
        return index.get(bytes(np.packbits(pat)))

    linear = merge_linear_regions(cells, keys, domain_walls(work, dom, extra), rtol, counter, locate,
                                  show_progress=show_progress)
    sampling = None
    if n_samples:
        sbox = dom.box if dom.is_box else tuple((-4 * s, 4 * s) for s in dom.scale)
        sampling = sampling_estimate(work, sbox, n_samples=n_samples, seed=rng)
    certified, proven = None, None
    if certify or (certify is None and net.is_exact and len(cells) <= 2000):
        from .certify import n_certified

        certified = n_certified(net, cells, dom)    # the original weights, exactly
        if net.n_inputs <= 2 and extra is None:
            from .certify import certify_box_cover, certify_plane_cover

            proven = (certify_box_cover(net, cells, dom.box) if dom.is_box
                      else certify_plane_cover(net, cells))
    how = ("layerwise cell splitting, generators by Qhull with HiGHS Chebyshev-ball LPs"
           if method == "auto" else "layerwise cell splitting, HiGHS Chebyshev-ball LPs")
    return RegionCount(str(net), net.widths, dom.describe(), len(cells), linear, len(set(keys)),
                       bounds_panel(net), sampling, rtol, net.is_exact, counter.n,
                       time.perf_counter() - t0, recorded, method=how, certified_regions=certified,
                       is_certified=proven, notes=lost_note(n_lost))


def lost_note(n_lost: int) -> tuple:
    """The note for :func:`.network.normalize_neurons` weights below the float64 normal range."""
    if not n_lost:
        return ()
    return (f"{n_lost} non-zero weight(s) are below 2^-1022 times the largest weight of their "
            f"neuron; the floating-point splitting saw them rounded (subnormal or 0)",)


@dataclass(frozen=True)
class RationalRegionCount:
    """Regions of a one-output tropical rational map ``F ⊘ G`` (see :func:`count_rational_regions`)."""

    cells: int
    linear_regions: int
    distinct_maps: int
    monomials: tuple
    domain: str
    n_lp: int

    def __str__(self) -> str:
        return (f"{self.linear_regions} linear regions, {self.distinct_maps} distinct affine maps of F ⊘ G "
                f"({self.cells} cells of the common refinement; monomials {self.monomials}; {self.domain})")

    def to_dict(self) -> dict:
        return {"cells": self.cells, "linear_regions": self.linear_regions,
                "distinct_maps": self.distinct_maps, "monomials": list(self.monomials),
                "domain": self.domain, "n_lp": self.n_lp}


def count_rational_regions(trm, *, box=None, rtol: float = RTOL) -> RationalRegionCount:
    """Linear regions and distinct maps of a one-output tropical rational map ``F ⊘ G``.

    The cells are the non-empty intersections ``P_i(F) ∩ P_j(G)`` of the regions where monomial
    i of F and monomial j of G attain the maximum (one Chebyshev LP each, same tolerance and
    normalisation as :mod:`.cells`; the whole-space length scale is the largest distance from
    the origin of a tie hyperplane ``c_i + a_i.x = c_k + a_k.x``). On a cell the map is
    ``(a_i - b_j).x + (c_i - d_j)``; cells with equal maps are merged across shared facets.

    Examples
    --------
    >>> from neuroalg.tropical.maxplus import MaxPlusPolynomial as P, TropicalRationalMap
    >>> F = P.from_terms([(0, [0]), (0, [1]), (-2, [2])])   # max(0, x, 2x - 2)
    >>> G = P.from_terms([(0, [0]), (-2, [2])])             # max(0, 2x - 2)
    >>> r = count_rational_regions(TropicalRationalMap((F,), (G,)))
    >>> r.linear_regions, r.distinct_maps
    (4, 3)
    """
    from ..errors import SpecError
    from .cells import Cell, Domain, check_box

    if trm.n_outputs != 1:
        raise SpecError(f"count_rational_regions needs one output; got {trm.n_outputs}")
    F, G = trm.numerators[0], trm.denominators[0]
    n = F.n_vars
    box = check_box(box, n)
    if box is not None:
        arr = np.asarray(box)
        centre, scale = arr.mean(axis=1), (arr[:, 1] - arr[:, 0]) / 2
    else:
        L = 0.0
        for P in (F, G):
            E, c = P.exponents.astype(float), P.coefficients.astype(float)
            for i in range(P.n_monomials):
                d = np.linalg.norm(E - E[i], axis=1)
                ok = d > 0
                if ok.any():
                    L = max(L, float(np.max(np.abs(c[ok] - c[i]) / d[ok])))
        centre, scale = np.zeros(n), np.full(n, L if L > 0 else 1.0)
    dom = Domain(box, centre, scale)

    def walls(P, i):
        E, c = P.exponents.astype(float), P.coefficients.astype(float)
        D = (E - E[i]) * scale
        r = c[i] - c - (E - E[i]) @ centre
        nrm = np.linalg.norm(D, axis=1)
        ok = nrm > 0
        return D[ok] / nrm[ok, None], r[ok] / nrm[ok]

    n_dom = 2 * n if box is not None else 0
    G0 = np.vstack([np.eye(n), -np.eye(n)]) if box is not None else np.zeros((0, n))
    e0 = np.ones(n_dom)
    dwalls = np.column_stack([G0, e0])
    counter = LPCounter()
    cells, keys = [], []
    wF = [walls(F, i) for i in range(F.n_monomials)]
    wG = [walls(G, j) for j in range(G.n_monomials)]
    for i, (GF, eF) in enumerate(wF):
        for j, (GG, eG) in enumerate(wG):
            Gm, em = np.vstack([G0, GF, GG]), np.concatenate([e0, eF, eG])
            t, y = chebyshev(Gm, em, counter=counter) if len(em) else (1.0, np.zeros(n))
            if t > rtol:
                cells.append(Cell(Gm, em, y, t, None, None, []))
                keys.append((i, j))
    maps = [np.concatenate([F.exponents[i] - G.exponents[j], [F.coefficients[i] - G.coefficients[j]]])
            for i, j in keys]
    if F.is_exact and G.is_exact:
        mkeys = [tuple(m) for m in maps]
    else:
        M = np.array(maps, dtype=float)
        s = float(np.max(np.abs(M))) or 1.0
        mkeys = [q.tobytes() for q in np.round(M / (s * MAP_RTOL)).astype(np.int64)]
    linear = merge_linear_regions(cells, mkeys, dwalls, rtol, counter)
    return RationalRegionCount(len(cells), linear, len(set(mkeys)), (F.n_monomials, G.n_monomials),
                               dom.describe(), counter.n)


def parse_box(text: str | None):
    """``"LO,HI"`` (every axis) or ``"LO1,HI1;LO2,HI2;..."`` (one pair per axis), finite with
    ``LO < HI``; SpecError naming ``--box`` otherwise."""
    import math

    from ..errors import SpecError

    if text is None:
        return None
    try:
        pairs = [tuple(float(v) for v in part.split(",")) for part in text.split(";")]
    except ValueError:
        raise SpecError(f"bad --box '{text}': expected LO,HI or LO1,HI1;LO2,HI2;... with numbers") from None
    if any(len(p) != 2 for p in pairs):
        raise SpecError(f"bad --box '{text}': each axis needs exactly two numbers LO,HI")
    for k, (lo, hi) in enumerate(pairs, start=1):
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            axis = f"axis {k}" if len(pairs) > 1 else "the interval"
            raise SpecError(f"bad --box '{text}': {axis} must have finite bounds with LO < HI; "
                            f"got LO = {lo!r}, HI = {hi!r}")
    return pairs[0] if len(pairs) == 1 else pairs
