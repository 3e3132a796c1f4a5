"""AGF for neurons of degree kappa = 3 (quadratic activation) against gradient descent."""

import numpy as np
import pytest

from neuroalg.dynamics import TwoLayer, agf, first_jump_lower_bound, simulate


@pytest.mark.slow  # 6-7 s at low load (issue 12: tests over ~5 s are slow)
def test_kappa3_jump_times_and_levels_match_gd():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 3))
    Y = (X @ [1.0, 0.5, -0.3]) ** 2 - 0.6 * (X @ [0.2, -1.0, 0.4]) ** 2
    model = TwoLayer(3, 3, 1, "x^2")
    Th = model.init(1.0, np.random.default_rng(5))  # initialization directions, alpha = 1
    res = agf(model, X, Y, Theta0=Th)
    assert res.kappa == 3 and res.n_jumps == 2
    assert res.levels[-1] < 1e-12
    assert first_jump_lower_bound(model, X, Y, Th, seed=0) <= res.jump_times[0]
    errors = []
    for alpha in (3e-2, 3e-3):
        run = simulate(model, X, Y, alpha=alpha, tau_max=1.2 * res.jump_times[-1], lr=0.01,
                       Theta0=alpha * Th, n_records=20000)
        assert len(run.jump_times) == 2
        assert abs(run.levels[0] - res.levels[0]) < 1e-3
        errors.append(np.max(np.abs(np.array(run.jump_times) - res.jump_times)))
    # rescaled time t * alpha^(kappa-2): GD approaches AGF as alpha -> 0
    assert errors[1] < errors[0] and errors[1] < 0.01
