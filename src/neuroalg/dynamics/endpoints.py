"""Where training ends: endpoints of gradient descent classified by the geometry of Phi.

For an architecture Phi (:mod:`neuroalg.arch`) and data (x_j, y_j), gradient descent on
L(theta) = 1/(2N) sum_j ||Phi(theta)(x_j) - y_j||^2 is run from many random initializations and
each endpoint theta* is classified:

* ``subnetwork``: some hidden unit is zero (its incoming weights and bias, or its outgoing
  weights, vanish up to ``rtol`` times the largest weight), so theta* lies on the image of a
  smaller network; units are those of ``Architecture.units()`` (MLP neurons, CNN filters);
  for CNNs also a filter whose first or last entries vanish (a zero-padded filter: the
  network with a shorter filter; ``Endpoint.padding``), with the number of parameter
  placements of that function (``Endpoint.n_branches``; >= 2 means a singular point of the
  neuromanifold by the Razor's Edge criterion, :mod:`neuroalg.geometry.witness.cnn_strata`);
  attention has none, so its endpoints are only singular or regular (recorded in ``notes``);
* ``singular``: no zero neuron, but the rank of the parameterization Jacobian dPhi(theta*),
  evaluated on n_params + 10 random inputs, is below the generic rank (its rank at a random
  parameter), so Phi(theta*) is a singular point of the parameterization (Trager, Kohn, Bruna;
  the singularity bias of Marchetti, Shahverdi, Kohn and others);
* ``regular``: neither.

Also reported: the rank of the Fisher information F = 1/N sum_j J_j^T J_j on the training inputs
(Gaussian noise model, J_j = dPhi(theta*)(x_j)), which degenerates at singular points (Amari).
Numerical ranks count singular values above ``rank_tol`` (default 1e-6) times the largest; an
endpoint that GD is still approaching slowly can sit between the two sides of this threshold, so
the classification is numerical, not certified. ``Endpoint.gap`` records the ratio of the first
discarded to the last kept singular value of the parameterization Jacobian.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..arch import CNN
from ..errors import SpecError
from ..fields import REAL
from ..options import check_float, check_int
from ..progress import check_progress
from ..random import check_seed, spawn
from ..results import Certainty, Result
from ..spec import parse_spec


@dataclass(frozen=True)
class Endpoint:
    """One training endpoint and its classification (see module docstring)."""

    kind: str  # "subnetwork", "singular" or "regular"
    loss: float
    zero_neurons: tuple[tuple[int, int], ...]  # (layer, index), layers 1-based
    jacobian_rank: int
    fisher_rank: int
    grad_norm: float
    gap: float | None = None
    padding: tuple[tuple[int, ...], tuple[int, ...]] | None = None  # CNN: (leading, trailing) zeros
    n_branches: int | None = None  # CNN: placements of the padded function (>= 2: singular)


@dataclass(frozen=True)
class EndpointCensus(Result):
    """Endpoints of many gradient-descent runs and the frequency of each kind."""

    spec: str
    n_params: int
    generic_rank: int
    endpoints: tuple[Endpoint, ...]
    n_samples: int
    n_steps: int
    seed: int | None
    seconds: float
    notes: tuple[str, ...] = ()

    headline_key: ClassVar[str] = "n_endpoints"
    method_name: ClassVar[str] = ("gradient descent from random initializations; endpoints "
                                  "classified by numerical Jacobian and Fisher ranks")

    @property
    def status(self) -> Certainty:
        return Certainty.NUMERICAL  # floating-point training and ranks

    @property
    def frequencies(self) -> dict[str, int]:
        c = Counter(e.kind for e in self.endpoints)
        return {k: c.get(k, 0) for k in ("subnetwork", "singular", "regular")}

    @property
    def n_singular_subnetworks(self) -> int | None:
        """CNN: subnetwork endpoints whose padding has >= 2 placements (singular points of
        the neuromanifold by the criterion); None for other families."""
        if all(e.padding is None for e in self.endpoints):
            return None
        return sum(e.kind == "subnetwork" and (e.n_branches or 0) >= 2 for e in self.endpoints)

    def headline(self) -> str:
        f = self.frequencies
        return (f"{len(self.endpoints)} endpoints of {self.spec}: {f['subnetwork']} subnetwork, "
                f"{f['singular']} singular, {f['regular']} regular (numerical ranks)")

    def payload(self) -> dict:
        return {"n_endpoints": len(self.endpoints), "n_params": self.n_params,
                "generic_rank": self.generic_rank, "frequencies": self.frequencies,
                "n_samples": self.n_samples, "n_steps": self.n_steps, "notes": list(self.notes),
                "n_singular_subnetworks": self.n_singular_subnetworks,
                "endpoints": [{"kind": e.kind, "loss": e.loss, "zero_neurons": [list(z) for z in e.zero_neurons],
                               "jacobian_rank": e.jacobian_rank, "fisher_rank": e.fisher_rank,
                               "grad_norm": e.grad_norm, "gap": e.gap,
                               "padding": None if e.padding is None else [list(x) for x in e.padding],
                               "n_branches": e.n_branches} for e in self.endpoints]}

    def __str__(self) -> str:
        lines = [self.headline(), f"  generic Jacobian rank {self.generic_rank} "
                 f"({self.n_params} parameters); {self.n_samples} samples, {self.n_steps} steps; "
                 f"seed {self.seed}"]
        table = Counter((e.kind, e.jacobian_rank, e.fisher_rank, len(e.zero_neurons)) for e in self.endpoints)
        lines.append("  kind        jac.rank  fisher  zero neurons  count")
        for (k, jr, fr, nz), c in sorted(table.items()):
            lines.append(f"  {k:<10}  {jr:>8}  {fr:>6}  {nz:>12}  {c:>5}")
        if self.n_singular_subnetworks is not None:
            lines.append(f"  CNN: {self.n_singular_subnetworks} subnetwork endpoints on singular "
                         "strata (zero-padded filters with >= 2 placements)")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __rich__(self):
        return str(self)


def _rank(J, rtol):
    s = np.linalg.svd(J, compute_uv=False)
    return int(np.sum(s > rtol * max(s[0], 1e-300))) if len(s) else 0


def jacobian_rank(arch, theta, x, *, rtol: float = 1e-6) -> int:
    """Numerical rank of theta -> (Phi(theta)(x_j))_j at theta."""
    J = arch.jacobian(theta, x, REAL)
    return _rank(J.reshape(-1, arch.n_params), rtol)


def loss_grad(arch, theta, x, y):
    """L = 1/(2N) sum ||Phi(theta)(x_j) - y_j||^2 and its gradient (one reverse pass)."""
    f = arch.forward(theta, x, REAL)
    r = f - y
    return float(np.sum(r * r) / (2 * len(x))), np.sum(arch.vjp(theta, x, r / len(x), REAL), axis=0)


def zero_neurons(arch, theta, *, rtol: float = 1e-4) -> tuple[tuple[int, int], ...] | None:
    """Hidden units (layer, index) whose incoming weights and bias, or outgoing weights, vanish
    (up to ``rtol`` times the largest parameter), from the public layout ``arch.units()``: a
    neuron of an MLP (linear and 1/x networks included), a whole hidden filter of a CNN.
    Returns None for families without hidden units (attention).
    """
    units = arch.units()
    if not units:
        return None
    theta = np.asarray(theta, dtype=float)
    tol = rtol * max(float(np.max(np.abs(theta))), 1e-300)
    return tuple((u.layer, u.index) for u in units
                 if np.max(np.abs(theta[list(u.input_side)])) <= tol
                 or np.max(np.abs(theta[list(u.outgoing)])) <= tol)


def endpoint_census(spec, *, runs: int = 20, n_samples: int = 30, n_steps: int = 3000,
                    lr: float = 0.05, init_scale: float = 0.5, X=None, Y=None, seed=None,
                    rank_tol: float = 1e-6, zero_tol: float = 1e-4, show_progress=False) -> EndpointCensus:
    """Train ``runs`` random initializations of ``spec`` by gradient descent and classify the
    endpoints (module docstring). Without data, inputs are standard normal and targets come from
    a random teacher of the same architecture."""
    progress = check_progress(show_progress)
    start = time.perf_counter()
    runs = check_int(runs, "runs (--runs)", low=1, high=100_000)
    n_samples = check_int(n_samples, "n_samples (--samples)", low=1, high=1_000_000)
    n_steps = check_int(n_steps, "n_steps (--steps)", low=1, high=100_000_000)
    lr = check_float(lr, "lr (--lr)", low=0.0, open_low=True)
    init_scale = check_float(init_scale, "init_scale (--scale)", low=0.0, open_low=True)
    rank_tol = check_float(rank_tol, "rank_tol", low=0.0, high=1.0, open_low=True, open_high=True)
    zero_tol = check_float(zero_tol, "zero_tol", low=0.0, high=1.0, open_low=True, open_high=True)
    arch = parse_spec(spec)
    if arch.n_params > 2000:
        raise SpecError(f"{arch}: {arch.n_params} parameters; endpoint census allows at most 2000")
    recorded_seed, rng = check_seed(seed)
    data_rng, probe_rng, *run_rngs = spawn(rng, runs + 2)
    if X is None:
        X = data_rng.standard_normal((n_samples,) + tuple(arch.input_shape))
        teacher = arch.random_params(data_rng, REAL)
        Y = arch.forward(teacher, X, REAL) if Y is None else Y
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise SpecError(f"{arch}: data X and y must be finite numbers (no nan or inf)")
    if X.shape[1:] != tuple(arch.input_shape) or len(Y) != len(X):
        raise SpecError(f"{arch}: data X must have shape (N, {', '.join(map(str, arch.input_shape))}) "
                        f"and y N rows; got X {X.shape}, y {Y.shape}")
    Y = Y.reshape((len(X),) + tuple(arch.output_shape)) if Y.size == len(X) * arch.n_outputs else Y
    if Y.shape[1:] != tuple(arch.output_shape):
        raise SpecError(f"{arch}: targets y must have shape (N, {', '.join(map(str, arch.output_shape))}); "
                        f"got {Y.shape}")
    probe = probe_rng.standard_normal((arch.n_params + 10,) + tuple(arch.input_shape))
    generic = jacobian_rank(arch, arch.random_params(probe_rng, REAL), probe, rtol=rank_tol)
    endpoints = []
    for k, r in enumerate(run_rngs):
        theta = init_scale * arch.random_params(r, REAL) / np.sqrt(max(1, max(getattr(arch, "widths", (1,)))))
        step = lr
        loss, g = loss_grad(arch, theta, X, Y)
        for _ in range(n_steps):
            t2 = theta - step * g
            l2, g2 = loss_grad(arch, t2, X, Y)
            if np.isfinite(l2) and l2 <= loss:
                theta, loss, g = t2, l2, g2
                step *= 1.05
            else:
                step *= 0.5
        zeros = zero_neurons(arch, theta, rtol=zero_tol)
        zeros = zeros or ()
        pad, branches = None, None
        if isinstance(arch, CNN):
            from ..geometry.witness.cnn_strata import n_branches, padding

            pad = padding(arch, theta, rtol=zero_tol)
            branches = n_branches(arch, *pad)
        sv = np.linalg.svd(arch.jacobian(theta, probe, REAL).reshape(-1, arch.n_params),
                           compute_uv=False)
        jr = int(np.sum(sv > rank_tol * max(sv[0], 1e-300)))
        gap = float(sv[jr] / sv[jr - 1]) if 0 < jr < len(sv) else None
        fr = jacobian_rank(arch, theta, X, rtol=rank_tol)
        padded = pad is not None and any(pad[0] + pad[1])
        kind = "subnetwork" if zeros or padded else ("singular" if jr < generic else "regular")
        endpoints.append(Endpoint(kind, loss, zeros, jr, fr, float(np.linalg.norm(g)), gap, pad,
                                  branches))
        if progress:
            progress(f"run {k + 1}/{runs}: {kind}, loss {loss:.3g}, rank {jr}/{generic}")
    notes = () if zero_neurons(arch, np.ones(arch.n_params)) is not None else (
        f"{type(arch).__name__}: zero units are not detected for this family; endpoints are "
        "classified singular / regular only",)
    return EndpointCensus(str(arch), arch.n_params, generic, tuple(endpoints), len(X), n_steps,
                          recorded_seed, time.perf_counter() - start, notes)
