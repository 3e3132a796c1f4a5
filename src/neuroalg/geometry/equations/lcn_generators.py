"""Generators of LCN neurovarieties with several strides > 1: stride decompositions and
subresultant (resultant) conditions, recursively (the route of Shahverdi 2024's recursive
algorithm, arXiv:2401.16613; the proofs below are ours).

Coordinates: u_x, the coefficient of input x in output 1 (``cnn k=.. s=.. x``; an unreachable
u_x is 0), read as the binary form U(t, w) = sum_x u_x t^x w^(n-x) of degree
n = sum_l (k_l - 1) S_l, S_l = s_1 ... s_{l-1}. The forward pass gives (checked exactly below)

    U = W_1(t) W_2(t^{S_2}) ... W_L(t^{S_L}),   W_l(t) = sum_j w_l[j] t^j.

Layers joined by stride 1 multiply to an arbitrary form, so U = prod_j P_j(t^{T_j}) over the
*blocks* j = 1..m (maximal runs of layers with stride 1 between them), deg P_j = a_j,
T_1 = 1 < T_2 < ... (T_{j+1} = T_j sigma_j). V(a; T) is the image of this multiplication (a
projective morphism, so the image is closed). m = 1: V fills. Recursion:

    U in V(a; T)  iff  U = P_1(t) R(t^sigma) with R in V' = V(a_2..a_m; T_2/sigma, ...),
    sigma = T_2, deg R = g = sum_{j>=2} a_j T_j / sigma.

**Stride decomposition.** U = sum_{c<sigma} t^c w^{r_c} G_c(t^sigma, w^sigma), G_c of formal
degree e_c = floor((n - c)/sigma). U = A(t) B(t^sigma) iff B divides every G_c (classes of
exponents mod sigma are kept by multiplication with B(t^sigma)).

**Rank (resultant) conditions.** The Sylvester matrix M_D (rows: the coefficient vectors of
u^i v^{D-e_c-i} G_c, as forms of degree D) has row space (G)_D = h (F)_{D-g'} where
h = gcd(G_c) of degree g' and the F_c have no common zero. On V, deg h >= g, so
rank M_D <= D + 1 - g: its (D + 2 - g)-minors vanish on V, for every D. Conversely
(F)_d is everything for d >= (deg F_0) + (deg F_1) - 1 when there are two parts (sigma = 2:
the subresultant criterion) and for d >= 2 max deg F_c - 1 in general (two generic members of
the base-point-free system of degree max deg F_c are coprime), so the minors in degree
D* = e_0 + e_1 - g (sigma = 2), resp. 2 e_0 - 1 (sigma >= 3), vanish only where deg h >= g.

**Extraction (recursion).** For a level g' >= g and D = max(e_0 + e_1 - g' - 1, e_0)
(sigma = 2; max(2 e_0 - g' - 1, e_0) otherwise), take rho = D + 1 - g' rows N of M_D and
x_i = det[N_{:,i} | N_{:, g'+1..D}] (i = 0..g'): x = sum_r C_r N_r lies in the row space and
vanishes in degrees g'+1..D, so x = h' q with deg x <= g'. On V the row space lies in
R (forms of degree D - g), so x = R C with deg C <= g' - g and x lies in
V'_{g'} = V(a_2 + g' - g, a_3, ...; T_2/sigma, ...) (absorb C into P_2). Hence every
generator E of V'_{g'} (recursively) gives E(x), a polynomial in u vanishing on V. For sigma = 2
and D = e_0 + e_1 - g' - 1 there is exactly one choice of rows and x is the g'-th subresultant.

**What is proven about the zero set** (set-theoretic, with every list complete): let U be a
common zero, h the gcd of its parts, g' = deg h. The rank conditions give g' >= g. If
w does not divide h, the projection of the row space h (F)_{D-g'} = h S_{D-g'} onto the
degrees g'+1..D has rank rho - 1, so some choice of rows gives x = c h with c != 0; E(h) = 0
for all E puts h in V'_{g'} (induction on m), and then U = A h(t^sigma) = [A C(t^sigma)] P_2(t^sigma)
... lies in V. So common zeros outside the locus "w | h" (the top coefficient of every part,
u_x for x > n - sigma, vanishes; similarly inside the recursion) lie in V. On that locus the
extraction degenerates (x = 0) and nothing is claimed; generation of the ideal I(V) is not
claimed either (compare with the interpolated I_d in ``neuroalg equations``).

Splits at later blocks j >= 3 (U = A(t) B(t^{T_j}), deg B = g_j) add their rank conditions
(often of lower degree, e.g. the quadrics of ``cnn k=3,3,2 s=2,3,1 x``).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from math import comb, prod

import flint

from .structural import (
    StructuralFamily,
    _entry_str,
    _index,
    _lcn,
    _linear,
    _minors,
    _primitive,
    _rank_at_random_point,
    _substitute,
    _theta_ring,
    _to_sympy_str,
    _y_ring,
    laplace_minors,
)

MAX_MINOR = 6  # larger minors (and extraction determinants) are not expanded symbolically
REFERENCE = "Shahverdi (2024), arXiv:2401.16613 (recursive algorithm); proofs in lcn_generators.py"


def blocks(filters, strides) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Degrees a_j and exponents T_j of the blocks of layers joined by stride 1 (the last
    layer's stride is irrelevant for one output); trailing blocks of degree 0 are dropped."""
    a, t, s_prod = [0], [1], 1
    for l, (k, s) in enumerate(zip(filters, strides)):
        a[-1] += (k - 1) * s_prod // t[-1]
        s_prod *= s
        if l < len(filters) - 1 and s > 1:
            a.append(0)
            t.append(s_prod)
    while len(a) > 1 and a[-1] == 0:
        a.pop()
        t.pop()
    return tuple(a), tuple(t)


