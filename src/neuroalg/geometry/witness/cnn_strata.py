"""Subnetwork strata of polynomial CNNs: zero-padded filters, the branches through them, and the
type of the singularity (Razor's Edge, the CNN part).

Conventions are those of :class:`neuroalg.arch.CNN`: layer l reads z_i = sum_j w_l[j] h_{i s_l + j}
(one channel, no padding, no biases), S_l = s_1 ... s_{l-1} (S_1 = 1) is the input distance of
one step in layer l - 1, and the activation sigma is a nonlinear polynomial.

**Padding.** Write filter l as w_l = (0^{a_l}, v_l, 0^{b_l}) with a core v_l of length c_l whose
end entries are nonzero. Index i of layer l of the *core network* (filters v_l, same strides)
sits at index i + o_l of the padded network, with o_L = 0 and o_{l-1} = s_l o_l + a_l (unfold
z_{i+o_l} = sum_j v_l[j] sigma(h_{(i+o_l) s_l + a_l + j})). So the padded network computes the
core network on the input window starting at the offset

    o = o_0 = sum_l a_l S_l,

and the image of the padding pattern depends only on (c, o): the function-space stratum
M_{c,o}. Every *placement* a' with 0 <= a'_l <= k_l - c_l and sum_l a'_l S_l = o gives the
same functions (same core, zeros redistributed): shifting t leading zeros of filter l into
filter l + 1 needs s_l | t, the integrality condition (the recursion
t~_i = t_i + t~_{i-1}/s_{i-1} of [SMK25]). A generic point of M_{c,o} depends on exactly the
input window [o, o + e_0) (its first and last input appear in the top-degree monomials with
the product of the core's end entries), which fixes o and e_0.

**Criterion** ([SMK25], Theorem 4.6, as formulated here): for a nonlinear activation the
parameterization is regular away from Phi^{-1}(0) (Theorem 4.4; rescalings aside for
monomials) and a generic point f of M_{c,o} is singular on the neurovariety V iff it has at
least two placements. Each placement is then a smooth branch of V through f (an immersion of
full rank dim V), and the tangent cone of V at f is the union of the branch tangent spaces: a
node-type singularity (an ordinary multiple point with n branches), not a cusp (a rank drop of
dPhi, the MLP case).

**What is computed** for each stratum, at a random core z over GF(p) (each statement is an
open condition in z, so it holds on a dense open subset of the stratum):

- the placements, and exactly that they give the same map: the coordinates Phi(theta_a(z))
  are equal *as polynomials in z* for every placement a (substitution into
  :func:`neuroalg.polymap.expand`);
- ``dimension``: rank of dPhi restricted to the stratum (the core directions);
- ``branch_ranks``: rank of dPhi at each placement (dim V = an immersion);
- ``tangent_union_rank``: rank of all branch tangent images together, a lower bound on the
  Zariski tangent space of V at f (ranks mod p are lower bounds of ranks over Q). Above dim V,
  f is a singular point: **proven**. With one placement and full rank, f is smooth by the
  criterion (the fiber is that one placement): stated as the paper's theorem, not proven here;
  :func:`zariski_tangent_bound` proves it independently when defining equations of V are at
  hand (the Jacobian criterion: their Jacobian at f has rank codim V);
- critical exposure (numerical), as for MLP strata (:func:`neuroalg.geometry.witness.singular`).

References
----------
[SMK25] Shahverdi, Marchetti, Kohn (2025), Learning on a Razor's Edge: Identifiability and
Singularity of Polynomial Neural Networks, arXiv:2505.11846 (Theorems 4.4, 4.6).
[SMK24] Shahverdi, Marchetti, Kohn (2025), On the Geometry and Optimization of Polynomial
Convolutional Networks, AISTATS, arXiv:2410.00722.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from math import prod

import numpy as np

from ...arch import CNN
from ...errors import SpecError
from ...fields import GF
from ...linalg import random_prime, rank_mod
from ...polymap import expand
from ...progress import check_progress
from ...random import check_seed, child_seed
from ...results import Certainty, Result
from ...spec import parse_spec
from ..dimension.dimension import dimension
from ..jacobian import sketched_jacobian
from .systems import image_system

_REFERENCE = "Shahverdi, Marchetti, Kohn (2025), arXiv:2505.11846, Theorem 4.6"


# --- combinatorics of zero padding ------------------------------------------------------------
def stride_products(arch: CNN) -> tuple[int, ...]:
    """S_l = s_1 ... s_{l-1} for l = 1..L: the input distance of one step in layer l - 1."""
    return tuple(prod(arch.strides[:l]) for l in range(len(arch.filters)))


def offset(arch: CNN, lead) -> int:
    """The input offset o = sum_l a_l S_l of leading zeros a = ``lead`` (module docstring)."""
    return sum(a * s for a, s in zip(lead, stride_products(arch)))


def placements(arch: CNN, core, at: int) -> tuple[tuple[int, ...], ...]:
    """All leading-zero counts a with 0 <= a_l <= k_l - c_l and offset(a) = ``at``: the
    parameter points (one per placement, rescalings aside) of one function of M_{core, at}."""
    ranges = [range(k - c + 1) for k, c in zip(arch.filters, core)]
    return tuple(a for a in product(*ranges) if offset(arch, a) == at)


def padding(arch: CNN, theta, *, rtol: float = 1e-4) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Leading and trailing zero counts of every filter of ``theta`` (entries up to ``rtol``
    times the largest parameter count as zero; an all-zero filter counts as leading zeros)."""
    theta = np.abs(np.asarray(theta, dtype=float))
    tol = rtol * max(float(np.max(theta)), 1e-300)
    lead, trail = [], []
    for w, _ in arch.layer_slices():
        nz = np.flatnonzero(theta[w] > tol)
        k = w.stop - w.start
        lead.append(int(nz[0]) if len(nz) else k)
        trail.append(int(k - 1 - nz[-1]) if len(nz) else 0)
    return tuple(lead), tuple(trail)


