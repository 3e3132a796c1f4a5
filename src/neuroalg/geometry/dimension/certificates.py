"""Upper-bound certificates for dimensions beyond the known symmetries.

A certificate proves ``dim V <= bound`` for the neurovariety V, by a structural statement
verified exactly at one point of V over GF(p):

* **Catalecticant** (shallow monomial networks (d0, d1, dL) with x^r, no biases). Every output is
  f_j = sum_i v_ji (w_i . x)^r. Its k-th catalecticant, in the apolar normalization
  C_k(f)_{alpha, beta} = c_{alpha+beta} (alpha+beta)! / r!, is the matrix of f as a bilinear form
  on degree-k and degree-(r-k) monomials; for a power of a linear form it has rank one, so the
  stacked matrix [C_k(f_1) | ... | C_k(f_dL)] has rank <= d1 on the whole neurovariety, and its
  (d1+1)-minors vanish there (structural). At a point M0 of rank exactly d1, the differentials of
  the (d1+1)-minors span the functionals X -> u^T X v with u, v in the left and right kernels of
  M0 (the normal space of the determinantal variety; Harris, Algebraic Geometry, Ex. 14.16). If
  these have rank c over GF(p) at y = Phi(theta mod p), they have rank >= c over Q at the integer
  point Phi(theta); the rank of the gradients is >= c on a dense open subset of the irreducible V,
  which meets its smooth locus, where T V lies in their common kernel: dim V <= ambient - c.
  This certifies e.g. the Alexander–Hirschowitz exceptions (3,5,1), (4,9,1), (5,14,1) with x^4.
* **Koszul flattening** (same networks). For f of degree r in n+1 variables the Koszul flattening
  K^a_k(f): Λ^a C^{n+1} ⊗ S^k -> Λ^{a+1} C^{n+1} ⊗ S^{r-k-1}, e_I ⊗ ∂^α -> Σ_j e_j ∧ e_I ⊗ ∂_j ∂^α f,
  has rank C(n, a) at a power l^r (its image is (l ∧ Λ^a) ⊗ l^{r-k-1}), hence rank <= d1 C(n, a)
  on the neurovariety, stacked over the outputs (Landsberg, Ottaviani, Equations for secant
  varieties of Veronese and other varieties, Ann. Mat. Pura Appl. 192 (2013), arXiv:1111.4567).
  The same normal-space argument applies. In the apolar coordinates z_γ = c_γ γ!/r! (z = w^γ at
  l = w.x) the entry at row (I ∪ {j}, β), column (I, α) is ±z_{α+e_j+β}, up to nonzero row scalars
  when p > r. With a = 2, k = 1 this certifies the remaining Alexander–Hirschowitz exception
  (5,7,1) with x^3: sums of 7 cubes in 5 variables form a hypersurface (Ottaviani, An invariant
  regarding Waring's problem for cubic polynomials, Nagoya Math. J. 193 (2009)).
* **Determinantal** (linear networks, every activation x). Phi(theta) = W_L ... W_1 (plus a
  constant term with biases) is a product through widths >= r = min(d_0, ..., d_L), so it has
  rank <= r: V lies in M_r = {d_L x d_0 matrices of rank <= r} (times C^{d_L} with biases),
  whose dimension r (d_0 + d_L - r) is a theorem (Harris, Algebraic Geometry, Prop. 12.2); V
  equals M_r since every matrix of rank <= r factors through the widths (Trager, Kohn, Bruna,
  ICLR 2020). The bound needs only the inclusion, which holds identically.
* **Symmetry fields** (any architecture with a polynomial expansion and at most 40 parameters).
  The linear vector fields theta -> B theta with dPhi(theta) B theta = 0 are found over GF(p) as
  the kernel of a linear system in vec(B) (:func:`neuroalg.geometry.witness.fiber.linear_symmetry_kernel`),
  lifted to Q from three primes by rational reconstruction, and each is then verified exactly:
  sum_i dPhi_m/dtheta_i (B theta)_i = 0 as a polynomial in Q[theta] for every coordinate m.
  Verified fields lie in ker dPhi everywhere, so dim V <= #params - (rank of the known and the
  verified fields at a point over GF(p)), as for the known fields. This proves hidden symmetries
  that the architecture does not declare.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import field as dc_field
from itertools import combinations

import numpy as np

from ...arch import MLP
from ...fields import GF, matmul_mod
from ...linalg import rank_mod


@dataclass(frozen=True)
class Certificate:
    """A proven upper bound ``bound`` on the dimension, and how it was verified."""

    kind: str
    bound: int
    statement: str
    verification: str
    details: dict = dc_field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "bound": self.bound, "statement": self.statement,
                "verification": self.verification, **self.details}


def determinantal_certificate(arch) -> Certificate | None:
    """dim V <= r (d_0 + d_L - r) (+ d_L with biases) for a linear network, r = min width."""
    if not (isinstance(arch, MLP) and arch.is_linear):
        return None
    m, n, r = arch.widths[0], arch.widths[-1], min(arch.widths)
    bound = r * (m + n - r) + (n if arch.bias else 0)
    bias = f" times C^{n} (the constant term)" if arch.bias else ""
    return Certificate(
        kind="theorem", bound=bound,
        statement=(f"the image of a linear network lies in M_{r} = {{{n} x {m} matrices of rank "
                   f"<= {r}}}{bias} (every product through a width-{r} layer has rank <= {r}); "
                   f"dim M_{r} = r(m + n - r) = {r * (m + n - r)}"),
        verification=("theorem: Harris (1992), Algebraic Geometry: A First Course, Prop. 12.2 "
                      "(dimension of determinantal varieties); the image is all of M_r: Trager, "
                      "Kohn, Bruna (2020), ICLR, arXiv:1910.05297"))


def _powers(w: np.ndarray, exps: np.ndarray, f: GF) -> np.ndarray:
    """Matrix [w_i^alpha] (neurons x monomials) over GF(p)."""
    top = int(exps.max(initial=0))
    out = np.ones((w.shape[0], exps.shape[0]), dtype=np.int64)
    for var in range(w.shape[1]):
        columns = [np.ones(w.shape[0], dtype=np.int64)]
        for _ in range(top):
            columns.append(f.mul(columns[-1], w[:, var]))
        table = np.stack(columns, axis=1)  # (neurons, top + 1)
        out = f.mul(out, table[:, exps[:, var]])
    return out


def _normal_rank(entries, shape: tuple[int, int], n_coords: int, y0: np.ndarray, p: int, rng):
    """For a matrix M(y) linear in coordinates y, given as ``entries`` (row, col, coord, coef)
    arrays: (rank of M(y0), a lower bound on the rank of the functionals y -> u^T M(y) v, u and v
    in the left and right kernels of M(y0)), over GF(p). The latter is the codimension of the
    tangent space of {rank M <= rank M(y0)} pulled back to the y-space at y0 (Harris, Ex. 14.16).
    When there are many kernel pairs, n_coords + 8 random combinations u = U a, v = V b are used:
    they span a subspace of the functionals, so their rank is still a lower bound."""
    rows, cols, coords, coefs = entries
    m = np.zeros(shape, dtype=np.int64)
    np.add.at(m, (rows, cols), coefs * y0[coords] % p)
    m %= p
    rank = rank_mod(m.copy(), p)
    from ...linalg.exact import nullspace_mod

    u, v = nullspace_mod(m.T, p), nullspace_mod(m, p)
    if u.shape[1] == 0 or v.shape[1] == 0:
        return rank, 0
    if u.shape[1] * v.shape[1] > n_coords + 8:
        n = n_coords + 8
        u = matmul_mod(u, rng.integers(0, p, (u.shape[1], n)), p)
        v = matmul_mod(v, rng.integers(0, p, (v.shape[1], n)), p)
        pairs = u[rows] * v[cols] % p
    else:  # functional (s, t) at coordinate g: sum over entries of coord g of coef u[row,s] v[col,t]
        pairs = (u[rows][:, :, None] * v[cols][:, None, :] % p).reshape(len(rows), -1)
    func = np.zeros((n_coords, pairs.shape[1]), dtype=np.int64)
    np.add.at(func, coords, pairs * coefs[:, None] % p)
    return rank, rank_mod(func % p, p)


def _koszul_entries(n_vars: int, r: int, a: int, k: int, n_out: int):
    """Sparse entries of the stacked Koszul flattening [K^a_k(f_1) | ... ] in apolar coordinates
    (output o, monomial γ) -> index o * #S^r + idx(γ); returns (entries, shape)."""
    from ...polymap import exponent_vectors

    full = {tuple(e): i for i, e in enumerate(exponent_vectors(n_vars, r))}
    alphas, betas = exponent_vectors(n_vars, k), exponent_vectors(n_vars, r - k - 1)
    subsets = list(combinations(range(n_vars), a))
    supersets = {J: i for i, J in enumerate(combinations(range(n_vars), a + 1))}
    rows, cols, coords, coefs = [], [], [], []
    n_cols = len(subsets) * len(alphas)
    for ii, I in enumerate(subsets):
        for j in range(n_vars):
            if j in I:
                continue
            sign = -1 if sum(i < j for i in I) % 2 else 1
            J = supersets[tuple(sorted(I + (j,)))]
            for ai, alpha in enumerate(alphas):
                for bi, beta in enumerate(betas):
                    gamma = alpha + beta
                    gamma[j] += 1
                    g = full[tuple(gamma)]
                    for o in range(n_out):
                        rows.append(J * len(betas) + bi)
                        cols.append(o * n_cols + ii * len(alphas) + ai)
                        coords.append(o * len(full) + g)
                        coefs.append(sign)
    shape = (len(supersets) * len(betas), n_out * n_cols)
    return tuple(np.array(x, dtype=np.int64) for x in (rows, cols, coords, coefs)), shape


