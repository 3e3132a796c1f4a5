"""Membership by decomposition: shallow monomial networks and shallow 1/x networks.

Two families have a known normal form that decides membership and gives the weights directly.

* **Shallow monomial networks** ``mlp d0,h,m x^r`` (no biases): f_k = sum_{i<=h} A_ki (w_i . x)^r,
  a simultaneous Waring decomposition of the m forms f_k with h common linear forms. Coordinates
  are the apolar moments c_alpha = coeff_alpha / multinomial(r; alpha), so that (w . x)^r has
  c_alpha = w^alpha; the catalecticant Cat_p(f)_{beta,gamma} = c_{beta+gamma} (|beta| = p,
  |gamma| = r - p) of a power has rank one.

  - d0 = 2, **Sylvester's algorithm** (Sylvester 1851; Reznick 1996, Thm 5.1; Comas–Seiguer
    2011): a binary form G(s, t) of degree k <= r + 1 lies in the kernel of the stacked
    catalecticant Cat_k (rows (f_k, i), i = 0..r-k; columns j = 0..k; entries c_{i+j}) iff all
    f_k lie in the span of the ell^r, ell = alpha x1 + beta x2, over the roots (alpha : beta) of G
    when G is squarefree (and in its Zariski closure otherwise). Hence, exactly over Q: f in V iff
    ker Cat_h != 0; f is realized by h neurons iff ker Cat_h contains a squarefree form, iff the
    gcd of a basis of ker Cat_h is squarefree (the moving part of a linear system of binary forms
    is base-point free, so its general member is squarefree in characteristic 0). Real weights
    exist iff ker Cat_h contains a squarefree form with only real roots (decided exactly when the
    kernel is one-dimensional; otherwise by an explicit real-rooted witness, or left undecided).
  - d0 >= 3, r = 2, m = 1: f is a quadric, realized over C and over R iff rank S <= h (exact
    rank of the symmetric matrix S over Q; Sylvester's law of inertia for R).
  - d0 >= 3, r >= 3, **Jennrich's algorithm** (Harshman 1970; Leurgans–Ross–Abel 1993) on the
    3-way tensor T[beta, gamma, (j, k)] = c^{(k)}_{beta+gamma+e_j}, |beta| = p = floor((r-1)/2),
    |gamma| = r-1-p, whose factors are [w_i^beta], [w_i^gamma], [w_ij A_ki] (for r = 2 and
    m >= 2 outputs: T[b, c, k] = S_k[b, c], factors [w_i], [w_i], [A_ki], which also needs
    no two columns A_:i proportional; otherwise an orthogonal symmetry acts). A flattening of
    rank rho > h proves f not in V (exact, over Q). When the factor [w_i^beta] has full column
    rank rho (so rho <= C(d0+p-1, p)) and no two w_i are proportional, the rho-term decomposition
    is unique (Kruskal 1977: k_A + k_B + k_C >= 2 rho + 2) and simultaneous diagonalization of
    two random slices recovers it (numerical, with its residual; exact when the recovered weights
    are rational and reproduce f exactly).

* **Shallow 1/x networks** ``rational d0,h,m``: partial fractions, see :mod:`partial_fractions`.

Before any of these, f is written in its essential variables (Carlini 2006): the span E of
the first catalecticant's columns; rank, border rank and real rank do not change, so e.g. a
ternary cubic in two essential variables is decided exactly by Sylvester's algorithm.

Symmetries of every fiber: permutations of the h neurons and rescalings w_i -> t w_i,
A_:i -> t^-r A_:i (r = -1 for 1/x). Recovered w_i are normalized to first nonzero coordinate 1,
so real linear forms give real weights.

References
----------
Reznick (1996), Homogeneous polynomial solutions to constant coefficient PDE's, Adv. Math. 117.
Comas, Seiguer (2011), On the rank of a binary form, Found. Comput. Math. 11, arXiv:math/0112311.
Carlini (2006), Reducing the number of variables of a polynomial, in Algebraic Geometry and
Geometric Modeling, Springer (essential variables).
Kruskal (1977), Three-way arrays: rank and uniqueness, Linear Algebra Appl. 18.
Leurgans, Ross, Abel (1993), A decomposition for three-way arrays, SIAM J. Matrix Anal. Appl. 14.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from ...errors import SpecError
from ...formula import parse_formula
from ...linalg.exact import rank_q
from ...polymap import exponent_vectors
from .decomposition import (
    EXACT,
    NUMERICAL,
    TOL,
    Decomposition,
    complex_point,
    fiber_text,
    parameter_vector,
    to_fraction,
    zero_decomposition,
)


def decompose(arch, function: str, *, seed=None) -> Decomposition | None:
    """Decide membership of ``function`` for shallow x^r or 1/x networks, and for deep 1/x networks
    (:mod:`rational_deep`) (None: no method applies).

    ``function`` is a polynomial (1/x networks: a rational function) in x1, x2, ...; outputs
    are separated by ';'. Raises SpecError for malformed input.
    """
    from ...random import check_seed

    _, rng = check_seed(seed)
    if getattr(arch, "is_rational", False) and arch.depth >= 3:
        from .rational_deep import deep_rational

        return deep_rational(arch, _parse(arch, function, rational=True), rng)
    if not _is_shallow(arch):
        return None
    n, h, m = arch.widths
    act = arch.activations[0]
    if arch.is_rational:
        from .partial_fractions import partial_fractions

        return partial_fractions(_parse(arch, function, rational=True), n, h, rng)
    r = act.monomial_power
    if r is None or r < 2:
        return None
    polys = _parse(arch, function, rational=False)
    scale = act.coefficients[r]  # sigma = c x^r: absorb c into the output weights
    moments = []
    for poly in polys:
        mom = {}
        for exps, c in poly.terms():
            if sum(exps) != r and c != 0:
                return Decomposition("degree", False, False, False, EXACT,
                                     f"f has a term of degree {sum(exps)}; every output of this "
                                     f"network is a form of degree {r}", fiber="empty")
            mom[tuple(int(e) for e in exps)] = Fraction(int(c.p), int(c.q)) / scale / _multinomial(exps)
        moments.append(mom)
    return _shallow(moments, n, r, h, rng)


def _shallow(moments, n, r, h, rng) -> Decomposition | None:
    """Dispatch on the number of essential variables of f (see :func:`_essential`)."""
    basis, pivots = _essential(moments, n, r)
    if not pivots:
        return zero_decomposition("essential variables", moments, n, h)
    if len(pivots) < n:
        rest = [j for j in range(n) if j not in pivots]
        reduced = [{tuple(a[j] for j in pivots): c for a, c in mom.items()
                    if all(a[j] == 0 for j in rest)} for mom in moments]
        return _lift(_shallow(reduced, len(pivots), r, h, rng), basis, r, h, len(moments))
    if n == 1:  # f_k = c_k x^r: one neuron
        theta = parameter_vector([[Fraction(1)]], [[mom.get((r,), Fraction(0))] for mom in moments], h)
        return Decomposition("one linear form", True, True, True, EXACT,
                             "f is a multiple of a single power (exact)", n_terms=1,
                             fiber=fiber_text(1, h, True), points=(complex_point(theta),),
                             exact_points=(theta,), residual=0.0)
    if n == 2:
        return _sylvester(moments, r, h, rng)
    if r == 2 and len(moments) == 1:
        return _symmetric_rank(moments[0], n, h)
    return _jennrich(moments, n, r, h, rng)


def _essential(moments, n, r):
    """A basis (rows, reduced echelon form over Q) of the essential linear forms of f: the
    column space of the stacked first catalecticant Cat_1, of which every f_k is a polynomial
    (Carlini 2006), with its pivot columns. With x_j = 0 off the pivots and x_pivot_k = y_k,
    g(y) = f(x) is f in e = rank variables, and f(x) = g(E x)."""
    import flint

    cat = _flattening(moments, n, r, 1)
    cols = len(cat[0])
    mat = flint.fmpq_mat(cols, n, [flint.fmpq(cat[j][c].numerator, cat[j][c].denominator)
                                   for c in range(cols) for j in range(n)])
    rref, rank = mat.rref()
    basis = [[Fraction(int(rref[i, j].p), int(rref[i, j].q)) for j in range(n)] for i in range(rank)]
    pivots = [next(j for j in range(n) if row[j] != 0) for row in basis]
    return basis, pivots


def _lift(dec, basis, r, h, m) -> Decomposition | None:
    """A decomposition of g(y) = f(x) in the essential variables y = E x, lifted to f: the
    neuron w (in y) becomes E^T w, renormalized (first nonzero coordinate 1, its output
    weights times the scale^r). Membership, border rank, rank and real rank are those of g:
    f = g o E and g = f o M are linear maps that send V to V (Carlini 2006, Prop. 1)."""
    if dec is None:
        return None
    e, n = len(basis), len(basis[0])

    def lift(theta, num):
        w1 = [theta[i * e:(i + 1) * e] for i in range(h)]
        w2 = [list(theta[h * e + k * h:h * e + (k + 1) * h]) for k in range(m)]
        ws = []
        for i, w in enumerate(w1):
            full = [sum((w[k] * num(basis[k][j]) for k in range(e)), num(0)) for j in range(n)]
            scale = next(v for v in full if abs(v) > TOL * max(abs(u) for u in full))
            ws.append([v / scale for v in full])
            for row in w2:
                row[i] = row[i] * scale ** r
        return tuple(v for w in ws for v in w) + tuple(v for row in w2 for v in row)

    fiber = dec.fiber
    if fiber.startswith("finite"):
        fiber = fiber.replace("finite:", "finite among neurons in the essential span:", 1)
    return Decomposition(dec.method, dec.in_variety, dec.is_realized, dec.is_real_realized,
                         dec.certainty, f"f depends on {e} essential linear form{'s' if e > 1 else ''} "
                         f"(Carlini 2006); "
                         f"in them, {dec.reason}", n_terms=dec.n_terms, fiber=fiber,
                         points=tuple(lift(p, complex) for p in dec.points),
                         exact_points=tuple(lift(p, Fraction) for p in dec.exact_points),
                         residual=dec.residual)


# --- parsing ------------------------------------------------------------------------------
def _is_shallow(arch) -> bool:
    from ...arch import MLP

    return (isinstance(arch, MLP) and arch.depth == 2 and not arch.bias
            and arch.activations[0].monomial_power is not None)


def _parse(arch, function, *, rational):
    import sympy

    n, m = arch.widths[0], arch.widths[-1]
    xs = sympy.symbols(f"x1:{n + 1}")
    parts = function.split(";")
    if len(parts) != m:
        raise SpecError(f"{arch} has {m} outputs: give {m} {'functions' if rational else 'polynomials'} "
                        f"separated by ';'")
    out = []
    for k, text in enumerate(parts):
        expr = parse_formula(text, [str(x) for x in xs], rational=rational, name=f"output {k + 1}")
        out.append(sympy.cancel(sympy.together(expr)) if rational
                   else sympy.Poly(expr, *xs, domain="QQ"))
    return out


def _multinomial(exps) -> int:
    out = math.factorial(sum(exps))
    for e in exps:
        out //= math.factorial(e)
    return out


def _normalize(w):
    """Scale a complex vector so that its first nonzero coordinate is 1."""
    w = np.asarray(w, dtype=np.complex128)
    j = int(np.argmax(np.abs(w) > TOL * np.abs(w).max()))
    return w / w[j], w[j]


def _is_real_vector(w) -> bool:
    return bool(np.all(np.abs(np.imag(w)) <= 1e-7 * (1 + np.abs(w))))


# --- binary forms: Sylvester ----------------------------------------------------------------
def _sylvester(moments, d, h, rng) -> Decomposition:
    import sympy

    tau = sympy.Symbol("tau")
    cs = [[mom.get((d - i, i), Fraction(0)) for i in range(d + 1)] for mom in moments]
    if all(c == 0 for row in cs for c in row):
        return zero_decomposition("Sylvester", moments, 2, h)
    top = min(h, d + 1)
    border = rank = None
    for k in range(1, top + 1):
        basis = _kernel_forms(cs, d, k, tau)
        if not basis:
            continue
        border = border or k
        if _fixed_part_squarefree(basis, k):
            rank = k
            break
    if border is None:
        return Decomposition("Sylvester", False, False, False, EXACT,
                             f"Sylvester: the catalecticant of order {h} has trivial kernel, so the "
                             f"border rank exceeds {h} (exact)", fiber="empty")
    if rank is None:
        return Decomposition("Sylvester", True, False, False, EXACT,
                             f"Sylvester: border rank {border} <= {h}, but no squarefree apolar form "
                             f"of degree <= {h}: rank > {h}, f is a limit only (exact)", fiber="empty")
    basis = _kernel_forms(cs, d, rank, tau)
    unique = len(basis) == 1
    chosen = (_squarefree_member(basis, rank, rng, real=False), rank)
    # real weights: a real-rooted squarefree apolar form of some degree k in [rank, h]
    real: bool | None = False
    real_note = ""
    for k in range(rank, top + 1):
        kb = basis if k == rank else _kernel_forms(cs, d, k, tau)
        real_g = (sympy.Poly(math.prod(tau - j for j in range(k)), tau, domain="QQ") if k == d + 1
                  else _squarefree_member(kb, k, rng, real=True))  # k = d+1: no conditions
        if real_g is not None:
            real, chosen = True, (real_g, k)
            break
        if len(kb) > 1 and _all_real_roots(_gcd_form(kb, k)):
            real, real_note = None, f"; no real-rooted apolar form of degree {k} found in random trials"
    point, exact, residual = _binary_weights(*chosen, cs, d)
    text = (f"Sylvester: apolar ideal of f has a squarefree form of degree {rank} "
            f"(rank {rank} <= {h}, border rank {border}); real weights: "
            f"{ {True: 'yes', False: 'no', None: 'undecided'}[real] }{real_note} (exact)")
    fiber = fiber_text(rank, h, unique)
    if chosen[1] > rank:
        fiber = (f"positive-dimensional; the point shown is real with {chosen[1]} terms "
                 f"(over C, {rank} suffice)")
    return Decomposition("Sylvester", True, True, real, EXACT, text, n_terms=rank, fiber=fiber,
                         points=(complex_point(parameter_vector(*point, h)),),
                         exact_points=(parameter_vector(*exact, h),) if exact is not None else (),
                         residual=residual)


def _kernel_forms(cs, d, k, tau):
    """Basis of binary forms G of degree k (dehomogenized: sum_j g_j tau^j) with Cat_k G = 0."""
    import sympy

    rows = [[c[i + j] for j in range(k + 1)] for c in cs for i in range(d - k + 1)]
    if rows:
        null = sympy.Matrix([[sympy.Rational(v.numerator, v.denominator) for v in row]
                             for row in rows]).nullspace()
    else:
        null = [sympy.Matrix([int(i == j) for i in range(k + 1)]) for j in range(k + 1)]
    return [sympy.Poly(sum(v[j] * tau**j for j in range(k + 1)), tau, domain="QQ") for v in null]


def _inf_mult(g, k):
    """Multiplicity of the root (0 : 1) of the degree-k form with dehomogenization g."""
    return k - g.degree() if not g.is_zero else k


def _gcd_form(basis, k):
    import sympy

    g = basis[0]
    for b in basis[1:]:
        g = sympy.gcd(g, b)
    return g, min(_inf_mult(b, k) for b in basis)


def _fixed_part_squarefree(basis, k) -> bool:
    g, at_inf = _gcd_form(basis, k)
    return at_inf <= 1 and (g.degree() <= 0 or g.is_sqf)


def _all_real_roots(form) -> bool:
    g, _ = form
    return g.degree() <= 0 or g.count_roots() == g.degree()


def _squarefree_member(basis, k, rng, *, real, trials: int = 200):
    """A squarefree form (dehomogenized) in span(basis), with only real roots if ``real``."""
    if not basis or not _fixed_part_squarefree(basis, k):
        return None
    for t in range(trials if len(basis) > 1 else 1):
        coeffs = [1] if len(basis) == 1 else (
            [int(i == t) for i in range(len(basis))] if t < len(basis)
            else [int(c) for c in rng.integers(-9, 10, len(basis))])
        g = sum((c * b for c, b in zip(coeffs[1:], basis[1:])), coeffs[0] * basis[0])
        if g.is_zero or _inf_mult(g, k) > 1 or (g.degree() > 0 and not g.is_sqf):
            continue
        if not real or g.degree() <= 0 or g.count_roots() == g.degree():
            return g
    return None


# (weights w_l, output weights A) of a decomposition: Fractions when exact, else complex numbers
_Weights = tuple[list[list[Any]], list[list[Any]]]


def _binary_weights(g, k, cs, d) -> tuple[_Weights, _Weights | None, float]:
    """Weights from a squarefree apolar form of degree k with dehomogenization g: w = (1, t) for
    each root t of g, and w = (0, 1) for a root at infinity (k > deg g); output weights by
    solving the moment equations c_i = sum_l A_l w_l1^(d-i) w_l2^i (exactly when all roots are
    rational). Returns (point, exact point or None, residual)."""
    import sympy

    factors = g.factor_list()[1] if g.degree() > 0 else []
    exact = all(f.degree() == 1 for f, _ in factors)
    ws: list[list[Any]]  # Fractions when exact, else complex numbers
    one: Fraction | complex
    zero: Fraction | complex
    if exact:
        ws = [[Fraction(1), -to_fraction(f.all_coeffs()[1]) / to_fraction(f.all_coeffs()[0])] for f, _ in factors]
        one, zero = Fraction(1), Fraction(0)
    else:
        ws = [[1.0 + 0j, complex(t)] for t in g.nroots(n=30)]
        one, zero = 1.0 + 0j, 0j
    if _inf_mult(g, k):
        ws.append([zero, one])
    rows = [[w[0] ** (d - i) * w[1] ** i for w in ws] for i in range(d + 1)]
    if exact:
        mat = sympy.Matrix([[sympy.Rational(v.numerator, v.denominator) for v in r] for r in rows])
        a = []
        for c in cs:
            rhs = sympy.Matrix([sympy.Rational(v.numerator, v.denominator) for v in c])
            sol = (mat.T * mat).solve(mat.T * rhs)
            assert mat * sol == rhs, "apolarity: the exact weights reproduce f"
            a.append([to_fraction(v) for v in sol])
        point = ([[complex(v) for v in w] for w in ws], [[complex(v) for v in row] for row in a])
        return point, (ws, a), 0.0
    mat = np.array(rows, dtype=np.complex128)
    rhs = np.array([[float(v) for v in c] for c in cs]).T
    a, *_ = np.linalg.lstsq(mat, rhs, rcond=None)
    residual = float(np.abs(mat @ a - rhs).max() / max(np.abs(rhs).max(), 1e-300))
    return (ws, a.T.tolist()), None, residual


# --- quadrics: symmetric rank ---------------------------------------------------------------
def _symmetric_rank(mom, n, h) -> Decomposition:
    import flint

    e = np.eye(n, dtype=np.int64)
    s = [[mom.get(tuple(e[a] + e[b]), Fraction(0)) for b in range(n)] for a in range(n)]
    rank = flint.fmpq_mat(n, n, [flint.fmpq(v.numerator, v.denominator) for row in s for v in row]).rank()
    if rank > h:
        return Decomposition("symmetric rank", False, False, False, EXACT,
                             f"the symmetric matrix of f has rank {rank} > {h} (exact)", fiber="empty")
    if rank == 0:
        return zero_decomposition("symmetric rank", [mom], n, h)
    lam, vec = np.linalg.eigh(np.array(s, dtype=float))
    keep = np.argsort(-np.abs(lam))[:rank]
    ws, a = [], []
    for i in keep:
        w, t = _normalize(vec[:, i])
        ws.append(w.real.tolist())
        a.append(float(lam[i] * (t * t).real))
    mat = np.array(s, dtype=float)
    approx = sum(ai * np.outer(w, w) for ai, w in zip(a, ws))
    residual = float(np.abs(approx - mat).max() / np.abs(mat).max())
    fiber = (fiber_text(rank, h, True) if rank == 1 else
             "positive-dimensional (the orthogonal group of sum_i A_i z_i^2 acts on the hidden "
             "layer); one point shown")
    return Decomposition("symmetric rank", True, True, True, EXACT,
                         f"the symmetric matrix of f has rank {rank} <= {h}; real by Sylvester's "
                         f"law of inertia (exact)", n_terms=rank, fiber=fiber,
                         points=(complex_point(parameter_vector(ws, [a], h)),), residual=residual)


# --- d0 >= 3, r >= 3: flattenings and Jennrich ---------------------------------------------
def _flattening(moments, n, r, p):
    """Stacked catalecticant [Cat_p(f_1) | ... | Cat_p(f_m)] (exact Fractions), rows degree p."""
    rows, cols = exponent_vectors(n, p), exponent_vectors(n, r - p)
    return [[mom.get(tuple(b + c), Fraction(0)) for mom in moments for c in cols] for b in rows]


def _jennrich(moments, n, r, h, rng) -> Decomposition:
    ranks = {p: rank_q(_flattening(moments, n, r, p)) for p in range(1, r // 2 + 1)}
    worst = max(ranks, key=ranks.__getitem__)
    if ranks[worst] > h:
        return Decomposition("catalecticant", False, False, False, EXACT,
                             f"the catalecticant flattening of order ({worst}, {r - worst}) has rank "
                             f"{ranks[worst]} > {h}, and rank <= {h} on all of V (exact)", fiber="empty")
    if r == 2:  # quadrics: the third mode is the output index, T[b, c, k] = S_k[b, c]
        p, rho = 1, ranks[1]
        rows = exponent_vectors(n, 1)
        cols = rows
        tensor = np.array([[[float(mom.get(tuple(b + c), 0)) for mom in moments] for c in cols]
                           for b in rows])
    else:
        p = (r - 1) // 2
        rho = ranks.get(p, rank_q(_flattening(moments, n, r, p)))
        rows, cols, unit = exponent_vectors(n, p), exponent_vectors(n, r - 1 - p), np.eye(n, dtype=np.int64)
        tensor = np.array([[[float(mom.get(tuple(b + c + unit[j]), 0))
                             for mom in moments for j in range(n)] for c in cols] for b in rows])
    if rho == 0:
        return zero_decomposition("Jennrich", moments, n, h)
    u = np.linalg.svd(tensor.reshape(len(rows), -1))[0][:, :rho]
    v = np.linalg.svd(tensor.transpose(1, 0, 2).reshape(len(cols), -1))[0][:, :rho]
    residual = np.inf
    for _ in range(3):  # random slice pairs; a bad pair only shows as a large residual
        z = rng.standard_normal((2, tensor.shape[2])) + 1j * rng.standard_normal((2, tensor.shape[2]))
        n1, n2 = (u.conj().T @ (tensor @ zz) @ v.conj() for zz in z)
        try:
            _, x = np.linalg.eig(n1 @ np.linalg.inv(n2))
        except np.linalg.LinAlgError:
            continue
        cand = [_normalize(_root_of_power(u @ x[:, i], rows, p, n))[0] for i in range(rho)]
        a_cand, res = _output_weights(cand, moments, n, r)
        if res < residual:
            ws, a, residual = cand, a_cand, res
        if residual <= TOL:
            break
    why = (f"Jennrich: flattening rank {rho} = number of terms; the factor of the w_i^beta "
           f"(|beta| = {p}) has full column rank, no two w_i proportional (unique by Kruskal)")
    decisive = rho == h and r >= 3  # for r = 2 proportional output columns defeat Jennrich
    if residual > TOL:
        return Decomposition("Jennrich", None, False if decisive else None, None, NUMERICAL,
                             f"Jennrich: no {rho}-term decomposition with independent factors "
                             f"(residual {residual:.2g}); " +
                             ("so no h-term decomposition (numerical)" if decisive else "undecided"))
    # Kruskal: unique iff the third factor has no two proportional columns (for r >= 3 these
    # are w_i (x) A_:i with distinct w_i; for r = 2 the output columns A_:i)
    unique = r >= 3 or all(np.linalg.matrix_rank(a[:, [i, j]], tol=1e-8 * np.abs(a).max()) == 2
                           for i in range(rho) for j in range(i + 1, rho))
    if not unique:
        why = (f"Jennrich: flattening rank {rho} = number of terms, but two output columns are "
               f"proportional: an orthogonal group acts, the decomposition is not unique")
    exact = _rationalize(ws, moments, n, r)
    real = _is_real_vector(np.array(ws)) or (False if rho == h and unique else None)
    certainty = EXACT if exact is not None else NUMERICAL
    text = (f"{why}; f realized with {rho} <= {h} terms, "
            f"{'verified exactly with the rational weights' if exact else f'residual {residual:.2g}'}; "
            f"real weights: {({True: 'yes', False: 'no (the decomposition is unique)', None: 'undecided'})[real]} "
            f"({certainty})")
    return Decomposition("Jennrich", True, True, real, certainty, text, n_terms=rho,
                         fiber=fiber_text(rho, h, unique),
                         points=(complex_point(parameter_vector(*exact, h)) if exact else
                                 parameter_vector([list(w) for w in ws], a.tolist(), h),),
                         exact_points=(parameter_vector(*exact, h),) if exact else (),
                         residual=0.0 if exact else residual)


def _root_of_power(col, rows, p, n):
    """w (up to scale) from the vector (w^beta)_{|beta| = p}."""
    if p == 1:
        return col
    index = {tuple(b): i for i, b in enumerate(rows)}
    e = np.eye(n, dtype=np.int64)
    j0 = max(range(n), key=lambda j: abs(col[index[tuple(p * e[j])]]))
    pivot = col[index[tuple(p * e[j0])]]
    return np.array([col[index[tuple((p - 1) * e[j0] + e[j])]] / pivot for j in range(n)])


def _output_weights(ws, moments, n, r):
    """Least-squares output weights A (m x terms) with f_k = sum_i A_ki (w_i . x)^r, and the
    relative residual in moment coordinates."""
    exps = exponent_vectors(n, r)
    design = np.array([[np.prod(w ** e) for w in ws] for e in exps])
    target = np.array([[float(mom.get(tuple(e), 0)) for mom in moments] for e in exps])
    a, *_ = np.linalg.lstsq(design, target, rcond=None)
    residual = float(np.abs(design @ a - target).max() / max(np.abs(target).max(), 1e-300))
    return a.T, residual


def _rationalize(ws, moments, n, r) -> tuple[list[list[Fraction]], list[list[Fraction]]] | None:
    """Rational weights near ``ws`` that reproduce f exactly, or None."""
    import flint

    if not _is_real_vector(np.array(ws)):
        return None
    wq = [[Fraction(float(v.real)).limit_denominator(10**6) for v in w] for w in ws]
    exps = exponent_vectors(n, r)
    design = [[math.prod(wv ** int(k) for wv, k in zip(w, e)) for w in wq] for e in exps]
    mat = flint.fmpq_mat(len(exps), len(wq), [flint.fmpq(v.numerator, v.denominator)
                                               for row in design for v in row])
    a: list[list[Fraction]] = []
    for mom in moments:
        rhs = flint.fmpq_mat(len(exps), 1, [flint.fmpq(mom.get(tuple(e), Fraction(0)).numerator,
                                                       mom.get(tuple(e), Fraction(0)).denominator)
                                            for e in exps])
        try:
            sol = (mat.transpose() * mat).solve(mat.transpose() * rhs)
        except ZeroDivisionError:
            return None
        if mat * sol != rhs:
            return None
        a.append([Fraction(int(sol[i, 0].p), int(sol[i, 0].q)) for i in range(len(wq))])
    return wq, a
