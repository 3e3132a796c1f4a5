"""Invariants of one-layer lightning self-attention: linear, low-rank, Chow-type and resultant
families (the families of Alexandr, Duan, Montufar 2026, written in the coordinates of
:func:`neuroalg.polymap.expand`).

One layer maps the tokens X = (x_1 .. x_t) (columns, x_m in C^d) to V X X^T A X with A = K^T Q
(rank <= a) and V (out x d); output (i, j) is sum_m (v_i . x_m)(x_m^T A x_j), v_i the rows of V.
For t >= 2 every coefficient is a linear function of the quadrics

    F_iq(z) = (v_i . z)(a_q . z),   a_q = column q of A,   i < out, q < d,

read off here at the token pair (m, j) = (2, 1): the coefficient of x_{k,2} x_{p,2} x_{q,1} in
output (i, 1) is the coefficient of z_k z_p in F_iq (both are V_ik A_pq + V_ip A_kq for k != p,
V_ik A_kq for k = p). The tensor (F_iq) is the symmetrization of V (x) A in its two d-indices, so
its span is C^out (x) S^2 C^d (x) C^d, of dimension out d^2 (d + 1) / 2.

* **Linear invariants** (t >= 2). The coefficient of x_{k,m} x_{p,m} x_{q,j} in output (i, j) is
  F_iq[z_k z_p] for every m != j, and the coefficient of a monomial x_j^alpha (|alpha| = 3) of
  token j alone is that of z^alpha in sum_q z_q F_iq(z) = (v_i . z)(z^T A z). These equalities
  cut out the linear span of V (it is the span of the F tensor), so they span I_1.
* **Low rank** (flattenings). The d x (out * #quadratic monomials) matrix with row q the
  coefficients of (F_1q, ..., F_out,q) is linear in a_q, so its rank is <= rank A <= a (a < d:
  (a + 1)-minors); the out x (d * #monomials) matrix with row i the coefficients of
  (F_i1, ..., F_id) is linear in v_i: rank <= d (out > d: (d + 1)-minors).
* **Chow-type cubics** (d >= 3). Every sum_q mu_q F_iq = (v_i . z)(mu . A^T z) is a product of
  two linear forms, a point of the Chow variety of quadrics: its symmetric coefficient matrix
  has rank <= 2, and its 3-minors are cubics in the coordinates (and in mu); mu runs over the
  points of N^d with |mu| = 3, a set unisolvent for cubics in mu, so the listed minors span all
  mu-coefficients of these determinants.
* **Rank-one values** (out >= 2). F(z) = (V z)(A^T z)^T is an out x d matrix of rank <= 1 for
  every z: at the points z in N^d with |z| = 4 (unisolvent for the quartic minors) its 2-minors
  are quadrics in the coordinates (the Veronese-type family).
* **Sylvester resultants** (d = 2). For fixed i the binary quadrics F_i1, F_i2 share the linear
  factor v_i . z, so the Sylvester matrix (rows z_k F_iq, columns the binary cubics) has rank
  <= 3 (its rows lie in (v_i . z) S^2): its determinant, the resultant Res(F_i1, F_i2), is a
  quartic. For fixed q, F_1q, ..., F_out,q share a_q . z (out >= 2: 4-minors of a 2 out x 4
  Sylvester matrix).

For d = 2, out = 1, a = 2 the linear invariants and the resultant generate I(V): V is a
hypersurface (dimension 5, proven by :func:`neuroalg.geometry.dimension.dimension`) of the
6-dimensional span, on which the F coefficients are coordinates, and the generic resultant is
irreducible. For d = 2, out = 1, a = 1 the flattening is a generic 2 x 3 matrix of rank
<= 1 on V, a determinantal variety of the same dimension 4 (Bruns-Vetter): with I_1 its minors
generate I(V). Everything is verified exactly by :mod:`neuroalg.geometry.equations.structural`:
the identity F_iq[z_k z_p] = V_ik A_pq + V_ip A_kq (A = K^T Q) as polynomials in theta against
the forward pass, each linear invariant substituted into Phi(theta).

References
----------
Alexandr, Duan, Montufar (2026), Algebraic invariants of lightning self-attention,
arXiv:2604.15632.
Henry, Marchetti, Kohn (2025), Geometry of lightning self-attention: identifiability and
dimension, ICLR, arXiv:2408.17221.
"""

from __future__ import annotations

from fractions import Fraction

from ...polymap import exponent_vectors
from .structural import Entry, _Candidate, _index, _theta_ring

_ADM = "Alexandr-Duan-Montufar 2026"


