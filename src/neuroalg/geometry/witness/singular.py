"""Subnetwork strata: their dimension, singularity of the neurovariety there, critical exposure.

Strata (linear subspaces of parameter space; one representative per layer, hidden-neuron
permutations and rescalings give the others):
- MLP, dead neuron 0 of hidden layer l: the outgoing weights W_{l+1}[:, 0] = 0. Its image is the
  neurovariety of the MLP with one neuron fewer in layer l; the fiber moves the dead neuron's
  incoming weights freely.
- MLP, merged neurons 0 and 1 of layer l: W_l[1, :] = W_l[0, :] (and b_l[1] = b_l[0]). They act
  as one neuron with outgoing weights W_{l+1}[:, 0] + W_{l+1}[:, 1]: the same image as a dead
  neuron, but other parameters (the fiber moves weight between the two outgoing columns).
- MLP, cancelling neurons 0 and 1: merged, and W_{l+1}[:, 1] = -W_{l+1}[:, 0]. The pair adds
  nothing: the image is that of the MLP with two neurons fewer; the fiber moves the pair's
  incoming and outgoing weights freely (needs d_l >= 2 neurons; with d_l = 2 the layer is dead).
- CNN, short filter l: the last (``tail``) or first (``head``) entry of filter l is 0 (linear
  CNNs only; nonlinear CNNs go to :mod:`.cnn_strata`: every zero padding, its placements, and
  the node-type verdicts of the Razor's Edge criterion).

For a generic point theta of a stratum S (random over GF(p)):
- ``dimension``: rank of dPhi restricted to the directions of S (the stratum's image dimension);
- ``jacobian_rank``: rank of the full dPhi(theta) (below dim V: theta is a critical point of the
  parameterization);
- **singular point test**: the fiber over f = Phi(theta) contains the points obtained by the
  stratum's fiber moves (above). If the tangent images dPhi(theta_i) of such points (up to
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
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from ...arch import CNN, MLP, Attention
from ...errors import SpecError
from ...fields import GF, matmul_mod
from ...linalg import random_prime, rank_mod
from ...polymap import expand
from ...progress import check_progress
from ...random import check_seed, child_seed
from ...results import Certainty, Result
from ...spec import parse_spec
from ..dimension.dimension import dimension
from ..jacobian import sketched_jacobian
from .systems import image_system

if TYPE_CHECKING:
    from .cnn_strata import CNNSingularResult


@dataclass(frozen=True)
class Stratum:
    """A linear stratum: ``zero`` parameters vanish, ``ties`` (k, src, sign) set theta_k =
    sign theta_src. Moves inside the fiber of Phi: ``free_of_fiber`` parameters take any value,
    ``transfers`` (k, k2) shift theta_k by t and theta_k2 by -t, ties re-applied; or, when
    ``released`` is given, everything is transferred (theta_k2 = 0) and the ``released``
    parameters take any value (the merged pair becomes one live and one dead neuron)."""

    name: str
    zero: tuple[int, ...]
    free_of_fiber: tuple[int, ...]
    ties: tuple[tuple[int, int, int], ...] = ()
    transfers: tuple[tuple[int, int], ...] = ()
    released: tuple[int, ...] = ()
    dimension: int = -1
    jacobian_rank: int = -1
    tangent_union_rank: int | None = None
    is_singular: bool | None = None  # True proven singular; False proven smooth; None inconclusive
    exposure_rank: int = -1
    exposure_gap: float = 0.0
    is_exposed: bool = False


@dataclass(frozen=True)
class SingularResult(Result):
    spec: str
    dimension: int
    ambient: int
    strata: tuple[Stratum, ...]
    primes: tuple[int, ...]
    seed: int
    seconds: float
    #: seeds of the inner calls (derived from ``seed``), e.g. {"dimension": ...}
    child_seeds: dict = field(default_factory=dict)

    def headline(self) -> str:
        n_sing = sum(bool(s.is_singular) for s in self.strata)
        n_exp = sum(s.is_exposed for s in self.strata)
        return (f"{len(self.strata)} subnetwork strata: {n_sing} proven singular, "
                f"{n_exp} critically exposed (numerical)")

    def lines(self) -> list[tuple[str, str]]:
        out = [("architecture", self.spec), ("dimension", f"{self.dimension} (in {self.ambient} coordinates)")]
        for s in self.strata:
            sing = {True: "singular points of V (proven)", False: "smooth points of V (proven)",
                    None: "singularity test inconclusive"}[s.is_singular]
            out.append((s.name, f"dim {s.dimension}, Jacobian rank {s.jacobian_rank}; {sing}; "
                                f"{'critically exposed' if s.is_exposed else 'not critically exposed'} "
                                f"(incidence rank {s.exposure_rank} of {self.ambient}, gap {s.exposure_gap:.1e})"))
        out += [("primes", ", ".join(map(str, self.primes))), ("seed", str(self.seed)),
                ("time", f"{self.seconds:.2f} s")]
        return out

    headline_key = "n_singular"
    method_name = "tangent images over the fiber (ranks mod p); exposure by numerical rank"

    @property
    def status(self) -> Certainty:
        """certified when every stratum's singularity test decided (exact ranks); else undecided."""
        return (Certainty.CERTIFIED if all(s.is_singular is not None for s in self.strata)
                else Certainty.UNDECIDED)

    def payload(self) -> dict:
        return {"spec": self.spec, "dimension": self.dimension, "ambient": self.ambient,
                "n_singular": sum(bool(s.is_singular) for s in self.strata),
                "strata": [{"name": s.name, "dimension": s.dimension,
                            "jacobian_rank": s.jacobian_rank,
                            "tangent_union_rank": s.tangent_union_rank,
                            "singular": s.is_singular, "exposure_rank": s.exposure_rank,
                            "exposure_gap": s.exposure_gap, "critically_exposed": s.is_exposed}
                           for s in self.strata],
                "evidence": "singular: proven where true; exposure: numerical",
                "primes": list(self.primes), "seed": self.seed, "child_seeds": dict(self.child_seeds),
                "seconds": round(self.seconds, 4)}


