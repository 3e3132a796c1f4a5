"""Diagonal linear networks: AGF vs the Pesme-Flammarion algorithm vs gradient descent."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.dynamics import (
    DiagonalLinear,
    detect_jumps,
    diagonal_flow,
    first_jump_lower_bound,
    pesme_flammarion,
    simulate,
)
from neuroalg.dynamics.agf import agf


def _problem(seed, n=6, d=10):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X[:, 1] = X[:, 0] + 0.3 * X[:, 1]  # correlated columns: coordinates deactivate
    return X, rng.standard_normal(n)


@pytest.mark.parametrize("seed", [0, 1, 4, 7])
def test_agf_matches_pesme_flammarion(seed):
    X, y = _problem(seed)
    pf = pesme_flammarion(X, y)
    res = agf(DiagonalLinear(X.shape[1]), X, y, seed=0)
    assert list(res.order) == pf.order
    t_agf, t_pf = np.array(res.jump_times), np.array(pf.times)
    assert np.all(np.abs(t_agf - t_pf) <= 1e-8 * np.maximum(1.0, t_pf))
    assert np.allclose(res.levels, pf.levels, rtol=0, atol=1e-10)
    # coordinates leave the support (collapse) exactly when PF's support shrinks
    n_pf = sum(1 for a, b in zip(pf.betas[:-1], pf.betas[1:]) for i in range(len(a)) if a[i] and not b[i])
    assert sum(len(c) for c in res.collapsed) == n_pf


def test_pesme_flammarion_first_jump_and_end():
    X, y = _problem(3)
    n = len(y)
    pf = pesme_flammarion(X, y)
    assert pf.times[0] == pytest.approx(1 / np.max(np.abs(X.T @ y / n)), rel=1e-12)
    # the AGF bound 1 / (2 U*) is attained for diagonal networks
    assert first_jump_lower_bound(DiagonalLinear(X.shape[1]), X, y, None) == pytest.approx(pf.times[0])
    assert pf.order[0] == int(np.argmax(np.abs(X.T @ y)))
    assert pf.levels[-1] < 1e-20  # n < d: the path ends at an interpolator
    assert np.all(np.diff(pf.levels) <= 1e-15) and np.all(np.diff(pf.times) > 0)


def test_pesme_flammarion_equals_exact_flow_at_tiny_alpha():
    """The exact finite-alpha mirror flow beta = alpha^2 sinh(2 s) sits on PF's plateaus."""
    X, y = _problem(2, n=8, d=5)
    pf = pesme_flammarion(X, y)
    mids = [0.5 * (a + b) for a, b in zip(pf.times[:-1], pf.times[1:])] + [pf.times[-1] * 1.5]
    betas, _ = diagonal_flow(X, y, 1e-40, mids)
    for b_flow, b_pf in zip(betas, pf.betas):
        assert np.max(np.abs(b_flow - np.array(b_pf))) < 0.05


def test_gd_jump_times_approach_agf():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((12, 6))
    y = X @ np.array([2, -1, 0.5, 0, 0, 0.0])
    res = agf(DiagonalLinear(6), X, y, seed=0)
    lam = np.linalg.eigvalsh(X.T @ X / 12)[-1]
    errors = []
    for alpha in (1e-4, 1e-8, 1e-16):
        run = simulate(DiagonalLinear(6), X, y, alpha=alpha, tau_max=1.25 * res.jump_times[-1],
                       lr=0.004 / lam)
        g = np.array(run.jump_times)
        errors.append(max(np.min(np.abs(g - t)) for t in res.jump_times))
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 0.03


def test_cli_diagonal_linear(tmp_path):
    X, y = _problem(0, n=10, d=4)
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"X": X.tolist(), "y": y.tolist()}))
    png = tmp_path / "p.png"
    out = CliRunner().invoke(app, ["agf", "diagonal-linear", "--data", str(data), "--alpha", "1e-6",
                                   "--json", "--plot", str(png)])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    pf = pesme_flammarion(X, y)
    assert d["order"] == pf.order
    assert np.allclose(d["jump_times"], pf.times, rtol=1e-8)
    assert np.allclose(d["levels"], pf.levels, atol=1e-10)
    assert d["steps_per_unit"] == pytest.approx(np.log(1e6) / d["lr"])
    assert png.stat().st_size > 1000
    bad = tmp_path / "bad.json"
    bad.write_text('{"X": [[1, 2]]}')
    out = CliRunner().invoke(app, ["agf", "diagonal-linear", "--data", str(bad)])
    assert out.exit_code == 2 and "--data: missing key 'y'" in out.output


