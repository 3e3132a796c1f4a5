"""Stitching experiment: exact symmetry control, and a short run (fixed seeds)."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.represent.stitching import latent_symmetry, logits, loss_and_grads, stitching_experiment, train

pytest.importorskip("sklearn")


def _toy(seed=0, n=200):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    X = rng.standard_normal((n, 6)) * 0.5 + np.eye(6)[y] * 2
    return X, y


def test_gradients_match_finite_differences():
    X, y = _toy()
    rng = np.random.default_rng(1)
    p = train(X[:50], y[:50], X[:8], normalize=True, rng=rng, epochs=1)
    for dw in (0.0, 0.7):
        _, g = loss_and_grads(p, X[10:40], y[10:40], X[:8], True, dw, 0.3)
        eps = 1e-6
        for key in ("W1", "b2", "W3"):
            arr = p[key]
            for idx in list(np.ndindex(arr.shape))[::17]:
                old = arr[idx]
                arr[idx] = old + eps
                fp = loss_and_grads(p, X[10:40], y[10:40], X[:8], True, dw, 0.3)[0]
                arr[idx] = old - eps
                fm = loss_and_grads(p, X[10:40], y[10:40], X[:8], True, dw, 0.3)[0]
                arr[idx] = old
                assert abs((fp - fm) / (2 * eps) - g[key][idx]) < 1e-6


def test_latent_symmetry_is_exact_for_normalized_only():
    X, y = _toy(2)
    rng = np.random.default_rng(3)
    Xa = X[:10]
    for norm in (True, False):
        p = train(X, y, Xa, normalize=norm, rng=rng, epochs=5)
        q = latent_symmetry(p, rng)
        diff = np.abs(logits(q, p, X, Xa, norm) - logits(p, p, X, Xa, norm)).max()
        assert (diff < 1e-10) if norm else (diff > 1e-3)


def test_short_experiment_on_digits():
    r = stitching_experiment(n_seeds=1, epochs=15, n_anchors=32, seed=0)
    for row in r.rows:
        assert row.acc_a[0] > 0.8 and row.acc_b[0] > 0.8
    assert r.row("normalized").symmetry_control == r.row("normalized").acc_a  # exact invariance
    d = r.to_dict()
    assert set(d["value"]) == {"vanilla", "normalized", "densified"}
    assert d["status"] == "numerical" and d["n_seeds"] == 1
    assert "mean" not in str(r) and "+-" in str(r)


def test_bad_options():
    with pytest.raises(SpecError, match="variant"):
        stitching_experiment(variants=("cosine",), seed=0)
    with pytest.raises(SpecError, match="n_anchors"):
        stitching_experiment(n_anchors=1, seed=0)