def n_inner_strides(arch) -> int:
    return sum(s > 1 for s in arch.strides[:-1])


# --- binary forms with polynomial coefficients ------------------------------------------------
def _parts(u: list, sigma: int) -> list[list]:
    """The stride-sigma parts G_c (c < sigma) of the form with coefficients ``u``."""
    return [u[c::sigma] for c in range(sigma)]


def _sylvester(parts: list[list], degree: int, zero) -> list[list]:
    rows = []
    for g in parts:
        for i in range(degree - len(g) + 2):
            row = [zero] * (degree + 1)
            row[i:i + len(g)] = g
            rows.append(row)
    return rows


def _det(mat):
    """Determinant of a square list of lists of ring elements."""
    n = len(mat)
    return laplace_minors(mat)(tuple(range(n)), tuple(range(n)))


def _n_choices(rows: list[list], level: int, degree: int) -> int:
    """How many choices of rows :func:`_extractions` goes through."""
    return comb(len(rows), degree + 1 - level)


def _extractions(rows: list[list], level: int, degree: int):
    """The forms x (coefficients 0..level) of the module docstring, one per choice of rows;
    zero forms skipped."""
    rho = degree + 1 - level
    tail = list(range(level + 1, degree + 1))
    for subset in combinations(range(len(rows)), rho):
        mat = [rows[r] for r in subset]
        if rho == 1:
            cof = [mat[0][0] * 0 + 1]
        else:
            cof = []
            for r in range(rho):
                rest = [[mat[q][j] for j in tail] for q in range(rho) if q != r]
                d = _det(rest)
                cof.append(d if r % 2 == 0 else -d)
        x = [sum((cof[r] * mat[r][i] for r in range(rho)), mat[0][0] * 0) for i in range(level + 1)]
        if any(not c.is_zero() for c in x):
            yield x


def _split(u: list, a, t) -> tuple[list[list], int, int, int]:
    """The first split U = A(t) R(t^sigma), sigma = t[1]: the stride parts of ``u``, their
    formal degrees e_0, e_1 and deg R = g."""
    parts = _parts(u, t[1])
    g = sum(aj * tj for aj, tj in zip(a[1:], t[1:])) // t[1]
    return parts, len(parts[0]) - 1, len(parts[1]) - 1, g


def _top_degree(sigma: int, e0: int, e1: int, g: int) -> int:
    """D*: the Sylvester degree whose rank condition forces a common factor of degree >= g."""
    return e0 + e1 - g if sigma == 2 else 2 * e0 - 1


def _level_degree(sigma: int, e0: int, e1: int, level: int) -> int:
    """The Sylvester degree of the extraction at gcd degree ``level`` (module docstring)."""
    return max(e0 + e1 - level - 1 if sigma == 2 else 2 * e0 - level - 1, e0)


def _rank_conditions(u: list, a, t, zero):
    """(degree D, Sylvester matrix, rank bound) of the first split, D = g..D*."""
    parts, e0, e1, g = _split(u, a, t)
    for d in range(g, _top_degree(t[1], e0, e1, g) + 1):
        rows = _sylvester(parts, d, zero)
        if len(rows) > d + 1 - g:
            yield d, rows, d + 1 - g


