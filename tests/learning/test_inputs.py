"""Input distributions: quadrature rules integrate what they should, files are read strictly."""

import json

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.learning.inputs import EmpiricalInputs, GaussianInputs, gauss_hermite, load_inputs, normal_rule


def _normal_moment(k):
    return 0.0 if k % 2 else float(np.prod(np.arange(k - 1, 0, -2)))


@pytest.mark.parametrize("m", [1, 3, 8])
def test_gauss_hermite_is_exact_up_to_degree_2m_minus_1(m):
    z, w = gauss_hermite(m)
    for k in range(2 * m):
        assert np.dot(w, z**k) == pytest.approx(_normal_moment(k), rel=1e-10, abs=1e-12)


def test_normal_rule_moments_and_a_smooth_integrand():
    x, w = normal_rule()
    for k in range(0, 12, 2):
        assert np.dot(w, x**k) == pytest.approx(_normal_moment(k), rel=1e-9)
    # E[cos x] = exp(-1/2) for x ~ N(0, 1)
    assert np.dot(w, np.cos(x)) == pytest.approx(np.exp(-0.5), rel=1e-10)


def test_files(tmp_path):
    p = tmp_path / "g.json"
    p.write_text(json.dumps({"mean": [1, 2], "cov": [[2, 0.5], [0.5, 1]]}))
    g = load_inputs(p, 2)
    assert isinstance(g, GaussianInputs) and g.mean.tolist() == [1, 2] and not g.is_standard
    np.testing.assert_allclose(g.factor @ g.factor.T, g.cov)
    p.write_text(json.dumps({"X": [[1, 2], [3, 4], [5, 6]]}))
    assert isinstance(load_inputs(p, 2), EmpiricalInputs)


@pytest.mark.parametrize("data, match", [
    ({"mean": [1, 2], "X": [[1, 2]]}, "not both"),
    ({"cov": [[1, 2], [0, 1]]}, "symmetric"),
    ({"cov": [[1, 2], [2, 1]]}, "positive semidefinite"),
    ({"mean": [1, 2, 3]}, "mean"),
    ({"X": [[1, 2, 3]]}, "X"),
    ({"sigma": 1}, "unknown key"),
])
def test_bad_files(tmp_path, data, match):
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(data))
    with pytest.raises(SpecError, match=match):
        load_inputs(p, 2)
    with pytest.raises(SpecError, match="1..250"):
        gauss_hermite(0)
