"""Structural generators of neurovarieties: determinantal equations known from theory.

Coordinates are those of :func:`neuroalg.polymap.expand`: y_i is the coefficient of the
input monomial x^e in output k (``phi.keys[i] = (k, e)``); an unreachable coefficient is 0.
Every family below is a matrix M(y) whose entries are linear in y, a bound rho with
rank M(Phi(theta)) <= rho for all parameters theta (a theorem, and checked symbolically for
this architecture), hence generators = the nonzero (rho+1)-minors of M, which vanish on the
neurovariety V (the Zariski closure of the image).

* **Stacked catalecticants** (shallow monomial networks ``mlp d0,h,m x^r``, no biases, r >= 2).
  f_j = sum_i v_ji (w_i . x)^r. In the apolar normalization C_k(f)_{alpha,beta} =
  c_{alpha+beta} (alpha+beta)!/r! (c_gamma the coefficient of x^gamma, gamma! = prod gamma_t!),
  C_k((w.x)^r) = [w^alpha w^beta] has rank one, so the horizontally stacked matrix
  [C_k(f_1) | ... | C_k(f_m)] = W_k^T [diag(v_1) W_{r-k} | ... | diag(v_m) W_{r-k}] has rank
  <= h (Iarrobino–Kanev 1999, Ch. 1, for m = 1; for m outputs these are the flattenings of a
  partially symmetric tensor, Landsberg 2012, Ch. 3). Vertical stacking of C_k is horizontal stacking
  of C_{r-k}, so k = 1..r covers both (k = r: the matrix of coefficient vectors).
  For binary forms (d0 = 2) and k = h the minors cut V out set-theoretically: the left kernel
  of the stacked matrix is the space of common apolar forms of degree h (apolarity lemma), and
  f_1..f_m with a common apolar form q of degree h lie in the span of the powers of the roots of
  q (Sylvester's theorem; with multiple roots, the osculating span, a limit of spans of h
  powers), so the tuple lies in the closure V.
* **Deep linear networks** (``linear d0,...,dL``, no biases): the dL x d0 end-to-end matrix is a
  product through the narrowest layer, rank <= min(d1, ..., d_{L-1}): the determinantal variety,
  whose minors generate its prime ideal (Bruns–Vetter 1988).
* **Linear convolutional networks** (``cnn k=.. s=.. x``). The end-to-end filter u of the first
  output has the polynomial U(t) = sum_n u_n t^n = W_1(t) W_2(t^{s_1}) W_3(t^{s_1 s_2}) ...
  (W_l(t) = sum_j w_l[j] t^j; Kohn, Merkh, Montufar, Trager 2022 for stride 1, Kohn, Montufar,
  Shahverdi, Trager 2024 for strides; checked here against the forward pass). Output i is the
  same filter shifted by i s_1...s_L (linear equations). With strides 1 before the last layer
  U is any polynomial of degree sum(k_l - 1): over C the variety fills (fundamental theorem of
  algebra; KMMT 2022); over R too iff at most one W_l has odd degree (an odd-degree real factor
  needs a real root; real roots of U can otherwise be paired), else a full-dimensional
  semialgebraic set whose boundary (in the discriminant of U) is not computed here. With a
  single inner stride s = s_q > 1, U = P(t) Q(t^s) with
  deg P = a = sum_{l<=q}(k_l - 1), deg Q = g = sum_{l>q}(k_l - 1). Write
  U(t) = sum_{c<s} t^c G_c(t^s): C[t] is free over C[t^s] with basis 1..t^{s-1}, so
  U in Q(t^s) C[t] iff Q divides every G_c, and V = {the binary forms G_c (formal degrees
  e_c) have a common factor of degree >= g}. The generalized Sylvester matrix in degree d
  (rows: the coefficients of u^i G_c for e_c <= d, i = 0..d - e_c) has its row space in
  Q S_{d-g}, so rank <= d + 1 - g on V; we take d = g..D, D = e_0 + e_1 - g. For s = 2 the
  maximal minors in degree D cut V out set-
  theoretically (deg gcd(A, B) >= g iff P A + Q B = 0 has a nonzero solution with deg P <= n - g,
  deg Q <= m - g: the subresultant criterion, e.g. Basu–Pollack–Roy, Algorithms in Real
  Algebraic Geometry, Ch. 4); for s = 2 and g = 1 the single generator is the resultant
  Res(G_0, G_1), irreducible (the generic resultant), so I(V) = (Res). For s >= 3 the minors vanish on V (proven) but
  are not claimed to cut it out; Sylvester matrices in every degree g..D are included. Several
  nontrivial strides: the recursive generators of :mod:`.lcn_generators` (stride
  decompositions and subresultant extractions, after Shahverdi 2024, arXiv:2401.16613).

Each family is verified exactly: the factorization (resp. U = P(t) Q(t^s)) is checked as a
polynomial identity in theta against the architecture's own forward pass (``expand``; for 1/x
networks against the (P, Q) expansion of ``rational_map``, itself tested against the forward
pass), which proves rank <= rho on the image; the minors are nonzero polynomials in y; independently, the
matrix has rank <= rho at a random rational point Phi(theta_0) (exact), and when cheap the minors
are substituted symbolically: F(Phi(theta)) = 0 over Q. A family with a single generator that
is irreducible over Q, on a V of codimension one (proven lower bound of
:func:`neuroalg.geometry.dimension.dimension`), generates I(V) (see :func:`_principal`).

* **1/x networks, determinant/adjugate form** (``rational d0,h,m``, one hidden layer; coordinates
  of :func:`neuroalg.geometry.equations.rational_map.rational_map`). With l = W1 x and L = diag(l),
  Q = det L = prod_j l_j and P_i = (W2 adj(L) 1)_i = sum_j W2[i,j] Q/l_j (Grosdos, Robeva,
  Zubkov 2025). By the chain rule dQ/dx_k = sum_j W1[j,k] Q/l_j. So the stacked matrix S whose
  rows are the coefficient vectors of dQ/dx_1, ..., dQ/dx_d0, P_1, ..., P_m (columns: the
  monomials of degree h - 1) factors as S = [W1^T; W2] M, M the h rows of coefficients of the
  Q/l_j: rank S <= h on V, its (h+1)-minors vanish on V. (Its first d0 rows are the first
  catalecticant of Q: rank <= h says Q has <= h essential variables.) At a generic point the
  Q/l_j are independent (pairwise non-proportional l_j, d0 >= 2: restrict a relation to
  l_j = 0) and rank S = min(d0 + m, h, #columns); the minors are nontrivial iff d0 + m > h and
  #columns = C(d0 + h - 2, h - 1) > h. For h <= d0 and W1 of rank h, the rows dQ/dx_k span the
  h-space of the Q/l_j, so the bound says "P_i lies in the span of the partials of Q". For
  h > d0 the partials span only d0 dimensions and the P_i need not lie in their span; rank <= h
  still holds (the factorization) and is what is used. Cutting out: for h = 2 <= d0 the
  3-minors cut V out set-theoretically (proof in :func:`_rational_adjugate`); for h >= 3 they
  do not (rank S <= h allows any Q with h essential variables, e.g. the smooth cubic
  x1^3 + x2^3 + x3^3, while Q on V is a product of linear forms, a closed condition).
  Deeper 1/x networks are not covered.

References
----------
Iarrobino, Kanev (1999), Power sums, Gorenstein algebras, and determinantal loci, LNM 1721.
Landsberg (2012), Tensors: Geometry and Applications, AMS GSM 128.
Bruns, Vetter (1988), Determinantal Rings, LNM 1327.
Kohn, Merkh, Montufar, Trager (2022), Geometry of linear convolutional networks, SIAM J. Appl.
Algebra Geom. 6(3), arXiv:2108.01538.
Kohn, Montufar, Shahverdi, Trager (2024), Function space and critical points of linear
convolutional networks, SIAM J. Appl. Algebra Geom., arXiv:2304.05752.
Grosdos, Robeva, Zubkov (2025), Algebraic geometry of rational neural networks, arXiv:2509.11088.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from itertools import combinations, combinations_with_replacement
from math import comb, factorial, gcd, lcm, prod
from typing import Any

import flint
import numpy as np

from ...arch import CNN, MLP, Attention
from ...formula import parse_formula
from ...polymap import exponent_vectors

# entry of a structural matrix: ((coordinate index, coefficient), ...) = sum coefficient * y_index
Entry = tuple[tuple[int, Fraction], ...]


@dataclass(frozen=True)
class Span:
    """Structural forms against the interpolated I_d in one degree d.

    ``rank``: dimension of the degree-d part of the ideal they generate (None: not computed),
    exact over Q when ``is_exact``, else a rank mod p (a lower bound; either way a proven lower
    bound on dim I_d, since the forms vanish on V). ``spans``: True when that part is all of I_d
    (rank reaches the proven upper bound of dim I_d), False when an exact rank is below the
    number of verified independent forms of I_d, None when undecided."""

    degree: int
    rank: int | None
    is_exact: bool
    spans: bool | None
    evidence: str

    @property
    def verdict(self) -> str:
        return {True: "yes", False: "no", None: "undecided"}[self.spans]

    def to_dict(self) -> dict:
        return {"degree": self.degree, "rank": self.rank, "exact": self.is_exact,
                "spans": self.spans, "evidence": self.evidence}


@dataclass(frozen=True)
class StructuralFamily:
    """Generators of one structural kind, with their proof and their comparison with I_d.

    ``span`` compares the ideal generated by the family with the interpolated I_d for every
    interpolated degree d >= ``degree`` (:class:`Span`).
    ``cuts_out`` says what the theory adds about all the families of the architecture together:
    "ideal" (they generate I(V)), "set" (their zero set is V), or "" (vanishing only)."""

    name: str
    statement: str
    matrix: tuple[tuple[str, ...], ...]
    rank_bound: int | None
    degree: int
    generators: tuple[str, ...]
    n_generators: int
    verification: str
    cuts_out: str = ""
    span: tuple[Span, ...] = field(default_factory=tuple)
    polys: tuple = field(default=(), repr=False, compare=False)  # fmpq_mpoly in y (internal)

    def summary(self) -> str:
        shape = f"{len(self.matrix)}x{len(self.matrix[0])} " if self.matrix else ""
        rank = f"rank <= {self.rank_bound}: " if self.rank_bound is not None else ""
        shape = f"{shape}matrix, " if self.matrix else ""
        return (f"{self.name}: {shape}{rank}{self.n_generators} generator"
                f"{'s' if self.n_generators != 1 else ''} of degree {self.degree}")

    def matrix_latex(self) -> str:
        import sympy

        return sympy.latex(sympy.Matrix([[parse_formula(e) for e in row] for row in self.matrix])) \
            if self.matrix else ""

    def generators_latex(self) -> list[str]:
        if self.polys:
            return [_to_latex(f) for f in self.polys]
        import sympy

        return [sympy.latex(parse_formula(g, rational=True)) for g in self.generators]

    def to_dict(self) -> dict:
        return {"name": self.name, "statement": self.statement, "matrix": [list(r) for r in self.matrix],
                "matrix_latex": self.matrix_latex(), "rank_bound": self.rank_bound,
                "degree": self.degree, "n_generators": self.n_generators,
                "generators": list(self.generators), "generators_latex": self.generators_latex(),
                "verification": self.verification, "cuts_out": self.cuts_out,
                "span": [x.to_dict() for x in self.span]}


# --- matrices of linear forms in y ----------------------------------------------------------
def _entry_str(entry: Entry) -> str:
    if not entry:
        return "0"
    return " + ".join((f"{c}*" if c != 1 else "") + f"y{i}" for i, c in entry).replace("+ -", "- ")


def _y_ring(m: int):
    return flint.fmpq_mpoly_ctx.get(tuple(f"y{i}" for i in range(m)), "lex")


def _linear(ctx, entry: Entry):
    gens = ctx.gens()
    out = ctx.constant(0)
    for i, c in entry:
        out += flint.fmpq(c.numerator, c.denominator) * gens[i]
    return out


def laplace_minors(mat):
    """The function (rows, cols) -> that minor of ``mat`` (a list of lists of ring elements),
    by Laplace expansion along the last row with memoized sub-minors."""

    @lru_cache(maxsize=None)
    def minor(rows: tuple, cols: tuple):
        if len(rows) == 1:
            return mat[rows[0]][cols[0]]
        total = None
        r, rest = rows[-1], rows[:-1]
        for pos, c in enumerate(cols):
            if mat[r][c].is_zero():
                continue
            term = mat[r][c] * minor(rest, cols[:pos] + cols[pos + 1:])
            sign = (-1) ** (len(cols) - 1 + pos)
            total = term * sign if total is None else total + term * sign
        return total if total is not None else mat[r][cols[0]] * 0

    return minor


def _minors(mat, size: int, limit: int):
    """Nonzero size x size minors of ``mat`` (lists of fmpq_mpoly), at most ``limit`` of them,
    distinct up to a scalar; and whether the list was cut at ``limit``."""
    n_rows, n_cols = len(mat), len(mat[0])
    minor = laplace_minors(mat)

    out, seen = [], set()
    for rows in combinations(range(n_rows), size):
        for cols in combinations(range(n_cols), size):
            f = minor(rows, cols)
            if f.is_zero():
                continue
            f = _primitive(f)
            key = str(f)
            if key in seen:
                continue
            seen.add(key)
            out.append(f)
            if len(out) >= limit:
                return out, True
    return out, False


def _primitive(f):
    """f scaled to integer coefficients with content 1 and a positive leading coefficient."""
    coeffs = list(f.to_dict().values())
    den = lcm(*(int(c.q) for c in coeffs))
    num = gcd(*(int(c.p) for c in coeffs))
    scale = flint.fmpq(den, num)
    return f * (scale if f.leading_coefficient() > 0 else -scale)


def _terms(poly, var, power, times, frac):
    """Signed terms of ``poly`` in a syntax given by the formatters (sympy or LaTeX)."""
    out = []
    for exps, c in sorted(poly.to_dict().items(), reverse=True):
        mono = times.join(var(i) + (power(int(e)) if e > 1 else "") for i, e in enumerate(exps) if e)
        num, den = int(c.p), int(c.q)
        coef = str(abs(num)) if abs(num) != 1 or not mono else ""
        out.append(("-" if num < 0 else "+", frac(times.join(x for x in (coef, mono) if x), den)))
    if not out:
        return "0"
    return ("-" if out[0][0] == "-" else "") + out[0][1] + "".join(f" {s} {b}" for s, b in out[1:])


def _to_sympy_str(poly) -> str:
    """``poly`` in sympy syntax (``3*y0**2*y1 - y2/4``), written directly (sympy's printer is
    slow on large minors)."""
    return _terms(poly, lambda i: f"y{i}", lambda e: f"**{e}", "*",
                  lambda body, den: body + (f"/{den}" if den != 1 else ""))


def _to_latex(poly) -> str:
    """``poly`` in LaTeX (``3 y_{0}^{2} y_{1} - \\frac{y_{2}}{4}``)."""
    return _terms(poly, lambda i: f"y_{{{i}}}", lambda e: f"^{{{e}}}", " ",
                  lambda body, den: f"\\frac{{{body}}}{{{den}}}" if den != 1 else body)


# --- exact checks on the parameterization ---------------------------------------------------
def _theta_ring(phi):
    ctx = flint.fmpq_mpoly_ctx.get(tuple(f"t{i}" for i in range(phi.n_params)) + ("tt",), "lex")
    gens = ctx.gens()
    coords = [ctx.from_dict({a + (0,): flint.fmpq(c.numerator, c.denominator) for a, c in p.items()})
              if p else ctx.constant(0) for p in phi.polys]
    return ctx, gens[:-1], gens[-1], coords


def _entry_at(entry: Entry, coords, zero):
    out = zero
    for i, c in entry:
        out = out + flint.fmpq(c.numerator, c.denominator) * coords[i]
    return out


def _rank_at_random_point(phi, entries, rng) -> int:
    """Exact rank over Q of the matrix at y = Phi(theta_0), theta_0 random small integers."""
    theta = [int(v) for v in rng.integers(-9, 10, size=phi.n_params)]
    values = []
    for poly in phi.polys:
        values.append(sum((c * prod(t ** e for t, e in zip(theta, a)) for a, c in poly.items()),
                          Fraction(0)))
    rows = [[sum((c * values[i] for i, c in e), Fraction(0)) for e in row] for row in entries]
    den = 1
    for row in rows:
        for v in row:
            den = den * v.denominator // np.gcd(den, v.denominator)
    return flint.fmpz_mat([[int(v * den) for v in row] for row in rows]).rank()


def _substitute(phi, poly, budget: int = 200000) -> bool | None:
    """F(Phi(theta)) == 0 exactly over Q (None: skipped, more than ``budget`` expanded terms)."""
    from ...polymap import vanishes_on

    sizes = [max(len(p), 1) for p in phi.polys]
    terms = poly.to_dict()
    if sum(prod(sizes[i] ** int(e) for i, e in enumerate(exps)) for exps in terms) > budget:
        return None
    monomials = np.array([[i for i, e in enumerate(exps) for _ in range(int(e))] for exps in terms])
    return vanishes_on(phi, monomials, [Fraction(int(c.p), int(c.q)) for c in terms.values()])


# --- the families ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Candidate:
    name: str
    statement: str
    entries: tuple[tuple[Entry, ...], ...]
    rank_bound: int
    proof: str  # how rank <= rank_bound was verified on the parameterization
    cuts_out: str = ""


def _index(phi) -> dict:
    return {key: i for i, key in enumerate(phi.keys)}


def _catalecticants(arch, phi) -> list[_Candidate]:
    d0, h, m = arch.widths
    r = arch.activations[0].monomial_power
    index = _index(phi)
    ctx, theta, _, coords = _theta_ring(phi)
    w = [theta[i * d0:(i + 1) * d0] for i in range(h)]
    v = [theta[h * d0 + j * h: h * d0 + (j + 1) * h] for j in range(m)]
    out = []
    for k in range(1, r + 1):
        left, right = exponent_vectors(d0, k), exponent_vectors(d0, r - k)
        if len(left) <= h or m * len(right) <= h or (m == 1 and k > r - k):
            continue  # no minors; for one output C_{r-k} = C_k^T
        entries, holds = [], True
        for alpha in left:
            row = []
            for j in range(m):
                for beta in right:
                    gamma = tuple(int(x) for x in alpha + beta)
                    scale = Fraction(prod(factorial(g) for g in gamma), factorial(r))
                    i = index.get((j, gamma))
                    entry = ((i, scale),) if i is not None else ()
                    row.append(entry)
                    # C(Phi(theta)) = W_k^T diag(v_j) W_{r-k}, entry by entry
                    rhs = ctx.constant(0)
                    for n in range(h):
                        rhs += v[j][n] * prod((w[n][t] ** g for t, g in enumerate(gamma)), start=ctx.constant(1))
                    holds &= _entry_at(entry, coords, ctx.constant(0)) == rhs
            entries.append(tuple(row))
        blocks = " | ".join(f"C_{k}(f_{j + 1})" for j in range(m)) if m <= 3 \
            else f"C_{k}(f_1) | ... | C_{k}(f_{m})"
        binary = d0 == 2 and h in (k, r - k if m == 1 else k)
        out.append(_Candidate(
            f"stacked catalecticant k={k}",
            f"({blocks}) for f_j sums of {h} powers (w_i.x)^{r} has rank <= {h} "
            f"(Iarrobino-Kanev 1999); its {h + 1}-minors vanish on V"
            + ("; binary forms: rank <= h iff the f_j have a common apolar form of degree h, "
               "which puts them in one limit of spans of h powers (Sylvester): the minors cut "
               "V out" if binary else ""),
            tuple(entries), h,
            "C(Phi(theta)) = W_k^T (diag(v_j) W_{r-k})_j as polynomials in theta (exact)" if holds else "",
            "set" if binary else ""))
    return out


def _linear_network(arch, phi) -> list[_Candidate]:
    widths = arch.widths
    rho = min(widths[1:-1])
    d0, dl = widths[0], widths[-1]
    if rho >= min(d0, dl):
        return []
    index = _index(phi)
    ctx, theta, _, coords = _theta_ring(phi)
    prod_m: list[list[Any]] | None = None  # end-to-end matrix W_L ... W_1 as polynomials in theta
    pos = 0
    for l in range(1, len(widths)):
        a, b = widths[l], widths[l - 1]
        w = [[theta[pos + i * b + j] for j in range(b)] for i in range(a)]
        pos += a * b
        prod_m = w if prod_m is None else [[sum((w[i][n] * prod_m[n][j] for n in range(b)), ctx.constant(0))
                                            for j in range(d0)] for i in range(a)]
    assert prod_m is not None  # at least one layer
    entries, holds = [], True
    for k in range(dl):
        row = []
        for j in range(d0):
            e = tuple(1 if t == j else 0 for t in range(d0))
            i = index.get((k, e))
            entry: Entry = ((i, Fraction(1)),) if i is not None else ()
            holds &= _entry_at(entry, coords, ctx.constant(0)) == prod_m[k][j]
            row.append(entry)
        entries.append(tuple(row))
    return [_Candidate(
        "end-to-end matrix", f"the {dl}x{d0} product W_L...W_1 factors through width {rho}: "
        f"rank <= {rho}; its {rho + 1}-minors generate the prime ideal of V (Bruns-Vetter 1988)",
        tuple(entries), rho,
        "Phi(theta) = W_L ... W_1 as polynomials in theta (exact)" if holds else "", "ideal")]


def _lcn(arch, phi) -> tuple[list[_Candidate], list[str]]:
    ks, ss = arch.filters, arch.strides
    inner = [q for q in range(len(ks) - 1) if ss[q] > 1]
    index = _index(phi)
    n = sum((k - 1) * prod(ss[:l]) for l, k in enumerate(ks)) + 1
    big_s = prod(ss)
    cands, notes = [], []
    # Toeplitz structure: output i is output 0's filter shifted by i * s_1 ... s_L
    lin = []
    for o in range(1, arch.out):
        for t in range(n):
            a = index.get((0, tuple(1 if x == t else 0 for x in range(arch.widths[0]))))
            b = index.get((o, tuple(1 if x == o * big_s + t else 0 for x in range(arch.widths[0]))))
            if a is not None and b is not None:
                lin.append(((b, Fraction(1)), (a, Fraction(-1))))
    if lin:
        cands.append(_Candidate("shifted outputs", f"output i is the filter of output 1 shifted by "
                                f"i*{big_s} (linear equations y(i, x_(iS+n)) = y(1, x_n))",
                                tuple((e,) for e in lin), 0, "shift", "" if inner else "ideal"))
    if not inner:
        n_odd = sum((k - 1) % 2 for k in ks)
        real = ("over R they fill too (at most one factor of odd degree: real roots can be paired)"
                if n_odd <= 1 else
                f"over R they do not fill ({n_odd} factors of odd degree each need a real root of "
                f"U): a full-dimensional semialgebraic set whose boundary lies in the discriminant "
                f"hypersurface of U and u_top = 0 (not computed here)")
        notes.append("LCN with stride 1 before the last layer: the filter U(t) = W_1(t)...W_L(t) is "
                     "any polynomial of degree sum(k_l - 1), so over C the filters fill the ambient "
                     "space and V has no nonlinear equations (Kohn-Merkh-Montufar-Trager 2022); "
                     + real)
        return cands, notes
    if len(inner) > 1:
        notes.append("LCN with several strides > 1: U = W_1(t) W_2(t^s1) W_3(t^(s1 s2)) ...; no "
                     "structural generators here (Shahverdi 2024 has a recursive algorithm; "
                     "interpolation only)")
        return cands, notes
    q, s = inner[0], ss[inner[0]]
    g = sum(k - 1 for k in ks[q + 1:])
    e = [(n - 1 - c) // s for c in range(s)]  # formal degrees of G_c
    top = e[0] + e[1] - g
    # the identity U(t) = P(t) Q(t^s) in theta, against the forward pass
    ctx, theta, t, coords = _theta_ring(phi)
    pos, p_poly, q_poly = 0, ctx.constant(1), ctx.constant(1)
    for l, k in enumerate(ks):
        w = sum((theta[pos + j] * t ** (j * (s if l > q else 1)) for j in range(k)), ctx.constant(0))
        pos += k
        if l <= q:
            p_poly *= w
        else:
            q_poly *= w
    u_poly = ctx.constant(0)
    for x in range(n):
        i = index.get((0, tuple(1 if y == x else 0 for y in range(arch.widths[0]))))
        if i is not None:
            u_poly += coords[i] * t ** x
    proof = f"U(t) = P(t) Q(t^{s}) as polynomials in theta and t (exact)" if u_poly == p_poly * q_poly else ""
    for d in range(g, top + 1):  # Sylvester matrices of the G_c with e_c <= d, in degree d
        rows = []
        for c in range(s):
            for i in range(d - e[c] + 1):
                row: list[Entry] = [()] * (d + 1)
                for j in range(e[c] + 1):
                    key = (0, tuple(1 if x == c + j * s else 0 for x in range(arch.widths[0])))
                    if key in index:
                        row[i + j] = ((index[key], Fraction(1)),)
                rows.append(tuple(row))
        rho = d + 1 - g
        if len(rows) <= rho:
            continue
        kind = "resultant" if s == 2 and g == 1 and d == top else f"Sylvester matrix D={d}"
        cands.append(_Candidate(
            f"LCN {kind} (stride {s})",
            f"U(t) = P(t) Q(t^{s}), deg Q = {g}: the parts G_c(u) of U = sum_c t^c G_c(t^{s}) share "
            f"the factor Q, so the rows u^i G_c in degree {d} span at most {rho} dimensions"
            + ("; for stride 2 the maximal minors cut V out (subresultant criterion)"
               if s == 2 and d == top else ""),
            tuple(rows), rho, proof,
            ("ideal" if g == 1 else "set") if s == 2 and d == top else ""))
    if not cands or cands[-1].name.startswith("shifted"):
        notes.append(f"LCN stride {s}: the Sylvester matrices have no minors")
    return cands, notes


def _rational_adjugate(arch, phi) -> list[_Candidate]:
    """The stacked matrix [dQ/dx_1; ...; dQ/dx_d0; P_1; ...; P_m] of rank <= h (module docstring).

    Set-theoretic claim for h = 2 <= d0 (over C). Let (P, Q) have rank S <= 2.
    rank(partials) = 2: Q is a quadric of rank 2, Q = l1 l2 with l1, l2 independent, whose
    partials span span(l1, l2) = span(Q/l2, Q/l1); the P_i lie there, so (P, Q) is in the image.
    rank 1: Q = c l^2 and the P_i lie in a plane span(l, u); Q_e = (c l)(l + e u) has
    Q_e/(c l) = l + e u and Q_e/(l + e u) = c l spanning that plane for e != 0, so (P, Q_e) is in
    the image and tends to (P, Q). rank 0: Q = 0 and the P_i lie in a plane span(a, b);
    (P, e a b) is in the image. Hence the zero set of the 3-minors is V."""
    d0, h, m = arch.widths
    cols = exponent_vectors(d0, h - 1)
    if d0 < 2 or d0 + m <= h or len(cols) <= h:
        return []
    index = _index(phi)
    rows = []
    for k in range(d0):  # dQ/dx_k: coefficient of x^c is (c_k + 1) q_{c + e_k}
        row = []
        for c in cols:
            e = tuple(int(v) + (t == k) for t, v in enumerate(c))
            i = index.get((m, e))
            row.append(((i, Fraction(int(c[k]) + 1)),) if i is not None else ())
        rows.append(tuple(row))
    for i in range(m):
        rows.append(tuple(((index[(i, tuple(int(v) for v in c))], Fraction(1)),)
                          if (i, tuple(int(v) for v in c)) in index else () for c in cols))
    # the identity S = [W1^T; W2] M row by row, as polynomials in theta and x
    n_par = phi.n_params
    ctx = flint.fmpq_mpoly_ctx.get(tuple(f"t{i}" for i in range(n_par))
                                   + tuple(f"x{k}" for k in range(d0)), "lex")
    gens = ctx.gens()
    theta, x = gens[:n_par], gens[n_par:]
    coords = [ctx.from_dict({a + (0,) * d0: flint.fmpq(c.numerator, c.denominator)
                             for a, c in p.items()}) for p in phi.polys]
    forms = [sum((theta[j * d0 + k] * x[k] for k in range(d0)), ctx.constant(0)) for j in range(h)]
    cof = [prod(forms[:j] + forms[j + 1:], start=ctx.constant(1)) for j in range(h)]
    left = [[theta[j * d0 + k] for j in range(h)] for k in range(d0)] \
        + [[theta[h * d0 + i * h + j] for j in range(h)] for i in range(m)]
    holds = True
    for row_entries, a in zip(rows, left):
        got = sum((_entry_at(e, coords, ctx.constant(0)) * prod((x[t] ** int(v) for t, v in enumerate(c)),
                                                              start=ctx.constant(1))
                   for e, c in zip(row_entries, cols)), ctx.constant(0))
        holds &= got == sum((a[j] * cof[j] for j in range(h)), ctx.constant(0))
    return [_Candidate(
        "1/x adjugate stack",
        f"the rows dQ/dx_1..dQ/dx_{d0} (chain rule: sum_j W1[j,k] Q/l_j) and "
        f"{'P_1' if m == 1 else f'P_1..P_{m}'} "
        f"(W2 adj(L) 1) lie in the span of the {h} forms Q/l_j (Q = det L, L = diag(W1 x)): "
        f"rank <= {h}; its {h + 1}-minors vanish on V"
        + ("; for h = 2 they cut V out (a rank-2 quadric splits and P lies in the span of its "
           "partials; lower ranks are limits)" if h == 2 else
           "; not claimed to cut V out (Q must also be a product of linear forms)"),
        tuple(rows), h,
        "S = [W1^T; W2] (Q/l_j)_j as polynomials in theta and x (exact)" if holds else "",
        "set" if h == 2 else "")]


def _candidates(arch, phi) -> tuple[list[_Candidate], list[str]]:
    if isinstance(arch, MLP) and not arch.bias and not arch.is_rational:
        if arch.is_linear:
            return (_linear_network(arch, phi) if arch.depth >= 2 else []), []
        r = arch.activations[0].monomial_power
        if arch.depth == 2 and r is not None and r >= 2:
            return _catalecticants(arch, phi), []
    if isinstance(arch, CNN) and arch.activation.is_linear:
        return _lcn(arch, phi)
    if isinstance(arch, Attention):  # linear, low-rank, Chow-type, resultant families
        from .attention_families import attention_candidates

        return attention_candidates(arch, phi)
    if isinstance(arch, MLP) and arch.is_rational and arch.depth == 2:
        cands = _rational_adjugate(arch, phi)
        d0, h, m = arch.widths
        return cands, ([] if cands else [
            f"1/x network: the stacked matrix [dQ/dx; P] ({d0 + m} rows, "
            f"{comb(d0 + h - 2, h - 1)} columns) has rank <= {h} trivially: no minors"])
    if isinstance(arch, MLP) and arch.is_rational:
        from .rational_deep import common_factor_candidates

        return common_factor_candidates(arch, phi, _Candidate), []
    return [], []


def structural(arch, phi, *, rng, max_generators: int = 500) -> tuple[list[StructuralFamily], list[str]]:
    """The structural families of ``arch`` (parsed) in the coordinates of ``phi = expand(arch)``,
    each verified exactly on the parameterization; and notes (known fillings, what is missing).
    At most ``max_generators`` minors are listed per family (a cut listing claims nothing more
    than vanishing).

    Examples
    --------
    >>> import numpy as np
    >>> from neuroalg.polymap import expand
    >>> from neuroalg.spec import parse_spec
    >>> arch = parse_spec("mlp 2,2,2 x^3")
    >>> (fam,), notes = structural(arch, expand(arch), rng=np.random.default_rng(0))
    >>> fam.summary()
    'stacked catalecticant k=2: 3x4 matrix, rank <= 2: 4 generators of degree 3'
    """
    if isinstance(arch, CNN) and arch.activation.is_linear and sum(s > 1 for s in arch.strides[:-1]) > 1:
        from .lcn_generators import lcn_families  # several strides > 1: recursive generators

        return lcn_families(arch, phi, rng=rng, max_generators=max_generators)
    cands, notes = _candidates(arch, phi)
    ctx = _y_ring(phi.n_coordinates)
    families = []
    for cand in cands:
        if not cand.proof:
            notes.append(f"{cand.name}: the factorization identity failed for this architecture "
                         f"(internal error); family dropped")
            continue
        mat = [[_linear(ctx, e) for e in row] for row in cand.entries]
        if cand.rank_bound == 0:  # linear equations: the entries themselves, each substituted
            polys, cut = [row[0] for row in mat if not row[0].is_zero()], False
            checked = [_substitute(phi, f, budget=10**9) for f in polys]
            verification = "each form substituted symbolically: F(Phi(theta)) = 0 over Q"
        else:
            polys, cut = _minors(mat, cand.rank_bound + 1, max_generators)
            rank0 = _rank_at_random_point(phi, cand.entries, rng)
            checked = [_substitute(phi, f) for f in polys[:20]]
            checked.append(rank0 <= cand.rank_bound)
            n_sub = sum(c is True for c in checked[:-1])
            verification = (f"{cand.proof}, so rank <= {cand.rank_bound} on V; exact rank {rank0} "
                            f"at a random rational point of V; generators nonzero in y"
                            + (f"; {n_sub} substituted symbolically: F(Phi(theta)) = 0 over Q"
                               if n_sub else ""))
        if not polys:
            continue
        if any(c is False for c in checked):
            notes.append(f"{cand.name}: a generator does not vanish on Phi (internal error); dropped")
            continue
        cuts_out = cand.cuts_out if not cut else ""
        if len(polys) == 1 and cuts_out != "ideal":
            claim, why = _principal(arch, polys[0], phi.n_coordinates, rng)
            cuts_out, verification = claim or cuts_out, verification + why
        shown = cand.entries if cand.rank_bound else ()
        families.append(StructuralFamily(
            cand.name, cand.statement, tuple(tuple(_entry_str(e) for e in row) for row in shown),
            cand.rank_bound if cand.rank_bound else None, int(polys[0].total_degree()),
            tuple(_to_sympy_str(f) for f in polys), len(polys),
            verification + (f"; listing cut at {max_generators} minors" if cut else ""),
            cuts_out, polys=tuple(polys)))
    return families, notes


def _principal(arch, poly, n_coordinates: int, rng) -> tuple[str, str]:
    """("ideal", why) when I(V) = (poly): V has codimension 1 (proven rank bound
    dim V >= M - 1 from :func:`dimension`; poly != 0 vanishes on V) and poly is irreducible over
    Q. Then I(V) cap Q[y] is a height-one prime of the UFD Q[y], hence principal, generated by a
    divisor of poly; V is the closure of the image of a map defined over Q, so I(V) is generated
    over Q. Else ("", "")."""
    from ..dimension.dimension import dimension

    _, factors = poly.factor()
    if len(factors) != 1 or factors[0][1] != 1:
        return "", ""
    lower = dimension(arch, seed=rng).lower
    assert lower is not None  # exact: the architecture has a polynomial map
    if getattr(arch, "is_rational", False):  # dimension() is projective there: the cone has one more
        lower += 1
    if lower != n_coordinates - 1:
        return "", ""
    return "ideal", (f"; V is a hypersurface (dim V >= {lower} proven) and the generator is "
                     f"irreducible over Q, so it generates I(V)")


# --- comparison with the interpolated ideal -------------------------------------------------
def _coefficient_rank(polys, p: int | None) -> int:
    """Rank of the coefficient vectors of ``polys`` (exact over Q when p is None, else mod p)."""
    monos: dict[tuple[int, ...], int] = {}  # exponent vector -> column
    rows = []
    for f in polys:
        row = {}
        for exps, c in f.to_dict().items():
            row[monos.setdefault(exps, len(monos))] = c
        rows.append(row)
    if not rows:
        return 0
    if p is None:
        dense = []
        for row in rows:
            den = 1
            for c in row.values():
                den = den * int(c.q) // int(np.gcd(den, int(c.q)))
            line = [0] * len(monos)
            for j, c in row.items():
                line[j] = int(c.p) * (den // int(c.q))
            dense.append(line)
        return flint.fmpz_mat(dense).rank()
    mat = flint.nmod_mat(len(rows), len(monos), p)
    for i, row in enumerate(rows):
        for j, c in row.items():
            mat[i, j] = int(c.p) % p * pow(int(c.q), -1, p) % p
    return mat.rank()


def span(polys, bounds: dict, n_coordinates: int, *, prime: int,
         max_rows: int = 4000, coords=None) -> tuple[Span, ...]:
    """Compare the ideal generated by ``polys`` (homogeneous, in I(V)) with the interpolated I_d
    for each d in ``bounds`` = {d: (lower, upper)} (lower: verified independent forms or None;
    upper: proven bound on dim I_d). In degree d the ideal is spanned by the products of the
    generators with the monomials of the complementary degree; its rank r over Q (or mod p, a
    lower bound for it) gives: r >= upper -> spans I_d (proven); exact r < lower -> does not.
    With ``coords`` (polys and I_d in those coordinates only), the products use them only."""
    ctx = _y_ring(n_coordinates)
    coords = range(n_coordinates) if coords is None else coords
    out = []
    low = min((f.total_degree() for f in polys), default=None)
    for d in sorted(bounds):
        if low is None or d < low:
            continue
        lower, upper = bounds[d]
        n_rows = sum(comb(len(coords) + d - f.total_degree() - 1, d - f.total_degree())
                     for f in polys if f.total_degree() <= d)
        if n_rows > max_rows:
            out.append(Span(d, None, False, None, f"not compared: {n_rows} products > {max_rows}"))
            continue
        products = [f * prod((ctx.gens()[i] for i in c), start=ctx.constant(1))
                    for f in polys if f.total_degree() <= d
                    for c in combinations_with_replacement(coords, d - f.total_degree())]
        exact = n_rows <= 300
        rank = _coefficient_rank(products, None if exact else prime)
        how = "exact rank over Q" if exact else f"rank mod {prime}"
        if rank >= upper:
            out.append(Span(d, rank, exact, True, f"{how} {rank} = proven upper bound of dim I_{d}"))
        elif exact and lower is not None and rank < lower:
            out.append(Span(d, rank, exact, False,
                            f"{how} {rank} < {lower} verified independent forms in I_{d}"))
        else:
            out.append(Span(d, rank, exact, None, f"{how} {rank}, dim I_{d} in [{lower}, {upper}]"))
    return tuple(out)


def compare(family: StructuralFamily, bounds: dict, n_coordinates: int, *, prime: int) -> StructuralFamily:
    """``family`` with its :func:`span` against the interpolated bounds."""
    return replace(family, span=span(family.polys, bounds, n_coordinates, prime=prime))
