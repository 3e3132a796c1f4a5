"""Singular and boundary points of one-layer lightning self-attention.

One layer maps tokens X (d x t) to V X X^T A X, A = K^T Q of rank <= a, V of size out x d. It
factors through the pair (V, A):

* t >= 2: the coordinates are linear in the quadratic map F(z) = (V z)(A^T z)^T (out x d
  quadrics F_iq = (v_i . z)(a_q . z); :mod:`neuroalg.geometry.equations.attention_families`),
  and the linear map from the F coefficients to the coordinates is injective. So V is the image
  of X = P(C^{out x d}) x P(D_a) (D_a: d x d matrices of rank <= a) under
  Psi(V, A) = (V z)(A^T z)^T, a cone over it.
* t = 1: the output is (V x) q(x) with q = x^T A x, whose symmetric part ranges over the
  quadrics of rank <= rho = min(2a, d): Psi(V, q) = (V x) q.

Both are products in a polynomial ring (a domain), so Psi(V, A) = 0 only if V = 0 or A = 0
(resp. q = 0): Psi is finite. Write r = rank V, s = rank A (t = 1: the rank of q).

**Fibers** (unique factorization in C[z]). t >= 2: if r >= 2 or s >= 2, (V z, A^T z) is
determined by F up to (c, 1/c); if r = s = 1, F = c e^T (v . z)(k . z) has exactly the two
preimages (v, k) and (k, v) (one when v || k). t = 1: if r >= 2, or r = 1 and q irreducible,
the fiber is one point; if r = 1 and q = m n, every linear factor of (l . x) m n gives one.
**Differential.** d Psi is injective (modulo the scaling) except where the two preimages of
r = s = 1 meet (v || k), resp. where l divides q (t = 1).

**Theorem (singular points; proven here from the above).** Call the architecture birational
when a generic F has one preimage: t >= 2: min(out, d) >= 2 or a >= 2; t = 1: min(out, d) >= 2
or rho >= 3. Then F = Psi(V, A) != 0 is a singular point of V iff
  - t >= 2: s < a < d (A is a singular point of D_a), or r = s = 1;
  - t = 1: rank q < rho < d, or r = 1 and rank q <= 2.
Proof: "if": V smooth at F implies V normal there, and a finite birational map onto a normal
germ is a local isomorphism (Zariski's main theorem), which needs one preimage, a smooth source
point and an injective differential. "Only if": a proper injective immersion from a smooth
source has a smooth image. Points where (v || k) are limits of the two-preimage points, and the
singular locus is closed. The vertex F = 0 is singular iff V is not a linear space. Not
birational (t >= 2, out = 1, a = 1): V = {e (x) q : q of rank <= 2} (a Segre product with the
rank <= 2 quadrics), singular exactly at 0 and at q of rank 1 when d >= 3; t = 1, out = 1,
rho <= 2: d <= 2 fills, d >= 3 (products of three linear forms) is not classified here.

**Strata** (each a family of parameters; the verdict is about generic points of the stratum):
rank Q^T K = s < a, rank V = r < min(out, d), rank V = rank Q^T K = 1, the value row parallel
to the key row (v || k, rank one), and V = 0. For each: its dimension and the Jacobian rank
(ranks mod p of the sketched Jacobian, lower bounds), and three verdicts that must agree:
  - the **tangent test** (:mod:`neuroalg.geometry.witness.singular`): the tangent images over
    fiber points (free query rows behind zero key rows; the swap (v, k) -> (k, v); for V = 0 any
    K, Q) spanning more than dim V prove V singular there;
  - the **theorem** above; in the birational case a "smooth" verdict also needs the Jacobian
    rank mod p to reach dim V at the stratum's point (a lower bound for the generic rank over
    Q on the stratum, so the differential is injective there) - else the verdict is left open;
  - **critical exposure** (numerical, as for MLPs), on the stratum's own parameterization.

**Real points and closedness** (:class:`Boundary`). The real neuromanifold M is closed in the
Euclidean topology: rescale (V, A) -> (c V, A / c) to equal norms; if Phi(theta_n) -> f with
norms -> infinity, then Phi(theta_n) / |V_n||A_n| -> 0 along a convergent subsequence of unit
pairs, a zero of Phi with V, A != 0: impossible (domain). Real points of the Zariski closure
need not be in M: for t >= 2 (d >= 2), F = e_1 e_1^T (z_1^2 + delta^2 z_2^2) is realized only by
complex weights (v = e_1 - i delta e_2, k = e_1 + i delta e_2: a real preimage would factor the
definite quadric into real linear forms). As delta -> 0 these non-realizable real points tend
to F_0 = e_1 e_1^T z_1^2 in M (v = k = e_1): M has boundary points in the real variety,
approached from outside only. For t = 1 (a < d), x_1 (x_1^2 + ... + x_a^2 + delta^2 x_{a+1}^2)
needs a quadric with a + 1 positive squares, but real K^T Q gives at most a; for a = d every
real point of V is in M.

References
----------
Henry, Marchetti, Kohn (2025), Geometry of lightning self-attention: identifiability and
dimension, ICLR, arXiv:2408.17221 (single layer: fibers, singular and boundary points).
Shahverdi, Marchetti, Kohn (2025), Learning on a Razor's Edge, arXiv:2505.11846 (the tangent
test and critical exposure).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from fractions import Fraction
from math import comb

import numpy as np

from ...errors import SpecError
from ...fields import GF, REAL, matmul_mod
from ...linalg import random_prime, rank_mod
from ...polymap import expand
from ...progress import check_progress
from ...random import check_seed, child_seed
from ..dimension.dimension import dimension
from ..jacobian import sketched_jacobian
from .singular import SingularResult, Stratum, _exposure
from .systems import image_system


@dataclass(frozen=True)
class _Piece:
    """A stratum: V of generic rank r (0: V = 0), A of generic rank s, or V = c k^T with k the
    only key row (``aligned``)."""

    name: str
    r: int
    s: int
    aligned: bool = False


def _pieces(arch) -> list[_Piece]:
    d, a, rmax = arch.d, arch.a, min(arch.out, arch.d)
    out = [_Piece(f"rank Q^T K = {s}", rmax, s) for s in range(a - 1, 0, -1)]
    out += [_Piece(f"rank V = {r}", r, a) for r in range(rmax - 1, 0, -1)]
    if a >= 2 and rmax >= 2:
        out.append(_Piece("rank V = rank Q^T K = 1", 1, 1))
    if d >= 2:
        out.append(_Piece("value row parallel to the key row", 1, 1, aligned=True))
    out.append(_Piece("V = 0 (the zero function)", 0, a))
    return out


def _theta(arch, piece: _Piece, z, field) -> np.ndarray:
    """The parameters (K, Q, V) of the stratum at z: K_s (s x d, the other key rows 0), Q
    (a x d), then V free, V = C R (out x r, r x d), V = c k_1^T, or V = 0."""
    d, a, out, s, r = arch.d, arch.a, arch.out, piece.s, piece.r
    k = np.zeros((a, d), dtype=field.dtype)
    k[:s] = z[: s * d].reshape(s, d)
    q = z[s * d: s * d + a * d].reshape(a, d)
    rest = z[s * d + a * d:]
    if r == 0:
        v = np.zeros((out, d), dtype=field.dtype)
    elif piece.aligned:
        v = field.mul(rest[:out, None], k[0][None, :])
    elif r >= min(out, d):
        v = rest.reshape(out, d)
    else:
        v = field.matmul(rest[: out * r].reshape(out, r), rest[out * r:].reshape(r, d))
    return np.concatenate([k.ravel(), q.ravel(), v.ravel()])


def _n_z(arch, piece: _Piece) -> int:
    d, out, r = arch.d, arch.out, piece.r
    v = 0 if r == 0 else out if piece.aligned else out * d if r >= min(out, d) else r * (out + d)
    return piece.s * d + arch.a * d + v


def _tangent(arch, piece: _Piece, z, field) -> np.ndarray:
    """d theta / dz mod p: (theta(z + e) - theta(z - e)) / 2 is exact (theta has degree <= 2)."""
    p, half = field.p, (field.p + 1) // 2
    cols = []
    for i in range(len(z)):
        e = np.zeros_like(z)
        e[i] = 1
        diff = field.sub(_theta(arch, piece, (z + e) % p, field), _theta(arch, piece, (z - e) % p, field))
        cols.append(diff * half % p)
    return np.stack(cols, axis=1)


def _moves(arch, piece: _Piece, z, field, rng, n: int) -> list[np.ndarray]:
    """Other parameters with the same image: new K, Q when V = 0; new query rows behind zero
    key rows; the swaps value <-> key (and value <-> query for t = 1) when r = s = 1."""
    d, a, out = arch.d, arch.a, arch.out
    theta = _theta(arch, piece, z, field)
    out_list = []
    for _ in range(n):
        other = theta.copy()
        if piece.r == 0:
            other[: 2 * a * d] = field.random(rng, (2 * a * d,))
        elif piece.s < a:
            other[a * d + piece.s * d: 2 * a * d] = field.random(rng, ((a - piece.s) * d,))
        else:
            break
        out_list.append(other)
    if piece.r == 1 and piece.s == 1 and not piece.aligned:
        rest = z[d + a * d:]
        c, v = (rest[:out], rest[out: out + d]) if min(out, d) > 1 else (np.ones(1, dtype=field.dtype), rest[:d])
        partners = [0] + ([a * d] if arch.t == 1 else [])  # the key row (and for t = 1 the query row)
        for start in partners:
            other = theta.copy()
            other[2 * a * d:] = field.mul(c[:, None], theta[start: start + d][None, :]).ravel()
            other[start: start + d] = v
            out_list.append(other)
    return out_list


def _theory(arch, piece: _Piece, dim: int) -> tuple[bool | None, str, bool]:
    """The theorem of the module docstring at generic points of the stratum: (verdict, why,
    whether a "smooth" verdict rests on the Jacobian rank reaching dim V there)."""
    d, a, out, t = arch.d, arch.a, arch.out, arch.t
    rmax = min(out, d)
    span = out * d * comb(d + 1, 2) if t >= 2 else out * comb(d + 2, 3)
    if piece.r == 0:  # dim V <= dim span <= this bound (V factors through the F tensors)
        linear = dim == span
        return (not linear, f"the vertex of a cone is smooth only on a linear space; dim V = {dim} "
                            f"{'=' if linear else '<'} {span} = dim of its span", False)
    if t >= 2:
        if not (rmax >= 2 or a >= 2):  # out = 1, a = 1 (or d = 1): V = {e (x) q : rank q <= 2}
            if piece.aligned and d >= 3:
                return True, ("V = {e (x) q : rank q <= 2} (not birational: out = a = 1); q = (k.z)^2 "
                              "is a singular point of the rank <= 2 quadrics (d >= 3)"), False
            return False, ("V = {e (x) q : rank q <= 2} (out = a = 1), a Segre product, smooth away "
                           "from 0" + (" and from rank-1 q (d >= 3)" if d >= 3 else
                                       " (d = 2: every binary quadric has rank <= 2)")), False
        if piece.s < a < d:
            return True, (f"A of rank {piece.s} < a = {a} < d is a singular point of the rank <= {a} "
                          f"matrices and the fiber is one point (Zariski's main theorem)"), False
        if piece.r == 1 and piece.s == 1:
            if piece.aligned:
                return True, ("v || k: the two preimages (v, k), (k, v) meet; a limit of the "
                              "double points of rank V = rank A = 1 (the singular locus is closed)"), False
            return True, ("F = c e^T (v.z)(k.z) has the two preimages (v, k) and (k, v): "
                          "two branches (a finite birational map onto a normal germ is injective)"), False
        return False, ("one preimage up to scaling (rank V >= 2 or rank A >= 2), a smooth point of "
                       "the rank <= a matrices, injective differential: smooth"), True
    rho, rank_q = min(2 * a, d), min(2 * piece.s, d)
    if not (rmax >= 2 or rho >= 3):  # out = 1 and rho <= 2
        if d <= 2:
            return False, ("V is all cubics in d <= 2 variables (every binary cubic has a linear "
                           "factor): a linear space"), False
        return None, "V = products of three linear forms (not birational): not classified here", False
    if rank_q < rho < d:
        return True, (f"q of rank {rank_q} < {rho} < d is a singular point of the quadrics of rank "
                      f"<= {rho} and the fiber is one point (Zariski's main theorem)"), False
    if piece.r == 1 and rank_q <= 2:
        return True, ("F = c (l.x) m n: each linear factor can serve as the value form, several "
                      "preimages (or a ramification point when l | q)"), False
    return False, ("one preimage up to scaling, a smooth point of the quadrics of rank <= "
                   f"{rho}, injective differential: smooth"), True


# --- real points: closedness and boundary ----------------------------------------------------
@dataclass(frozen=True)
class Boundary:
    """The real neuromanifold M against the real points of its Zariski closure V.

    ``is_closed``: M is closed in the Euclidean topology (proven, ``why_closed``).
    ``is_all_real_points``: M = V(R). When False, ``witness`` is a real point of V (coordinate
    label, exact value) realized only by the complex weights ``witness_weights`` (checked
    exactly) and not by real ones (``why_not_realized``); ``sequence`` gives such points
    F_delta (delta, exact distance to ``limit``) converging to a point of M with real weights:
    a boundary point of M in V(R), approached from outside M only."""

    is_closed: bool
    why_closed: str
    is_all_real_points: bool
    why: str
    witness: tuple[tuple[str, str], ...] = ()
    witness_weights: str = ""
    why_not_realized: str = ""
    limit: str = ""
    sequence: tuple[tuple[str, float], ...] = ()

    def lines(self) -> list[tuple[str, str]]:
        out = [("closed", f"{'yes' if self.is_closed else 'no'} in the Euclidean topology ({self.why_closed})"),
               ("M = V(R)", f"{'yes' if self.is_all_real_points else 'no'} ({self.why})")]
        if self.witness:
            shown = ", ".join(f"{k} = {v}" for k, v in self.witness[:6])
            out += [("  witness", shown + (" (other coordinates 0)" if len(self.witness) <= 6 else ", ...")),
                    ("  weights", self.witness_weights), ("  not in M", self.why_not_realized),
                    ("  boundary", f"F_delta -> {self.limit} in M: "
                                   + ", ".join(f"delta = {e}: |F - F_0| = {dist:.3g}" for e, dist in self.sequence))]
        return out

    def to_dict(self) -> dict:
        return {"closed": self.is_closed, "why_closed": self.why_closed,
                "all_real_points": self.is_all_real_points, "why": self.why,
                "witness": [list(w) for w in self.witness], "witness_weights": self.witness_weights,
                "why_not_realized": self.why_not_realized, "limit": self.limit,
                "sequence": [{"delta": e, "distance": dist} for e, dist in self.sequence]}


def _gauss(phi, theta: list[tuple[Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    """Phi at Gaussian rationals theta_k = re + i im, exactly."""
    out = []
    for poly in phi.polys:
        re_sum, im_sum = Fraction(0), Fraction(0)
        for exps, c in poly.items():
            re, im = Fraction(c), Fraction(0)
            for k, e in enumerate(exps):
                for _ in range(e):
                    re, im = re * theta[k][0] - im * theta[k][1], re * theta[k][1] + im * theta[k][0]
            re_sum, im_sum = re_sum + re, im_sum + im
        out.append((re_sum, im_sum))
    return out


def _weights(arch, delta: Fraction) -> list[tuple[Fraction, Fraction]]:
    """Complex weights of the witness F_delta (module docstring); real for delta = 0."""
    d, a = arch.d, arch.a
    theta = [(Fraction(0), Fraction(0))] * arch.n_params
    k0, q0, v0 = 0, a * d, 2 * a * d

    def put(pos, re, im=Fraction(0)):
        theta[pos] = (Fraction(re), Fraction(im))

    if arch.t >= 2:  # V row 1 = e_1 - i delta e_2, K row 1 = e_1 + i delta e_2, Q row 1 = e_1
        put(v0, 1), put(v0 + 1, 0, -delta), put(k0, 1), put(k0 + 1, 0, delta), put(q0, 1)
        return theta
    for j in range(a - 1):  # q = x_1^2 + ... + x_{a-1}^2 + (x_a + i delta x_{a+1})(x_a - i delta x_{a+1})
        put(k0 + j * d + j, 1), put(q0 + j * d + j, 1)
    j = a - 1
    put(k0 + j * d + j, 1), put(k0 + j * d + j + 1, 0, delta)
    put(q0 + j * d + j, 1), put(q0 + j * d + j + 1, 0, -delta)
    put(v0, 1)  # V row 1 = e_1
    return theta


def _boundary(arch, phi) -> Boundary:
    d, a, t = arch.d, arch.a, arch.t
    closed = ("Phi(V, A) is a product in a polynomial ring, zero only if V = 0 or A = 0, so the "
              "parameterization is proper on pairs of equal norm (module docstring)")
    if d == 1 or (t == 1 and a >= d):
        why = ("d = 1: every real point is Phi of real weights" if d == 1 else
               "a = d: every real quadric is x^T K^T Q x with real K, Q, and a real cubic with a "
               "linear factor has a real one")
        return Boundary(True, closed, True, why)
    values = _gauss(phi, _weights(arch, Fraction(1)))
    if any(im for _, im in values):
        raise AssertionError("the boundary witness is not real (internal error)")
    witness = tuple((phi.labels[i], str(re)) for i, (re, _) in enumerate(values) if re)
    limit = [re for re, _ in _gauss(phi, _weights(arch, Fraction(0)))]
    sequence = []
    for n in (1, 10, 100, 1000):
        f = _gauss(phi, _weights(arch, Fraction(1, n)))
        dist = float(sum((re - lim) ** 2 for (re, _), lim in zip(f, limit))) ** 0.5
        sequence.append((f"1/{n}" if n > 1 else "1", dist))
    if t >= 2:
        key = [phi.keys.index(arch.quadric_key(0, 0, m)) for m in ((2,) + (0,) * (d - 1),
                                                                    (1, 1) + (0,) * (d - 2), (0, 2) + (0,) * (d - 2))]
        qa, qb, qc = (values[i][0] for i in key)
        why_not = (f"F_11 = {qa} z1^2 + {qb} z1 z2 + {qc} z2^2 has discriminant {qb * qb - 4 * qa * qc} < 0: "
                   "no real linear factors, but every real preimage gives F_11 = (v_1.z)(a_1.z) "
                   "with real linear forms (the fiber is known up to the swap and scaling)")
        weights = "V row 1 = e1 - i e2, K row 1 = e1 + i e2, Q row 1 = e1 (others 0)"
        lim = "F_0 = e1 e1^T z1^2 (V row 1 = K row 1 = Q row 1 = e1: the value row parallel to the key row)"
        return Boundary(True, closed, False, "rank V = rank A = 1 points whose quadric is definite",
                        witness, weights, why_not, lim, tuple(sequence))
    why_not = (f"the cubic is x1 q with q = x1^2 + ... + x{a + 1}^2 (delta = 1), its only real linear "
               f"factor is x1, and q has {a + 1} positive squares while a real x^T K^T Q x is a sum of "
               f"{a} products of two linear forms, with at most {a} positive squares")
    return Boundary(True, closed, False, f"a < d: quadrics with more than {a} positive squares",
                    witness, f"V row 1 = e1; K, Q rows e_j (j < {a}) and e{a} +- i e{a + 1}", why_not,
                    f"x1 (x1^2 + ... + x{a}^2), realized by K = Q = the first {a} unit rows", tuple(sequence))


# --- the result ------------------------------------------------------------------------------
@dataclass(frozen=True)
class AttentionSingularResult(SingularResult):
    """:class:`~neuroalg.geometry.witness.singular.SingularResult` of one-layer attention, with
    each stratum's reason (``reasons``) and the real picture (``boundary``)."""

    reasons: tuple[str, ...] = ()
    boundary: Boundary | None = None

    def headline(self) -> str:
        n_sing = sum(s.is_singular is True for s in self.strata)
        n_smooth = sum(s.is_singular is False for s in self.strata)
        n_exp = sum(s.is_exposed for s in self.strata)
        closed = "" if self.boundary is None else \
            f"; real neuromanifold {'closed' if self.boundary.is_closed else 'not closed'}"
        return (f"{len(self.strata)} strata of one-layer attention: {n_sing} singular, {n_smooth} "
                f"smooth (proven), {n_exp} critically exposed (numerical){closed}")

    def lines(self) -> list[tuple[str, str]]:
        out = super().lines()
        pos = 2
        for s, why in zip(self.strata, self.reasons):
            out.insert(pos + 1, ("  why", why))
            pos += 2
        tail = [("time" if k == "time" else k, v) for k, v in out[-3:]]
        return out[:-3] + (self.boundary.lines() if self.boundary else []) + tail

    def payload(self) -> dict:
        out = super().payload()
        for entry, why in zip(out["strata"], self.reasons):
            entry["why"] = why
        out["boundary"] = self.boundary.to_dict() if self.boundary else None
        out["evidence"] = ("singular: tangent test (exact ranks mod p) or the theorem of "
                           "attention_strata; smooth: the theorem with the Jacobian rank reaching "
                           "dim V (exact); exposure: numerical")
        return out


