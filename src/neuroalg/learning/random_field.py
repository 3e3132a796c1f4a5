"""The Gaussian random field prediction of the maximum-likelihood errors at a singular truth.

Near the true function f*, the model is approximated by its tangent cone: f = f* + t h with
t >= 0 and h in a set D of unit directions in L^2(q) (the limits of (f_theta - f*)/||f_theta - f*||).
With Z the isonormal Gaussian process on L^2(q) (Z(h) ~ N(0, 1), Cov(Z(h), Z(g)) = <h, g>), the
maximum-likelihood estimator of y = f(x) + N(0, sigma^2) has, as n -> infinity (Amari, Park,
Ozeki 2001; Hartigan 1985; Fukumizu 2003),

    n G -> (1/2) sup_{h in D} Z(h)_+^2,     n T -> -(1/2) sup_{h in D} Z(h)_+^2,

for the generalization error G = E_x[(f^ - f*)^2]/(2 sigma^2) (the Kullback–Leibler divergence)
and the training error T = (1/(2 sigma^2 n)) sum_i [(y_i - f^(x_i))^2 - (y_i - f*(x_i))^2]. At a
regular point D is the unit sphere of the d-dimensional tangent space and sup Z^2 ~ chi^2_d,
which gives the AIC laws E G = d/(2n), E T = -d/(2n). Here D is a union of unit spheres of
subspaces U(s) (symmetric under h -> -h), so sup_h Z(h)_+^2 = sup_s ||P_{U(s)} Z||^2.

The field is simulated exactly on a Gauss–Hermite rule (nodes t_j, weights w_j):
Z(h) = sum_j sqrt(w_j) xi_j h(t_j), xi_j iid N(0, 1), whose covariance is the quadrature inner
product; the supremum is taken over a grid of s. Error evidence: the Monte Carlo standard error
over the field draws, and the grid error: the change of the mean when the grid is halved.

Direction families of the simple models (:mod:`.simple_models`), phi odd:

* one unit, f* = 0: U(w) = span{phi(w x)}, w in (0, w_max], and U(0) = span{x};
* two units, f* = 0: U(w1, w2) = span{phi(w1 x), phi(w2 x)}, 0 <= w1 <= w2 <= w_max, with the
  limits span{phi(w x), x phi'(w x)} on the diagonal, span{x, phi(w x)} at w1 = 0 and
  span{x, x^3} at the origin;
* two units, overlap f* = v* phi(w* x): U(w) = span{phi(w* x), x phi'(w* x), phi(w x)}, w in
  [0, w_max], with x^2 phi''(w* x) at w = w* and x at w = 0;
* regular truths: E sup = d exactly (chi-square).

References
----------
[APO01] S. Amari, H. Park, T. Ozeki (2001), Geometrical singularities in the neuromanifold of
        multilayer perceptrons, NeurIPS 14.
[Har85] J. A. Hartigan (1985), A failure of likelihood asymptotics for normal mixtures, Proc.
        Berkeley Conference in Honor of J. Neyman and J. Kiefer.
[Fuk03] K. Fukumizu (2003), Likelihood ratio of unidentifiable models and multilayer neural
        networks, Annals of Statistics 31(3), 833-851.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .inputs import gauss_hermite
from .simple_models import SimpleModel, Truth


@dataclass(frozen=True)
class FieldPrediction:
    """E[sup Z_+^2] with its Monte Carlo standard error and grid error (0 when exact)."""

    mean: float
    std_error: float
    grid_error: float
    n_draws: int
    n_directions: int
    family: str
    is_exact: bool = False

    def to_dict(self) -> dict:
        return {"mean_sup": self.mean, "std_error": self.std_error, "grid_error": self.grid_error,
                "n_draws": self.n_draws, "n_directions": self.n_directions, "family": self.family,
                "exact": self.is_exact}


def _unit(f):
    n = np.linalg.norm(f)
    return f / n if n > 0 else f


def families(model: SimpleModel, truth: Truth, n_grid: int):
    """The basis matrices (members, nodes, k) of the direction family at the GH nodes, and its
    description; None for regular truths."""
    act = model.activation
    t, _ = _NODES
    W = model.w_max
    theta = np.array(truth.theta)
    f_star = model.f(theta, t)
    if truth.is_regular:
        return None
    ws = np.linspace(0.0, W, n_grid)

    def phi(w):
        return t.copy() if w == 0 else act(w * t)

    if model.H == 1 or (model.H == 2 and np.allclose(f_star, 0)):
        if model.H == 1:
            if not np.allclose(f_star, 0):
                raise NotImplementedError
            basis = [np.stack([phi(w)], axis=1) for w in ws]
            return np.stack(basis), "span{phi(w x)}, w in [0, w_max] (w = 0: x)"
        out = []
        for i, w1 in enumerate(ws):
            for w2 in ws[i:]:
                if w1 == w2:
                    second = t**3 if w1 == 0 else t * act.derivative(w1 * t)
                    out.append(np.stack([phi(w1), second], axis=1))
                else:
                    out.append(np.stack([phi(w1), phi(w2)], axis=1))
        return np.stack(out), "span{phi(w1 x), phi(w2 x)}, 0 <= w1 <= w2 <= w_max, with limits"
    if model.H == 2:
        w, v = theta[:2], theta[2:]
        if not (np.isclose(w[0], w[1]) and w[0] != 0 and not np.isclose(v.sum(), 0)):
            raise NotImplementedError
        ws_ = w[0]
        base = [act(ws_ * t), t * act.derivative(ws_ * t)]
        out = []
        grid = np.union1d(np.linspace(0.0, W, n_grid), [abs(ws_)])
        for wv in grid:
            third = t**2 * act.second_derivative(ws_ * t) if np.isclose(wv, abs(ws_)) else phi(wv)
            out.append(np.stack(base + [third], axis=1))
        return np.stack(out), "span{phi(w* x), x phi'(w* x), phi(w x)}, w in [0, w_max], with limits"
    raise NotImplementedError


_NODES = gauss_hermite(200)


def _sup(Q: np.ndarray, xi: np.ndarray) -> np.ndarray:
    """max over members of ||Q_m^T xi||^2 for draws xi (nodes, M): shape (M,)."""
    best = np.zeros(xi.shape[1])
    for start in range(0, len(Q), 256):
        proj = np.einsum("mjk,jd->mkd", Q[start:start + 256], xi)
        best = np.maximum(best, (proj * proj).sum(axis=1).max(axis=0))
    return best


def mle_field_prediction(model: SimpleModel, truth: Truth, *, n_draws: int = 4000,
                         n_grid: int | None = None, rng=None) -> FieldPrediction | None:
    """E[sup_{h in D} Z(h)_+^2] for the truth's direction family (module docstring); for a
    regular truth d exactly; None where no family is implemented."""
    if truth.is_regular:
        return FieldPrediction(float(model.d), 0.0, 0.0, 0, 0, "chi-square with d degrees of freedom",
                               True)
    if n_grid is None:
        n_grid = 241 if model.H == 1 or not np.allclose(model.f(np.array(truth.theta), _NODES[0]), 0) else 49
    try:
        B, desc = families(model, truth, n_grid)
        B_half, _ = families(model, truth, (n_grid + 1) // 2)
    except NotImplementedError:
        return None
    rng = np.random.default_rng(0) if rng is None else rng
    sw = np.sqrt(_NODES[1])[None, :, None]
    Q = np.linalg.qr(B * sw)[0]
    Qh = np.linalg.qr(B_half * sw)[0]
    xi = rng.standard_normal((len(_NODES[0]), n_draws))
    s, sh = _sup(Q, xi), _sup(Qh, xi)
    return FieldPrediction(float(s.mean()), float(s.std(ddof=1) / np.sqrt(n_draws)),
                           float(s.mean() - sh.mean()), n_draws, len(Q), desc)
