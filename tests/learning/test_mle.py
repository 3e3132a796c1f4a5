"""Maximum likelihood of the simple models: the box QP against brute force, the global optimum
against a fine grid."""

import numpy as np
import pytest

from neuroalg.learning.mle import _box_lsq_2, fit_mle
from neuroalg.learning.simple_models import simple_model


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