def _shallow_point(arch, p: int, rng):
    """(d0, d1, dL, r, apolar coordinates z of Phi(theta) at a random theta over GF(p)) for a
    shallow monomial MLP without biases, else None. z_(o, γ) = sum_i v_oi w_i^γ."""
    from ...polymap import exponent_vectors

    if not (isinstance(arch, MLP) and arch.depth == 2 and not arch.bias):
        return None
    r = arch.activations[0].monomial_power
    d0, d1, dL = arch.widths
    if r is None or r < 3 or p <= r:
        return None  # r = 2: the orthogonal symmetry fields already give the determinantal bound
    f = GF(p)
    theta = arch.random_params(rng, f)
    w = theta[: d1 * d0].reshape(d1, d0)
    v = theta[d1 * d0 :].reshape(dL, d1)
    return d0, d1, dL, r, matmul_mod(v, _powers(w, exponent_vectors(d0, r), f), p).ravel()


def _catalecticant_entries(n_vars: int, r: int, k: int, n_out: int):
    """Sparse entries of the stacked k-th catalecticant [C_k(f_1) | ... ]: row α (degree k),
    column (o, β) (degree r - k), coordinate (o, α + β), coefficient 1 (apolar coordinates)."""
    from ...polymap import exponent_vectors

    full = {tuple(e): i for i, e in enumerate(exponent_vectors(n_vars, r))}
    left, right = exponent_vectors(n_vars, k), exponent_vectors(n_vars, r - k)
    rows, cols, coords = [], [], []
    for ai, alpha in enumerate(left):
        for bi, beta in enumerate(right):
            g = full[tuple(alpha + beta)]
            for o in range(n_out):
                rows.append(ai)
                cols.append(o * len(right) + bi)
                coords.append(o * len(full) + g)
    arrays = [np.array(x, dtype=np.int64) for x in (rows, cols, coords)]
    return (*arrays, np.ones(len(rows), dtype=np.int64)), (len(left), n_out * len(right))


