"""Hidden linear symmetries: vector fields theta -> B theta in the kernel of dPhi.

Found over GF(p) as the kernel of a linear system in vec(B) (one block of equations per random
theta), in reduced row echelon form so that it lifts to Q across primes; verified exactly
(dPhi(theta) B theta = 0 as polynomials over Q) before any bound relies on them.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ...errors import NeuroalgError
from ...fields import GF, matmul_mod
from ...linalg import random_prime, rank_mod
from ..jacobian import sketched_jacobian
from .certificates import Certificate


def linear_symmetry_kernel(arch, dim: int, rng, prime: int) -> np.ndarray | None:
    """The linear vector fields theta -> B theta with dPhi(theta) B theta = 0, over GF(prime):
    a basis of vec(B) (row-major, (B theta)_i = sum_j B_ij theta_j) in reduced row echelon form
    (canonical, so it lifts to Q across primes), or None if the kernel did not stabilize. Each
    random theta gives the rows c^T dPhi(theta)(x) (B theta) of a sketch with dim + 2 rows; the
    kernel is grown until it also annihilates fresh equations (no spurious B)."""

    from ...linalg.exact import kernel_rref_mod

    p_count, field = arch.n_params, GF(prime)
    n_unknowns = p_count * p_count

    def equations(n_theta):
        rows = []
        for _ in range(n_theta):
            theta = field.random(rng, (p_count,))
            sketch = sketched_jacobian(arch, theta, dim + 2, field, rng)  # (dim + 2, P)
            rows.append((sketch[:, :, None] * theta[None, None, :] % prime).reshape(len(sketch), -1))
        return np.vstack(rows)

    n_theta = -(-(n_unknowns + 20) // max(dim, 1))  # each theta gives <= dim independent rows
    for _ in range(4):
        kernel = kernel_rref_mod(equations(n_theta), prime)
        if len(kernel) == 0 or not np.any(matmul_mod(equations(3), kernel.T.copy(), prime)):
            return kernel
        n_theta *= 2
    return None


def linear_symmetries(arch, dim: int, rng, *, max_params: int = 60) -> tuple[int | None, int | None]:
    """(dimension of the linear symmetry fields B theta, their directions beyond the known
    fields at a generic theta), over a random 30-bit prime; (None, None) above ``max_params``."""

    p_count = arch.n_params
    if p_count > max_params:
        return None, None
    prime = random_prime(30, rng)
    kernel = linear_symmetry_kernel(arch, dim, rng, prime)
    if kernel is None:
        return None, None
    if len(kernel) == 0:
        return 0, 0
    theta = GF(prime).random(rng, (p_count,))
    values = field_values(kernel, theta, prime)
    known = arch.symmetry_fields(theta, GF(prime))
    r_known = rank_mod(known.copy(), prime) if known.shape[1] else 0
    both = np.hstack([known, values]) if known.shape[1] else values
    return len(kernel), rank_mod(both.copy(), prime) - r_known


def field_values(kernel: np.ndarray, theta: np.ndarray, prime: int) -> np.ndarray:
    """The fields B_k theta (columns, P x k) of a kernel basis vec(B_k) (rows) over GF(prime)."""

    p_count = len(theta)
    stacked = kernel.reshape(len(kernel) * p_count, p_count)  # rows: (k, i), columns j
    return matmul_mod(stacked, theta[:, None], prime).reshape(len(kernel), p_count).T.copy()


def hidden_symmetry_fields(arch, dim: int, rng) -> tuple[str, ...]:
    """The exactly verified linear symmetry fields (:func:`.certificates.symmetry_certificate`)
    that raise the rank of the known fields at a random point, written as vector fields
    ``d t_i = sum_j B_ij t_j`` (parameters t_0, t_1, ... in the architecture's order)."""

    cert = symmetry_certificate(arch, dim, rng, known=False, max_params=60)
    if cert is None:
        return ()
    P, p = arch.n_params, random_prime(30, rng)
    field = GF(p)
    theta = field.random(rng, (P,))
    cols = arch.symmetry_fields(theta, field)
    rank = rank_mod(cols.copy(), p) if cols.shape[1] else 0
    out = []
    for vec in cert.details["fields"]:
        b = [Fraction(x) for x in vec]
        col = np.array([[x.numerator % p * pow(x.denominator, -1, p) % p for x in b]],
                       dtype=np.int64)
        trial = np.hstack([cols, field_values(col, theta, p)]) if cols.shape[1] else field_values(col, theta, p)
        if rank_mod(trial.copy(), p) > rank:
            cols, rank = trial, rank + 1
            out.append(_field_text(b, P))
    return tuple(out)


def _field_text(b, P: int) -> str:
    terms = []
    for i in range(P):
        row = [(j, b[i * P + j]) for j in range(P) if b[i * P + j]]
        if row:
            rhs = " + ".join({1: f"t{j}", -1: f"-t{j}"}.get(c, f"{c}*t{j}")
                             for j, c in row).replace("+ -", "- ")
            terms.append(f"d t{i} = {rhs}")
    return "; ".join(terms)


def symmetry_certificate(arch, lower: int, rng: np.random.Generator, *, known: bool = True,
                         max_params: int = 40) -> Certificate | None:
    """The bound from exactly verified linear symmetry fields (with the architecture's known
    fields unless ``known`` is False); None above ``max_params`` or without a polynomial map."""

    from ...linalg.exact import crt_lift
    from ...polymap import expand

    P = arch.n_params
    if P > max_params:
        return None
    try:
        phi = expand(arch)
    except NeuroalgError:
        return None  # 1/x and other non-polynomial maps
    primes = [random_prime(30, rng) for _ in range(3)]
    found = [linear_symmetry_kernel(arch, max(lower, 1), rng, q) for q in primes]
    kernels = [k for k in found if k is not None]
    if len(kernels) != len(found) or len({k.shape for k in kernels}) != 1:
        return None
    lifted = crt_lift(kernels, primes) if len(kernels[0]) else []
    if lifted is None:
        return None
    verified = [b for b in lifted if _is_symmetry(phi, b)]
    p = random_prime(30, rng)
    f = GF(p)
    theta = arch.random_params(rng, f)
    cols = [arch.symmetry_fields(theta, f)] if known else []
    if verified:
        basis = np.array([[x.numerator % p * pow(x.denominator, -1, p) % p for x in b]
                          for b in verified], dtype=np.int64)
        cols.append(field_values(basis, theta, p))
    cols = [c for c in cols if c.shape[1]]
    rank = rank_mod(np.hstack(cols), p) if cols else 0
    bound = P - rank if arch.ambient_dimension is None else min(P - rank, arch.ambient_dimension)
    return Certificate(
        kind="symmetry",
        bound=bound,
        statement=(f"{len(verified)} linear vector fields theta -> B theta lie in ker dPhi "
                   f"identically" + (" (with the known symmetry fields)" if known else "")
                   + f"; their rank at a point is {rank}, so the generic fiber has dimension "
                   f">= {rank}"),
        verification=(f"fields found over GF({primes[0]}), GF({primes[1]}), GF({primes[2]}), "
                      f"lifted to Q and verified symbolically (dPhi(theta) B theta = 0 as "
                      f"polynomials over Q); rank {rank} over GF({p}) at a random point: exact"),
        details={"n_fields": len(verified), "n_rejected": len(lifted) - len(verified),
                 "rank": rank, "fields": [[str(x) for x in b] for b in verified]},
    )


def _is_symmetry(phi, vec_b) -> bool:
    """Whether sum_i dPhi_m/dtheta_i (B theta)_i vanishes identically for every coordinate m."""
    import flint

    P = phi.n_params
    ctx = flint.fmpq_mpoly_ctx.get(tuple(f"t{i}" for i in range(P)), "lex")
    gens = ctx.gens()
    zero = ctx.constant(0)
    field = []
    for i in range(P):
        row = vec_b[i * P : (i + 1) * P]
        field.append(sum((flint.fmpq(c.numerator, c.denominator) * gens[j]
                          for j, c in enumerate(row) if c), zero))
    for poly in phi.polys:
        m = ctx.from_dict({e: flint.fmpq(c.numerator, c.denominator) for e, c in poly.items()})
        if sum((m.derivative(i) * field[i] for i in range(P) if field[i] != 0), zero) != 0:
            return False
    return True