def n_branches(arch: CNN, lead, trail) -> int:
    """How many placements the padding (``lead``, ``trail``) has: 0 for a zero filter (Phi = 0),
    1 on a smooth stratum, >= 2 on a singular one (the criterion; module docstring)."""
    core = tuple(k - a - b for k, a, b in zip(arch.filters, lead, trail))
    if min(core) < 1:
        return 0
    return len(placements(arch, core, offset(arch, lead)))


def padded_strata(arch: CNN) -> list[tuple[tuple[int, ...], int, tuple[tuple[int, ...], ...]]]:
    """Every proper stratum (core c != k, offset o, its placements), largest cores first."""
    cores = [c for c in product(*[range(1, k + 1) for k in arch.filters]) if c != arch.filters]
    out = []
    for c in sorted(cores, key=lambda c: (-sum(c), c)):
        groups: dict[int, list[tuple[int, ...]]] = {}
        for a in product(*[range(k - ci + 1) for k, ci in zip(arch.filters, c)]):
            groups.setdefault(offset(arch, a), []).append(a)
        out += [(c, o, tuple(groups[o])) for o in sorted(groups)]
    return out


def pattern(arch: CNN, core, lead) -> str:
    """Filters as strings, '0' a forced zero and '*' a core entry: ``[0*, *0]``."""
    return "[" + ", ".join("0" * a + "*" * c + "0" * (k - a - c)
                           for k, c, a in zip(arch.filters, core, lead)) + "]"


