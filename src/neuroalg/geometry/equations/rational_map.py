"""Exact coordinates of shallow 1/x networks: the numerators and common denominator (P_1..P_m, Q).

``rational d0,h,m`` (no biases) computes f = W2 (1 / (W1 x)) componentwise. With the linear forms
l = W1 x (l_j = sum_k W1[j,k] x_k) and L = diag(l),

    Q = det L = prod_j l_j                      (degree h),
    P_i = (W2 adj(L) 1)_i = sum_j W2[i,j] prod_{s != j} l_s     (degree h - 1),

so f_i = P_i / Q (clear the denominators of sum_j W2[i,j] / l_j). Grosdos, Robeva and Zubkov take
the tuple (P_1, ..., P_m, Q) of homogeneous forms of these degrees as the ambient space, up to a
common scalar (``MLP.rational_degrees``, ``MLP.ambient_dimension``). Here the coordinates are the
affine cone over it: the coefficients of P_1, ..., P_m, Q in the input monomials, as exact
polynomials in theta (:class:`neuroalg.polymap.PolynomialMap`, so the interpolation of
:mod:`neuroalg.geometry.equations` applies unchanged). The image is closed under
(P, Q) -> (a P, b Q) (scale W2; scale one row of W1 and the matching column of W2), so it is a
cone and its closure has dimension ``dimension(arch) + 1`` (the zoo's projective count).

Order: key (i, e) is the coefficient of x^e in P_{i+1} for i < m, key (m, e) the coefficient of
x^e in Q; keys sorted as by ``expand``, labels ``P1:x1^1*x2^1``, ``Q:x1^2``. Parameters: W1 row-major, then W2
row-major (the architecture's order). Coefficients that vanish identically are not listed (for
shallow networks none does).

References
----------
Grosdos, Robeva, Zubkov (2025), Algebraic geometry of rational neural networks, arXiv:2509.11088.
"""

from __future__ import annotations

from fractions import Fraction

import flint

from ...arch import MLP
from ...errors import SpecError
from ...polymap import PolynomialMap
from ...spec import parse_spec


def is_shallow_rational(arch) -> bool:
    """``arch`` is a 1/x network without biases and one hidden layer (``rational d0,h,m``)."""
    return isinstance(arch, MLP) and arch.is_rational and arch.depth == 2


def rational_map(arch) -> PolynomialMap:
    """The coefficients of (P_1, ..., P_m, Q) as exact polynomials in theta (see the module).

    Raises
    ------
    SpecError
        When ``arch`` is not ``rational d0,h,m`` with one hidden layer.

    Examples
    --------
    >>> phi = rational_map("rational 2,2,1")
    >>> phi.labels
    ('P1:x2^1', 'P1:x1^1', 'Q:x2^2', 'Q:x1^1*x2^1', 'Q:x1^2')
    >>> values(phi, [1, 2, 3, 4, 5, 6])  # l = (x1 + 2 x2, 3 x1 + 4 x2), W2 = (5, 6)
    [Fraction(32, 1), Fraction(21, 1), Fraction(8, 1), Fraction(10, 1), Fraction(3, 1)]
    """
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    if not is_shallow_rational(arch):
        raise SpecError(f"exact (P, Q) coordinates exist here for 1/x networks with one hidden "
                        f"layer and no biases ('rational d0,h,m'); got {arch}")
    d0, h, m = arch.widths
    n_params = arch.n_params
    names = tuple(f"t{i}" for i in range(n_params)) + tuple(f"x{k}" for k in range(d0))
    ctx = flint.fmpq_mpoly_ctx.get(names, "lex")
    gens = ctx.gens()
    theta, x = gens[:n_params], gens[n_params:]
    forms = [sum((theta[j * d0 + k] * x[k] for k in range(d0)), ctx.constant(0)) for j in range(h)]
    w2 = [[theta[h * d0 + i * h + j] for j in range(h)] for i in range(m)]
    cofactors = [_product(ctx, forms[:j] + forms[j + 1:]) for j in range(h)]  # Q / l_j
    outputs = [sum((w2[i][j] * cofactors[j] for j in range(h)), ctx.constant(0)) for i in range(m)]
    outputs.append(_product(ctx, forms))
    coords: dict = {}
    for i, poly in enumerate(outputs):
        for exps, c in poly.to_dict().items():
            exps = tuple(int(e) for e in exps)
            coords.setdefault((i, exps[n_params:]), {})[exps[:n_params]] = Fraction(int(c.p), int(c.q))
    keys = sorted(coords)
    labels = tuple(("Q" if i == m else f"P{i + 1}") + ":"
                   + ("*".join(f"x{k + 1}^{e}" for k, e in enumerate(mono) if e) or "1")
                   for i, mono in keys)
    return PolynomialMap(str(arch), n_params, labels, tuple(coords[k] for k in keys), tuple(keys))


def _product(ctx, factors):
    out = ctx.constant(1)
    for f in factors:
        out = out * f
    return out


def values(phi: PolynomialMap, theta, *, prime: int | None = None) -> list:
    """The coordinates Phi(theta): exact Fractions, or residues mod ``prime`` (ints in [0, p)).

    ``theta`` holds ints or Fractions (``len(theta) == phi.n_params``); mod p a denominator
    divisible by p raises ``ZeroDivisionError`` from ``pow``."""
    if len(theta) != phi.n_params:
        raise SpecError(f"theta needs {phi.n_params} entries for {phi.spec}; got {len(theta)}")
    theta = [Fraction(t) for t in theta]
    if prime is not None:
        theta = [t.numerator * pow(t.denominator, -1, prime) % prime for t in theta]
    out = []
    for poly in phi.polys:
        total = 0 if prime is not None else Fraction(0)
        for exps, c in poly.items():
            if prime is None:
                term = c
                for t, e in zip(theta, exps):
                    term *= t ** e
            else:
                term = c.numerator * pow(c.denominator, -1, prime) % prime
                for t, e in zip(theta, exps):
                    term = term * pow(t, e, prime) % prime
            total += term
        out.append(total % prime if prime is not None else total)
    return out