class _Tensor:
    """The F_iq coefficients as entries (coordinate, 1) of the coordinates of ``phi``."""

    def __init__(self, arch, phi):
        self.arch, self.index = arch, _index(phi)
        self.quadratic = [tuple(int(v) for v in e) for e in exponent_vectors(arch.d, 2)]

    def entry(self, i: int, q: int, mono) -> Entry:
        j = self.index.get(self.arch.quadric_key(i, q, mono))
        return ((j, Fraction(1)),) if j is not None else ()

    def shifted(self, i: int, q: int, k: int, beta) -> Entry:
        """Coefficient of z^beta in z_k F_iq."""
        if beta[k] == 0:
            return ()
        mono = list(beta)
        mono[k] -= 1
        return self.entry(i, q, mono)

    def proof(self, phi) -> str:
        """The identity F_iq[z_k z_p] = V_ik A_pq + V_ip A_kq (A = K^T Q) in theta, checked
        against the forward pass for every i, q, k <= p."""
        arch = self.arch
        d, a = arch.d, arch.a
        ctx, theta, _, coords = _theta_ring(phi)
        zero = ctx.constant(0)

        def amat(p, q):
            return sum((theta[r * d + p] * theta[a * d + r * d + q] for r in range(a)), zero)

        def vmat(i, k):
            return theta[2 * a * d + i * d + k]

        for i in range(arch.out):
            for q in range(d):
                for mono in self.quadratic:
                    k, p = [c for c, n in enumerate(mono) for _ in range(n)]
                    want = vmat(i, k) * amat(k, q) if k == p else vmat(i, k) * amat(p, q) + vmat(i, p) * amat(k, q)
                    j = self.index.get(arch.quadric_key(i, q, mono))
                    if (coords[j] if j is not None else zero) != want:
                        return ""
        return "F_iq(z) = (v_i.z)(a_q.z), A = K^T Q, as polynomials in theta (exact)"


def _hessian(tensor: _Tensor, i: int, mu, k: int, p: int) -> Entry:
    """Entry (k, p) of the symmetric matrix of sum_q mu_q F_iq (halved off the diagonal)."""
    mono = [int(k == s) + int(p == s) for s in range(tensor.arch.d)]
    scale = Fraction(1) if k == p else Fraction(1, 2)
    return tuple((c, v * scale * int(m)) for q, m in enumerate(mu) if m for c, v in tensor.entry(i, q, mono))


def _value(tensor: _Tensor, i: int, q: int, z) -> Entry:
    """F_iq at the integer point z (a linear form in the coordinates)."""
    out = []
    for mono in tensor.quadratic:
        weight = 1
        for c, n in zip(z, mono):
            weight *= int(c) ** n
        out += [(c, v * weight) for c, v in tensor.entry(i, q, mono) if weight]
    return tuple(out)


def _linear(arch, phi, tensor: _Tensor) -> list[Entry]:
    """y_key - (its expression in the F coefficients) for every coordinate outside the
    representative token pair."""
    t, d = arch.t, arch.d
    out = []
    for key, j in tensor.index.items():
        k_out, e = key
        i, tok = divmod(k_out, t)
        feats = [[e[k * t + m] for k in range(d)] for m in range(t)]
        others = [m for m in range(t) if m != tok and sum(feats[m])]
        if others:  # x_{k,m} x_{p,m} x_{q,tok}: F_iq[z_k z_p], whatever m != tok
            (m,) = others
            (q,) = [k for k in range(d) if feats[tok][k]]
            expr = tensor.entry(i, q, feats[m])
            if expr and expr[0][0] == j:
                continue  # the representative itself
        else:  # a cubic in token tok alone: sum_q z_q F_iq
            alpha = feats[tok]
            expr = tuple(x for q in range(d) for x in tensor.shifted(i, q, q, alpha))
        row = ((j, Fraction(1)),) + tuple((c, -v) for c, v in expr)
        out.append(row)
    return out


