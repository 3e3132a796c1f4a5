"""Quadratic networks on modular addition (p = 20, template with frequencies 1, 3, 5)."""

import numpy as np
import pytest

from neuroalg.dynamics import (
    TwoLayer,
    first_jump_lower_bound,
    modular_levels,
    simulate,
    template_addition_data,
)

n = np.arange(20)
TEMPLATE = np.cos(2 * np.pi * n / 20) + 0.5 * np.cos(6 * np.pi * n / 20) + 0.25 * np.cos(10 * np.pi * n / 20)


def test_closed_form_levels():
    m = modular_levels(TEMPLATE)
    assert m.frequencies == (1, 3, 5)
    assert np.allclose(m.levels, [0.65625, 0.15625, 0.03125, 0.0], atol=1e-12)
    # the normalization is the plain mean squared error over samples and outputs
    X, Y = template_addition_data(TEMPLATE)
    assert np.mean(Y**2) == pytest.approx(0.65625)
    assert TwoLayer(40, 2, 20, "x^2", 2 / 20).loss(np.zeros((2, 60)), X, Y) == pytest.approx(0.65625)


def _residual_power(run, X, Y, model):
    R = Y if run is None else Y - model.forward(np.array(run.final_params), X)
    P = np.abs(np.fft.fft(R, axis=1)) ** 2 / 20**2
    return {k: float(np.mean(P[:, k] + P[:, 20 - k])) for k in (1, 3, 5)}


@pytest.mark.slow  # 6-7 s at low load (issue 12: tests over ~5 s are slow)
def test_gd_learns_frequencies_in_order_with_predicted_levels():
    X, Y = template_addition_data(TEMPLATE)
    model = TwoLayer(40, 24, 20, "x^2", 2 / 20)
    pw0 = _residual_power(None, X, Y, model)
    first = simulate(model, X, Y, alpha=0.05, tau_max=15, lr=0.2, seed=0)
    pw1 = _residual_power(first, X, Y, model)
    # AGF bound: no neuron can blow up before n0^-1 / (3 U*) (kappa = 3, time t * alpha)
    bound = first_jump_lower_bound(model, X, Y, model.init(1.0, np.random.default_rng(0)), seed=0,
                                   n_starts=4)
    assert 0.5 < bound <= first.jump_times[0]
    assert first.losses[-1] == pytest.approx(0.15625, abs=2e-4)
    assert pw1[1] < 1e-3 * pw0[1] and pw1[3] > 0.9 * pw0[3] and pw1[5] > 0.9 * pw0[5]
    second = simulate(model, X, Y, alpha=0.05, tau_max=55, lr=0.2, seed=0)
    pw2 = _residual_power(second, X, Y, model)
    assert second.losses[-1] == pytest.approx(0.03125, abs=2e-4)
    assert pw2[3] < 1e-2 * pw0[3] and pw2[5] > 0.9 * pw0[5]


def _learned_order(model, X, Y, plateaus, times):
    """Time at which each frequency's residual power first falls below 1% of its initial value."""
    pw0 = _residual_power(None, X, Y, model)
    done = {}
    for t, P in zip(times, plateaus):
        R = Y - model.forward(np.asarray(P), X)
        P2 = np.abs(np.fft.fft(R, axis=1)) ** 2 / 20**2
        for k in (1, 3, 5):
            if k not in done and np.mean(P2[:, k] + P2[:, 20 - k]) < 0.01 * pw0[k]:
                done[k] = t
    return done


@pytest.mark.slow
def test_agf_engine_three_frequency_jumps_match_gd():
    """kappa = 3 AGF engine on modular addition (p = 20, width 24): the staircase of neuron
    activations passes through the plateaus 0.15625, 0.03125 and ~0 (closed form), learning the
    frequencies in the order 1, 3, 5, as gradient descent from the same directions does."""
    from neuroalg.dynamics import agf

    X, Y = template_addition_data(TEMPLATE)
    model = TwoLayer(40, 24, 20, "x^2", 2 / 20)
    Th = model.init(1.0, np.random.default_rng(0))
    res = agf(model, X, Y, Theta0=Th, max_jumps=20, tau_max=300)
    lv = np.array(res.levels)
    for target in (0.15625, 0.03125):
        assert np.min(np.abs(lv - target)) < 1e-3
    assert lv[-1] < 1e-3
    agf_done = _learned_order(model, X, Y, res.plateaus, res.jump_times)
    assert sorted(agf_done, key=agf_done.get) == [1, 3, 5]
    snaps = []
    run = simulate(model, X, Y, alpha=0.01, tau_max=1.5 * max(agf_done.values()), lr=0.2,
                   Theta0=0.01 * Th, n_records=600,
                   callback=lambda tau, T: snaps.append((tau, T.copy())))
    gd_done = _learned_order(model, X, Y, [T for _, T in snaps], [t for t, _ in snaps])
    assert sorted(gd_done, key=gd_done.get) == [1, 3, 5], (gd_done, agf_done)
    L = np.array(run.losses)
    for target in (0.15625, 0.03125):
        assert np.min(np.abs(L - target)) < 1e-4  # GD passes through the plateau
    # completion times at alpha = 0.01 agree within a factor 2 (measured in two runs: GD 4.5,
    # 47.8-48.2, 205 vs AGF 5.2-5.3, 32.3-39.0, 161-189): which neuron of a frequency group
    # activates next hinges on near-ties, so the AGF times vary between runs by up to ~20%
    for k in (1, 3, 5):
        assert 0.5 < gd_done[k] / agf_done[k] < 2.0, (k, gd_done, agf_done)


