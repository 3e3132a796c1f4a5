"""Structural equations of deep binary 1/x networks: the numerators share a common factor.

``rational 2,2,...,2,m`` (L >= 3 weight layers, every width but the last 2, no biases). For hidden
widths 2 the recursion of :mod:`neuroalg.geometry.equations.rational_map` keeps every p^(k) a
pair of linear forms (p^(k+1) = W_{k+1} J p^(k), J the swap), so

    P_i = G * p^(L)_i,      G = prod_{t in L-1, L-3, ..., t >= 2} q^(t),     deg p^(L)_i = 1,

a product of deg P - 1 linear forms common to all outputs. Hence every row x_a P_i (a = 1, 2;
i = 1..m) of the stacked matrix of coefficients in degree deg P + 1 lies in G * S_2 (binary
quadrics times G, dimension 3): rank <= 3, and its 4-minors vanish on V. For m >= 3 the
coefficient matrix of P_1..P_m itself has rank <= 2 (P_i in G * S_1): cubic 3-minors.

They cut V out set-theoretically (over C). Q is free on V: a binary form of degree deg Q splits
into linear forms, which pair up into the levels t = L, L-2, ... (generic pairs are independent,
and p^(k+1) = W J p^(k) reaches any pair from an independent one), and p^(L) can be any linear
forms of the plane. So V = {(P, Q): P_i = G u_i, deg G = deg P - 1, u_i linear} x {all Q}.
Conversely let the rows have rank <= 3. If P_1, P_2 are independent, span{x_a P_1, x_a P_2} has
dimension 4 minus the number of independent relations b P_1 = c P_2 (b, c linear), so some
relation holds and G = gcd(P_1, P_2) has degree deg P - 1, and the rows span exactly G * S_2;
then x_a P_j in G * S_2 for both a gives G | P_j (if x_1 | G and x_2 | G compare the two
quotients). If all P_i are proportional to P_1 = G u (any factorization), (P, Q) is a limit of
(G u_i + e G v_i) with independent u, v. So the zero set of the minors is V.

For m = 1 or L = 2 (and for d0 = 2 those are exactly the filling deep binary networks, see
:mod:`neuroalg.geometry.dimension.rational_theory`) there are no such minors.
"""

from __future__ import annotations

from fractions import Fraction

import flint

from ...polymap import exponent_vectors
from .rational_map import _product, weight_matrices


def is_deep_binary(arch) -> bool:
    """1/x network without biases, depth >= 3, every hidden width 2 (any d0)."""
    return (bool(getattr(arch, "is_rational", False)) and arch.depth >= 3
            and all(w == 2 for w in arch.widths[1:-1]))


def common_factor_candidates(arch, phi, candidate) -> list:
    """The stacked matrix [x_a P_i] of rank <= 3 (module docstring) for ``rational 2,2,...,2,m``
    with m >= 2, L >= 3, and for m >= 3 the matrix [P_i] of rank <= 2, each as
    ``candidate(name, statement, entries, rank_bound, proof, cuts_out)`` (the structural family
    record of :mod:`neuroalg.geometry.equations.structural`); [] otherwise.
    The factorization P_i = G p^(L)_i is verified exactly as polynomials in theta and x."""
    d0, m, L = arch.widths[0], arch.widths[-1], arch.depth
    if not (is_deep_binary(arch) and d0 == 2 and m >= 2):
        return []
    deg_p, _ = arch.rational_degrees()
    index = {key: i for i, key in enumerate(phi.keys)}
    cols = [tuple(int(v) for v in e) for e in exponent_vectors(2, deg_p + 1)]
    rows = []
    for i in range(m):
        for a in range(2):  # x_a P_i: the coefficient of x^c is that of x^(c - e_a) in P_i
            row = []
            for c in cols:
                e = tuple(v - (t == a) for t, v in enumerate(c))
                j = index.get((i, e)) if min(e) >= 0 else None
                row.append(((j, Fraction(1)),) if j is not None else ())
            rows.append(tuple(row))
    proof = ("P_i = G p^(L)_i with deg_x p^(L)_i = 1, as polynomials in theta and x (exact)"
             if _factorization_holds(arch, phi) else "")
    levels = ", ".join(map(str, range(L - 1, 1, -2)))
    why = (f"hidden widths 2 keep every p^(k) a pair of linear forms, so P_i = G p^({L})_i with "
           f"G = prod of q^(t) over t = {levels} (degree {deg_p - 1}) and p^({L})_i linear")
    out = [candidate(
        "deep binary common factor", why + ": the rows x_a P_i lie in G * S_2, rank <= 3; the "
        "4-minors cut V out (Q is free on V; proof in neuroalg.geometry.equations.rational_deep)",
        tuple(rows), 3, proof, "set")]
    if m >= 3:  # the P_i themselves lie in G * S_1
        coeffs = [tuple(int(v) for v in e) for e in exponent_vectors(2, deg_p)]
        out.append(candidate(
            "deep binary numerator span", why + ": the P_i lie in G * S_1, rank <= 2",
            tuple(tuple(((index[(i, c)], Fraction(1)),) if (i, c) in index else () for c in coeffs)
                  for i in range(m)), 2, proof, "set"))
    return out


def _factorization_holds(arch, phi) -> bool:
    """P_i (read back from the coordinates of ``phi``) == G p^(L)_i in Q[theta, x], with p^(L)
    linear in x and G = prod_{t in L-1, L-3, ..., t >= 2} prod_j p^(t-1)_j."""
    n_par, d0, L = phi.n_params, arch.widths[0], arch.depth
    ctx = flint.fmpq_mpoly_ctx.get(tuple(f"t{i}" for i in range(n_par))
                                   + tuple(f"x{k}" for k in range(d0)), "lex")
    gens = ctx.gens()
    theta, x = gens[:n_par], gens[n_par:]
    weights = weight_matrices(arch, list(theta))
    pairs = [[sum((w * xk for w, xk in zip(row, x)), ctx.constant(0)) for row in weights[0]]]
    for W in weights[1:]:  # p^(k+1) = W_{k+1} J p^(k) for pairs
        p = pairs[-1]
        pairs.append([row[0] * p[1] + row[1] * p[0] for row in W])
    g = _product(ctx, [pairs[t - 2][0] * pairs[t - 2][1] for t in range(L - 1, 1, -2)])
    for i, p_last in enumerate(pairs[-1]):
        if any(sum(int(v) for v in e[n_par:]) != 1 for e in p_last.to_dict()):
            return False
        got = ctx.constant(0)
        for (k, e), poly in zip(phi.keys, phi.polys):
            if k == i:
                mono = _product(ctx, [x[t] ** int(v) for t, v in enumerate(e)])
                got += ctx.from_dict({a + (0,) * d0: flint.fmpq(c.numerator, c.denominator)
                                      for a, c in poly.items()}) * mono
        if got != g * p_last:
            return False
    return True
