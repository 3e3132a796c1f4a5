"""The degenerate regime of a data metric: options it cannot honor are errors, --strata is
honored, and the counted isolated points are reported."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.fields import COMPLEX
from neuroalg.geometry.witness.critical import critical_points
from neuroalg.spec import parse_spec


@pytest.mark.parametrize("option, match", [
    ({"method": "implicit"}, "--method implicit: the data metric is degenerate on V"),
    ({"checkpoint": "CP"}, "--checkpoint: the data metric is degenerate on V"),
])
def test_options_the_regime_cannot_honor_are_errors(tmp_path, option, match):
    """cnn k=2,2 s=2,1 x (dim 3) with 2 samples (a 2-dimensional projection) is degenerate;
    the implicit method and checkpoints do not apply there, and saying so beats ignoring them."""
    option = {k: tmp_path / "c.json" if v == "CP" else v for k, v in option.items()}
    with pytest.raises(SpecError, match=match):
        critical_points("cnn k=2,2 s=2,1 x", metric="data", n_samples=2, seed=1, **option)
    assert not any(tmp_path.iterdir())  # no checkpoint (nor its .tmp) left behind


def test_strata_are_counted_in_the_degenerate_regime():
    """mlp 2,2,1 x^2 fills the binary quadrics C^3; 2 samples see f only through (f(x1), f(x2)),
    so the loss is constant along lines: the zero-loss set is a line (dimension 1, degree 1) and
    there is no isolated critical point. Its stratum mlp 2,1,1 x^2, the squares (l.x)^2 (dim 2),
    is seen faithfully: with a = l.x1, b = l.x2 (coordinates of l) the loss is
    (a^2 - y1)^2 + (b^2 - y2)^2 up to a factor, critical where a in {0, +-sqrt y1} and
    b in {0, +-sqrt y2}; (a, b) = (0, 0) is the vertex (not regular) and (a, b) ~ (-a, -b) give
    the same f: 8 / 2 = 4 critical points on the regular part of the stratum (2 of zero loss)."""
    res = critical_points("mlp 2,2,1 x^2", metric="data", n_samples=2, seed=1, strata=True)
    d = res.degenerate
    assert d is not None and (d.zero_loss_dimension, d.zero_loss_degree, d.n_isolated) == (1, 1, 0)
    assert res.strata == (("mlp 2,1,1 x^2", 4),) and res.strata_degenerate == (None,)
    assert "stratum mlp 2,1,1 x^2" in str(res) and "none in the degenerate regime" in str(res)
    assert res.to_dict()["strata"][0]["n_critical"] == 4


def test_isolated_points_are_reported_with_weights():
    """The 2 isolated critical points of cnn k=2,2 s=2,1 x with 2 samples (see test_critical's
    geometric count) are in the result; their weights reproduce them through the network's own
    forward pass; the data target w = V^T y / N is real."""
    arch = parse_spec("cnn k=2,2 s=2,1 x")
    res = critical_points(arch, metric="data", n_samples=2, seed=1)
    assert res.n_critical == len(res.critical_functions) == len(res.critical_weights) == 2
    assert np.allclose(np.imag(res.target), 0)
    from neuroalg.polymap import expand

    phi = expand(arch)
    x = np.random.default_rng(0).standard_normal((3, *arch.input_shape)).astype(complex)
    for theta, f in zip(res.critical_weights, res.critical_functions):
        out = arch.forward(np.array(theta), x, COMPLEX).reshape(len(x), -1)
        # f's coordinates are the coefficients of the output's monomials in x
        value = np.zeros_like(out)
        for (i, exponent), c in zip(phi.keys, f):
            value[:, i] += c * np.prod(x.reshape(len(x), -1) ** np.array(exponent), axis=1)
        np.testing.assert_allclose(out, value, atol=1e-8)
