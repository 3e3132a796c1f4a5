"""Membership and weights for deep 1/x networks: peel the levels of linear forms.

``rational d0,2,...,2,m`` (L >= 3 weight layers, hidden widths 2, no biases). By the recursion of
:mod:`neuroalg.geometry.equations.rational_map`, every p^(k) is a pair of linear forms of the
plane spanned by the rows of W_1 and p^(k+1) = W_{k+1} J p^(k) (J the swap), so

    f_i = P_i / Q,   Q = prod of the pairs p^(t)_1 p^(t)_2 at the levels t = L-1, L-3, ... >= 1,
                     P_i = p^(L)_i * G,  G = prod of the pairs at the levels t = L-2, L-4, ... >= 1.

**Exact necessary conditions** (each failure proves f not in V, the Zariski closure):
every output is homogeneous of degree deg P - deg Q; the reduced common denominator D has degree
<= deg Q; f is constant along a space K of directions of dimension >= d0 - 2 (f = g(B x) with
B of rank <= 2: the outputs of V are forms in two linear forms, a closed condition); and for
m >= 2 the reduced numerators N_i share a factor of degree >= deg N - 1 (the common factor
theorem of :mod:`neuroalg.geometry.equations.rational_deep`; Q is free on V). With d0 >= 2 these
are also sufficient for f in V: write f = N H / (D H) with any form H of degree deg Q - deg D.

**Peeling** (the weights). Reduce to two variables: g(y) = f(C y) with B C = I, so f = g(B x).
Choose H as a product of random rational linear forms (H = 1 when deg D = deg Q), P = N H,
Q = D H. Factor Q and the common part G of the P_i (for m = 1: P without one of its linear
factors) into linear forms over Q. Then assign the factors to the levels from the output
inward: the last hidden layer's poles are a pair of factors of Q (level L-1), the next pair of
G is level L-2, and so on; p^(L)_i = P_i Q_net / (Q G_net) is then linear, and the weights are
solved layer by layer: W_L = M_L M_{L-1}^{-1} J, W_k = M_k M_{k-1}^{-1} J, W_1 = M_1 B, where
M_k is the 2 x 2 coefficient matrix of the pair at level k (it must be invertible). Every
assignment that works is a point of the fiber modulo the permutations and rescalings of hidden
neurons; each recovered theta is **verified exactly**: (P, Q) recomputed from theta by the
recursion satisfies P_i D = N_i Q in Q[x] (cross-multiplication, over Q). When a needed factor
is not linear over Q (irrational poles) the same peeling runs on the complex roots: the weights
are floating point, accepted when the network reproduces f at random complex inputs (relative
residual <= 1e-8, reported), and realization is exact when Q and the common factor are
squarefree (distinct linear factors pair into independent levels); the membership verdicts
above stay exact.

For other hidden widths only the degree conditions are decided here; :func:`rational_target`
gives the unique ambient point (N, D) when deg D = deg Q, for the equations and the witness-set
test of :func:`neuroalg.geometry.membership.member.member` in the (P, Q) coordinates.

References
----------
Grosdos, Robeva, Zubkov (2025), Algebraic geometry of rational neural networks, arXiv:2509.11088.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from ..equations.rational_deep import is_deep_binary
from ..equations.rational_map import rational_forms
from .decomposition import EXACT, Decomposition, complex_point, to_fraction

METHOD = "peeling of linear poles (deep 1/x)"
#: what :func:`_peel` returns when a needed factor is not linear over Q
IRRATIONAL = "poles off the rational lines (factors of degree > 1 over Q)"
#: relative residual below which numerically recovered weights are accepted
NUMERICAL_TOL = 1e-8
#: level assignments tried at most
MAX_ASSIGNMENTS = 20000


def deep_rational(arch, exprs, rng) -> Decomposition:
    """Decide f = (f_1..f_m) (sympy expressions in lowest terms in x1..x_d0) for a 1/x network of
    depth >= 3 and recover weights for hidden widths 2 (module docstring)."""
    import sympy

    d0, m = arch.widths[0], arch.widths[-1]
    xs = sympy.symbols(f"x1:{d0 + 1}")
    deg_p, deg_q = arch.rational_degrees()

    def no(why):
        return Decomposition(METHOD, False, False, False, EXACT, why + " (exact)", fiber="empty")

    if all(e == 0 for e in exprs):
        theta = _zero_output(arch)
        return Decomposition(METHOD, True, True, True, EXACT, "f = 0: last layer zero (exact)",
                             fiber="positive-dimensional (W_1..W_{L-1} arbitrary); one point shown",
                             points=(complex_point(theta),), exact_points=(theta,), residual=0.0)
    dens = []
    for k, e in enumerate(exprs):
        num, den = sympy.fraction(e)
        pn, pd = sympy.Poly(num, *xs), sympy.Poly(den, *xs)
        if num != 0 and not (pn.is_homogeneous and pd.is_homogeneous
                             and pn.total_degree() - pd.total_degree() == deg_p - deg_q):
            return no(f"output {k + 1} is not homogeneous of degree {deg_p - deg_q}, as every output "
                      f"P_i/Q of this architecture is")
        dens.append(den)
    den = sympy.Poly(sympy.lcm(dens), *xs, domain="QQ")
    nums = [sympy.Poly(sympy.cancel(e * den.as_expr()), *xs, domain="QQ") for e in exprs]
    if den.total_degree() > deg_q:
        return no(f"the reduced common denominator has degree {den.total_degree()} > deg Q = {deg_q}")
    if not is_deep_binary(arch):
        return Decomposition(METHOD, None, None, None, EXACT,
                             f"homogeneous of degree {deg_p - deg_q} with a denominator of degree "
                             f"{den.total_degree()} <= {deg_q} (exact); no decomposition for hidden "
                             f"widths other than 2", fiber="")
    if d0 == 1:
        return _one_input(arch, exprs, xs)
    plane = _plane(nums, den, xs)
    if plane is None:
        return no(f"f is constant along fewer than d0 - 2 = {d0 - 2} independent directions, but with "
                  f"hidden widths 2 every output is a function of the two forms W_1 x")
    B, C = plane
    ys = sympy.symbols("y1:3")
    sub = {x: sum((C[k][j] * ys[j] for j in range(2)), sympy.Integer(0)) for k, x in enumerate(xs)}
    ny = [sympy.Poly(n.as_expr().subs(sub), *ys, domain="QQ") for n in nums]
    dy = sympy.Poly(den.as_expr().subs(sub), *ys, domain="QQ")
    nonzero = [n for n in ny if not n.is_zero]
    common = nonzero[0]
    for n in nonzero[1:]:
        common = common.gcd(n)
    deg_n = nonzero[0].total_degree()
    if m >= 2 and common.total_degree() < deg_n - 1:
        return no(f"the numerators share a factor of degree {common.total_degree()} < {deg_n - 1}, but "
                  f"on V they are G u_i with u_i linear (common factor theorem, "
                  f"neuroalg.geometry.equations.rational_deep)")
    in_v = "in V: degrees, two essential linear forms" + (", common numerator factor" if m >= 2 else "") \
        + " (exact)"
    h_deg = deg_q - dy.total_degree()
    shifts = _distinct_ints(rng, h_deg)
    extra = sympy.Poly(sympy.Mul(*[ys[0] + c * ys[1] for c in shifts]), *ys, domain="QQ")
    found = _peel(arch, [n * extra for n in ny], dy * extra, B, ys)
    if found == IRRATIONAL:
        return _numerical(arch, [n * extra for n in ny], dy * extra, B, ys, exprs, xs, rng, in_v)
    if isinstance(found, str):
        return Decomposition(METHOD, True, None, None, EXACT, f"{in_v}; realization undecided: {found}",
                             fiber="")
    thetas = [t for t in found if _recomposes(arch, t, nums, den, xs)]
    if not thetas:
        return Decomposition(METHOD, True, None, None, EXACT,
                             f"{in_v}; no level assignment of the linear factors recomposes f exactly: "
                             f"realization undecided (f may be a limit)", fiber="")
    if h_deg:
        thetas = thetas[:1]
    fiber = (f"finite modulo permutations and rescalings: {len(thetas)} point"
             f"{'s' if len(thetas) != 1 else ''} (level assignments of the linear factors), each "
             f"verified exactly" if h_deg == 0 else
             f"positive-dimensional: poles cancelled by a common factor of degree {h_deg} (chosen "
             f"at random here) are free; one point shown, verified exactly")
    return Decomposition(METHOD, True, True, True, EXACT,
                         f"{in_v}; weights peeled layer by layer from rational linear poles and "
                         f"verified by exact recomposition (P_i D = N_i Q over Q)",
                         fiber=fiber, points=tuple(complex_point(t) for t in thetas),
                         exact_points=tuple(thetas), residual=0.0)


def _distinct_ints(rng, k: int) -> list[int]:
    out: list[int] = []
    while len(out) < k:
        c = int(rng.integers(-50, 51))
        if c not in out:
            out.append(c)
    return out


def _zero_output(arch) -> tuple:
    """Weights of a network computing 0: hidden layers with nonsingular integer weights, W_L = 0."""
    theta: list[Fraction] = []
    for l in range(1, arch.depth + 1):
        rows, cols = arch.widths[l], arch.widths[l - 1]
        theta += [Fraction(0 if l == arch.depth else 1 + (i * cols + j) % 3 + (i == j))
                  for i in range(rows) for j in range(cols)]
    return tuple(theta)


def _one_input(arch, exprs, xs) -> Decomposition:
    """d0 = 1: f_i = c_i x^e. Hidden weights W_1 = (1, 2)^T and W_k = [[1, 1], [0, 1]] give last
    hidden outputs s x^e (s read off the network with W_L = I); W_L = c s^T / |s|^2 (exact)."""
    import sympy

    from ...arch import MLP

    x, L = xs[0], arch.depth
    hidden = [Fraction(1), Fraction(2)] + [Fraction(v) for _ in range(2, L) for v in (1, 1, 0, 1)]
    probe = MLP(arch.widths[:-1] + (2,), arch.activations, bias=False)
    forms, _ = rational_forms(probe, hidden + [Fraction(1), Fraction(0), Fraction(0), Fraction(1)])
    at_one = [Fraction(int(v.p), int(v.q)) for v in (f(1) for f in forms)]
    s = [v / at_one[-1] for v in at_one[:2]]
    deg_p, deg_q = arch.rational_degrees()
    cs = [to_fraction(sympy.cancel(e / x ** (deg_p - deg_q))) for e in exprs]
    norm = s[0] ** 2 + s[1] ** 2
    theta = tuple(hidden + [c * si / norm for c in cs for si in s])
    nums, den = _as_polys(exprs, xs)
    ok = _recomposes(arch, theta, nums, den, xs)
    return Decomposition(METHOD, True, ok or None, ok or None, EXACT,
                         "d0 = 1: every tuple of outputs c_i x^e is reached"
                         + ("; weights verified by exact recomposition" if ok else ""),
                         fiber="positive-dimensional; one point shown", points=(complex_point(theta),),
                         exact_points=(theta,) if ok else (), residual=0.0 if ok else None)


def _as_polys(exprs, xs):
    import sympy

    den = sympy.Poly(sympy.lcm([sympy.fraction(e)[1] for e in exprs]), *xs, domain="QQ")
    return [sympy.Poly(sympy.cancel(e * den.as_expr()), *xs, domain="QQ") for e in exprs], den


def _plane(nums, den, xs):
    """(B, C): B (2 x d0, rational) with f constant along ker B, and C (d0 x 2) with B C = I; None
    when the directions along which f is constant have dimension < d0 - 2."""
    import sympy

    d0 = len(xs)
    rows: dict = {}
    for i, n in enumerate(nums):
        for k, x in enumerate(xs):  # d_k (N_i / D) D^2 = N_i' D - N_i D'
            g = sympy.Poly(n.diff(x) * den - n * den.diff(x), *xs, domain="QQ")
            for mono, c in g.terms():
                rows.setdefault((i, mono), [0] * d0)[k] = c
    mat = sympy.Matrix(list(rows.values())) if rows else sympy.zeros(1, d0)
    kernel = mat.nullspace()
    if len(kernel) < d0 - 2:
        return None
    if kernel:
        annihilator = sympy.Matrix.hstack(*kernel).T.nullspace()
        b_rows = [list(v) for v in annihilator]
    else:
        b_rows = [list(sympy.eye(d0).row(k)) for k in range(d0)]
    for k in range(d0):  # complete to two independent rows (f depends on fewer forms)
        if len(b_rows) >= 2:
            break
        cand = b_rows + [list(sympy.eye(d0).row(k))]
        if sympy.Matrix(cand).rank() == len(cand):
            b_rows = cand
    B = sympy.Matrix(b_rows[:2])
    C = B.T * (B * B.T).inv()
    to_q = [[to_fraction(sympy.nsimplify(v)) for v in row] for row in B.tolist()]
    return to_q, [[sympy.Rational(v) for v in row] for row in C.tolist()]


def _linear_factors(poly, ys):
    """The linear factors (a, b) (a y1 + b y2, normalized) of a binary form over Q, with
    multiplicity and the leading constant; None if a factor of degree > 1 occurs."""
    const, factors = poly.factor_list()
    out = []
    for g, mult in factors:
        if g.total_degree() != 1:
            return None
        a, b = (to_fraction(g.coeff_monomial(y)) for y in ys)
        lead = a if a != 0 else b
        out += [(a / lead, b / lead)] * mult
    return out


def _pairings(items, k):
    """Sequences of k unordered pairs partitioning ``items`` (values; duplicates removed)."""
    if k == 0:
        yield ()
        return
    seen = set()
    for i, j in itertools.combinations(range(len(items)), 2):
        pair = (items[i], items[j])
        rest = items[:i] + items[i + 1:j] + items[j + 1:]
        for tail in _pairings(rest, k - 1):
            key = (tuple(sorted(pair)),) + tuple(tuple(sorted(p)) for p in tail)
            if key not in seen:
                seen.add(key)
                yield (pair,) + tail


def _peel(arch, P, Q, B, ys):
    """Candidate weight vectors (exact) from the level assignments of the linear factors of
    (P, Q) in y; a string says why there are none."""
    L = arch.depth
    levels_q, levels_n = list(range(L - 1, 0, -2)), list(range(L - 2, 0, -2))
    q_factors = _linear_factors(Q, ys)
    if q_factors is None:
        return IRRATIONAL
    nonzero = [p for p in P if not p.is_zero]
    common = nonzero[0]
    for p in nonzero[1:]:
        common = common.gcd(p)
    c_factors = _linear_factors(common, ys)
    if c_factors is None:
        return IRRATIONAL
    deg_p = nonzero[0].total_degree()
    # G: the common part of degree 2 len(levels_n); drop one linear factor when it has one more
    drops = [None] if len(c_factors) == 2 * len(levels_n) else sorted(set(c_factors))
    if len(c_factors) not in (2 * len(levels_n), 2 * len(levels_n) + 1) or deg_p != 2 * len(levels_n) + 1:
        return "the numerators have no common factor of the degree the levels need"
    out: list[tuple] = []
    tried = 0
    for drop in drops:
        g_factors = list(c_factors)
        if drop is not None:
            g_factors.remove(drop)
        for pairs_q in _pairings(sorted(q_factors), len(levels_q)):
            for pairs_n in _pairings(sorted(g_factors), len(levels_n)):
                tried += 1
                if tried > MAX_ASSIGNMENTS:
                    return out or f"more than {MAX_ASSIGNMENTS} level assignments"
                theta = _weights(arch, dict(zip(levels_q, pairs_q)) | dict(zip(levels_n, pairs_n)),
                                 P, Q, B, ys)
                if theta is not None:
                    out.append(theta)
    return out or "no level assignment of the linear factors gives independent pairs"


def _form(pair_rows, ys):
    import sympy

    return sympy.Mul(*[a * ys[0] + b * ys[1] for a, b in pair_rows])


def _weights(arch, levels, P, Q, B, ys):
    """theta (Fractions) for one assignment {level: pair of (a, b)}, or None (singular pair or
    p^(L) not linear)."""
    import sympy

    L = arch.depth
    M = {k: [[a, b] for a, b in levels[k]] for k in levels}
    if any(_det(M[k]) == 0 for k in M):
        return None
    q_net = sympy.Poly(sympy.Mul(*[_form(levels[k], ys) for k in range(L - 1, 0, -2)]), *ys, domain="QQ")
    g_net = sympy.Poly(sympy.Mul(*[_form(levels[k], ys) for k in range(L - 2, 0, -2)]), *ys, domain="QQ")
    scale = q_net.LC() / Q.LC()  # Q_net = scale Q: the same linear factors
    last = []
    for p in P:  # p^(L)_i = P_i Q_net / (Q G_net)
        quo, rem = p.mul_ground(scale).div(g_net)
        if not rem.is_zero or (not quo.is_zero and quo.total_degree() != 1):
            return None
        last.append([to_fraction(quo.coeff_monomial(y)) for y in ys])
    J = [[Fraction(0), Fraction(1)], [Fraction(1), Fraction(0)]]
    mats = [_matmul([[Fraction(v) for v in row] for row in M[1]], [[Fraction(v) for v in row] for row in B])]
    for k in range(2, L + 1):
        target = last if k == L else M[k]
        mats.append(_matmul(_matmul(target, _inv(M[k - 1])), J))
    return tuple(v for W in mats for row in W for v in row)


def _det(a):
    return a[0][0] * a[1][1] - a[0][1] * a[1][0]


def _inv(a):
    d = Fraction(_det(a))
    return [[a[1][1] / d, -a[0][1] / d], [-a[1][0] / d, a[0][0] / d]]


def _matmul(a, b):
    return [[sum((Fraction(a[i][k]) * Fraction(b[k][j]) for k in range(len(b))), Fraction(0))
             for j in range(len(b[0]))] for i in range(len(a))]


def _recomposes(arch, theta, nums, den, xs) -> bool:
    """(P, Q) of the recursion at theta satisfy P_i D = N_i Q in Q[x] (exact)."""
    import sympy

    forms, _ = rational_forms(arch, theta)
    polys = [sympy.Poly.from_dict({tuple(int(e) for e in k): sympy.Rational(int(c.p), int(c.q))
                                   for k, c in f.to_dict().items()} or {(0,) * len(xs): 0}, *xs, domain="QQ")
             for f in forms]
    q = polys[-1]
    return not q.is_zero and all((p * den - n * q).is_zero for p, n in zip(polys[:-1], nums))


def rational_target(arch, function: str):
    """(phi, y): the (P, Q) coordinates of :func:`~neuroalg.geometry.equations.rational_map.rational_map`
    and the point (N_1..N_m, D) of f = N / D in lowest terms, complex; y is None when deg D <
    deg Q (the ambient point of f is then not unique)."""
    import sympy

    from ..equations.rational_map import rational_map
    from .decompose import _parse

    d0, m = arch.widths[0], arch.widths[-1]
    xs = sympy.symbols(f"x1:{d0 + 1}")
    phi = rational_map(arch)
    nums, den = _as_polys(_parse(arch, function, rational=True), xs)
    if den.total_degree() != arch.rational_degrees()[1]:
        return phi, None
    y = np.zeros(phi.n_coordinates, dtype=np.complex128)
    for j, (k, e) in enumerate(phi.keys):
        poly = den if k == m else nums[k]
        y[j] = complex(poly.coeff_monomial(sympy.Mul(*[x ** int(v) for x, v in zip(xs, e)])))
    return phi, y


def _numerical(arch, P, Q, B, ys, exprs, xs, rng, in_v: str) -> Decomposition:
    """Irrational poles: the same peeling with the linear factors as complex roots. Realization
    is exact when Q and the common factor G are squarefree (distinct linear factors always pair
    into independent pairs, and every linear form of the plane is a p^(L)); the weights are
    floating point, checked against f at random complex inputs (``residual``)."""
    from ...fields import COMPLEX

    L = arch.depth
    levels_q, levels_n = list(range(L - 1, 0, -2)), list(range(L - 2, 0, -2))
    nonzero = [p for p in P if not p.is_zero]
    common = nonzero[0]
    for p in nonzero[1:]:
        common = common.gcd(p)
    squarefree = all(k == 1 for _, k in Q.sqf_list()[1]) and all(k == 1 for _, k in common.sqf_list()[1])
    q_roots, c_roots = _roots(Q, ys), _roots(common, ys)
    drops = [None] if len(c_roots) == 2 * len(levels_n) else list(range(len(c_roots)))
    samples = rng.standard_normal((len(nonzero[0].as_dict()) + 4, 2)) \
        + 1j * rng.standard_normal((len(nonzero[0].as_dict()) + 4, 2))
    p_at = np.array([[_eval(p, r) for p in P] for r in samples])  # (samples, m)
    q_at = np.array([_eval(Q, r) for r in samples])
    fs = [_lambdify(e, xs) for e in exprs]
    thetas: list[tuple] = []
    residuals: list[float] = []
    for drop in drops:
        g_roots = [r for k, r in enumerate(c_roots) if k != drop]
        for pairs_q in _pairings(list(range(len(q_roots))), len(levels_q)):
            for pairs_n in _pairings(list(range(len(g_roots))), len(levels_n)):
                levels = {k: [q_roots[i] for i in pair] for k, pair in zip(levels_q, pairs_q)}
                levels |= {k: [g_roots[i] for i in pair] for k, pair in zip(levels_n, pairs_n)}
                theta = _complex_weights(arch, levels, samples, p_at, q_at, B)
                res = np.inf if theta is None else _residual(arch, theta, fs, rng, COMPLEX)
                if theta is not None and res <= NUMERICAL_TOL:
                    thetas.append(theta)
                    residuals.append(res)
    if not thetas:
        return Decomposition(METHOD, True, None, None, EXACT,
                             f"{in_v}; realization undecided: no level assignment of the complex "
                             f"linear factors reproduces f numerically", fiber="")
    real = any(max(abs(v.imag) for v in t) <= NUMERICAL_TOL * (1 + max(abs(v) for v in t)) for t in thetas)
    why = ("distinct linear factors pair into independent levels (exact)" if squarefree else
           "repeated factors: realization read off the numerical weights only")
    n = len(thetas)
    return Decomposition(METHOD, True, True if squarefree else None, True if real else None, EXACT,
                         f"{in_v}; irrational poles: {why}; weights peeled numerically from the "
                         f"complex linear factors: {n} level assignment{'s' if n != 1 else ''} "
                         f"reproduce{'s' if n == 1 else ''} f at random complex inputs (max relative "
                         f"residual {max(residuals):.1e}); real weights "
                         f"{'found' if real else 'not found (undecided)'}",
                         fiber=f"finite modulo permutations and rescalings: {n} point{'s' if n != 1 else ''} "
                               f"(numerical weights)",
                         points=tuple(thetas), residual=max(residuals))


def _roots(poly, ys) -> list[tuple[complex, complex]]:
    """The linear factors (a, b) of a binary form, numerically: y2 for each leading zero
    coefficient, y1 - t y2 for each root t of F(t, 1)."""
    n = poly.total_degree()
    c = [complex(poly.coeff_monomial(ys[0] ** (n - k) * ys[1] ** k)) for k in range(n + 1)]
    r = next(k for k, v in enumerate(c) if v != 0)
    return [(0j, 1 + 0j)] * r + [(1 + 0j, complex(-t)) for t in np.roots(c[r:])]


def _eval(poly, r) -> complex:
    return complex(sum(complex(c) * r[0] ** e[0] * r[1] ** e[1] for e, c in poly.terms()))


def _lambdify(expr, xs):
    import sympy

    return sympy.lambdify(xs, expr, "numpy")


def _complex_weights(arch, levels, samples, p_at, q_at, B):
    """Complex theta for one assignment: the pairs M_k, p^(L)_i fitted as linear forms from
    P_i Q_net / (Q G_net) at the sample points, then W_L = U M_{L-1}^-1 J, W_k = M_k M_{k-1}^-1 J,
    W_1 = M_1 B; None when a pair is singular or p^(L) is not linear."""
    L = arch.depth
    M = {k: np.array(levels[k], dtype=complex) for k in levels}
    if any(abs(np.linalg.det(M[k])) <= 1e-10 * np.abs(M[k]).max() ** 2 for k in M):
        return None

    def product(ks, r):
        return np.prod([M[k][j] @ r for k in ks for j in (0, 1)]) if ks else 1.0

    q_lv, n_lv = list(range(L - 1, 0, -2)), list(range(L - 2, 0, -2))
    scale = np.array([product(q_lv, r) / (q * product(n_lv, r)) for r, q in zip(samples, q_at)])
    values = p_at * scale[:, None]  # p^(L)_i at the samples
    U = np.linalg.lstsq(samples, values, rcond=None)[0]
    if np.linalg.norm(samples @ U - values) > 1e-8 * (1 + np.linalg.norm(values)):
        return None
    J = np.array([[0, 1], [1, 0]], dtype=complex)
    mats = [M[1] @ np.array(B, dtype=complex)]
    for k in range(2, L + 1):
        target = U.T if k == L else M[k]
        mats.append(target @ np.linalg.inv(M[k - 1]) @ J)
    return tuple(complex(v) for W in mats for v in W.ravel())


def _residual(arch, theta, fs, rng, field) -> float:
    """max relative error of the network at theta against f at random complex inputs."""
    d0 = arch.widths[0]
    x = rng.standard_normal((6, d0)) + 1j * rng.standard_normal((6, d0))
    got = np.asarray(arch.forward(np.array(theta, dtype=complex), x, field))
    want = np.array([[complex(f(*row)) for f in fs] for row in x])
    return float(np.abs(got - want).max() / max(np.abs(want).max(), 1e-300))