# --- the result ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PaddedStratum:
    """One function-space stratum M_{c,o} of a CNN (module docstring).

    ``is_singular``: True proven (tangent images over the placements span more than dim V),
    False smooth by the criterion of [SMK25, Thm 4.6] (one placement, dPhi of full rank there),
    None undecided. ``kind``: "smooth", "node (n branches)" or "cusp-type (rank drop)".
    ``zariski_upper``: a proven upper bound on the Zariski tangent space from defining
    equations (:func:`zariski_tangent_bound`), or None."""

    name: str
    core: tuple[int, ...]
    offset: int
    placements: tuple[tuple[int, ...], ...]
    identity_verified: bool
    dimension: int
    branch_ranks: tuple[int, ...]
    tangent_union_rank: int
    is_singular: bool | None
    kind: str
    exposure_rank: int
    exposure_gap: float
    is_exposed: bool
    zariski_upper: int | None = None

    @property
    def n_branches(self) -> int:
        return len(self.placements)

    @property
    def is_certified(self) -> bool:
        """The verdict is proven by this computation (not only by the cited theorem)."""
        if self.is_singular:
            return True
        return self.is_singular is False and self.zariski_upper is not None \
            and self.zariski_upper == self.tangent_union_rank

    def to_dict(self) -> dict:
        return {"name": self.name, "core": list(self.core), "offset": self.offset,
                "placements": [list(a) for a in self.placements], "n_branches": self.n_branches,
                "identity_verified": self.identity_verified, "dimension": self.dimension,
                "branch_ranks": list(self.branch_ranks),
                "tangent_union_rank": self.tangent_union_rank, "singular": self.is_singular,
                "kind": self.kind, "certified": self.is_certified,
                "zariski_upper": self.zariski_upper, "exposure_rank": self.exposure_rank,
                "exposure_gap": self.exposure_gap, "critically_exposed": self.is_exposed}


@dataclass(frozen=True)
class CNNSingularResult(Result):
    """Padded-filter strata of a polynomial CNN with their singularity verdicts."""

    spec: str
    dimension: int
    ambient: int
    strata: tuple[PaddedStratum, ...]
    n_skipped: int
    primes: tuple[int, ...]
    seed: int
    seconds: float
    child_seeds: dict = field(default_factory=dict)

    headline_key = "n_singular"
    method_name = ("zero placements (exact), tangent images over them (ranks mod p), criterion of "
                   "[SMK25, Thm 4.6]; exposure by numerical rank")

    @property
    def n_singular(self) -> int:
        return sum(bool(s.is_singular) for s in self.strata)

    def headline(self) -> str:
        n_smooth = sum(s.is_singular is False for s in self.strata)
        n_exp = sum(s.is_exposed for s in self.strata)
        return (f"{len(self.strata)} padded-filter strata: {self.n_singular} singular (nodes, "
                f"proven), {n_smooth} smooth (criterion), {n_exp} critically exposed (numerical)")

    def lines(self) -> list[tuple[str, str]]:
        out = [("architecture", self.spec),
               ("dimension", f"{self.dimension} (in {self.ambient} coordinates)")]
        for s in self.strata:
            others = " = ".join(pattern_of(self, s, a) for a in s.placements[1:])
            if s.is_singular:
                verdict = (f"{s.kind}: singular (proven: tangent images span "
                           f"{s.tangent_union_rank} > {self.dimension})")
            elif s.is_singular is False:
                verdict = (f"smooth (certified: Zariski tangent space <= {s.zariski_upper})"
                           if s.is_certified else "smooth by the criterion")
            else:
                verdict = "undecided"
            out.append((s.name, f"dim {s.dimension}, {s.n_branches} branch"
                                f"{'es' if s.n_branches != 1 else ''}"
                                + (f" (= {others})" if others else "")
                                + f", Jacobian rank {', '.join(map(str, s.branch_ranks))}; "
                                f"{verdict}; {'critically exposed' if s.is_exposed else 'not critically exposed'}"
                                f" (incidence rank {s.exposure_rank} of {self.ambient}, "
                                f"gap {s.exposure_gap:.1e})"))
        if self.n_skipped:
            out.append(("not examined", f"{self.n_skipped} smaller smooth strata (max_strata)"))
        if any(s.is_singular is False and not s.is_certified for s in self.strata):
            out.append(("criterion", f"{_REFERENCE}: one placement and full Jacobian rank = "
                                     "smooth (stated for generic polynomial activations; not "
                                     "proven here)"))
        out += [("primes", ", ".join(map(str, self.primes))), ("seed", str(self.seed)),
                ("time", f"{self.seconds:.2f} s")]
        return out

    @property
    def status(self) -> Certainty:
        """certified when every verdict is proven by this computation (singular: tangent
        images; smooth: :func:`zariski_tangent_bound`); undecided when some smooth verdict
        rests on the cited criterion alone."""
        return (Certainty.CERTIFIED if all(s.is_certified for s in self.strata)
                else Certainty.UNDECIDED)

    def payload(self) -> dict:
        return {"spec": self.spec, "dimension": self.dimension, "ambient": self.ambient,
                "n_singular": self.n_singular, "strata": [s.to_dict() for s in self.strata],
                "n_skipped": self.n_skipped,
                "evidence": ("singular: proven (tangent images mod p over exactly verified "
                             f"placements); smooth: {_REFERENCE} unless certified"),
                "primes": list(self.primes), "seed": self.seed,
                "child_seeds": dict(self.child_seeds), "seconds": round(self.seconds, 4)}


