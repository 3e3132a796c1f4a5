"""The synthetic shift experiment of HyperDGA: two samples of one wrapped normal distribution,
one of them moved by a hyperbolic translation of length s; the scores are recorded against s.

A good similarity score responds monotonically: HyperDGA decreases with s, the Wasserstein and
Chamfer distances increase. Each shift is repeated over seeds (fresh samples) and reported as
mean and standard deviation: the experiment is Monte Carlo.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..options import check_float, check_int
from ..random import check_seed, spawn
from ..results import Certainty, Result
from .hyperdga import hyperdga
from .models import wrapped_normal


@dataclass(frozen=True)
class ShiftResult(Result):
    """Scores per shift (rows) and seed (columns)."""

    shifts: tuple[float, ...]
    score: np.ndarray
    wasserstein: np.ndarray
    chamfer: np.ndarray
    n_points: int
    dim: int
    sigma: float
    seed: int | None
    seconds: float

    headline_key: ClassVar[str] = "score_is_monotone"
    method_name: ClassVar[str] = "HyperDGA synthetic shift experiment (Medbouhi et al. arXiv:2404.08608)"

    @property
    def status(self) -> Certainty:
        return Certainty.MONTE_CARLO

    def is_monotone(self, which: str = "score") -> bool:
        """Mean of ``which`` strictly monotone in the shift (decreasing for the score,
        increasing for the distances)."""
        m = getattr(self, which).mean(axis=1)
        diff = np.diff(m)
        return bool(np.all(diff < 0)) if which == "score" else bool(np.all(diff > 0))

    def headline(self) -> str:
        mono = "monotone" if self.is_monotone() else "NOT monotone"
        return (f"shift experiment: HyperDGA {mono} in the shift over {len(self.shifts)} shifts x "
                f"{self.score.shape[1]} seeds (monte_carlo)")

    def lines(self) -> list[tuple[str, str]]:
        out = [("shift s", "HyperDGA | hyperbolic Wasserstein | symmetric Chamfer (mean +- std)")]
        for i, s in enumerate(self.shifts):
            out.append((f"{s:g}", " | ".join(f"{a.mean():.4f} +- {a.std():.4f}" for a in
                                            (self.score[i], self.wasserstein[i], self.chamfer[i]))))
        out += [("data", f"2 x {self.n_points} points, wrapped normal sigma {self.sigma:g} in "
                         f"H^{self.dim}; B translated by distance s along a fixed direction"),
                ("seed", str(self.seed)), ("time", f"{self.seconds:.1f} s")]
        return out

    def payload(self) -> dict:
        return {"score_is_monotone": self.is_monotone(), "shifts": list(self.shifts), "score": self.score.tolist(),
                "wasserstein": self.wasserstein.tolist(), "chamfer": self.chamfer.tolist(),
                "score_mean": self.score.mean(axis=1).tolist(),
                "wasserstein_mean": self.wasserstein.mean(axis=1).tolist(),
                "chamfer_mean": self.chamfer.mean(axis=1).tolist(),
                "is_monotone": {k: self.is_monotone(k) for k in ("score", "wasserstein", "chamfer")},
                "n_points": self.n_points, "dim": self.dim, "sigma": self.sigma}


def shift_experiment(shifts=(0.0, 0.5, 1.0, 2.0, 3.0), *, n_points: int = 200, dim: int = 2,
                     sigma: float = 1.0, n_seeds: int = 5, seed=None) -> ShiftResult:
    """Run the shift experiment (see the module docstring)."""
    clock = time.perf_counter()
    shifts = tuple(check_float(s, "shift", low=0.0, high=30.0) for s in shifts)
    n_points = check_int(n_points, "n_points", low=3, high=10**5)
    dim = check_int(dim, "dim", low=1, high=10)
    n_seeds = check_int(n_seeds, "n_seeds", low=1, high=1000)
    sigma = check_float(sigma, "sigma", low=0.0, high=10.0, open_low=True)
    seed, rng = check_seed(seed)
    e1 = np.zeros(dim)
    e1[0] = 1.0
    out = np.zeros((3, len(shifts), n_seeds))
    for k, r in enumerate(spawn(rng, n_seeds)):
        ra, rb = spawn(r, 2)
        A = wrapped_normal(n_points, dim, ra, sigma=sigma)
        B0 = wrapped_normal(n_points, dim, rb, sigma=sigma)
        for i, s in enumerate(shifts):
            B = _translate(B0, np.tanh(s / 2.0) * e1)
            res = hyperdga(A, B)
            out[:, i, k] = res.score, res.wasserstein, res.chamfer
    return ShiftResult(shifts, out[0], out[1], out[2], n_points, dim, sigma, seed,
                       time.perf_counter() - clock)


def _translate(x, a):
    from .models import mobius_add

    return mobius_add(a, x)  # moves the origin to a, at hyperbolic distance 2 artanh |a| = s
