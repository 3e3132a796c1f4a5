"""Reference: AGF of a two-layer linear network at finite alpha in high precision (mpmath).

Independent of the float64 engines (:mod:`neuroalg.dynamics.finite_alpha`,
:mod:`neuroalg.dynamics.limit`): everything below is written afresh with mpmath at
``digits`` decimal digits, enough to hold dormant components down to alpha^3 next to O(1)
ones, so alpha can go far below what float64 (or gradient descent in float64) resolves.

Model (the same AGF as the engines, only in exact-enough arithmetic):
* plateau k: the active neurons realize reduced-rank regression A_k = P_k Syx Sxx^-1 (P_k the
  projector on the top-k eigenvectors of Syx Sxx^-1 Syx^T); the residual cross-covariance is
  C_k = Syx - A_k Sxx and the dormant utility form M_k = 1/2 [[0, C_k^T], [C_k, 0]];
* the dormant neurons are the rows of D, D(t) = D expm(2 M_k t), started at alpha * theta_hat
  (the directions ``TwoLayer.init(1, default_rng(seed))``);
* activation when sigma_1(D) reaches 1; the activated neuron takes the top singular pair and
  the dormant rows become the other singular pairs (identical neurons: rotation invariance).
Jump times are reported in rescaled time t / log(1/alpha).

Run: PYTHONPATH=src .venv/bin/python benchmarks/dynamics_linear_mp.py
"""

from __future__ import annotations

import sys

import mpmath as mp
import numpy as np


def _mat(a):
    return mp.matrix([[mp.mpf(float(v)) for v in row] for row in np.atleast_2d(a)])


def _reduced_rank_cross_covariance(Sxx, Syx, k):
    """C_k = Syx - P_k Syx Sxx^-1 Sxx = (I - P_k) Syx, P_k from the top-k eigenvectors of K."""
    if k == 0:
        return Syx
    K = Syx * mp.inverse(Sxx) * Syx.T
    K = (K + K.T) / 2
    w, Q = mp.eigsy(K)
    idx = sorted(range(K.rows), key=lambda j: -w[j])[:k]
    P = mp.zeros(K.rows, K.rows)
    for j in idx:
        q = Q[:, j]
        P += q * q.T
    return (mp.eye(K.rows) - P) * Syx


def _log_sigma1(DV, lam, dt):
    scaled = mp.matrix(DV.rows, DV.cols)
    for c in range(DV.cols):
        e = mp.exp(2 * lam[c] * dt)
        for r in range(DV.rows):
            scaled[r, c] = DV[r, c] * e
    s = mp.svd_r(scaled, compute_uv=False)
    return mp.log(max(s))


def finite_alpha_jumps(X, Y, width, alpha, *, seed=0, digits=None, n_jumps=None):
    """Jump times (t / log(1/alpha)) of the linear-network AGF at finite ``alpha``."""
    from neuroalg.dynamics import TwoLayer

    alpha = mp.mpf(alpha)
    digits = digits or int(3.2 * float(-mp.log10(alpha))) + 40
    mp.mp.dps = digits
    N = len(X)
    Xm, Ym = _mat(X), _mat(Y)
    Sxx, Syx = Xm.T * Xm / N, Ym.T * Xm / N
    d_in, d_out = X.shape[1], Y.shape[1]
    rank = min(d_in, d_out, width)
    theta_hat = TwoLayer(d_in, width, d_out, "x").init(1.0, np.random.default_rng(seed))
    D = _mat(theta_hat) * alpha
    ell = mp.log(1 / alpha)
    t, times = mp.mpf(0), []
    for k in range(n_jumps or rank):
        C = _reduced_rank_cross_covariance(Sxx, Syx, k)
        M = mp.zeros(d_in + d_out, d_in + d_out)
        for a in range(d_out):
            for b in range(d_in):
                M[d_in + a, b] = M[b, d_in + a] = C[a, b] / 2
        lam, V = mp.eigsy(M)
        DV = D * V
        hi = mp.mpf(1) / max(lam)
        while _log_sigma1(DV, lam, hi) < 0:
            hi *= 2
        lo = mp.mpf(0)
        for _ in range(200):  # bisection: log sigma_1 is convex in dt
            mid = (lo + hi) / 2
            if _log_sigma1(DV, lam, mid) < 0:
                lo = mid
            else:
                hi = mid
        dt = hi
        E = mp.diag([mp.exp(2 * lam[c] * dt) for c in range(len(lam))])
        D = DV * E * V.T
        t += dt
        times.append(float(t / ell))
        _, S, Vt = mp.svd_r(D)
        order = sorted(range(len(S)), key=lambda j: -S[j])
        rest = mp.zeros(D.rows - 1, D.cols)
        for r, j in enumerate(order[1: D.rows]):
            for c in range(D.cols):
                rest[r, c] = S[j] * Vt[j, c]
        D = rest
    return times