def pattern_of(res: CNNSingularResult, s: PaddedStratum, lead) -> str:
    arch = parse_spec(res.spec)
    assert isinstance(arch, CNN)
    return pattern(arch, s.core, lead)


# --- computation ---------------------------------------------------------------------------
def _core_columns(arch: CNN, core, lead) -> list[int]:
    """Indices in theta of the core entries of placement ``lead``, in core order."""
    return [w.start + a + j for (w, _), c, a in zip(arch.layer_slices(), core, lead)
            for j in range(c)]


def _substituted(phi, columns: list[int]) -> tuple[dict, ...]:
    """Phi(theta) with theta[columns[i]] = z_i and every other parameter 0, as polynomials in z."""
    where = {k: i for i, k in enumerate(columns)}
    out = []
    for poly in phi.polys:
        acc: dict[tuple[int, ...], Fraction] = {}
        for a, c in poly.items():
            if any(e and k not in where for k, e in enumerate(a)):
                continue
            z = [0] * len(columns)
            for k, e in enumerate(a):
                if e:
                    z[where[k]] += e
            acc[tuple(z)] = acc.get(tuple(z), Fraction(0)) + c
        out.append({k: v for k, v in acc.items() if v})
    return tuple(out)


def cnn_singular(arch, *, seed=None, show_progress=False, max_strata: int = 60,
                 generators=()) -> CNNSingularResult:
    """Padded-filter strata of the neurovariety of a polynomial CNN and their singularity type.

    Every proper stratum M_{c,o} (core filter lengths c, input offset o; module docstring) is
    listed with its placements; singular verdicts are proven by tangent images over the
    placements, smooth verdicts follow the criterion of [SMK25, Thm 4.6] and are certified
    when ``generators`` (equations of V, verified; e.g. :func:`neuroalg.equations`) give a
    Zariski tangent space of dimension dim V (:func:`zariski_tangent_bound`).

    Parameters
    ----------
    arch : str or CNN
        A CNN with a nonlinear polynomial activation.
    seed : int, numpy.random.Generator or None, default=None
    show_progress : bool or callable(str), default=False
    max_strata : int, default=60
        Examine at most this many strata: all singular ones and the largest smooth ones first.
    generators : sequence of str, default=()
        Polynomials in the coordinates y0, y1, ... of :func:`neuroalg.polymap.expand` that
        vanish on V (verified), for the Jacobian criterion.

    Returns
    -------
    CNNSingularResult
        The strata with their verdicts, ``n_singular`` (nodes, proven) and ``status``:
        ``"certified"`` when every verdict is proven here (smooth ones need ``generators``),
        else ``"undecided"``.

    Examples
    --------
    >>> res = cnn_singular("cnn k=2,2 x^2", seed=0)
    >>> [(s.name, s.kind) for s in res.strata if s.is_singular]
    [('[*0, 0*]', 'node (2 branches)')]
    """
    show_progress = check_progress(show_progress)
    clock = time.perf_counter()
    seed, rng = check_seed(seed)
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    if not isinstance(arch, CNN) or arch.activation.is_linear:
        raise SpecError("padded-filter strata need a CNN with a nonlinear polynomial activation "
                        "(e.g. 'cnn k=2,2 x^2'); linear CNNs (LCNs) are not covered")
    from .singular import _exposure

    dim_seed = child_seed(rng)
    dim = dimension(arch, seed=dim_seed).dimension
    phi = expand(arch)
    phi_system = image_system(phi)
    p = random_prime(31, rng)
    gf = GF(p)
    n_rows = min(phi.n_coordinates, 2 * arch.n_params) + 2
    sketch_seed = int(rng.integers(2**62))
    forms = _parse_generators(generators, phi.n_coordinates)

    def sketch(theta):
        return sketched_jacobian(arch, theta, n_rows, gf, np.random.default_rng(sketch_seed))

    todo = padded_strata(arch)
    singular_first = [t for t in todo if len(t[2]) > 1] + [t for t in todo if len(t[2]) == 1]
    chosen = sorted(singular_first[:max_strata], key=todo.index)
    done = []
    for core, at, where in chosen:
        z = gf.random(rng, (sum(core),))
        thetas, jacs = [], []
        for a in where:
            theta = np.zeros(arch.n_params, dtype=np.int64)
            theta[_core_columns(arch, core, a)] = z
            thetas.append(theta)
            jacs.append(sketch(theta))
        maps = [_substituted(phi, _core_columns(arch, core, a)) for a in where]
        identity = all(m == maps[0] for m in maps[1:])
        cols = _core_columns(arch, core, where[0])
        stratum_dim = rank_mod(jacs[0][:, cols].copy(), p)
        ranks = tuple(rank_mod(j.copy(), p) for j in jacs)
        union = rank_mod(np.hstack(jacs), p) if len(jacs) > 1 else ranks[0]
        if min(ranks) < dim:
            verdict, kind = (True if union > dim else None), "cusp-type (rank drop)"
        elif union > dim:
            verdict, kind = True, f"node ({len(where)} branches)"
        elif len(where) == 1:
            verdict, kind = False, "smooth"
        else:  # several placements with one tangent space: not what the criterion predicts
            verdict, kind = None, f"{len(where)} branches, one tangent space"
        upper = (zariski_tangent_bound(phi, thetas[0], forms, p) if forms else None)
        sel = _selection(arch.n_params, cols)
        rank, gap = _exposure(phi_system, lambda z, b=sel: b @ z, sel.shape[1], rng)
        done.append(PaddedStratum(pattern(arch, core, where[0]), core, at, where, identity,
                                  stratum_dim, ranks, union, verdict if identity else None, kind,
                                  rank, gap, rank == phi.n_coordinates, upper))
        if show_progress:
            show_progress(f"{done[-1].name}: dim {stratum_dim}, {len(where)} placements, {kind}")
    return CNNSingularResult(str(arch), dim, phi.n_coordinates, tuple(done),
                             len(todo) - len(chosen), (p,), seed, time.perf_counter() - clock,
                             child_seeds={"dimension": dim_seed})