def _check_against_pesme_flammarion(X, y):
    pf = pesme_flammarion(X, y)
    res = agf(DiagonalLinear(X.shape[1]), X, y, seed=0)
    levels = np.array((res.initial_level,) + res.levels)
    assert np.all(np.diff(levels) <= 1e-12 * levels[0])  # the engine's invariant
    assert list(res.order) == pf.order
    assert np.all(np.abs(np.array(res.jump_times) - pf.times) <= 1e-8 * np.maximum(1.0, pf.times))
    assert np.allclose(res.levels, pf.levels, atol=1e-10)


# (seed, n, d) of default_rng(seed): X = standard normal (n, d), y = standard normal (n).
# 3137 (6, 6) was issue 12 (AGF: 11 jumps, the loss rising 0.099 -> 0.383 at tau 73.6; PF: 9);
# 89 and 114 also failed on that version (found by a scan over 400 seeds); the others failed
# with an intermediate fix (balanced neurons, but the flow integrated collapsing neurons on).
COUNTEREXAMPLES = [(3137, 6, 6), (89, 4, 2), (114, 7, 7), (178, 3, 3), (145, 4, 3), (42, 4, 4),
                   (25, 5, 6), (60, 6, 6), (78, 8, 7)]


@pytest.mark.parametrize("seed, n, d", COUNTEREXAMPLES)
def test_agf_equals_pesme_flammarion_regressions(seed, n, d):
    rng = np.random.default_rng(seed)
    _check_against_pesme_flammarion(rng.standard_normal((n, d)), rng.standard_normal(n))


@settings(max_examples=12, deadline=None, derandomize=True, database=None)
@given(seed=st.integers(0, 10_000), n=st.integers(3, 8), d=st.integers(2, 7))
def test_agf_equals_pesme_flammarion_property(seed, n, d):
    rng = np.random.default_rng(seed)
    _check_against_pesme_flammarion(rng.standard_normal((n, d)), rng.standard_normal(n))


@pytest.mark.slow
@settings(max_examples=400, deadline=None, database=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 10), d=st.integers(1, 9))
def test_agf_equals_pesme_flammarion_property_large(seed, n, d):
    rng = np.random.default_rng(seed)
    _check_against_pesme_flammarion(rng.standard_normal((n, d)), rng.standard_normal(n))


def test_issue12_staircase_is_the_exact_flow_at_tiny_alpha():
    """Seed 3137: the exact gradient flow (mirror flow beta = alpha^2 sinh(2 s), independent of
    both AGF and PF) sits on the AGF levels between jumps, and its jumps approach the AGF
    times as alpha -> 0 (the loss never rises: no 0.383 plateau)."""
    rng = np.random.default_rng(3137)
    X, y = rng.standard_normal((6, 6)), rng.standard_normal(6)
    res = agf(DiagonalLinear(6), X, y, seed=0)
    t = np.array(res.jump_times)
    assert res.n_jumps == 9
    mids = list(0.5 * (t[:-1] + t[1:])) + [1.2 * t[-1]]
    _, losses = diagonal_flow(X, y, 1e-80, mids)
    assert np.allclose(losses, res.levels, atol=1e-4)
    taus = np.linspace(0.0, 1.1 * t[-1], 40001)
    errors = []
    for alpha in (1e-20, 1e-80):
        _, L = diagonal_flow(X, y, alpha, taus)
        g = np.array(detect_jumps(taus, L, min_drop=0.01).times)
        errors.append([np.min(np.abs(g - s)) / s for s in t])
    errors = np.array(errors)
    # measured: at 1e-20 up to 86% (the tau 73.6 jump, a 3% drop, is not yet resolved), at
    # 1e-80 at most 0.8%
    assert errors[1].max() < 0.02 and errors[1].max() < errors[0].max()


