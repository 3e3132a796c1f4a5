"""Fully connected linear networks: AGF against the singular-value closed form; homogeneity check."""

import numpy as np
import pytest

from neuroalg.dynamics import TwoLayer, agf, check_homogeneity, linear_network_levels, simulate
from neuroalg.errors import SpecError


def _whitened(seed=1, d_in=4, d_out=3, s=(3.0, 2.0, 1.0), N=40):
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((d_out, d_out)))
    V, _ = np.linalg.qr(rng.standard_normal((d_in, d_in)))
    Syx = U @ np.diag(s) @ V[:, : len(s)].T
    Q, _ = np.linalg.qr(rng.standard_normal((N, d_in)))
    X = Q * np.sqrt(N)  # X^T X / N = I exactly
    return X, X @ Syx.T, np.array(s)


def test_agf_linear_network_levels_and_times():
    X, Y, s = _whitened()
    res = agf(TwoLayer(4, 5, 3, "x"), X, Y, seed=0)
    # Saxe et al. / Kunin et al.: levels 1/2 sum_{i>k} s_i^2, jumps at rescaled times 1/s_k
    expected = [0.5 * np.sum(s[k + 1:] ** 2) for k in range(len(s))]
    assert np.allclose(res.levels, expected, atol=1e-9)
    assert np.allclose(res.jump_times, 1 / s, rtol=1e-8)
    assert res.initial_level == pytest.approx(0.5 * np.sum(s**2))
    pred = linear_network_levels(np.eye(4), Y.T @ X / len(X), np.sum(Y * Y) / len(X))
    assert np.allclose(pred.levels, expected, atol=1e-12) and np.allclose(pred.times, 1 / s)


def test_gd_linear_network_first_jump():
    X, Y, s = _whitened()
    run = simulate(TwoLayer(4, 5, 3, "x"), X, Y, alpha=1e-8, tau_max=1.3, lr=0.01, seed=3)
    assert run.jump_times[0] == pytest.approx(1 / s[0], abs=0.05)
    assert run.levels[0] == pytest.approx(0.5 * (s[1] ** 2 + s[2] ** 2), rel=0.02)


def test_homogeneity_check():
    X = np.random.default_rng(0).standard_normal((10, 3))
    rng = np.random.default_rng(1)
    assert check_homogeneity(TwoLayer(3, 2, 1, "x^2"), X, rng=rng) == 3
    with pytest.raises(SpecError, match="not positively homogeneous"):
        check_homogeneity(TwoLayer(3, 2, 1, "x^3+x^2"), X, rng=rng)
    with pytest.raises(SpecError, match="not positively homogeneous"):
        agf(TwoLayer(3, 2, 1, "x^3+x^2"), X, X[:, :1], seed=0)


def test_non_whitened_finite_alpha_agf():
    """Sigma_xx != I: the alpha -> 0 engine refuses (non-commuting utilities); finite-alpha AGF
    reproduces the closed-form levels 1/2 (tr Syy - sum_{i<=k} mu_i) and GD's first jump."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 4)) @ np.diag([1.5, 1, 0.7, 0.4]) @ np.linalg.qr(rng.standard_normal((4, 4)))[0]
    Y = X @ rng.standard_normal((3, 4)).T
    model = TwoLayer(4, 4, 3, "x")
    with pytest.raises(SpecError, match="do not commute"):
        agf(model, X, Y, seed=0)
    pred = linear_network_levels(X.T @ X / 40, Y.T @ X / 40, np.sum(Y * Y) / 40)
    res = agf(model, X, Y, seed=0, alpha=1e-8)
    assert np.allclose(res.levels, pred.levels, atol=1e-9)
    run = simulate(model, X, Y, alpha=1e-8, tau_max=0.5, lr=0.002, seed=0)
    assert run.jump_times[0] == pytest.approx(res.jump_times[0], rel=0.01)