def _selection(n_params: int, cols: list[int]) -> np.ndarray:
    a = np.zeros((n_params, len(cols)), dtype=np.int64)
    a[cols, np.arange(len(cols))] = 1
    return a


# --- the Jacobian criterion from defining equations ----------------------------------------
def _parse_generators(generators, n_coordinates: int) -> list[dict]:
    """Generators as {exponent tuple: Fraction} in y0..y_{M-1} (whitelist parser)."""
    if not generators:
        return []
    import sympy

    from ...formula import parse_formula

    names = [f"y{i}" for i in range(n_coordinates)]
    symbols = sympy.symbols(names)
    out = []
    for g in generators:
        expr = parse_formula(g, names, name="generator")
        poly = sympy.Poly(sympy.expand(expr), *symbols)
        out.append({tuple(int(e) for e in m): Fraction(int(c.p), int(c.q))
                    for m, c in poly.terms()})
    return out


def _eval_mod(phi, theta, p: int) -> np.ndarray:
    """Phi(theta) mod p (theta int64 in [0, p))."""
    out = np.zeros(phi.n_coordinates, dtype=object)
    for m, poly in enumerate(phi.polys):
        acc = 0
        for a, c in poly.items():
            term = c.numerator % p * pow(c.denominator, -1, p)
            for k, e in enumerate(a):
                if e:
                    term = term * pow(int(theta[k]), e, p) % p
            acc += term
        out[m] = acc % p
    return out