def attention_singular(arch, *, seed=None, show_progress=False) -> AttentionSingularResult:
    """Singular strata, critical exposure and boundary points of one-layer lightning attention.

    Strata: rank drops of Q^T K below a and of V, rank one for both, the value row parallel to
    the key row, and V = 0. Each is decided singular or smooth at its generic points by the
    theorem of this module (proven from the fibers of (V, A) -> (V z)(A^T z)^T and Zariski's
    main theorem), checked against the tangent test (a proof of singularity when the tangent
    images over the fiber span more than dim V) and, for "smooth", against the exact Jacobian
    rank. Critical exposure is numerical. ``boundary`` says whether the real neuromanifold is
    closed and exhibits real points of its Zariski closure outside it, with a sequence of them
    converging to a point of M.

    Parameters
    ----------
    arch : str or Attention
        ``attention l=1 d=.. a=.. t=..`` (lightning, one layer).
    seed : int, numpy.random.Generator or None, default=None
    show_progress : bool or callable(str), default=False

    Returns
    -------
    AttentionSingularResult

    References
    ----------
    Henry, Marchetti, Kohn (2025), Geometry of lightning self-attention: identifiability and
    dimension, ICLR, arXiv:2408.17221.

    Examples
    --------
    >>> res = attention_singular("attention l=1 d=2 a=2 t=2 out=1", seed=0)
    >>> [(s.name, s.is_singular) for s in res.strata]  # doctest: +NORMALIZE_WHITESPACE
    [('rank Q^T K = 1', True), ('value row parallel to the key row', True),
     ('V = 0 (the zero function)', True)]
    """
    from ...spec import parse_spec

    show_progress = check_progress(show_progress)
    clock = time.perf_counter()
    seed, rng = check_seed(seed)
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    if arch.layers != 1 or arch.softmax:
        raise SpecError(f"{arch}: singular and boundary points are implemented for one lightning "
                        "attention layer (l=1, no softmax)")
    dim_seed = child_seed(rng)
    dim = dimension(arch, seed=dim_seed).dimension
    phi = expand(arch)
    phi_system = image_system(phi)
    p = random_prime(31, rng)
    gf = GF(p)
    n_rows = min(phi.n_coordinates, 2 * arch.n_params) + 2
    sketch_seed = int(rng.integers(2**62))

    def sketch(theta):
        return sketched_jacobian(arch, theta, n_rows, gf, np.random.default_rng(sketch_seed))

    done, reasons = [], []
    for piece in _pieces(arch):
        z = gf.random(rng, (_n_z(arch, piece),))
        theta = _theta(arch, piece, z, gf)
        jac = sketch(theta)
        stratum_dim = rank_mod(matmul_mod(jac, _tangent(arch, piece, z, gf), p), p)
        jac_rank = rank_mod(jac.copy(), p)
        moves = _moves(arch, piece, z, gf, rng, min(phi.n_coordinates, 10))
        union = rank_mod(np.hstack([jac] + [sketch(m) for m in moves]), p) if moves else None
        theory, why, confirm = _theory(arch, piece, dim)
        tested = union is not None and union > dim
        if theory is False and confirm and jac_rank < dim:
            verdict, why = None, why + f"; but the Jacobian rank mod p is {jac_rank} < {dim}: not confirmed"
        elif theory is False and tested:
            verdict, why = True, why + "; CONTRADICTED by the tangent test (internal error, please report)"
        else:
            verdict = True if tested else theory
        if tested:
            why = f"tangent test: {union} > dim V = {dim} (exact ranks mod p); " + why
        rank, gap = _exposure(phi_system, lambda zz, pc=piece: _theta(arch, pc, zz, REAL), len(z), rng)
        done.append(replace(Stratum(piece.name, (), ()), dimension=stratum_dim, jacobian_rank=jac_rank,
                            tangent_union_rank=union, is_singular=verdict, exposure_rank=rank,
                            exposure_gap=gap, is_exposed=rank == phi.n_coordinates))
        reasons.append(why)
        if show_progress:
            show_progress(f"{piece.name}: dim {stratum_dim}, singular {verdict}, exposure rank {rank}")
    return AttentionSingularResult(str(arch), dim, phi.n_coordinates, tuple(done), (p,), seed,
                                   time.perf_counter() - clock, child_seeds={"dimension": dim_seed},
                                   reasons=tuple(reasons), boundary=_boundary(arch, phi))