def _generators(u: list, a, t, zero, budget: list) -> tuple[list, bool]:
    """Generators of V(a; t) evaluated at the form ``u`` (rank conditions and, recursively,
    extractions), and whether a list was cut by ``budget`` (a one-element list, decremented)."""
    if len(a) == 1:
        return [], False
    out: list = []
    cut = False
    for _, rows, rank in _rank_conditions(u, a, t, zero):
        if rank + 1 > MAX_MINOR:
            return out, True
        polys, was_cut = _minors(rows, rank + 1, max(budget[0], 1))
        budget[0] -= len(polys)
        out += polys
        cut |= was_cut or budget[0] <= 0
        if cut:
            return out, True
    if len(a) >= 3:
        parts, e0, e1, g = _split(u, a, t)
        tail_t = tuple(tj // t[1] for tj in t[1:])
        for level in range(g, e0 + 1):
            d = _level_degree(t[1], e0, e1, level)
            if d + 1 - level > MAX_MINOR:
                return out, True
            rows = _sylvester(parts, d, zero)
            if _n_choices(rows, level, d) > budget[0]:
                return out, True
            for x in _extractions(rows, level, d):
                more, was_cut = _generators(x, (a[1] + level - g,) + tuple(a[2:]), tail_t, zero,
                                            budget)
                out += more
                if was_cut or budget[0] <= 0:
                    return out, True
    return out, cut


# --- families -----------------------------------------------------------------------------
def _dedup(polys):
    seen, out = set(), []
    for f in polys:
        if f.is_zero():
            continue
        f = _primitive(f)
        key = str(f)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _check(phi, polys, rng) -> tuple[bool, int, int]:
    """Every generator vanishes at a random rational point Phi(theta_0) (exact evaluation); the
    first 20 are also substituted symbolically (F(Phi(theta)) = 0 over Q, when cheap)."""
    theta = [int(v) for v in rng.integers(-9, 10, size=phi.n_params)]
    point = [sum((c * prod(Fraction(x) ** e for x, e in zip(theta, a)) for a, c in poly.items()),
                 Fraction(0)) for poly in phi.polys]
    values = [flint.fmpq(v.numerator, v.denominator) for v in point]
    at_point = all(f(*values) == 0 for f in polys)
    checked = [_substitute(phi, f) for f in polys[:20]]
    return at_point and not any(c is False for c in checked), sum(c is True for c in checked), len(polys)


def lcn_families(arch, phi, *, rng, max_generators: int = 500) -> tuple[list[StructuralFamily], list[str]]:
    """Structural families of an LCN with several strides > 1 (module docstring), each verified:
    the factorization U = prod_l W_l(t^{S_l}) as a polynomial identity in theta and t against the
    forward pass (which proves every vanishing claim), every generator zero at a random rational
    point of V (exact), the first 20 of each family substituted symbolically. At most
    ``max_generators`` per family; a cut family claims nothing beyond vanishing."""
    ks, ss = arch.filters, arch.strides
    a, t = blocks(ks, ss)
    index = _index(phi)
    ctx = _y_ring(phi.n_coordinates)
    zero = ctx.constant(0)
    n = sum((k - 1) * prod(ss[:l]) for l, k in enumerate(ks))
    u_idx = [index.get((0, tuple(int(y == x) for y in range(arch.widths[0])))) for x in range(n + 1)]
    u = [ctx.gens()[i] if i is not None else zero for i in u_idx]
    entry_u = [((i, Fraction(1)),) if i is not None else () for i in u_idx]
    # the factorization, exactly
    tctx, theta, tt, coords = _theta_ring(phi)
    pos, rhs = 0, tctx.constant(1)
    for l, k in enumerate(ks):
        rhs *= sum((theta[pos + j] * tt ** (j * prod(ss[:l])) for j in range(k)), tctx.constant(0))
        pos += k
    lhs = sum((coords[i] * tt ** x for x, i in enumerate(u_idx) if i is not None), tctx.constant(0))
    proof = (f"U(t) = prod_l W_l(t^(s_1...s_(l-1))) as polynomials in theta and t (exact); blocks "
             f"a = {a}, T = {t}") if lhs == rhs else ""
    notes = [f"LCN blocks: degrees a = {a}, exponents T = {t} (U = prod_j P_j(t^T_j)); "
             f"generators of {REFERENCE}"]
    if not proof:
        return [], notes + ["LCN factorization identity failed (internal error); no families"]
    families: list[StructuralFamily] = []
    skipped: list[str] = []
    shifted, _ = _lcn(arch, phi)  # out > 1: output i = output 1 shifted (linear equations)
    for cand in shifted:
        polys = [f for f in (_linear(ctx, row[0]) for row in cand.entries) if not f.is_zero()]
        ok, n_sub, _ = _check(phi, polys, rng)
        if polys and ok:
            families.append(StructuralFamily(
                cand.name, cand.statement, (), None, 1, tuple(_to_sympy_str(f) for f in polys),
                len(polys), f"each form substituted symbolically ({n_sub}): F(Phi(theta)) = 0",
                polys=tuple(polys)))
    # rank conditions at every split j >= 2 (j = 2 also up to D*, see the docstring)
    for j in range(1, len(a)):
        sigma = t[j]
        parts, e0, e1, g = _split(u, (sum(a[:j]),) + tuple(a[j:]), (1,) + tuple(t[j:]))
        top = _top_degree(sigma, e0, e1, g) if j == 1 else e0 + e1 - g
        for d in range(g, top + 1):
            rows = _sylvester(parts, d, zero)
            rank = d + 1 - g
            if len(rows) <= rank:
                continue
            if rank + 1 > MAX_MINOR:
                skipped.append(f"T={sigma} D={d} ({rank + 1}-minors)")
                continue
            polys, cut = _minors(rows, rank + 1, max_generators)
            if not polys:
                continue
            entries = tuple(tuple(row) for row in _sylvester(_parts(entry_u, sigma), d, ()))
            ok, n_sub, _ = _check(phi, polys, rng)
            rank0 = _rank_at_random_point(phi, entries, rng)
            if not ok or rank0 > rank:
                notes.append(f"LCN split {j + 1}, D={d}: a generator does not vanish (internal "
                             "error); dropped")
                continue
            families.append(StructuralFamily(
                f"LCN stride split T={sigma}, Sylvester D={d}",
                f"U = A(t) B(t^{sigma}) with deg B = {g} (blocks {j + 1}..{len(a)}): B divides the "
                f"{sigma} stride parts G_c of U, so the rows u^i G_c in degree {d} span at most "
                f"{rank} dimensions" + ("; with the extractions of this split they cut V out "
                                        "away from the locus where w divides the parts' gcd "
                                        "(module docstring)" if j == 1 and d == top else ""),
                tuple(tuple(_entry_str(e) for e in row) for row in entries), rank,
                int(polys[0].total_degree()), tuple(_to_sympy_str(f) for f in polys), len(polys),
                f"{proof}, so rank <= {rank} on V; exact rank {rank0} at a random rational point "
                f"of V; every minor zero at a random rational point of V (exact); {n_sub} "
                "substituted symbolically: F(Phi(theta)) = 0 over Q"
                + (f"; listing cut at {max_generators} minors" if cut else ""),
                polys=tuple(polys)))
    # extractions at the first split, level by level (recursion on the blocks)
    if len(a) >= 3:
        sigma = t[1]
        parts, e0, e1, g = _split(u, a, t)
        tail_t = tuple(tj // sigma for tj in t[1:])
        for level in range(g, e0 + 1):
            d = _level_degree(sigma, e0, e1, level)
            if d + 1 - level > MAX_MINOR:
                skipped.append(f"extraction level {level} ({d + 1 - level} rows)")
                continue
            rows = _sylvester(parts, d, zero)
            budget, polys = [max_generators], []
            tail_a = (a[1] + level - g,) + tuple(a[2:])
            cut = _n_choices(rows, level, d) > max_generators
            for x in ([] if cut else _extractions(rows, level, d)):
                more, was_cut = _generators(x, tail_a, tail_t, zero, budget)
                polys += more
                if was_cut or budget[0] <= 0:
                    cut = True
                    break
            polys = _dedup(polys)
            if not polys:
                continue
            ok, n_sub, _ = _check(phi, polys, rng)
            if not ok:
                notes.append(f"LCN extraction level {level}: a generator does not vanish "
                             "(internal error); dropped")
                continue
            families.append(StructuralFamily(
                f"LCN recursive, gcd degree {level}",
                f"x = the degree-{level} multiple of gcd(G_c) read from {d + 1 - level} rows of the "
                f"Sylvester matrix in degree {d} (stride {sigma}); on V it lies in "
                f"V{tail_a} with exponents {tail_t}, whose generators (rank conditions and "
                "extractions, recursively) are evaluated at x",
                (), None, min(int(f.total_degree()) for f in polys),
                tuple(_to_sympy_str(f) for f in polys), len(polys),
                f"{proof}, which proves that they vanish on V; every generator zero at a random "
                f"rational point of V (exact); {n_sub} substituted symbolically: "
                "F(Phi(theta)) = 0 over Q" + (f"; listing cut at {max_generators}" if cut else ""),
                polys=tuple(polys)))
    cut = any("listing cut" in f.verification for f in families) or bool(skipped)
    if skipped:
        notes.append(f"not expanded (larger than {MAX_MINOR}x{MAX_MINOR}): " + ", ".join(skipped))
    notes.append("recursive generators: they vanish on V (proven); " + (
        "a listing was cut, so nothing more is claimed" if cut else
        "their common zeros off the locus where w divides a gcd of stride parts (a top "
        "coefficient u_x, x > n - s, of every part vanishes; also inside the recursion) lie in V "
        "(proven, lcn_generators.py)") + "; that they generate the ideal I(V) is unproven")
    return families, notes