def zariski_tangent_bound(phi, theta, forms, p: int) -> int:
    """M - rank_p dF(Phi(theta)) for the equations ``forms`` of V (parsed generators).

    The Zariski tangent space of V at f = Phi(theta) lies in ker dF(f) because every F vanishes
    on V (I(V) contains F), so dim T_f V <= M - rank dF(f); a rank mod p is at most the rank over
    Q at the integer point theta reduces from, so M - rank_p is a proven upper bound there. When
    it equals dim V, f is a smooth point (Jacobian criterion); when it equals a lower bound
    (tangent images), the Zariski tangent space is known exactly.
    """
    y = _eval_mod(phi, theta, p)
    m = phi.n_coordinates
    rows = []
    for form in forms:
        row = [0] * m
        for exps, c in form.items():
            coef = c.numerator % p * pow(c.denominator, -1, p) % p
            for k, e in enumerate(exps):
                if not e:
                    continue
                term = coef * e % p
                for j, ej in enumerate(exps):
                    power = ej - (j == k)
                    if power:
                        term = term * pow(int(y[j]), power, p) % p
                row[k] = (row[k] + term) % p
        rows.append(row)
    jac = np.array(rows, dtype=np.int64).reshape(len(rows), m)
    return m - (rank_mod(jac, p) if len(rows) else 0)


# --- the tangent cone from defining equations (an independent count of the branches) -------
@dataclass(frozen=True)
class TangentCone:
    """V(in F) at f cut by a random affine space L of dimension M - dim V (numerical).

    ``in F`` are the lowest-degree parts of the equations F at f; the tangent cone C_f V lies in
    V(in F), with equality when the F generate I(V) near f. ``n_points``: distinct points of
    V(in F) cap L (the degree of the tangent cone, i.e. the multiplicity of V at f, when
    V(in F) = C_f V); ``n_on_branches``: how many lie on the tangent spaces dPhi(theta_a) of the
    placements, ``branch_hits`` how many placements have a point. A node with n smooth
    branches has n_points = n_on_branches = n; a cusp-type point has more points than branches.
    """

    n_points: int
    n_on_branches: int
    branch_hits: int
    initial_degrees: tuple[int, ...]


