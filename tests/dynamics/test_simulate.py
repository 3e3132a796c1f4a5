"""Time scales in closed form, jump detection on synthetic staircases, and GD against gradient
flow and least squares."""

import warnings

import numpy as np
import pytest

from neuroalg.dynamics.models import DiagonalLinear
from neuroalg.dynamics.simulate import detect_jumps, simulate, steps_for, time_scale
from neuroalg.errors import SpecError


def test_time_scales():
    alpha = np.exp(-3.0)
    assert time_scale(alpha, 2) == pytest.approx(3.0)  # log(1/alpha)
    assert time_scale(0.1, 3) == pytest.approx(10.0)  # alpha^(2 - kappa)
    assert time_scale(0.1, 4) == pytest.approx(100.0)
    assert steps_for(2.0, alpha=alpha, kappa=2, lr=0.5) == pytest.approx(12.0)
    with pytest.raises(SpecError, match="alpha"):
        time_scale(1.0, 2)


def _staircase(t, times, levels, width=0.02):
    """L(t) = levels[0] then a smooth drop to levels[k + 1] around times[k]."""
    L = np.full_like(t, levels[0])
    for tk, a, b in zip(times, levels[:-1], levels[1:]):
        L += (b - a) / (1 + np.exp(-(t - tk) / width))
    return L


@pytest.mark.parametrize("times, levels", [([2.0, 5.0], [1.0, 0.5, 0.1]),
                                           ([1.0, 3.0, 7.0], [2.0, 1.0, 0.01, 1e-4])])
def test_detect_jumps_on_a_synthetic_staircase(times, levels):
    t = np.linspace(0, 10, 5001)
    jumps = detect_jumps(t, _staircase(t, times, levels))
    assert jumps.n_jumps == len(times)
    np.testing.assert_allclose(jumps.times, times, atol=0.01)
    np.testing.assert_allclose(jumps.levels, levels[1:], rtol=0.05)
    np.testing.assert_allclose(jumps.before, levels[:-1], rtol=0.05)


def test_no_jump_in_a_flat_or_slowly_decaying_curve():
    t = np.linspace(0, 10, 1001)
    assert detect_jumps(t, np.ones_like(t)).n_jumps == 0
    assert detect_jumps(t, 1 - 0.001 * t).n_jumps == 0  # drops by 1%: under min_drop


def _regression(seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((20, 3))
    y = X @ np.array([1.0, -0.5, 0.8]) + 0.1 * rng.standard_normal(20)
    return X, y


def test_long_gd_reaches_the_least_squares_loss():
    # beta = u * v covers R^d, so the infimum of the loss is the least-squares residual
    X, y = _regression(0)
    run = simulate(DiagonalLinear(3), X, y, alpha=0.1, tau_max=20.0, seed=0)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    want = 0.5 * np.mean((y - X @ beta) ** 2)
    assert run.losses[-1] == pytest.approx(want, rel=1e-3)
    assert run.losses[0] == pytest.approx(0.5 * np.mean(y**2))  # beta = 0 at the start
    assert run.n_steps == int(np.ceil(20.0 * np.log(10) / run.lr))


def test_gd_with_a_small_step_follows_gradient_flow():
    X, y = _regression(1)
    gd = simulate(DiagonalLinear(3), X, y, alpha=0.1, tau_max=2.0, lr=1e-3, n_records=50, seed=0)
    flow = simulate(DiagonalLinear(3), X, y, alpha=0.1, tau_max=2.0, n_records=50, seed=0,
                    method="flow")
    np.testing.assert_allclose(np.interp(flow.times, gd.times, gd.losses), flow.losses,
                               rtol=5e-3)


@pytest.mark.parametrize("kwargs, match", [
    ({"method": "adam"}, "method must be 'gd' or 'flow'"),
    ({"max_steps": 10}, "steps needed"),
    ({"tau_max": 0.0}, "tau_max"),
])
def test_bad_options(kwargs, match):
    X, y = _regression(2)
    with pytest.raises(SpecError, match=match):
        simulate(DiagonalLinear(3), X, y, **{"alpha": 0.1, "tau_max": 5.0, "seed": 0, **kwargs})


def test_divergence_is_one_clean_error():
    X, y = _regression(2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(SpecError, match="the loss diverged"):
            simulate(DiagonalLinear(3), X, y, alpha=0.1, tau_max=50.0, lr=5.0, seed=0)
    assert [str(w.message) for w in caught] == []


def test_a_one_step_run_is_a_run():
    X, y = _regression(2)
    run = simulate(DiagonalLinear(3), X, y, alpha=0.1, tau_max=0.01, lr=0.5, seed=0)
    assert run.n_steps == 1 and len(run.losses) == 2
