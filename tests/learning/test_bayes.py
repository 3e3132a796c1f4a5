"""Posteriors: the Jeffreys density, quadrature against closed forms and against MCMC."""

import numpy as np
import pytest
from scipy import special

from neuroalg.learning.activations import SmoothActivation
from neuroalg.learning.bayes import (
    _c_of_w,
    jeffreys_log_density,
    mcmc_posteriors,
    quadrature_posterior,
)
from neuroalg.learning.errors import bayes_errors
from neuroalg.learning.mle import fit_mle
from neuroalg.learning.simple_models import SimpleModel

TANH = SmoothActivation("tanh")


def test_jeffreys_density_factorizes():
    # sqrt det F = |v| c(w) (one unit) and |v1 v2| sqrt(det Gram) (two units)
    m1 = SimpleModel(1, TANH)
    w = np.array([0.3, 1.0, 2.5])
    lj = jeffreys_log_density(m1, np.stack([w, np.full(3, 2.0)], 1))
    assert np.allclose(lj, np.log(2.0 * _c_of_w(m1, w)), rtol=1e-10)
    m2 = SimpleModel(2, TANH)
    a = jeffreys_log_density(m2, np.array([0.5, 1.5, 1.0, 1.0]))
    b = jeffreys_log_density(m2, np.array([0.5, 1.5, -2.0, 3.0]))
    assert b - a == pytest.approx(np.log(6.0), rel=1e-10)
    assert jeffreys_log_density(m2, np.array([1.0, 1.0, 0.5, 0.5])) == -np.inf  # overlap: F singular
    # near w = 0, c(w) ~ (2/3) sqrt(6) |w|^3 for tanh (Taylor expansion, by hand)
    assert _c_of_w(m1, np.array([1e-2]))[0] == pytest.approx(2 / 3 * np.sqrt(6) * 1e-6, rel=1e-3)


def test_quadrature_evidence_against_closed_form():
    # uniform prior: int exp(-(a v^2 - 2 b v)/(2 s2)) dv over the box has an erf closed form;
    # the evidence is then a 1-d integral over w, computed here independently on a finer grid
    m = SimpleModel(1, TANH, 3.0, 3.0)
    rng = np.random.default_rng(2)
    x = rng.standard_normal(40)
    y = 0.8 * np.tanh(1.2 * x) + 0.2 * rng.standard_normal(40)
    s2 = 0.04
    post = quadrature_posterior(m, x, y, 0.2, "uniform", rng)
    ws = np.linspace(-3, 3, 20000)  # even count: w = 0 (flat likelihood in v) is not a node
    f = np.tanh(np.outer(ws, x))
    a, b = (f * f).sum(1), f @ y
    s = np.sqrt(s2 / a)
    mu = b / a
    with np.errstate(divide="ignore"):  # far tails underflow to probability 0: weight 0
        log_mass = (b * b / (2 * s2 * a) + np.log(np.sqrt(2 * np.pi) * s)
                    + np.log(special.ndtr((3 - mu) / s) - special.ndtr((-3 - mu) / s)))
    top = log_mass.max()
    log_ev = top + np.log(np.trapezoid(np.exp(log_mass - top), ws)) - np.log(36.0) - y @ y / (2 * s2)
    assert post.log_evidence == pytest.approx(log_ev, abs=1e-6)


def test_quadrature_and_mcmc_agree():
    m = SimpleModel(1, TANH)
    rng = np.random.default_rng(3)
    theta = np.array([1.0, 2.0])
    x = rng.standard_normal(60)
    y = m.f(theta, x) + 0.1 * rng.standard_normal(60)
    for prior in ("uniform", "jeffreys"):
        q = quadrature_posterior(m, x, y, 0.1, prior, rng)
        fit = fit_mle(m, x, y, rng)
        starts = np.stack([fit.theta + 1e-3 * rng.standard_normal(2) for _ in range(4)])[None]
        mc = mcmc_posteriors(m, x[None], y[None], 0.1, prior, starts, rng, n_warmup=1000,
                             n_samples=2000)[0]
        assert mc.rhat < 1.05 and mc.ess > 200
        # posterior means of |w| and v (sign symmetric), and the Bayes errors
        for k in range(2):
            a, b = np.abs(q.draws[:, k]), np.abs(mc.draws[:, k])
            assert abs(a.mean() - b.mean()) < 4 * np.hypot(a.std() / 30, b.std() / np.sqrt(mc.ess))
        Tq, Gq = bayes_errors(m, q.draws, theta, x, y, 0.1)
        Tm, Gm = bayes_errors(m, mc.draws, theta, x, y, 0.1)
        assert abs(Gq - Gm) < 0.15 * Gq and abs(Tq - Tm) < 0.15 * abs(Tq)


def test_mcmc_leaves_a_start_of_zero_jeffreys_density():
    # w1 = w2: det F = 0, log density -inf; the chains must still move and sample
    m = SimpleModel(2, TANH)
    rng = np.random.default_rng(6)
    x = rng.standard_normal(40)
    y = np.tanh(x) + 0.1 * rng.standard_normal(40)
    starts = np.tile(np.array([1.0, 1.0, 0.5, 0.5]), (1, 2, 1))
    post = mcmc_posteriors(m, x[None], y[None], 0.1, "jeffreys", starts, rng, n_warmup=300,
                           n_samples=300)[0]
    assert len(np.unique(post.draws, axis=0)) > 10
    assert np.all(np.isfinite(jeffreys_log_density(m, post.draws)))
