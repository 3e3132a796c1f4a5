"""Membership for shallow 1/x networks by partial fractions (exact over Q and its number fields).

``rational d0,h,m`` (the zoo's definition: no biases):
f_k = sum_{i<=h} A_ki / (w_i . x). In lowest terms P_k / Q with Q = prod_i (w_i . x) over the
live neurons, so f is realized iff every f_k is homogeneous of degree -1, the reduced common
denominator Q is squarefree, of degree <= h, a product of linear forms over C, and each P_k lies
in the span of prod_{j != i} (w_j . x) (partial fractions; automatic for d0 = 2). The poles
determine the w_i up to scale and the residues the A_ki, so the decomposition is unique up to
permutations and rescalings, and real weights exist iff every linear factor of Q is real.
All verdicts are exact: each Q-irreducible factor g of Q is tested over the number field
K = Q[t]/(g(t u + v)) (one linear factor over K, found by implicit differentiation, divides g
iff g splits into linear forms, by Galois conjugacy), and so is the constancy of the residues;
the weights are exact rationals when every factor is linear, else the conjugate roots in K,
evaluated numerically (their residual is reported).

References
----------
Grosdos, Robeva, Zubkov (2025), Algebraic geometry of rational neural networks, arXiv:2509.11088.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .decomposition import (
    EXACT,
    TOL,
    Decomposition,
    complex_point,
    fiber_text,
    parameter_vector,
    to_fraction,
    zero_decomposition,
)


def partial_fractions(exprs, n, h, rng) -> Decomposition:
    """Decide f = (f_1, ..., f_m) (sympy expressions in lowest terms, variables x1..x_n) for
    ``rational n,h,m``; the weights are recovered for every point of the (unique) fiber."""
    import sympy

    xs = sympy.symbols(f"x1:{n + 1}")
    method = "partial fractions"
    if all(e == 0 for e in exprs):
        return zero_decomposition(method, exprs, n, h)

    def no(why, in_v=False):
        return Decomposition(method, in_v, False, False, EXACT, why + " (exact)", fiber="empty")

    dens = []
    for k, e in enumerate(exprs):
        num, den = sympy.fraction(e)
        pn, pd = sympy.Poly(num, *xs), sympy.Poly(den, *xs)
        if num != 0 and not (pn.is_homogeneous and pd.is_homogeneous
                             and pd.total_degree() == pn.total_degree() + 1):
            return no(f"output {k + 1} is not homogeneous of degree -1, as every output of a 1/x "
                      f"network without biases is")
        dens.append(den)
    q = sympy.Poly(sympy.lcm(dens), *xs, domain="QQ")
    if q.total_degree() > h:
        return no(f"the reduced common denominator has degree {q.total_degree()} > {h}: more poles "
                  f"than hidden neurons")
    _, factors = q.factor_list()
    if any(mult > 1 for _, mult in factors):
        return Decomposition(method, None, False, False, EXACT,
                             "the reduced denominator has a repeated factor: not a sum of simple "
                             "fractions 1/(w.x) (exact); f may still be a limit of such sums",
                             fiber="empty")
    numerators = [sympy.Poly(sympy.cancel(e * q.as_expr()), *xs, domain="QQ") for e in exprs]
    families = []
    for g, _ in factors:
        fam = _pole_family(g, q, numerators, xs, rng)
        if fam == "undecided":
            return Decomposition(method, None, None, None, EXACT,
                                 f"no generic line found for the factor {g.as_expr()}: undecided",
                                 fiber="empty")
        if fam is None:
            return no(f"the denominator factor {g.as_expr()} is not a product of linear forms, "
                      f"as every denominator in V is")
        if fam == "span":
            return Decomposition(method, None, False, False, EXACT,
                                 f"the residue of f along a linear factor of {g.as_expr()} is not "
                                 f"constant (the numerator is not in the span of the products of "
                                 f"all but one linear factor): f is not a sum of terms A_i/(w_i.x) "
                                 f"(exact); f may still be a limit of such sums", fiber="empty")
        families.append(fam)
    return _assemble_poles(families, exprs, xs, h, rng)


def _pole_family(g, q, numerators, xs, rng, *, tries: int = 20):
    """Decide exactly whether the Q-irreducible factor g of the denominator is a product of
    linear forms, and whether f has constant residues along them.

    On a line t -> t u + v (integers, g(u) != 0) p(t) = g(t u + v) is irreducible for generic v.
    If g = prod_sigma ell_sigma (Galois conjugates, ell(u) = 1) then beta = -ell_1(v) is a root of
    p and ell_1 = sum_j c_j(beta) x_j with c_j = d_j g (beta u + v) / p'(beta) in K = Q[t]/(p)
    (differentiate g(ell-root) = 0 along e_j). Conversely, if g vanishes on ell_1 = 0 over K,
    ell_1 divides g, and since Gal(Qbar/Q) permutes the absolutely irreducible factors of g
    transitively, all are linear. The residue of f_k along ell_1 is P_k / (d_u Q) restricted to
    ell_1 = 0 (Q = ell_1 Q_1, d_u Q = Q_1 there); f is a sum of simple fractions iff it is a
    constant a_k(beta) in K. Returns (p, c, a) as polynomials in t, None (not a product of linear
    forms), "span" (residue not constant) or "undecided" (no line with p irreducible found).
    """
    import sympy

    t = sympy.Symbol("t")
    n, e = len(xs), g.total_degree()
    for _ in range(tries):
        u, v = ([int(z) for z in rng.integers(-3, 4, n)] for _ in range(2))
        line = {x: t * ui + vi for x, ui, vi in zip(xs, u, v)}
        pt = sympy.Poly(g.as_expr().subs(line), t, domain="QQ")
        if pt.degree() == e and pt.is_irreducible:
            break
    else:
        return "undecided"
    zero = sympy.Poly(0, t, domain="QQ")

    def mod(poly):
        return poly.rem(pt)

    dp_inv = sympy.invert(pt.diff(t), pt)
    c = [mod(sympy.Poly(g.diff(x).as_expr().subs(line), t, domain="QQ") * dp_inv) for x in xs]
    j0 = next(j for j in range(n) if not c[j].is_zero)
    inv0 = sympy.invert(c[j0], pt)
    others = [x for j, x in enumerate(xs) if j != j0]
    on_plane = {xs[j0]: -sum((mod(c[j] * inv0).as_expr() * xs[j] for j in range(n) if j != j0),
                             sympy.Integer(0))}

    def restrict(expr):  # expr on ell_1 = 0, coefficients (in others) reduced mod p
        poly = sympy.Poly(sympy.expand(expr.subs(on_plane)), *others, t, domain="QQ")
        out: dict[tuple[int, ...], Any] = {}  # monomial in others -> sympy.Poly in t
        for exps, coeff in poly.terms():
            out[exps[:-1]] = out.get(exps[:-1], zero) + sympy.Poly(coeff * t ** exps[-1], t, domain="QQ")
        return {k: mod(v) for k, v in out.items() if not mod(v).is_zero}

    if restrict(g.as_expr()):
        return None
    b = restrict(sum(ui * q.diff(x).as_expr() for ui, x in zip(u, xs)))
    mono, b0_inv = next(iter(b)), sympy.invert(b[next(iter(b))], pt)
    residues = []
    for pk in numerators:
        ak = restrict(pk.as_expr())
        r = mod(ak.get(mono, zero) * b0_inv)
        if any(not mod(ak.get(m, zero) - r * b.get(m, zero)).is_zero for m in set(ak) | set(b)):
            return "span"
        residues.append(r)
    return pt, c, residues


def _assemble_poles(families, exprs, xs, h, rng) -> Decomposition:
    """Weights from the pole families: for each root beta of p, w = c(beta) (first nonzero
    coordinate 1) and A_k = a_k(beta) / (that coordinate); exact when every p is linear."""
    import sympy

    exact = all(p.degree() == 1 for p, _, _ in families)
    real = all(p.count_roots() == p.degree() for p, _, _ in families)
    ws, cols = [], []
    for p, c, a in families:
        roots: list[Any]  # Fractions when exact, else complex numbers
        value: list[Callable[..., Any]]  # evaluation of a sympy Poly at each root
        if exact:
            roots = [-to_fraction(p.all_coeffs()[1]) / to_fraction(p.all_coeffs()[0])]
            value = [lambda poly, b=roots[0]: to_fraction(poly.eval(sympy.Rational(b.numerator, b.denominator)))]
        else:
            roots = [complex(z) for z in p.nroots(n=30)]
            value = [lambda poly, b=b: complex(np.polyval([complex(co) for co in poly.all_coeffs()], b))
                     for b in roots]
        for ev in value:
            w = [ev(cj) for cj in c]
            lead = next(x for x in w if x != 0 and abs(x) > TOL * max(abs(y) for y in w))
            ws.append([x / lead for x in w])
            cols.append([ev(ak) / lead for ak in a])
    k = len(ws)
    a_rows = [[col[j] for col in cols] for j in range(len(exprs))]
    theta = parameter_vector(ws, a_rows, h)
    # independent evidence for the weights: f at random complex points
    pts = rng.standard_normal((4, len(xs))) + 1j * rng.standard_normal((4, len(xs)))
    funcs = [sympy.lambdify(xs, e, "numpy") for e in exprs]
    got = np.array([[sum(complex(a_rows[j][i]) / complex(np.dot(np.array(ws[i], dtype=complex), x))
                         for i in range(k)) for j in range(len(exprs))] for x in pts])
    want = np.array([[complex(f(*x)) for f in funcs] for x in pts])
    residual = float(np.abs(got - want).max() / max(np.abs(want).max(), 1e-300))
    word = "yes" if real else "no (a pole off the real hyperplanes; the decomposition is unique)"
    where = "rational hyperplanes" if exact else "hyperplanes over number fields, weights numerical"
    return Decomposition("partial fractions", True, True, real, EXACT,
                         f"partial fractions: {k} <= {h} simple poles at {where}, constant "
                         f"residues; real weights: {word} (exact)", n_terms=k,
                         fiber=fiber_text(k, h, True), points=(complex_point(theta),),
                         exact_points=(theta,) if exact else (), residual=residual)
