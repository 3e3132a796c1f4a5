"""The generalization harness: each component against an independent route, and the regular
d/(2n) laws (slow: simulations)."""

import numpy as np
import pytest
from scipy import special

from neuroalg.errors import SpecError
from neuroalg.learning.activations import SmoothActivation
from neuroalg.learning.bayes import (
    _c_of_w,
    jeffreys_log_density,
    mcmc_posteriors,
    quadrature_posterior,
)
from neuroalg.learning.errors import bayes_errors, point_errors
from neuroalg.learning.generalization import generalization
from neuroalg.learning.inputs import gauss_hermite
from neuroalg.learning.mle import _box_lsq_2, fit_mle
from neuroalg.learning.random_field import _sup, families, mle_field_prediction
from neuroalg.learning.simple_models import SimpleModel, make_truth, simple_model

TANH = SmoothActivation("tanh")


def test_box_qp_against_brute_force():
    rng = np.random.default_rng(0)
    grid = np.linspace(-1, 1, 401)
    V1, V2 = np.meshgrid(grid, grid, indexing="ij")
    for _ in range(20):
        M = rng.standard_normal((2, 2))
        A = M @ M.T if rng.random() < 0.7 else np.outer(M[0], M[0])  # also singular A
        b = 2 * rng.standard_normal(2)
        v, q = _box_lsq_2(A[None], b[None], 1.0)
        Q = A[0, 0] * V1**2 + 2 * A[0, 1] * V1 * V2 + A[1, 1] * V2**2 - 2 * b[0] * V1 - 2 * b[1] * V2
        assert q[0] <= Q.min() + 1e-12 and np.all(np.abs(v) <= 1 + 1e-12)
        assert q[0] >= Q.min() - 0.02  # the grid minimum is within one grid step


def test_mle_is_the_global_optimum_of_a_fine_grid():
    m = simple_model("mlp 1,1,1 tanh")
    rng = np.random.default_rng(1)
    x = rng.standard_normal(30)
    y = np.tanh(1.5 * x) + 0.3 * rng.standard_normal(30)
    fit = fit_mle(m, x, y, rng)
    ws, vs = np.linspace(-3, 3, 1201), np.linspace(-3, 3, 1201)
    feats = np.tanh(np.outer(ws, x))
    rss = ((y[None, None, :] - vs[None, :, None] * feats[:, None, :]) ** 2).sum(-1)
    assert fit.rss <= rss.min() + 1e-9 and fit.n_best >= 2
    assert fit.rss == pytest.approx(float(((y - m.f(fit.theta, x)) ** 2).sum()), rel=1e-12)


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


def test_point_and_bayes_errors_agree_for_a_point_mass():
    m = SimpleModel(2, TANH)
    rng = np.random.default_rng(4)
    th, th_hat = np.array([0.5, 2.0, 1.0, 1.0]), np.array([0.6, 1.9, 1.1, 0.9])
    x = rng.standard_normal(50)
    y = m.f(th, x) + 0.1 * rng.standard_normal(50)
    T, G = point_errors(m, th_hat, th, x, y, 0.1)
    T2, G2 = bayes_errors(m, np.tile(th_hat, (7, 1)), th, x, y, 0.1)
    assert T == pytest.approx(T2, rel=1e-10) and G == pytest.approx(G2, rel=1e-6)
    t = np.linspace(-12, 12, 400_001)  # G = E[(f^ - f*)^2] / (2 sigma^2), dense trapezoid rule
    dens = np.exp(-t * t / 2) / np.sqrt(2 * np.pi)
    ref = np.trapezoid((m.f(th_hat, t) - m.f(th, t)) ** 2 * dens, t) / 0.02
    assert G == pytest.approx(ref, rel=1e-6)


def test_random_field_of_a_single_subspace_is_chi_square():
    rng = np.random.default_rng(5)
    t, w = gauss_hermite(200)
    B = np.stack([t, t**2 - 1, np.tanh(t)], 1)[None]  # one 3-dimensional subspace
    Q = np.linalg.qr(B * np.sqrt(w)[None, :, None])[0]
    s = _sup(Q, rng.standard_normal((200, 20000)))
    assert abs(s.mean() - 3) < 4 * s.std() / np.sqrt(20000)  # E chi^2_3 = 3


