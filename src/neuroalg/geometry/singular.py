"""Subnetwork strata: their dimension, singularity of the neurovariety there, critical exposure.

Strata (one representative per layer; hidden-neuron permutations give the others):
- MLP, dead neuron j of hidden layer l: the outgoing weights W_{l+1}[:, j] = 0. Its image is the
  neurovariety of the MLP with one neuron fewer in layer l.
- CNN, short filter l: the last (``tail``) or first (``head``) entry of filter l is 0.

For a generic point theta of a stratum S (random over GF(p)):
- ``dimension``: rank of dPhi restricted to the directions of S (the stratum's image dimension);
- ``jacobian_rank``: rank of the full dPhi(theta) (below dim V: theta is a critical point of the
  parameterization);
- **singular point test**: for a dead neuron the fiber over f = Phi(theta) contains every choice
  of the dead neuron's incoming weights. If the tangent images dPhi(theta_i) of such points (up to
  min(M, 10) random choices)
  together span more than dim V, V is singular at f (at a smooth point every image lies in the
  dim V-dimensional tangent space). Ranks over GF(p) of sketched Jacobians (same random inputs
  and covectors for all theta_i) are lower bounds for the ranks over Q, so a "singular" verdict
  is proven; otherwise the test is inconclusive.
- **critical exposure** (the "razor's edge", Marchetti–Shahverdi–Kohn et al.): the targets u with
  a critical point of |Phi(theta) - u|^2 (unit metric) on S form {Phi(theta) + n : theta in S,
  n in ker dPhi(theta)^T}. S is critically exposed when this set has full dimension M; we
  compute the numerical rank of the differential of (theta_S, c) -> Phi(theta) + P(theta) R c,
  P the orthogonal projection onto ker dPhi^T, R a fixed random matrix (central differences,
  float64; the verdict is numerical and comes with its singular-value gap).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..arch import CNN, MLP
from ..errors import SpecError
from ..fields import GF
from ..homotopy.neuro import expand
from ..linalg import random_prime, rank_mod
from ..random import check_seed
from ..report import Report
from ..spec import parse_spec
from .dimension import dimension, sketched_jacobian


@dataclass(frozen=True)
class Stratum:
    name: str
    zero: tuple[int, ...]  # parameters set to 0 on the stratum
    free_of_fiber: tuple[int, ...]  # parameters that move inside the fiber (dead neuron inputs)
    dimension: int = -1
    jacobian_rank: int = -1
    tangent_union_rank: int | None = None
    is_singular: bool | None = None  # True proven; None inconclusive
    exposure_rank: int = -1
    exposure_gap: float = 0.0
    is_exposed: bool = False


@dataclass(frozen=True)
class SingularResult(Report):
    spec: str
    dimension: int
    ambient: int
    strata: tuple[Stratum, ...]
    primes: tuple[int, ...]
    seed: int
    seconds: float

    def headline(self) -> str:
        n_sing = sum(bool(s.is_singular) for s in self.strata)
        n_exp = sum(s.is_exposed for s in self.strata)
        return (f"{len(self.strata)} subnetwork strata: {n_sing} proven singular, "
                f"{n_exp} critically exposed (numerical)")

    def lines(self) -> list[tuple[str, str]]:
        out = [("architecture", self.spec), ("dimension", f"{self.dimension} (in {self.ambient} coordinates)")]
        for s in self.strata:
            sing = {True: "singular points of V (proven)", None: "singularity test inconclusive"}[s.is_singular]
            out.append((s.name, f"dim {s.dimension}, Jacobian rank {s.jacobian_rank}; {sing}; "
                                f"{'critically exposed' if s.is_exposed else 'not critically exposed'} "
                                f"(incidence rank {s.exposure_rank} of {self.ambient}, gap {s.exposure_gap:.1e})"))
        out += [("primes", ", ".join(map(str, self.primes))), ("seed", str(self.seed)),
                ("time", f"{self.seconds:.2f} s")]
        return out

    def to_dict(self) -> dict:
        return {"spec": self.spec, "dimension": self.dimension, "ambient": self.ambient,
                "strata": [{"name": s.name, "dimension": s.dimension,
                            "jacobian_rank": s.jacobian_rank,
                            "tangent_union_rank": s.tangent_union_rank,
                            "singular": s.is_singular, "exposure_rank": s.exposure_rank,
                            "exposure_gap": s.exposure_gap, "critically_exposed": s.is_exposed}
                           for s in self.strata],
                "status": "singular: proven where true; exposure: numerical",
                "primes": list(self.primes), "seed": self.seed, "seconds": round(self.seconds, 4)}


def strata(arch) -> list[Stratum]:
    """One representative stratum per hidden layer (MLP) or per filter end (CNN)."""
    if isinstance(arch, MLP) and not any(a.reciprocal for a in arch.activations):
        out, slices = [], arch._slices()
        for l in range(1, len(arch.widths) - 1):
            if arch.widths[l] < 2:
                continue
            w_out, _ = slices[l]
            d_out, d_in = arch.widths[l + 1], arch.widths[l]
            zero = tuple(w_out.start + i * d_in for i in range(d_out))  # W_{l+1}[:, 0]
            w_in, b_in = slices[l - 1]
            inputs = tuple(range(w_in.start, w_in.start + arch.widths[l - 1]))  # W_l[0, :]
            inputs += (b_in.start,) if b_in is not None else ()
            out.append(Stratum(f"dead neuron in layer {l}", zero, inputs))
        return out
    if isinstance(arch, CNN):
        out, slices = [], arch._slices()
        for l, k in enumerate(arch.filters):
            if k >= 2:
                w = slices[l][0]
                out.append(Stratum(f"filter {l + 1} tail zero", (w.stop - 1,), ()))
                out.append(Stratum(f"filter {l + 1} head zero", (w.start,), ()))
        return out
    raise SpecError("subnetwork strata are implemented for polynomial MLPs and CNNs")


def singular(arch, *, seed=None, show_progress=None) -> SingularResult:
    """Subnetwork strata of ``arch`` with their dimension, singularity and critical exposure."""
    clock = time.perf_counter()
    seed, rng = check_seed(seed)
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    dim = dimension(arch, seed=seed).dimension
    phi = expand(arch)
    phi_system = phi.system()
    p = random_prime(31, rng)
    field = GF(p)
    n_rows = min(phi.n_coordinates, 2 * arch.n_params) + 2
    sketch_seed = int(rng.integers(2**62))

    def sketch(theta):
        return sketched_jacobian(arch, theta, n_rows, field, np.random.default_rng(sketch_seed))

    done = []
    for s in strata(arch):
        theta = field.random(rng, (arch.n_params,))
        theta[list(s.zero)] = 0
        jac = sketch(theta)
        free = [k for k in range(arch.n_params) if k not in s.zero]
        stratum_dim = rank_mod(jac[:, free].copy(), p)
        jac_rank = rank_mod(jac.copy(), p)
        union, verdict = None, None
        if s.free_of_fiber:
            blocks = [jac]
            for _ in range(min(phi.n_coordinates, 10)):
                other = theta.copy()
                other[list(s.free_of_fiber)] = field.random(rng, (len(s.free_of_fiber),))
                blocks.append(sketch(other))
            union = rank_mod(np.hstack(blocks), p)
            verdict = True if union > dim else None
        rank, gap = _exposure(phi_system, arch.n_params, s.zero, rng)
        done.append(Stratum(s.name, s.zero, s.free_of_fiber, stratum_dim, jac_rank, union, verdict,
                            rank, gap, rank == phi.n_coordinates))
        if show_progress:
            show_progress(f"{s.name}: dim {stratum_dim}, exposure rank {rank}")
    return SingularResult(str(arch), dim, phi.n_coordinates, tuple(done), (p,), seed,
                          time.perf_counter() - clock)


def _exposure(phi_system, n_params: int, zero, rng, h: float = 1e-6):
    """Numerical rank (and gap) of d/d(theta_S, c) [Phi(theta) + P(theta) R c] at a random point."""
    free = [k for k in range(n_params) if k not in set(zero)]
    theta = rng.standard_normal(n_params)
    theta[list(zero)] = 0
    m = phi_system.n_eqs
    r_mat = rng.standard_normal((m, m))
    c = rng.standard_normal(m)

    def u(z, cc):
        th = theta.copy()
        th[free] = z
        f, jac = (a[0].real for a in phi_system.evaluate(th[None]))
        proj = np.eye(m) - jac @ np.linalg.pinv(jac, rcond=1e-10)
        return f + proj @ (r_mat @ cc)

    z0 = theta[free]
    cols = []
    for k in range(len(free)):
        e = np.zeros(len(free))
        e[k] = h
        cols.append((u(z0 + e, c) - u(z0 - e, c)) / (2 * h))
    for k in range(m):
        e = np.zeros(m)
        e[k] = h
        cols.append((u(z0, c + e) - u(z0, c - e)) / (2 * h))
    sv = np.linalg.svd(np.array(cols).T, compute_uv=False)
    sv = sv / sv[0]
    rank = int(np.sum(sv > 1e-7))
    gap = float(sv[rank - 1] / sv[rank]) if 0 < rank < len(sv) and sv[rank] > 0 else float("inf")
    return rank, gap
