"""Input distributions q(x) of the regression model: Gaussian N(mu, Sigma) or a data set.

The Fisher information, the generalization error and the Gaussian random fields of this package
are expectations over q. A Gaussian is integrated exactly where the integrand is a polynomial
(moments, :mod:`.moments`), by tensor Gauss–Hermite quadrature, or by Monte Carlo; a data set
is its empirical distribution (the expectation is a finite average).

Input files are JSON objects, read strictly (unknown keys are errors):

* ``{"mean": [...], "cov": [[...], ...]}``: a Gaussian (either key may be omitted: 0 and I);
* ``{"X": [[...], ...]}``: samples, one row per input.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import SpecError
from ..options import check_keys, check_matrix, load_json


@dataclass(frozen=True)
class GaussianInputs:
    """x ~ N(mean, cov) in R^d (``cov`` symmetric positive semidefinite)."""

    mean: np.ndarray
    cov: np.ndarray
    factor: np.ndarray = field(init=False, repr=False, compare=False)  # cov = F F^T

    def __post_init__(self) -> None:
        mean = np.asarray(self.mean, dtype=float).reshape(-1)
        cov = np.asarray(self.cov, dtype=float)
        d = len(mean)
        if cov.shape != (d, d):
            raise SpecError(f"input covariance must be {d}x{d} (the number of inputs); got "
                            f"shape {cov.shape}")
        if not np.allclose(cov, cov.T, rtol=0, atol=1e-12 * max(1.0, np.abs(cov).max())):
            raise SpecError("input covariance must be symmetric")
        vals, vecs = np.linalg.eigh(cov)
        if vals.min() < -1e-10 * max(1.0, vals.max()):
            raise SpecError(f"input covariance must be positive semidefinite; its smallest "
                            f"eigenvalue is {vals.min():.3g}")
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "cov", cov)
        object.__setattr__(self, "factor", vecs * np.sqrt(np.clip(vals, 0, None)))

    @property
    def dim(self) -> int:
        return len(self.mean)

    @property
    def is_standard(self) -> bool:
        return not self.mean.any() and np.array_equal(self.cov, np.eye(self.dim))

    def describe(self) -> str:
        if self.is_standard:
            return f"standard Gaussian N(0, I_{self.dim})"
        return f"Gaussian N(mean, cov) in R^{self.dim}"

    def to_dict(self) -> dict:
        return {"kind": "gaussian", "mean": self.mean.tolist(), "cov": self.cov.tolist()}

    def exact_mean(self) -> tuple[Fraction, ...]:
        return tuple(Fraction(float(v)) for v in self.mean)

    def exact_cov(self) -> tuple[tuple[Fraction, ...], ...]:
        return tuple(tuple(Fraction(float(v)) for v in row) for row in self.cov)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.mean + rng.standard_normal((n, self.dim)) @ self.factor.T

    def quadrature(self, m: int) -> tuple[np.ndarray, np.ndarray]:
        """Tensor Gauss–Hermite rule with ``m`` nodes per dimension: (nodes (m^d, d), weights).

        Exact for polynomials of degree <= 2m - 1 in each variable of the standard coordinates
        z (x = mean + F z).
        """
        z, w = gauss_hermite(m)
        grids = np.meshgrid(*([z] * self.dim), indexing="ij")
        nodes = np.stack([g.ravel() for g in grids], axis=1)
        weights = np.ones(len(nodes))
        for g in np.meshgrid(*([w] * self.dim), indexing="ij"):
            weights = weights * g.ravel()
        return self.mean + nodes @ self.factor.T, weights


@dataclass(frozen=True)
class EmpiricalInputs:
    """The empirical distribution of the rows of ``X``."""

    X: np.ndarray

    @property
    def dim(self) -> int:
        return self.X.shape[1]

    def describe(self) -> str:
        return f"empirical distribution of {len(self.X)} inputs in R^{self.dim}"

    def to_dict(self) -> dict:
        return {"kind": "data", "n_samples": len(self.X)}


#: an input distribution
Inputs = GaussianInputs | EmpiricalInputs
#: what functions accept for one: a distribution, a dict as in the module docstring, a JSON file
InputsLike = Inputs | dict[str, Any] | str | os.PathLike[str] | None


def standard_gaussian(d: int) -> GaussianInputs:
    return GaussianInputs(np.zeros(d), np.eye(d))


def gauss_hermite(m: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of the m-point Gauss–Hermite rule for N(0, 1) (weights sum to 1);
    m <= 250 (numpy's weights overflow beyond)."""
    if not 1 <= m <= 250:
        raise SpecError(f"Gauss-Hermite rules take 1..250 nodes; got {m}")
    from numpy.polynomial.hermite_e import hermegauss

    z, w = hermegauss(m)
    return z, w / w.sum()


def normal_rule(panels: int = 16, order: int = 8, half_width: float = 9.0):
    """A composite Gauss–Legendre rule for E[g(x)], x ~ N(0, 1): ``panels`` equal panels of
    [-half_width, half_width], ``order`` nodes each, weights times the normal density.

    Gauss–Hermite converges slowly for tanh-type integrands (complex poles near the real axis:
    48 nodes err by 2% on E[(tanh 1.9x - tanh 2x + ...)^2]); this rule (128 nodes) errs below
    1e-6 there, and the truncation at 9 costs 2e-19 of probability.
    """
    gx, gw = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(-half_width, half_width, panels + 1)
    mid, half = (edges[:-1] + edges[1:]) / 2, (edges[1:] - edges[:-1]) / 2
    x = (mid[:, None] + half[:, None] * gx[None, :]).ravel()
    w = (half[:, None] * gw[None, :]).ravel() * np.exp(-x * x / 2) / np.sqrt(2 * np.pi)
    return x, w


def load_inputs(path: str | os.PathLike[str], d: int, name: str = "--inputs") -> Inputs:
    """Read an input distribution file (module docstring) for networks with ``d`` inputs."""
    data = check_keys(load_json(path, name), name, optional=("mean", "cov", "X"))
    return inputs_from_dict(data, d, name)


def inputs_from_dict(data: dict[str, Any], d: int, name: str = "inputs") -> Inputs:
    """The distribution described by a dict with "X", or with "mean" and/or "cov"."""
    if "X" in data:
        if "mean" in data or "cov" in data:
            raise SpecError(f"{name}: give either \"X\" (samples) or \"mean\"/\"cov\" (a Gaussian), "
                            "not both")
        X = check_matrix(data["X"], f"{name} \"X\"", shape=(None, d))
        if len(X) < 1:
            raise SpecError(f"{name} \"X\": needs at least one row")
        return EmpiricalInputs(X)
    mean = (check_matrix(data["mean"], f"{name} \"mean\"", ndim=1, shape=(d,)) if "mean" in data
            else np.zeros(d))
    cov = (check_matrix(data["cov"], f"{name} \"cov\"", shape=(d, d)) if "cov" in data
           else np.eye(d))
    return GaussianInputs(mean, cov)