def test_field_predictions_of_the_simple_models():
    m1, m2 = simple_model("mlp 1,1,1 tanh"), simple_model("mlp 1,2,1 tanh")
    reg = mle_field_prediction(m2, make_truth(m2, "regular"))
    assert reg.is_exact and reg.mean == 4
    zero = mle_field_prediction(m1, make_truth(m1, "zero"), rng=np.random.default_rng(0))
    # sup over a one-parameter family of lines: at least chi^2_1, less than the 2 parameters
    assert 1 + 4 * zero.std_error < zero.mean < 2 and abs(zero.grid_error) < 1e-3
    over = mle_field_prediction(m2, make_truth(m2, "overlap"), n_draws=1000, rng=np.random.default_rng(0))
    assert 3 < over.mean < 4  # contains chi^2_3 (three fixed directions), below d = 4
    B, _ = families(m2, make_truth(m2, "overlap"), 11)
    assert B.shape[2] == 3 and np.isfinite(B).all()


def test_truth_validation():
    m = simple_model("mlp 1,2,1 tanh")
    assert make_truth(m, "overlap").fisher_rank == 2 and make_truth(m, "regular").is_regular
    with pytest.raises(SpecError, match="outside the parameter box"):
        make_truth(m, "1,5,1,1")
    with pytest.raises(SpecError, match="allowed are regular, overlap, zero"):
        make_truth(m, "wiggly")
    with pytest.raises(SpecError, match="simple models"):
        simple_model("mlp 2,1,1 tanh")


def test_harness_smoke_and_determinism():
    kw = dict(truth="zero", ns=(15,), replications=3, estimators=("mle", "bayes-uniform"), seed=7)
    a = generalization("mlp 1,1,1 tanh", **kw)
    b = generalization("mlp 1,1,1 tanh", **kw)
    assert [r.gen.tolist() for r in a.rows] == [r.gen.tolist() for r in b.rows]
    d = a.to_dict()
    assert d["status"] == "monte_carlo" and d["random_field"]["mean_sup"] > 1
    assert {"value", "spec", "method", "seed", "seconds", "version"} <= set(d)
    # the headline is n E[G] of the first estimator (MLE) at the largest n
    assert d["value"] == d["n_gen_mean"] == 15 * a.row(15, "mle").gen_mean
    messages = []
    generalization("mlp 1,1,1 tanh", **kw, show_progress=messages.append)
    assert [m.split(":")[0] for m in messages] == ["n = 15 mle", "n = 15 bayes-uniform"]


@pytest.mark.slow
def test_regular_point_follows_d_over_2n():
    # one unit at a regular truth: n E[G] -> d/2 = 1 and n E[T] -> -1 for MLE and Bayes
    r = generalization("mlp 1,1,1 tanh", truth="regular", ns=(400,), replications=150, seed=11)
    for row in r.rows:
        d = row.to_dict()
        assert abs(d["n_gen_mean"] - 1) < 3 * d["n_gen_se"] + 0.05, row.estimator
        assert abs(d["n_train_mean"] + 1) < 3 * d["n_train_se"] + 0.05, row.estimator


@pytest.mark.slow
def test_singular_point_follows_the_random_field_and_lambda():
    r = generalization("mlp 1,1,1 tanh", truth="zero", ns=(400,), replications=150, seed=12)
    sup2 = r.field.mean / 2
    mle = r.row(400, "mle").to_dict()
    assert abs(mle["n_gen_mean"] - sup2) < 3 * mle["n_gen_se"] + 0.05
    assert abs(mle["n_train_mean"] + sup2) < 3 * mle["n_train_se"] + 0.05
    uni = r.row(400, "bayes-uniform").to_dict()
    jef = r.row(400, "bayes-jeffreys").to_dict()
    assert uni["n_gen_mean"] < 0.5 + 3 * uni["n_gen_se"]  # lambda = 1/2 (log corrections lower it)
    assert abs(jef["n_gen_mean"] - 1) < 3 * jef["n_gen_se"] + 0.1  # lambda = 1 = d/2


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
