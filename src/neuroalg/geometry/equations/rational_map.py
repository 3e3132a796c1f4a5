"""Exact coordinates of 1/x networks: the numerators and common denominator (P_1..P_m, Q).

``rational d0,d1,...,dL`` (no biases) computes f = W_L s(W_{L-1} ... s(W_1 x)) with s(t) = 1/t
componentwise. Grosdos, Robeva and Zubkov write f_i = P_i / Q through the recursion

    p^(1)_i = (W_1 x)_i,        q^(0) = q^(1) = 1,
    p^(k+1)_i = sum_j W_{k+1}[i,j] prod_{s != j} p^(k)_s,      q^(k+1) = prod_j p^(k)_j,
    P_i = p^(L)_i * prod_{t in L-1, L-3, ...} q^(t),           Q = prod_{t in L, L-2, ...} q^(t).

Proof (induction on k): the pre-activation of layer k is h^(k) = p^(k) R_k with
R_k = q^(k-1) q^(k-3) ... / (q^(k) q^(k-2) ...). Indeed R_1 = 1, and
1/h^(k)_j = prod_{s != j} p^(k)_s / (q^(k+1) R_k), so h^(k+1) = p^(k+1) / (q^(k+1) R_k), i.e.
R_{k+1} = 1 / (q^(k+1) R_k); the output is h^(L). (Empty products are 1, so hidden widths 1 are
allowed.) For one hidden layer, with the linear forms l = W1 x, Q = prod_j l_j and
P_i = sum_j W2[i,j] prod_{s != j} l_s (the adjugate form of
:mod:`neuroalg.geometry.equations.structural`). For hidden widths 2 every p^(k) is a pair of
linear forms and p^(k+1) = W_{k+1} J p^(k) with J the swap, so (P, Q) is a product of
linear forms, which :mod:`neuroalg.geometry.membership.rational_deep` peels layer by layer.

The tuple (P_1, ..., P_m, Q) of homogeneous forms of these degrees, up to a common scalar, is the
ambient space (``MLP.rational_degrees``, ``MLP.ambient_dimension``). Here the coordinates are the
affine cone over it: the coefficients of P_1, ..., P_m, Q in the input monomials, as exact
polynomials in theta (:class:`neuroalg.polymap.PolynomialMap`, so the interpolation of
:mod:`neuroalg.geometry.equations` applies unchanged). The image is closed under common scalings
(scale W_L, and every f_i = P_i / Q is unchanged when (P, Q) is rescaled by a rescaling of a
hidden neuron), so it is a cone and its closure has dimension ``dimension(arch) + 1`` (the zoo's
projective count; tested).

Order: key (i, e) is the coefficient of x^e in P_{i+1} for i < m, key (m, e) the coefficient of
x^e in Q; keys sorted as by ``expand``, labels ``P1:x1^1*x2^1``, ``Q:x1^2``. Parameters: W_1
row-major, then W_2, ... (the architecture's order). Coefficients that vanish identically are not
listed. :func:`rational_forms` gives (P, Q) at one exact theta as polynomials in x.

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


def is_rational_network(arch) -> bool:
    """``arch`` is a 1/x network without biases (``rational d0,...,dL``, L >= 2)."""
    return isinstance(arch, MLP) and arch.is_rational


def is_shallow_rational(arch) -> bool:
    """``arch`` is a 1/x network without biases and one hidden layer (``rational d0,h,m``)."""
    return is_rational_network(arch) and arch.depth == 2


def _check(arch):
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    if not is_rational_network(arch):
        raise SpecError(f"exact (P, Q) coordinates exist for 1/x networks without biases "
                        f"('rational d0,d1,...,dL'); got {arch}")
    return arch


def pq_recursion(ctx, weights, x):
    """(P_1, ..., P_m, Q) of the recursion (module docstring) in the flint ring ``ctx``.

    ``weights``: the matrices W_1..W_L as lists of rows of ring elements (or rationals),
    ``x``: the input variables (ring elements)."""
    one = ctx.constant(1)
    p = [sum((w * xk for w, xk in zip(row, x)), ctx.constant(0)) for row in weights[0]]
    q = [one, one]  # q^(0), q^(1)
    for W in weights[1:]:
        q.append(_product(ctx, p))
        others = _all_but_one(ctx, p)
        p = [sum((w * o for w, o in zip(row, others)), ctx.constant(0)) for row in W]
    L = len(weights)
    num = _product(ctx, [q[t] for t in range(L - 1, 0, -2)])
    return [pi * num for pi in p] + [_product(ctx, [q[t] for t in range(L, 0, -2)])]


def _all_but_one(ctx, p):
    """[prod_{s != j} p_s for j] by prefix and suffix products."""
    n, one = len(p), ctx.constant(1)
    prefix, suffix = [one] * (n + 1), [one] * (n + 1)
    for j in range(n):
        prefix[j + 1] = prefix[j] * p[j]
        suffix[n - 1 - j] = suffix[n - j] * p[n - 1 - j]
    return [prefix[j] * suffix[j + 1] for j in range(n)]


def weight_matrices(arch, theta) -> list[list[list]]:
    """W_1..W_L (lists of rows) from the flat parameter vector ``theta`` (architecture layout)."""
    out = []
    for l, (ws, _) in enumerate(arch.layer_slices(), start=1):
        flat, cols = list(theta[ws]), arch.widths[l - 1]
        out.append([flat[i * cols:(i + 1) * cols] for i in range(arch.widths[l])])
    return out


def rational_forms(arch, theta):
    """(P_1, ..., P_m, Q) at the exact parameters ``theta`` (ints or Fractions), as flint
    ``fmpq_mpoly`` in x1..x_d0 (context returned second).

    Examples
    --------
    >>> forms, ctx = rational_forms("rational 2,2,1", [1, 2, 3, 4, 5, 6])
    >>> [str(f) for f in forms]
    ['21*x1 + 32*x2', '3*x1^2 + 10*x1*x2 + 8*x2^2']
    """
    arch = _check(arch)
    if len(theta) != arch.n_params:
        raise SpecError(f"theta needs {arch.n_params} entries for {arch}; got {len(theta)}")
    ctx = flint.fmpq_mpoly_ctx.get(tuple(f"x{k + 1}" for k in range(arch.widths[0])), "lex")
    qs = [Fraction(t) for t in theta]
    theta_q = [flint.fmpq(t.numerator, t.denominator) for t in qs]
    weights = weight_matrices(arch, theta_q)
    weights = [[[ctx.constant(w) for w in row] for row in W] for W in weights]
    return pq_recursion(ctx, weights, ctx.gens()), ctx


def rational_map(arch) -> PolynomialMap:
    """The coefficients of (P_1, ..., P_m, Q) as exact polynomials in theta (see the module).

    Raises
    ------
    SpecError
        When ``arch`` is not a 1/x network without biases.

    Examples
    --------
    >>> phi = rational_map("rational 2,2,1")
    >>> phi.labels
    ('P1:x2^1', 'P1:x1^1', 'Q:x2^2', 'Q:x1^1*x2^1', 'Q:x1^2')
    >>> values(phi, [1, 2, 3, 4, 5, 6])  # l = (x1 + 2 x2, 3 x1 + 4 x2), W2 = (5, 6)
    [Fraction(32, 1), Fraction(21, 1), Fraction(8, 1), Fraction(10, 1), Fraction(3, 1)]
    """
    arch = _check(arch)
    d0, m = arch.widths[0], arch.widths[-1]
    n_params = arch.n_params
    names = tuple(f"t{i}" for i in range(n_params)) + tuple(f"x{k}" for k in range(d0))
    ctx = flint.fmpq_mpoly_ctx.get(names, "lex")
    gens = ctx.gens()
    outputs = pq_recursion(ctx, weight_matrices(arch, list(gens[:n_params])), gens[n_params:])
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
