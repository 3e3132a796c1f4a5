"""Metrics of the squared loss: definite forms, evaluation matrices, data checks."""

from fractions import Fraction

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.geometry.witness.metrics import check_data, evaluation_matrix, metric_matrix
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec

ARCH = parse_spec("mlp 2,2,1 x^2")  # binary quadrics: coordinates x1^2, x1 x2, x2^2


def test_metrics_are_symmetric_positive_definite():
    phi = expand(ARCH)
    rng = np.random.default_rng(0)
    unit = metric_matrix(phi, "unit", rng)
    assert (unit == np.eye(3, dtype=int)).all()
    generic = metric_matrix(phi, "generic", rng)
    assert (generic == generic.T).all() and all(isinstance(v, Fraction) for v in generic.ravel())
    assert np.linalg.eigvalsh(generic.astype(float)).min() > 0
    with pytest.raises(SpecError, match="metric must be one of"):
        metric_matrix(phi, "bogus", rng)


def test_data_metric_is_the_gram_matrix_of_evaluations():
    phi = expand(ARCH)
    x = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]])
    v = evaluation_matrix(phi, x)
    for j, (a, b) in enumerate(x):  # f(x) = sum_c f_c x^(e_c): row j holds the monomials
        want = [Fraction(a) ** e[0] * Fraction(b) ** e[1] for _, e in phi.keys]
        assert list(v[j]) == want
    q = metric_matrix(phi, "data", None, {"X": x})
    assert (q == (v.T @ v) / 3).all()


def test_data_is_checked():
    rng = np.random.default_rng(1)
    drawn = check_data(ARCH, None, rng, None)
    assert drawn["X"].shape == (4 * ARCH.n_params, 2) and drawn["Y"].shape == (4 * ARCH.n_params, 1)
    assert check_data(ARCH, {"X": [[1, 2]], "Y": [3]}, rng, None)["Y"].shape == (1, 1)
    with pytest.raises(SpecError, match="data Y must have shape"):
        check_data(ARCH, {"X": [[1, 2]], "Y": [[1], [2]]}, rng, None)
    with pytest.raises(SpecError, match="unknown key"):
        check_data(ARCH, {"X": [[1, 2]], "Z": 1}, rng, None)