def _component_power(R, ks):
    P = np.abs(np.fft.fft(R, axis=1)) ** 2 / 20**2
    return {k: float(np.mean(P[:, k] + (P[:, 20 - k] if 0 < k < 10 else 0.0))) for k in ks}


def _half_times(x, tau_max):
    """GD (p = 20, width 24, alpha 0.05): time at which each predicted component's residual
    power first falls below half its initial value, and the final loss."""
    pred = modular_levels(x)
    X, Y = template_addition_data(x)
    model = TwoLayer(40, 24, 20, "x^2", 2 / 20)
    snaps = []
    run = simulate(model, X, Y, alpha=0.05, tau_max=tau_max, lr=0.2, seed=0, n_records=100,
                   callback=lambda t, T: snaps.append(
                       (t, _component_power(Y - model.forward(T, X), pred.frequencies))))
    p0 = snaps[0][1]
    half = {k: next(t for t, p in snaps if p[k] < 0.5 * p0[k]) for k in pred.frequencies}
    return pred, half, run.losses[-1]


def test_constant_component_is_learned():
    """Issue 12: with a template of nonzero mean the constant component is learnable (a neuron
    with constant u = v has utility 8 |x_hat_0|^3 / (3 sqrt(3) p^(5/2)), key sqrt(2) |x_hat_0|):
    mean 0.4 gives key 11.3 > 10 for frequency 1, so it goes first, and the loss ends at 0 (the
    old prediction kept the constant's power 0.16). Measured: half-times 1.68 (constant) and
    2.04 (frequency 1), final loss 6e-5."""
    pred, half, final = _half_times(np.cos(2 * np.pi * n / 20) + 0.4, 6)
    assert pred.frequencies == (0, 1)
    assert np.allclose(pred.levels, [0.66, 0.5, 0.0], atol=1e-12)
    assert half[0] < half[1]
    assert final < 1e-3


def test_nyquist_component_order():
    """The k = p/2 component has utility 4 |x_hat|^3 / (3 sqrt(3) p^(5/2)) (key 2^(1/6) |x_hat|):
    magnitude 9.4 goes before frequency 1 of magnitude 10 (keys 10.55 vs 10), as in GD
    (measured half-times 2.75 and 3.15)."""
    pred, half, final = _half_times(np.cos(2 * np.pi * n / 20) + 0.47 * (-1.0) ** n, 5)
    assert pred.frequencies == (10, 1)
    assert half[10] < half[1] and final < 1e-3


@pytest.mark.slow
def test_nonzero_mean_template_final_level_matches_gd():
    """The reported case: TEMPLATE + 0.1. Predicted order 1, 3, 0, 5 and final level 0 (not
    0.01); GD (the CLI defaults: width 24, alpha 0.05, lr 0.2, tau 300) ends at ~6e-5 and learns
    the constant before frequency 5 (measured: plateau 0.031 = the power of frequency 5 alone
    before the last four steps)."""
    x = TEMPLATE + 0.1
    pred = modular_levels(x)
    assert pred.frequencies == (1, 3, 0, 5) and pred.levels[-1] == 0.0
    X, Y = template_addition_data(x)
    model = TwoLayer(40, 24, 20, "x^2", 2 / 20)
    snaps = []
    run = simulate(model, X, Y, alpha=0.05, tau_max=300, lr=0.2, seed=0, n_records=300,
                   callback=lambda t, T: snaps.append(
                       (t, _component_power(Y - model.forward(T, X), (0, 5)))))
    assert run.losses[-1] < 1e-3
    p0 = snaps[0][1]
    half = {k: next(t for t, p in snaps if p[k] < 0.5 * p0[k]) for k in (0, 5)}
    assert half[0] < half[5]
