"""Maximum likelihood for the simple models, found globally by profiling and multi-start.

For y = f_theta(x) + N(0, sigma^2), maximum likelihood is least squares on the parameter box.
The model is linear in the outgoing weights v, so for fixed w the optimal v solves a box-
constrained least-squares problem in H <= 2 unknowns exactly: the unconstrained minimizer if it
lies in the box, else the best point on the box boundary (the minimum of a convex quadratic over a
box lies in the interior or on an edge, and each edge is a 1-d clipped problem). The profile
loss R(w) = min_v ||y - Phi_w v||^2 (variable projection) is evaluated on a grid of w covering the
whole box (401 points for one unit, 81 x 81 for two), and the best grid points (at least 1.5
grid steps apart) plus ``n_random`` random points are refined by a compass search on R within
the box (a (5^H)-point stencil, moved to its best point, halved when the centre is best, down to
1e-8 w_max; robust where R is not smooth because the box constraint on v switches).
Reported with the fit: the number of refined starts and how many of them reached the best loss
(relative tolerance 1e-9): the evidence that the global optimum was found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .simple_models import SimpleModel


@dataclass(frozen=True)
class MLEFit:
    theta: np.ndarray
    rss: float  # sum of squared residuals
    n_starts: int
    n_best: int
    optima: np.ndarray  # every refined start's end point, best first (starts for MCMC chains)


def _box_lsq_1(a, b, V):
    """argmin_{|v| <= V} a v^2 - 2 b v (vectorized; a >= 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(a > 0, b / np.where(a > 0, a, 1.0), 0.0)
    return np.clip(v, -V, V)


def _box_lsq_2(A, b, V):
    """argmin over [-V, V]^2 of v^T A v - 2 b^T v for stacks A (..., 2, 2), b (..., 2)."""
    a11, a12, a22 = A[..., 0, 0], A[..., 0, 1], A[..., 1, 1]
    b1, b2 = b[..., 0], b[..., 1]
    det = a11 * a22 - a12 * a12
    ok = det > 1e-12 * np.maximum((a11 + a22) ** 2, 1e-300)
    safe = np.where(ok, det, 1.0)
    v1 = (a22 * b1 - a12 * b2) / safe
    v2 = (a11 * b2 - a12 * b1) / safe
    cands = [np.stack([v1, v2], axis=-1)]
    inside = ok & (np.abs(v1) <= V) & (np.abs(v2) <= V)
    for fixed in (-V, V):  # edges v1 = +-V and v2 = +-V
        cands.append(np.stack([np.full_like(b1, fixed), _box_lsq_1(a22, b2 - a12 * fixed, V)], -1))
        cands.append(np.stack([_box_lsq_1(a11, b1 - a12 * fixed, V), np.full_like(b1, fixed)], -1))

    def q(v):
        return np.einsum("...i,...ij,...j->...", v, A, v) - 2 * np.einsum("...i,...i->...", b, v)

    vals = np.stack([np.where(inside, q(cands[0]), np.inf)] + [q(c) for c in cands[1:]], axis=-1)
    k = np.argmin(vals, axis=-1)
    stack = np.stack(cands, axis=-2)
    return np.take_along_axis(stack, k[..., None, None], axis=-2)[..., 0, :], vals.min(axis=-1)


def fit_mle(model: SimpleModel, x, y, rng, *, n_grid: int | None = None, n_refine: int = 3,
            n_random: int = 3) -> MLEFit:
    """The least-squares fit on the box (module docstring)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    W, V, H = model.w_max, model.v_max, model.H
    n_grid = n_grid or (401 if H == 1 else 81)
    ws = np.linspace(-W, W, n_grid)
    feats = model.activation(np.outer(ws, x))  # (g, n)
    yy = float(y @ y)
    bvec = feats @ y
    if H == 1:
        a = np.einsum("gn,gn->g", feats, feats)
        v = _box_lsq_1(a, bvec, V)
        rss = yy + a * v * v - 2 * bvec * v
        order = np.argsort(rss)
        grid_starts = [np.array([ws[i], v[i]]) for i in order]
    else:
        G = feats @ feats.T
        i, j = np.triu_indices(n_grid)
        A = np.stack([np.stack([G[i, i], G[i, j]], -1), np.stack([G[i, j], G[j, j]], -1)], -2)
        bb = np.stack([bvec[i], bvec[j]], -1)
        v, q = _box_lsq_2(A, bb, V)
        rss = yy + q
        order = np.argsort(rss)
        grid_starts = [np.array([ws[i[k]], ws[j[k]], v[k, 0], v[k, 1]]) for k in order]
    starts: list[np.ndarray] = []
    seen: list[np.ndarray] = []
    for s in grid_starts:  # best grid points, at least 1.5 grid steps apart in w
        if all(np.abs(s[:H] - t[:H]).max() > 1.5 * (ws[1] - ws[0]) for t in seen):
            starts.append(s[:H])
            seen.append(s)
        if len(starts) == n_refine:
            break
    starts += [rng.uniform(-W, W, H) for _ in range(n_random)]

    def profile(wb):  # wb (k, H) -> v (k, H), rss (k,)
        Phi = model.activation(wb[:, :, None] * x[None, None, :])  # (k, H, n)
        A = Phi @ Phi.transpose(0, 2, 1)
        b = Phi @ y
        if H == 1:
            v = _box_lsq_1(A[:, 0, 0], b[:, 0], V)
            return v[:, None], yy + A[:, 0, 0] * v * v - 2 * b[:, 0] * v
        v, q = _box_lsq_2(A, b, V)
        return v, yy + q

    stencil = np.stack(np.meshgrid(*([np.arange(-2, 3)] * H), indexing="ij"), -1).reshape(-1, H)
    fits = []
    for w in starts:
        w = np.asarray(w, float)
        h = 2 * (ws[1] - ws[0])
        for _ in range(400):
            cand = np.clip(w + h * stencil, -W, W)
            _, r = profile(cand)
            k = int(np.argmin(r))
            if np.allclose(cand[k], w):
                h /= 2
                if h < 1e-8 * W:
                    break
            else:
                w = cand[k]
        v, r = profile(w[None, :])
        fits.append((float(r[0]), np.concatenate([w, v[0]])))
    best = min(f[0] for f in fits)
    n_best = sum(f[0] <= best * (1 + 1e-9) + 1e-12 for f in fits)
    fits.sort(key=lambda f: f[0])
    return MLEFit(fits[0][1], float(best), len(fits), int(n_best), np.stack([f[1] for f in fits]))