def attention_candidates(arch, phi) -> tuple[list[_Candidate], list[str]]:
    """The families of the module docstring for ``arch`` (one-layer lightning attention)."""
    if arch.layers != 1 or arch.softmax:
        return [], ["attention invariants are implemented for one lightning layer"]
    if arch.t < 2:
        return [], ["one token: Phi = (V x)(x^T A x) spans all cubics in x; no linear "
                    "invariants (the attention families need t >= 2)"]
    d, a, out = arch.d, arch.a, arch.out
    tensor = _Tensor(arch, phi)
    proof = tensor.proof(phi)
    quad = tensor.quadratic
    span = out * d * len(quad)
    cands = []
    lin = _linear(arch, phi, tensor)
    if lin:
        cands.append(_Candidate(
            "attention linear invariants",
            f"every coefficient is a linear function of the {span} coefficients of the quadrics "
            f"F_iq = (v_i.z)(a_q.z) (the same for every token pair; cubics of one token: "
            f"sum_q z_q F_iq); these {len(lin)} equalities cut out the linear span of V "
            f"({_ADM}, linear family)",
            tuple((row,) for row in lin), 0, "substitution"))
    if a < d:
        rows = tuple(tuple(tensor.entry(i, q, m) for i in range(out) for m in quad) for q in range(d))
        claim = "ideal" if d == 2 and out == 1 else ""
        cands.append(_Candidate(
            "attention low rank (value side)",
            f"row q = the coefficients of (F_1q..F_{out}q) is linear in the column a_q of A, "
            f"so rank <= rank A <= {a}; its {a + 1}-minors vanish on V ({_ADM}, low-rank family)"
            + ("; with I_1 they generate I(V): V is the 2x3 rank-1 determinantal variety (dimension "
               "4 = dim V, Bruns-Vetter)" if claim else ""),
            rows, a, proof, claim))
    if out > d:
        rows = tuple(tuple(tensor.entry(i, q, m) for q in range(d) for m in quad) for i in range(out))
        cands.append(_Candidate(
            "attention low rank (output side)",
            f"row i = the coefficients of (F_i1..F_i{d}) is linear in the row v_i of V: rank <= {d}; "
            f"its {d + 1}-minors vanish on V ({_ADM}, low-rank family)", rows, d, proof))
    if d >= 3:  # sum_q mu_q F_iq = (v_i.z)(mu.w): rank <= 2 for every mu; mu on the cubic lattice
        for i in range(out):
            for mu in exponent_vectors(d, 3):
                rows = tuple(tuple(_hessian(tensor, i, mu, k, p) for p in range(d)) for k in range(d))
                cands.append(_Candidate(
                    f"attention Chow-type (output {i + 1}, mu = {tuple(int(c) for c in mu)})",
                    f"sum_q mu_q F_{i + 1}q = (v_{i + 1}.z)(sum_q mu_q a_q.z) is a product of two linear "
                    f"forms: its symmetric matrix has rank <= 2 and its 3-minors (cubics) vanish on V; "
                    f"with mu over the {len(exponent_vectors(d, 3))} points |mu| = 3 (unisolvent for "
                    f"cubics in mu) they span the mu-coefficients of det ({_ADM}, Chow-type family)",
                    rows, 2, proof))
    if out >= 2:  # F(z) = (V z)(A^T z)^T has rank one for every z; z on the quartic lattice
        for z in exponent_vectors(d, 4):
            rows = tuple(tuple(_value(tensor, i, q, z) for q in range(d)) for i in range(out))
            cands.append(_Candidate(
                f"attention rank-one values (z = {tuple(int(c) for c in z)})",
                f"the out x d matrix F(z) = (V z)(A^T z)^T has rank <= 1; its 2-minors (quadrics) "
                f"vanish on V; with z over the {len(exponent_vectors(d, 4))} points |z| = 4 "
                f"(unisolvent for quartics in z) they span the z-coefficients of the minors of F "
                f"({_ADM}, Veronese-type family)", rows, 1, proof))
    if d == 2:
        cubic = [tuple(int(v) for v in e) for e in exponent_vectors(2, 3)]
        claim = _resultant_claim(arch)
        for i in range(out):
            rows = tuple(tuple(tensor.shifted(i, q, k, b) for b in cubic) for q in range(2) for k in range(2))
            cands.append(_Candidate(
                f"attention Sylvester resultant (output {i + 1})",
                f"F_{i + 1}1 and F_{i + 1}2 share the factor v_{i + 1}.z: the rows z_k F_{i + 1}q lie in "
                f"(v_{i + 1}.z) S^2, rank <= 3; the determinant is Res(F_{i + 1}1, F_{i + 1}2), a quartic "
                f"({_ADM}, Sylvester family)"
                + ("; with the linear invariants it generates I(V): V is a hypersurface (dim 5, proven) "
                   "of the 6-dimensional span, on which the F coefficients are coordinates, and the "
                   "generic resultant is irreducible" if claim else ""), rows, 3, proof, claim))
        if out >= 2:
            for q in range(2):
                rows = tuple(tuple(tensor.shifted(i, q, k, b) for b in cubic)
                             for i in range(out) for k in range(2))
                cands.append(_Candidate(
                    f"attention Sylvester (column {q + 1})",
                    f"F_1{q + 1}..F_{out}{q + 1} share the factor a_{q + 1}.z: rank <= 3, "
                    f"4-minors (quartics) vanish on V ({_ADM}, Sylvester family)", rows, 3, proof))
    notes = []
    if d >= 3:
        notes.append("attention, d >= 3: the Sylvester condition (d quadrics with a common linear "
                     "factor) needs minors of size d(d+1)/2 + 1; not listed")
    return cands, notes


def _resultant_claim(arch) -> str:
    """"ideal" when V is a hypersurface of its span (d = 2, out = 1, a = 2; dimension 5 proven):
    the six F coefficients are coordinates on the span and the resultant of two generic binary
    quadrics is irreducible (e.g. Gelfand, Kapranov, Zelevinsky 1994, Ch. 12), so I(V) is
    generated by I_1 and the resultant."""
    if not (arch.out == 1 and arch.a == 2):
        return ""
    from ..dimension.dimension import dimension

    res = dimension(arch, seed=0)
    return "ideal" if res.lower == 5 else ""

