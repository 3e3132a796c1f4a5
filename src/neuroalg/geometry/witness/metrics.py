"""The quadratic forms of the squared loss |f - u|_Q^2 and the data they come from.

f is a point of the ambient space in the coordinates of :func:`neuroalg.polymap.expand`
(output k, input monomial x^e). Metrics:

- ``generic``: a random positive definite Q (its critical points count the generic ED degree;
  Draisma–Horobeț–Ottaviani–Sturmfels–Thomas, *The Euclidean distance degree of an algebraic
  variety*, FoCM 16, 2016);
- ``unit``: Q = I on the monomial coefficients (for linear networks the Frobenius norm);
- ``data``: Q = (1/N) sum_j V(x_j)^T V(x_j) with V(x) f = f(x), the data-induced metric of N
  samples (its critical points count the learning degree; Kohn–Merkh–Montúfar–Trager). It is
  degenerate when the evaluations at the samples do not determine f (rank V < M).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ...errors import SpecError
from ...options import check_int, check_keys, check_matrix
from ...polymap import random_rational

METRICS = ("generic", "unit", "data")


def metric_matrix(phi, metric: str, rng, data=None) -> np.ndarray:
    """Q (object array of Fractions) for ``metric`` on the coordinates of ``phi``."""
    m = phi.n_coordinates
    if metric == "unit":
        return np.array([[Fraction(int(i == j)) for j in range(m)] for i in range(m)], dtype=object)
    if metric == "generic":
        low = random_rational(rng, (m, m))
        return (low @ low.T) / m + np.diag([Fraction(1, 10)] * m)
    if metric == "data":
        x = np.asarray(data["X"], dtype=float)
        v = evaluation_matrix(phi, x)
        return (v.T @ v) / Fraction(len(x))
    raise SpecError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")


def evaluation_matrix(phi, x) -> np.ndarray:
    """V with (V f)[(j, k)] = f_k(x_j): rows per sample and output, exact Fractions."""
    n_out = 1 + max(k for k, _ in phi.keys)
    rows = np.empty((len(x) * n_out, phi.n_coordinates), dtype=object)
    rows[:] = Fraction(0)
    xq = [[Fraction(float(v)) for v in row] for row in x]
    for col, (k, exps) in enumerate(phi.keys):
        for j, xs in enumerate(xq):
            val = Fraction(1)
            for xi, e in zip(xs, exps):
                val *= xi**e
            rows[j * n_out + k, col] = val
    return rows


def check_data(arch, data, rng, n_samples: int | None):
    """Data {"X": (N, d0), "Y": (N, dL) optional}; drawn at random (seeded) when None."""
    d0, dl = int(np.prod(arch.input_shape)), int(np.prod(arch.output_shape))
    if data is None:
        n = 4 * arch.n_params if n_samples is None else check_int(n_samples, "n_samples", low=1)
        return {"X": rng.standard_normal((n, d0)), "Y": rng.standard_normal((n, dl))}
    check_keys(data, "data", required=("X",), optional=("Y",))
    x = check_matrix(data["X"], "data X", ndim=2, shape=(None, d0))
    if len(x) == 0:
        raise SpecError("data X must hold at least one sample")
    if "Y" not in data:
        return {"X": x, "Y": rng.standard_normal((len(x), dl))}
    y = check_matrix(data["Y"], "data Y", ndim=(1, 2))
    if y.ndim == 1 and dl == 1:
        y = y[:, None]
    if y.shape != (len(x), dl):
        raise SpecError(f"data Y must have shape ({len(x)}, {dl}) for {arch} (one row of {dl} "
                        f"outputs per sample of X); got {y.shape}")
    return {"X": x, "Y": y}


def restrict(q, phi, sub):
    """The metric on the coordinates a subnetwork can reach (a subset of the network's)."""
    index = {k: i for i, k in enumerate(phi.keys)}
    idx = [index[k] for k in sub.keys]
    return q[np.ix_(idx, idx)]