def _flattening(arch, p, rng, kind, choices, describe):
    """The best bound over flattenings ``choices``: (params, entries_fn, rank bound, shape)."""
    point = _shallow_point(arch, p, rng)
    if point is None:
        return None
    d0, d1, dL, r, z0 = point
    ambient, best = arch.ambient_dimension, None
    for params, make, bound, (n_rows, n_cols) in choices(d0, d1, dL, r):
        if bound >= min(n_rows, n_cols) or ambient - (n_rows - bound) * (n_cols - bound) >= (
                arch.n_params if best is None else best.bound):
            continue  # the minors are trivial, or cannot beat what is known
        entries, shape = make()
        rank, codim = _normal_rank(entries, shape, len(z0), z0, p, rng)
        if rank != bound or codim == 0:
            continue  # not a point of maximal rank on V: no conclusion from this flattening
        if best is None or ambient - codim < best.bound:
            best = Certificate(
                kind=kind, bound=ambient - codim,
                statement=(f"the stacked {describe(params)} ({shape[0]}x{shape[1]}) of a sum of "
                           f"{d1} {r}-th powers of linear forms has rank <= {bound}; its "
                           f"{bound + 1}-minors vanish on the neurovariety (structural)"),
                verification=(f"at a point of the neurovariety over GF({p}) it has rank {bound} "
                              f"and the minors' differentials (u^T M(.) v, u, v kernel vectors) "
                              f"have rank {codim}: exact, so dim <= {ambient} - {codim}"),
                details={**params, "matrix_shape": list(shape), "codimension": codim, "prime": p})
    return best


def catalecticant_certificate(arch, p: int, rng: np.random.Generator) -> Certificate | None:
    """The best catalecticant bound for a shallow monomial MLP (None if it does not apply)."""
    def choices(d0, d1, dL, r):
        for k in range(1, r):
            shape = (math.comb(d0 + k - 1, k), dL * math.comb(d0 + r - k - 1, r - k))
            yield {"k": k}, lambda k=k: _catalecticant_entries(d0, r, k, dL), d1, shape

    return _flattening(arch, p, rng, "catalecticant", choices,
                       lambda q: f"catalecticant C_{q['k']}")


def koszul_certificate(arch, p: int, rng: np.random.Generator, *,
                       max_entries: int = 4_000_000) -> Certificate | None:
    """The best Koszul-flattening bound for a shallow monomial MLP (None if none applies)."""
    def choices(d0, d1, dL, r):
        for a in range(1, d0 - 1):
            for k in range(0, r - 1):
                shape = (math.comb(d0, a + 1) * math.comb(d0 + r - k - 2, r - k - 1),
                         dL * math.comb(d0, a) * math.comb(d0 + k - 1, k))
                if shape[0] * shape[1] <= max_entries:
                    yield ({"a": a, "k": k}, lambda a=a, k=k: _koszul_entries(d0, r, a, k, dL),
                           d1 * math.comb(d0 - 1, a), shape)

    return _flattening(arch, p, rng, "koszul", choices,
                       lambda q: f"Koszul flattening K^{q['a']}_{q['k']}")


