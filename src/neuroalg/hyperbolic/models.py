"""Models of hyperbolic space H^d (curvature -1) and its isometries.

* Poincare ball: |x| < 1, metric 4 |dx|^2 / (1 - |x|^2)^2, distance
  d(x, y) = arccosh(1 + 2 |x - y|^2 / ((1 - |x|^2)(1 - |y|^2))); d(0, x) = 2 artanh |x|.
* Hyperboloid: X = (X_0, X_vec) with X_0^2 - |X_vec|^2 = 1, X_0 > 0; from the ball,
  X = ((1 + |x|^2), 2 x) / (1 - |x|^2), and cosh d(x, y) = X_0 Y_0 - <X_vec, Y_vec>.
* Klein ball: k = X_vec / X_0 = 2 x / (1 + |x|^2); geodesics are straight chords, and the
  bisector of two points is an affine hyperplane (the Delaunay construction uses this).

Isometries of the ball are the Moebius maps x -> Q (a (+) x) with |a| < 1, Q orthogonal and the
Moebius addition [Ung08]

    a (+) x = ((1 + 2<a, x> + |x|^2) a + (1 - |a|^2) x) / (1 + 2<a, x> + |a|^2 |x|^2).

References
----------
[Ung08] A. A. Ungar, 2008. A Gyrovector Space Approach to Hyperbolic Geometry. Morgan & Claypool.
[CFKP97] J. W. Cannon, W. J. Floyd, R. Kenyon, W. R. Parry, 1997. Hyperbolic geometry. In
    Flavors of Geometry, MSRI Publications 31.
"""

from __future__ import annotations

import numpy as np

from ..errors import SpecError
from ..options import check_matrix

#: Points must satisfy 1 - |x|^2 >= this (closer to the boundary they are not representable).
MIN_GAP = 1e-12


def check_ball(points, name: str = "points", *, dim: int | None = None) -> np.ndarray:
    """``points`` as an (n, d) float array strictly inside the unit ball."""
    x = check_matrix(points, name, ndim=2)
    if x.shape[1] < 1:
        raise SpecError(f"{name} must have at least one coordinate")
    if dim is not None and x.shape[1] != dim:
        raise SpecError(f"{name} must be points in dimension {dim}; got dimension {x.shape[1]}")
    r2 = (x ** 2).sum(axis=1)
    if np.any(1.0 - r2 < MIN_GAP):
        i = int(np.argmax(r2))
        raise SpecError(f"{name} must lie strictly inside the unit ball (Poincare model, "
                        f"1 - |x|^2 >= {MIN_GAP:g}); point {i} has |x| = {np.sqrt(r2[i]):.17g}")
    return x


def poincare_to_klein(x):
    x = np.asarray(x, dtype=float)
    return 2.0 * x / (1.0 + (x ** 2).sum(axis=-1, keepdims=True))


def klein_to_poincare(k):
    k = np.asarray(k, dtype=float)
    return k / (1.0 + np.sqrt(np.maximum(0.0, 1.0 - (k ** 2).sum(axis=-1, keepdims=True))))


def poincare_to_hyperboloid(x):
    """(X_0, X_vec) stacked as (n, d + 1) with X_0 last: [X_vec, X_0]."""
    x = np.asarray(x, dtype=float)
    r2 = (x ** 2).sum(axis=-1, keepdims=True)
    return np.concatenate([2.0 * x / (1.0 - r2), (1.0 + r2) / (1.0 - r2)], axis=-1)


def distance(x, y) -> np.ndarray:
    """Pairwise hyperbolic distances between rows of x (n, d) and y (m, d): shape (n, m)."""
    x, y = np.atleast_2d(x), np.atleast_2d(y)
    sq = ((x[:, None, :] - y[None, :, :]) ** 2).sum(axis=2)
    den = (1.0 - (x ** 2).sum(axis=1))[:, None] * (1.0 - (y ** 2).sum(axis=1))[None, :]
    arg = 2.0 * sq / den  # d = arccosh(1 + arg), written to keep digits for small arg
    return np.log1p(arg + np.sqrt(arg * (arg + 2.0)))


def mobius_add(a, x) -> np.ndarray:
    """a (+) x for a point a (d,) and points x (n, d)."""
    a = np.asarray(a, dtype=float)
    x = np.atleast_2d(np.asarray(x, dtype=float))
    ax = x @ a
    a2, x2 = float(a @ a), (x ** 2).sum(axis=1)
    num = (1 + 2 * ax + x2)[:, None] * a[None, :] + (1 - a2) * x
    return num / (1 + 2 * ax + a2 * x2)[:, None]


def isometry(x, a, Q=None) -> np.ndarray:
    """The Moebius isometry x -> Q (a (+) x) applied to points x (Q = identity if None)."""
    y = mobius_add(a, x)
    return y if Q is None else y @ np.asarray(Q, dtype=float).T


def random_isometry(d: int, rng: np.random.Generator, *, radius: float = 0.5):
    """(a, Q): a uniform direction with |a| = radius, Q a random orthogonal matrix (Haar)."""
    v = rng.standard_normal(d)
    a = radius * v / np.linalg.norm(v)
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return a, q * np.sign(np.diag(r))[None, :]


def exp0(v) -> np.ndarray:
    """Exponential map at the origin of the ball: tangent vectors v (n, d) -> points with
    d(0, x) = |v|."""
    v = np.atleast_2d(np.asarray(v, dtype=float))
    n = np.linalg.norm(v, axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(n > 0, np.tanh(n / 2.0) * v / np.where(n > 0, n, 1.0), 0.0)
    return out


def wrapped_normal(n: int, d: int, rng: np.random.Generator, *, sigma: float = 1.0,
                   center=None) -> np.ndarray:
    """n points: exp_0 of N(0, sigma^2 I) tangent vectors, then translated to ``center``."""
    x = exp0(sigma * rng.standard_normal((n, d)))
    return x if center is None else mobius_add(np.asarray(center, dtype=float), x)
