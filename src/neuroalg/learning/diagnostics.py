"""Markov chain diagnostics: split R-hat and effective sample size.

For C chains of length T of a scalar quantity, split each chain in halves (2C chains of length
T/2), with W the mean within-chain variance and B/n the variance of the chain means:
R-hat = sqrt(((n - 1)/n W + B/n) / W); values near 1 (below 1.01-1.05) indicate agreement of
the chains. The effective sample size is C T / (1 + 2 sum_k rho_k), with the autocorrelations
rho_k averaged over chains and summed over Geyer's initial positive sequence (pairs of
consecutive lags while their sum is positive).

References
----------
[GR92] A. Gelman, D. B. Rubin (1992), Inference from iterative simulation using multiple
       sequences, Statistical Science 7(4), 457-472.
[Gey92] C. J. Geyer (1992), Practical Markov chain Monte Carlo, Statistical Science 7(4), 473-483.
[VGS21] A. Vehtari, A. Gelman, D. Simpson, B. Carpenter, P.-C. Burkner (2021), Rank-normalization,
        folding, and localization: an improved R-hat, Bayesian Analysis 16(2), arXiv:1903.08008.
"""

from __future__ import annotations

import numpy as np


def split_rhat(chains: np.ndarray) -> float:
    """Split R-hat of ``chains`` (C, T); nan for fewer than 4 draws per chain.

    >>> rng = np.random.default_rng(0)
    >>> round(split_rhat(rng.standard_normal((4, 1000))), 2)
    1.0
    """
    x = np.asarray(chains, dtype=float)
    T = x.shape[1] // 2
    if T < 2:
        return float("nan")
    halves = np.concatenate([x[:, :T], x[:, T:2 * T]], axis=0)
    W = halves.var(axis=1, ddof=1).mean()
    B_over_n = halves.mean(axis=1).var(ddof=1)
    if W <= 0:
        return 1.0 if B_over_n == 0 else float("inf")
    return float(np.sqrt(((T - 1) / T * W + B_over_n) / W))


def effective_sample_size(chains: np.ndarray) -> float:
    """Effective sample size of ``chains`` (C, T) (Geyer's initial positive sequence).

    >>> rng = np.random.default_rng(0)
    >>> 3000 < effective_sample_size(rng.standard_normal((4, 1000))) < 5000
    True
    """
    x = np.asarray(chains, dtype=float)
    C, T = x.shape
    if T < 4:
        return float(C * T)
    xc = x - x.mean(axis=1, keepdims=True)
    var = (xc * xc).mean(axis=1)
    if np.all(var == 0):
        return float(C * T)
    f = np.fft.rfft(xc, n=2 * T, axis=1)
    acov = np.fft.irfft(f * np.conj(f), axis=1)[:, :T] / T
    rho = (acov / np.where(var > 0, var, 1)[:, None]).mean(axis=0)
    total, k = 0.0, 1
    while k + 1 < T:
        pair = rho[k] + rho[k + 1]
        if pair <= 0:
            break
        total += pair
        k += 2
    tau = max(1.0 + 2.0 * total, 1e-12)
    return float(min(C * T / tau, C * T * np.log10(max(C * T, 10))))