def tangent_cone(arch, core, where, generators, *, seed=None) -> TangentCone:
    """The tangent cone of V at a random rational point of the stratum (``core``, placements
    ``where``) from verified equations ``generators`` (strings in y0, y1, ...): initial forms
    expanded exactly over Q, then V(in F) cap L by a total-degree homotopy on random
    combinations of them (numerical)."""
    from ...homotopy.polynomial import PolySystem
    from ...homotopy.solve import solve

    seed, rng = check_seed(seed)
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    phi = expand(arch)
    m = phi.n_coordinates
    forms = _parse_generators(generators, m)
    z = [int(v) * (1 if rng.random() < 0.5 else -1) for v in rng.integers(1, 6, size=sum(core))]
    thetas = []
    for a in where:
        theta = [0] * arch.n_params
        for k, v in zip(_core_columns(arch, core, a), z):
            theta[k] = v
        thetas.append(theta)
    f = [sum((c * prod(Fraction(t) ** e for t, e in zip(thetas[0], a)) for a, c in poly.items()),
             Fraction(0)) for poly in phi.polys]
    tangents = [_jacobian_q(phi, th) for th in thetas]
    dim = np.linalg.matrix_rank(tangents[0])
    initial = []
    for form in forms:  # F(f + v), exactly, then its lowest-degree part
        expanded: dict = {}
        for exps, c in form.items():
            term = {(0,) * m: c}
            for i, e in enumerate(exps):
                if e:
                    shift = {(0,) * m: f[i], tuple(int(j == i) for j in range(m)): Fraction(1)}
                    term = _pmul(term, _ppow(shift, e))
            for mono, cc in term.items():
                expanded[mono] = expanded.get(mono, 0) + cc
        expanded = {mono: cc for mono, cc in expanded.items() if cc}
        if not expanded:
            continue
        low = min(sum(mono) for mono in expanded)
        initial.append({mono: complex(cc) for mono, cc in expanded.items() if sum(mono) == low})
    n_free = m - dim
    base = rng.standard_normal(m) + 1j * rng.standard_normal(m)
    span = rng.standard_normal((m, n_free)) + 1j * rng.standard_normal((m, n_free))
    point = [{(0,) * n_free: base[i], **{tuple(int(j == k) for j in range(n_free)): span[i, k]
                                         for k in range(n_free)}} for i in range(m)]
    restricted = []
    for form in initial:
        acc: dict = {}
        for mono, c in form.items():
            term = {(0,) * n_free: c}
            for i, e in enumerate(mono):
                if e:
                    term = _pmul(term, _ppow(point[i], e))
            for k2, v2 in term.items():
                acc[k2] = acc.get(k2, 0) + v2
        restricted.append(acc)
    combos = rng.standard_normal((n_free, len(restricted))) + 1j * rng.standard_normal(
        (n_free, len(restricted)))
    exps, eqs, coefs = [], [], []
    for i in range(n_free):
        for g, w in zip(restricted, combos[i]):
            for mono, c in g.items():
                exps.append(mono)
                eqs.append(i)
                coefs.append(complex(c) * w)
    system = PolySystem(np.array(exps), np.array(eqs), np.array(coefs), n_free)
    sol = solve(system, seed=int(rng.integers(2**31)), certify=False)
    candidates = [s for s in list(sol.solutions) + list(sol.singular)]
    found: list[np.ndarray] = []
    for s in candidates:
        vv = base + span @ np.asarray(s)
        scale = max(1.0, float(np.abs(vv).max()))
        res = 0.0
        for form in initial:  # homogeneous: relative to |v|^degree
            value = sum(c * np.prod([vv[i] ** e for i, e in enumerate(mono)]) for mono, c in form.items())
            res = max(res, float(abs(value)) / scale ** int(sum(next(iter(form)))))
        if res < 1e-7 and not any(np.linalg.norm(vv - w) < 1e-6 * scale for w in found):
            found.append(vv)
    hits: set[int] = set()
    on = 0
    for vv in found:
        close = [i for i, t in enumerate(tangents)
                 if np.linalg.norm(vv - t @ np.linalg.lstsq(t, vv, rcond=None)[0])
                 < 1e-6 * max(1.0, float(np.linalg.norm(vv)))]
        on += bool(close)
        hits.update(close)
    return TangentCone(len(found), on, len(hits),
                       tuple(sorted({int(sum(next(iter(g)))) for g in initial})))


def _pmul(a: dict, b: dict) -> dict:
    """Product of polynomials {exponent tuple: coefficient}."""
    out: dict = {}
    for ea, ca in a.items():
        for eb, cb in b.items():
            e = tuple(x + y for x, y in zip(ea, eb))
            out[e] = out.get(e, 0) + ca * cb
    return out


def _ppow(a: dict, e: int) -> dict:
    out = a
    for _ in range(e - 1):
        out = _pmul(out, a)
    return out


def _jacobian_q(phi, theta) -> np.ndarray:
    """dPhi(theta) as floats (theta integers): (M, P)."""
    jac = np.zeros((phi.n_coordinates, phi.n_params))
    for mm, poly in enumerate(phi.polys):
        for a, c in poly.items():
            for k, e in enumerate(a):
                if e:
                    term = Fraction(c) * e
                    for j, ej in enumerate(a):
                        power = ej - (j == k)
                        if power:
                            term *= Fraction(theta[j]) ** power
                    jac[mm, k] += float(term)
    return jac