def strata(arch) -> list[Stratum]:
    """Dead, merged and cancelling neurons per hidden layer (MLP); short filters (CNN)."""
    if isinstance(arch, MLP) and not any(a.reciprocal for a in arch.activations):
        out = []
        for l in range(1, len(arch.widths) - 1):
            layer = [u for u in arch.units() if u.layer == l]
            if len(layer) < 2:
                continue
            row, col = [u.input_side for u in layer], [u.outgoing for u in layer]
            out.append(Stratum(f"dead neuron in layer {l}", col[0], row[0]))
            merged = tuple((k1, k0, 1) for k0, k1 in zip(row[0], row[1]))
            out.append(Stratum(f"merged neurons in layer {l}", (), (), merged,
                               tuple(zip(col[0], col[1])), row[1]))
            if len(layer) >= 3:
                cancel = merged + tuple((k1, k0, -1) for k0, k1 in zip(col[0], col[1]))
                out.append(Stratum(f"cancelling neurons in layer {l}", (), row[0] + col[0], cancel))
        return out
    if isinstance(arch, CNN):
        out, slices = [], arch.layer_slices()
        for l, k in enumerate(arch.filters):
            if k >= 2:
                w = slices[l][0]
                out.append(Stratum(f"filter {l + 1} tail zero", (w.stop - 1,), ()))
                out.append(Stratum(f"filter {l + 1} head zero", (w.start,), ()))
        return out
    raise SpecError("subnetwork strata are implemented for polynomial MLPs, CNNs and one-layer "
                    "lightning attention")


def _basis(s: Stratum, n_params: int) -> np.ndarray:
    """Integer matrix A (P x #free) with theta = A z parameterizing the stratum."""
    tied = {k: (src, sign) for k, src, sign in s.ties}
    free = [k for k in range(n_params) if k not in set(s.zero) and k not in tied]
    a = np.zeros((n_params, len(free)), dtype=np.int64)
    for c, k in enumerate(free):
        a[k, c] = 1
    for k, (src, sign) in tied.items():
        a[k] = sign * a[src]
    return a


def _tie(theta, s: Stratum, field):
    theta[list(s.zero)] = 0
    for k, src, sign in s.ties:
        theta[k] = theta[src] if sign > 0 else field.neg(theta[src])
    return theta


