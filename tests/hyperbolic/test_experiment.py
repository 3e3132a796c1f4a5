"""The shift experiment: every score responds monotonically to a hyperbolic translation."""

from neuroalg.hyperbolic import shift_experiment


def test_shift_response_is_monotone():
    r = shift_experiment((0.0, 0.75, 1.5, 3.0), n_points=120, n_seeds=3, seed=0)
    assert r.is_monotone("score") and r.is_monotone("wasserstein") and r.is_monotone("chamfer")
    assert 0.4 < r.score.mean(axis=1)[0] < 0.6  # same distribution: about half the edges mix
    d = r.to_dict()
    assert d["status"] == "monte_carlo" and d["value"] is True
