"""The Gaussian random field prediction: chi-square on a subspace, the simple models' fields."""

import numpy as np

from neuroalg.learning.inputs import gauss_hermite
from neuroalg.learning.random_field import _sup, families, mle_field_prediction
from neuroalg.learning.simple_models import make_truth, simple_model


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