def singular(arch, *, seed=None, show_progress=False) -> SingularResult | CNNSingularResult:
    """Subnetwork strata of the neurovariety V of ``arch``: dimension, singularity, exposure.

    Strata are the images of linear subspaces of parameter space: a dead neuron (zero outgoing
    weights), merged neurons (two neurons with equal incoming weights), cancelling neurons, and
    short filters (CNNs). For each: its dimension (rank of the Jacobian restricted to it, mod
    p); a singularity test that is a proof when positive: the tangent images dPhi over the
    fiber of a stratum point span more than dim V (ranks mod p, exact), so V is not smooth
    there; and critical exposure (whether a generic critical point of the loss restricted to
    the stratum is critical on V), by a numerical rank with its gap.

    Parameters
    ----------
    arch : str or Architecture
        A polynomial MLP or CNN spec.
    seed : int, numpy.random.Generator or None, default=None
    show_progress : bool or callable(str), default=False

    Returns
    -------
    SingularResult or CNNSingularResult
        The strata, ``n_singular`` (how many are proven singular) and ``status``:
        ``"certified"`` when every stratum's singularity test decided, else ``"undecided"``.
        Nonlinear CNNs give a :class:`~neuroalg.geometry.witness.cnn_strata.CNNSingularResult`
        (every zero padding of the filters, its placements, node/smooth verdicts).

    References
    ----------
    Shahverdi, Marchetti, Kohn (2025), Learning on a Razor's Edge: the singularity bias of
    polynomial neural networks, arXiv:2505.11846.

    Examples
    --------
    >>> [s.name for s in singular("mlp 2,2,1 x^2", seed=0).strata]
    ['dead neuron in layer 1', 'merged neurons in layer 1']
    """
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    if isinstance(arch, Attention):  # rank strata, theorem verdicts, boundary points
        from .attention_strata import attention_singular

        return attention_singular(arch, seed=seed, show_progress=show_progress)
    if isinstance(arch, CNN) and not arch.activation.is_linear:  # padded filters: cnn_strata.py
        from .cnn_strata import cnn_singular

        return cnn_singular(arch, seed=seed, show_progress=show_progress)
    show_progress = check_progress(show_progress)
    clock = time.perf_counter()
    seed, rng = check_seed(seed)
    dim_seed = child_seed(rng)
    dim = dimension(arch, seed=dim_seed).dimension
    phi = expand(arch)
    phi_system = image_system(phi)
    p = random_prime(31, rng)
    field = GF(p)
    n_rows = min(phi.n_coordinates, 2 * arch.n_params) + 2
    sketch_seed = int(rng.integers(2**62))

    def sketch(theta):
        return sketched_jacobian(arch, theta, n_rows, field, np.random.default_rng(sketch_seed))

    done = []
    for s in strata(arch):
        theta = _tie(field.random(rng, (arch.n_params,)), s, field)
        jac = sketch(theta)
        basis = _basis(s, arch.n_params) % p
        stratum_dim = rank_mod(matmul_mod(jac, basis, p), p)
        jac_rank = rank_mod(jac.copy(), p)
        union, verdict = None, None
        if s.free_of_fiber or s.transfers:
            blocks = [jac]
            for i in range(min(phi.n_coordinates, 10) * (2 if s.released else 1)):
                release = bool(s.released) and i % 2 == 1
                other = theta.copy()
                other[list(s.free_of_fiber)] = field.random(rng, (len(s.free_of_fiber),))
                for k, k2 in s.transfers:
                    t = other[k2] if release else field.random(rng, ())
                    other[k], other[k2] = field.add(other[k], t), field.sub(other[k2], t)
                if release:
                    other[list(s.released)] = field.random(rng, (len(s.released),))
                blocks.append(sketch(other if release else _tie(other, s, field)))
            union = rank_mod(np.hstack(blocks), p)
            verdict = True if union > dim else None
        basis = _basis(s, arch.n_params).astype(float)
        rank, gap = _exposure(phi_system, lambda z, b=basis: b @ z, basis.shape[1], rng)
        done.append(replace(s, dimension=stratum_dim, jacobian_rank=jac_rank,
                            tangent_union_rank=union, is_singular=verdict, exposure_rank=rank,
                            exposure_gap=gap, is_exposed=rank == phi.n_coordinates))
        if show_progress:
            show_progress(f"{s.name}: dim {stratum_dim}, exposure rank {rank}")
    return SingularResult(str(arch), dim, phi.n_coordinates, tuple(done), (p,), seed,
                          time.perf_counter() - clock, child_seeds={"dimension": dim_seed})


def _exposure(phi_system, param, n_z: int, rng, h: float = 1e-6):
    """Numerical rank (and gap) of d/d(z, c) [Phi(theta) + P(theta) R c], theta = param(z), at a
    random point z in R^n_z; ``param`` parameterizes the stratum (theta = A z for a linear one)."""
    m = phi_system.n_eqs
    r_mat = rng.standard_normal((m, m))
    c = rng.standard_normal(m)

    def u(z, cc):
        f, jac = (a[0].real for a in phi_system.evaluate(param(z)[None]))
        proj = np.eye(m) - jac @ np.linalg.pinv(jac, rcond=1e-10)
        return f + proj @ (r_mat @ cc)

    z0 = rng.standard_normal(n_z)
    cols = []
    for k in range(len(z0)):
        e = np.zeros(len(z0))
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
