"""Fully connected linear networks: AGF against the singular-value closed form; homogeneity check."""

import numpy as np
import pytest

from neuroalg.dynamics import (TwoLayer, agf, check_homogeneity, linear_network_jump_times,
                               linear_network_levels, simulate)
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


def _non_whitened():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 4)) @ np.diag([1.5, 1, 0.7, 0.4]) @ np.linalg.qr(rng.standard_normal((4, 4)))[0]
    return X, X @ rng.standard_normal((3, 4)).T


def test_non_whitened_agf_limit_recursion_and_gd():
    """Sigma_xx != I: the alpha -> 0 engine (max-plus basis changes of the dormant components)
    agrees with the closed-form recursion (reduced-rank-regression residuals, conjecture) and
    with the eigenvalue levels; GD jump times / log(1/alpha) approach it as alpha decreases."""
    X, Y = _non_whitened()
    model = TwoLayer(4, 4, 3, "x")
    Sxx, Syx = X.T @ X / 40, Y.T @ X / 40
    pred = linear_network_jump_times(Sxx, Syx)
    assert pred.statement.startswith("conjecture")
    res = agf(model, X, Y, seed=0)
    assert any("do not commute" in n for n in res.notes)
    assert np.allclose(res.jump_times, pred.times, rtol=1e-9)
    assert np.allclose(res.levels, linear_network_levels(Sxx, Syx, np.sum(Y * Y) / 40).levels,
                       atol=1e-9)
    # the generic recursion differs from the whitened 1/s_k (the modes mix)
    assert not np.allclose(pred.times[1], 1 / np.sqrt(pred.modes[1]), rtol=0.05)
    errors = []
    for alpha in (1e-8, 1e-16, 1e-32):
        run = simulate(model, X, Y, alpha=alpha, tau_max=1.6 * res.jump_times[1], lr=0.01, seed=0)
        assert len(run.jump_times) >= 2
        errors.append(np.abs(np.array(run.jump_times[:2]) - res.jump_times[:2]))
    # plateaus are short at finite alpha (0.06 log(1/alpha) time units): levels checked at the
    # smallest alpha, the loss at the end of the run is the second level
    assert run.levels[0] == pytest.approx(res.levels[0], rel=0.02)
    assert run.losses[-1] == pytest.approx(res.levels[1], rel=0.05)
    errors = np.array(errors)
    assert np.all(np.diff(errors, axis=0) < 0) and errors[-1].max() < 0.03


def test_non_whitened_finite_alpha_agf():
    """finite-alpha AGF (exact expm(2 M t) dormant dynamics) reproduces the closed-form levels
    1/2 (tr Syy - sum_{i<=k} mu_i) and GD's first jump."""
    X, Y = _non_whitened()
    model = TwoLayer(4, 4, 3, "x")
    pred = linear_network_levels(X.T @ X / 40, Y.T @ X / 40, np.sum(Y * Y) / 40)
    res = agf(model, X, Y, seed=0, alpha=1e-8)
    assert np.allclose(res.levels, pred.levels, atol=1e-9)
    run = simulate(model, X, Y, alpha=1e-8, tau_max=0.5, lr=0.002, seed=0)
    assert run.jump_times[0] == pytest.approx(res.jump_times[0], rel=0.01)