def limit_by_extrapolation(X, Y, width, *, seed=0, exponents=(300, 1000)):
    """alpha -> 0 jump times from two high-precision runs at alpha = 10^-K, extrapolated
    linearly in 1/K (the finite-alpha error is O(1/log(1/alpha)))."""
    (k1, k2) = exponents
    t1 = np.array(finite_alpha_jumps(X, Y, width, mp.mpf(10) ** -k1, seed=seed))
    t2 = np.array(finite_alpha_jumps(X, Y, width, mp.mpf(10) ** -k2, seed=seed))
    return t2 + (t2 - t1) * (1 / k2) / (1 / k1 - 1 / k2), t2


PROBLEMS = {
    # (seed, d_in, d_out, width): X = Gaussian with covariance spectrum 1.5 .. 0.4, rotated;
    # Y = X W^T, W standard normal (realizable, non-whitened)
    "4-3 w4 (tests)": None,
    "5-4 w4": (7, 5, 4, 4),
    "4-4 w5": (11, 4, 4, 5),
    "3-3 w3": (5, 3, 3, 3),
}


def problem(name):
    if PROBLEMS[name] is None:
        return _problem() + (4,)
    seed, d_in, d_out, width = PROBLEMS[name]
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((40, d_in)) @ np.diag(np.linspace(1.5, 0.4, d_in)) @ np.linalg.qr(
        rng.standard_normal((d_in, d_in)))[0]
    return X, X @ rng.standard_normal((d_out, d_in)).T, width


def _problem():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 4)) @ np.diag([1.5, 1, 0.7, 0.4]) @ np.linalg.qr(
        rng.standard_normal((4, 4)))[0]
    return X, X @ rng.standard_normal((3, 4)).T


def _compare_all():
    from neuroalg.dynamics import TwoLayer, agf

    for name in PROBLEMS:
        X, Y, width = problem(name)
        engine = agf(TwoLayer(X.shape[1], width, Y.shape[1], "x"), X, Y, seed=0).jump_times
        extrapolated, at_1000 = limit_by_extrapolation(X, Y, width)
        print(f"{name}: alpha -> 0 engine {np.round(engine, 5).tolist()}; mpmath at 1e-1000 "
              f"{np.round(at_1000, 5).tolist()}, extrapolated {np.round(extrapolated, 5).tolist()}",
              flush=True)


if __name__ == "__main__" and sys.argv[1:] == ["limit"]:
    _compare_all()
elif __name__ == "__main__":
    from neuroalg.dynamics import TwoLayer, agf

    X, Y = _problem()
    model = TwoLayer(4, 4, 3, "x")
    print("alpha -> 0 engine:", agf(model, X, Y, seed=0).jump_times)
    for e in [float(a) for a in sys.argv[1:]] or [1e-4, 1e-8, 1e-12, 1e-30, 1e-100]:
        try:
            f64 = agf(model, X, Y, seed=0, alpha=e).jump_times
        except ValueError as exc:
            f64 = str(exc)[:60]
        print(f"alpha {e:g}: mpmath {finite_alpha_jumps(X, Y, 4, e)}  float64 engine {f64}",
              flush=True)
