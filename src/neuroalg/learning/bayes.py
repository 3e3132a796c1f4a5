"""Posteriors of the simple models under a uniform or a Jeffreys prior on the parameter box.

Priors on the box |w_h| <= w_max, |v_h| <= v_max:

* ``uniform``: constant density (positive at the singularities);
* ``jeffreys``: density proportional to sqrt(det F(theta)), F the Fisher information of
  y = f_theta(x) + N(0, sigma^2), x ~ N(0, 1); it vanishes wherever F degenerates. For one unit,
  sqrt(det F) = |v| c(w) / sigma^2 with c(w)^2 = E[g^2] E[g'^2] - E[g g']^2, g = phi(w x),
  g' = x phi'(w x) (near w = 0, c(w) ~ (2/3) sqrt(6) |w|^3 for tanh).

**Exact quadrature (one hidden unit).** The posterior is integrated on a grid: trapezoid rule over
4001 values of w in [-w_max, w_max], and for each w a Gauss–Legendre rule (48 nodes, split at
v = 0 for the Jeffreys prior) over the interval of v where the conditional density
exp(-(a v^2 - 2 b v)/(2 sigma^2)) (a = sum phi(w x_i)^2, b = sum y_i phi(w x_i)) is not
negligible: 10 standard deviations around its mode clipped to the box (the one-sided decay length
s^2/dist when the mode lies outside the box). Draws of the resulting discrete posterior (systematic
resampling) represent the Bayes predictive distribution. ``log_evidence`` is the log marginal
likelihood up to the constant -n/2 log(2 pi sigma^2).

**Markov chain Monte Carlo (any number of units).** :func:`mcmc_posteriors` runs adaptive random-
walk Metropolis chains for many data sets at once (vectorized), started at the distinct local
optima of maximum likelihood, with diagnostics (split R-hat and effective sample size of the log
likelihood and of f(1), f(-2), which are invariant under the permutation and sign symmetries).

References
----------
[Jef46] H. Jeffreys (1946), An invariant form for the prior probability in estimation problems,
        Proc. R. Soc. London A 186, 453-461.
[HST01] H. Haario, E. Saksman, J. Tamminen (2001), An adaptive Metropolis algorithm, Bernoulli
        7(2), 223-242.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .diagnostics import effective_sample_size, split_rhat
from .inputs import normal_rule
from .simple_models import SimpleModel

PRIORS = ("uniform", "jeffreys")
_GL = np.polynomial.legendre.leggauss(48)
_FISHER_NODES = normal_rule()


@dataclass(frozen=True)
class Posterior:
    """Posterior draws (S, P) and how they were obtained."""

    draws: np.ndarray
    method: str  # "quadrature" or "mcmc"
    log_evidence: float | None = None
    rhat: float | None = None
    ess: float | None = None
    acceptance: float | None = None


def jeffreys_log_density(model: SimpleModel, theta: np.ndarray) -> np.ndarray:
    """log sqrt(det F(theta)) up to a constant, for a batch theta (..., P) (-inf where F is
    singular)."""
    t, w = _FISHER_NODES
    theta = np.asarray(theta, dtype=float)
    H = model.H
    wv, vv = theta[..., :H], theta[..., H:]
    z = t[:, None] * wv[..., None, :]  # (..., m, H)
    J = np.concatenate([vv[..., None, :] * t[:, None] * model.activation.derivative(z),
                        model.activation(z)], axis=-1)  # (..., m, P)
    F = np.einsum("...mi,m,...mj->...ij", J, w, J)
    sign, logdet = np.linalg.slogdet(F)
    return np.where(sign > 0, 0.5 * logdet, -np.inf)


@lru_cache(maxsize=16)
def _c_grid(activation, w_max: float, n_w: int) -> np.ndarray:
    """c(w) on the quadrature grid (cached: it depends on the model only)."""
    return _c_of_w(SimpleModel(1, activation, w_max, 1.0), np.linspace(-w_max, w_max, n_w))


def _c_of_w(model: SimpleModel, ws: np.ndarray) -> np.ndarray:
    t, w = _FISHER_NODES
    g = model.activation(np.outer(ws, t))
    gp = t[None, :] * model.activation.derivative(np.outer(ws, t))
    a, b, c = (g * g) @ w, (gp * gp) @ w, (g * gp) @ w
    return np.sqrt(np.clip(a * b - c * c, 0, None))


def quadrature_posterior(model: SimpleModel, x, y, sigma: float, prior: str, rng, *,
                         n_w: int = 4001, n_draws: int = 1000) -> Posterior:
    """The exact-quadrature posterior of a one-unit model (module docstring)."""
    assert model.H == 1
    x, y = np.asarray(x, float), np.asarray(y, float)
    s2 = sigma * sigma
    W, V = model.w_max, model.v_max
    ws = np.linspace(-W, W, n_w)
    tw = np.full(n_w, ws[1] - ws[0])
    tw[[0, -1]] /= 2
    feats = model.activation(np.outer(ws, x))
    a = np.einsum("gn,gn->g", feats, feats)
    b = feats @ y
    # interval of v per w
    with np.errstate(divide="ignore", invalid="ignore"):
        m = np.where(a > 0, b / np.where(a > 0, a, 1), 0.0)
        s = np.where(a > 0, sigma / np.sqrt(np.where(a > 0, a, 1)), np.inf)
    c = np.clip(m, -V, V)
    dist = np.abs(m) - V
    L = np.where(dist > s, s * s / np.where(dist > 0, dist, 1), s)
    lo = np.maximum(-V, c - 10 * L)
    hi = np.minimum(V, c + 10 * L)
    lo, hi = np.where(np.isfinite(L), lo, -V), np.where(np.isfinite(L), hi, V)
    pieces = [(lo, hi)]
    if prior == "jeffreys":
        pieces = [(lo, np.minimum(hi, 0.0)), (np.maximum(lo, 0.0), hi)]
    gx, gw = _GL
    nodes_v, logw = [], []
    for p_lo, p_hi in pieces:
        width = np.clip(p_hi - p_lo, 0, None)
        v = 0.5 * (p_lo + p_hi)[:, None] + 0.5 * width[:, None] * gx[None, :]  # (g, k)
        lw = np.log(np.where(width > 0, 0.5 * width, 1.0))[:, None] + np.log(gw)[None, :]
        lw = np.where(width[:, None] > 0, lw, -np.inf)
        loglik = -(a[:, None] * v * v - 2 * b[:, None] * v) / (2 * s2)
        lp = np.log(np.abs(v)) if prior == "jeffreys" else 0.0
        nodes_v.append(v)
        logw.append(lw + loglik + lp)
    v_all = np.concatenate(nodes_v, axis=1)
    lw_all = np.concatenate(logw, axis=1) + np.log(tw)[:, None]
    if prior == "jeffreys":
        cw = _c_grid(model.activation, W, n_w)
        with np.errstate(divide="ignore"):
            lw_all = lw_all + np.log(cw)[:, None]
        log_prior_mass = np.log(np.sum(tw * cw) * V * V)  # int int |v| c(w) dv dw
    else:
        log_prior_mass = np.log(4 * W * V)
    flat_w = np.repeat(ws, v_all.shape[1])
    flat_v = v_all.ravel()
    flat_lw = lw_all.ravel()
    top = flat_lw.max()
    log_z = top + np.log(np.sum(np.exp(flat_lw - top)))
    log_evidence = float(log_z - log_prior_mass - float(y @ y) / (2 * s2))
    p = np.exp(flat_lw - log_z)
    idx = _systematic(p, n_draws, rng)
    draws = np.stack([flat_w[idx], flat_v[idx]], axis=1)
    return Posterior(draws, "quadrature", log_evidence)


def _systematic(p: np.ndarray, n: int, rng) -> np.ndarray:
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    u = (rng.random() + np.arange(n)) / n
    return np.minimum(np.searchsorted(cdf, u), len(p) - 1)


def mcmc_posteriors(model: SimpleModel, X: np.ndarray, Y: np.ndarray, sigma: float, prior: str,
                    starts: np.ndarray, rng, *, n_warmup: int = 2000, n_samples: int = 3000,
                    thin: int = 10) -> list[Posterior]:
    """Adaptive random-walk Metropolis for R data sets at once.

    ``X``, ``Y``: (R, n); ``starts``: (R, C, P) initial points (C chains per data set). Returns one
    :class:`Posterior` per data set (C * n_samples / thin draws) with R-hat and ESS.
    """
    R, C, P = starts.shape
    s2 = sigma * sigma
    lo, hi = model.lower, model.upper
    theta = np.clip(starts.reshape(R * C, P), lo, hi).copy()
    Xb = np.repeat(X, C, axis=0)
    Yb = np.repeat(Y, C, axis=0)

    def logpost(th):
        r = Yb - model.f(th, Xb)
        lp = -np.sum(r * r, axis=1) / (2 * s2)
        if prior == "jeffreys":
            lp = lp + jeffreys_log_density(model, th)
        inside = np.all((th >= lo) & (th <= hi), axis=1)
        return np.where(inside, lp, -np.inf), -np.sum(r * r, axis=1) / (2 * s2)

    cur, cur_ll = logpost(theta)
    B = R * C
    scale = np.full(B, 0.1)
    chol = np.tile(np.eye(P), (B, 1, 1)) * 0.1
    hist = []
    acc_count = np.zeros(B)
    t_probe = np.array([1.0, -2.0])
    n_keep = n_samples // thin
    keep = np.zeros((B, n_keep, P))
    ll_trace = np.zeros((B, n_keep))
    f_trace = np.zeros((B, n_keep, 2))
    k = 0
    for step in range(n_warmup + n_samples):
        prop = theta + np.einsum("bij,bj->bi", chol, rng.standard_normal((B, P))) * scale[:, None]
        new, new_ll = logpost(prop)
        # a chain at log density -inf (a start where the Jeffreys density vanishes numerically)
        # accepts any proposal of finite density; -inf proposals are always rejected
        with np.errstate(invalid="ignore"):
            delta = np.where(np.isneginf(cur), np.where(np.isfinite(new), np.inf, -np.inf), new - cur)
        accept = np.log(rng.random(B)) < delta
        theta = np.where(accept[:, None], prop, theta)
        cur = np.where(accept, new, cur)
        cur_ll = np.where(accept, new_ll, cur_ll)
        if step < n_warmup:
            hist.append(theta.copy())
            scale *= np.exp((accept.astype(float) - 0.234) * 0.05)
            if (step + 1) % 200 == 0 and step >= 399:
                H_ = np.stack(hist[-400:], axis=1)  # (B, 400, P)
                cov = np.einsum("bti,btj->bij", H_ - H_.mean(1, keepdims=True),
                                H_ - H_.mean(1, keepdims=True)) / (H_.shape[1] - 1)
                cov = cov * (2.38**2 / P) + 1e-12 * np.eye(P)
                chol = np.linalg.cholesky(cov + 1e-10 * np.trace(cov, axis1=1, axis2=2)[:, None, None]
                                          * np.eye(P))
                scale = np.ones(B)
                hist = hist[-400:]
        else:
            acc_count += accept
            if (step - n_warmup) % thin == thin - 1:
                keep[:, k] = theta
                ll_trace[:, k] = cur_ll
                f_trace[:, k] = model.f(theta, t_probe)
                k += 1
    acc = acc_count / n_samples
    out = []
    for r in range(R):
        sl = slice(r * C, (r + 1) * C)
        qs = [ll_trace[sl], f_trace[sl, :, 0], f_trace[sl, :, 1]]
        rh = max(split_rhat(q) for q in qs)
        es = min(effective_sample_size(q) for q in qs)
        out.append(Posterior(keep[sl].reshape(-1, P), "mcmc", None, float(rh), float(es),
                             float(acc[sl].mean())))
    return out