def test_monotone_invariant_refuses_a_rising_staircase(monkeypatch):
    """The engine checks its invariant: a cost minimization that raises the loss is refused."""
    import sys

    agf_module = sys.modules["neuroalg.dynamics.agf"]
    X, y = _problem(0)

    def worse(model, X, Y, Theta, active, **kwargs):
        return 3 * Theta + 1.0 * active[:, None], []  # any point where the loss is higher

    monkeypatch.setattr(sys.modules["neuroalg.dynamics.limit"], "cost_step", worse)
    with pytest.raises(agf_module.AGFInvariantError, match="the loss rose from .* at jump"):
        agf(DiagonalLinear(X.shape[1]), X, y, seed=0)
    with pytest.raises(agf_module.AGFInvariantError, match="at jump 2"):
        agf_module.check_monotone(1.0, [0.5, 0.6], [1.0, 2.0])
    agf_module.check_monotone(1.0, [0.5, 0.5, 0.0], [1.0, 2.0, 3.0])  # flat steps are fine


def test_gradient_flow_simulation_matches_mirror_flow_and_approaches_agf():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((12, 6))
    y = X @ np.array([2, -1, 0.5, 0, 0, 0.0])
    pf = pesme_flammarion(X, y)
    errors = []
    for alpha in (1e-4, 1e-8, 1e-16):
        run = simulate(DiagonalLinear(6), X, y, alpha=alpha, tau_max=4.7, method="flow",
                       n_records=4700)
        errors.append(abs(run.jump_times[0] - pf.times[0]))
    # parameter-space ODE vs the closed-form mirror flow beta = alpha^2 sinh(2 s)
    taus = np.array(run.times)[::100]
    _, losses = diagonal_flow(X, y, 1e-16, taus)
    assert np.allclose(np.array(run.losses)[::100], losses, rtol=1e-4, atol=1e-6)
    assert errors[0] > errors[1] > errors[2] and errors[2] < 0.004


def test_issue12_cli_agrees_with_its_own_reference(tmp_path):
    """The reported command on seed 3137: AGF printed 11 jumps against the 9 of the
    Pesme-Flammarion reference it printed below them, with the loss rising at tau 73.6."""
    rng = np.random.default_rng(3137)
    X, y = rng.standard_normal((6, 6)), rng.standard_normal(6)
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"X": X.tolist(), "y": y.tolist()}))
    out = CliRunner().invoke(app, ["agf", "diagonal-linear", "--data", str(data), "--no-gd",
                                   "--json", "-q"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert len(d["jump_times"]) == len(d["reference"]["jump_times"]) == 9
    assert d["order"] == d["reference"]["order"]
    assert np.allclose(d["jump_times"], d["reference"]["jump_times"], rtol=1e-8)
    assert np.all(np.diff([d["initial_level"], *d["levels"]]) <= 0)


@pytest.mark.slow
def test_engine_does_not_depend_on_earlier_runs():
    """The cost minimization used scipy's LSODA, whose Fortran state carries over between
    calls: problem 1261 of the scan (n = 4, d = 7) gave a wrong staircase (level 0.087 instead of
    0.021 after jump 2) only after problems 1230..1260 had run in the same process."""
    def problem(seed):
        r = np.random.default_rng(10**6 + seed)
        n, d = int(r.integers(3, 9)), int(r.integers(2, 8))
        rng = np.random.default_rng(seed)
        return rng.standard_normal((n, d)), rng.standard_normal(n)

    X, y = problem(1261)
    alone = agf(DiagonalLinear(X.shape[1]), X, y, seed=0)
    for seed in range(1230, 1261):
        Xs, ys = problem(seed)
        agf(DiagonalLinear(Xs.shape[1]), Xs, ys, seed=0)
    after = agf(DiagonalLinear(X.shape[1]), X, y, seed=0)
    assert after.levels == alone.levels and after.jump_times == alone.jump_times
    _check_against_pesme_flammarion(X, y)
