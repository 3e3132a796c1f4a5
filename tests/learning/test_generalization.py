"""The generalization harness end to end: determinism, the regular d/(2n) law and the singular
random-field law (slow: simulations). Its components are tested in test_mle, test_bayes,
test_errors, test_random_field and test_simple_models."""

import pytest

from neuroalg.learning.generalization import generalization


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
    assert len(r.rows) == 3  # mle, bayes-uniform, bayes-jeffreys (the default estimators)
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
