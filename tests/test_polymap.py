"""polymap.py: the exact coefficients of Phi against the architecture's own float forward pass."""

from fractions import Fraction
from math import comb

import numpy as np
import pytest

from neuroalg.fields import REAL
from neuroalg.polymap import expand, exponent_vectors, random_rational, vanishes_on
from neuroalg.spec import parse_spec


@pytest.mark.parametrize("spec", ["mlp 2,2,1 x^2", "mlp 2,1,2 x^3 bias", "cnn k=2,2 s=1,1 x^2",
                                  "linear 3,2,2"])
def test_coefficients_reproduce_the_forward_pass(spec):
    arch = parse_spec(spec)
    phi = expand(arch)
    rng = np.random.default_rng(0)
    theta = random_rational(rng, (arch.n_params,), scale=7)
    n_in = int(np.prod(arch.input_shape))
    for _ in range(3):
        x = rng.standard_normal(n_in)
        want = np.asarray(arch.forward(theta.astype(float), x.reshape((1,) + tuple(arch.input_shape)),
                                       REAL)).reshape(-1)
        got = np.zeros_like(want)
        for (k, e), poly in zip(phi.keys, phi.polys):
            c = sum(float(v) * np.prod([float(theta[i]) ** a for i, a in enumerate(exps)])
                    for exps, v in poly.items())
            got[k] += c * np.prod(x ** np.array(e))
        assert np.allclose(got, want, rtol=1e-10, atol=1e-10)


def test_exponent_vectors_are_all_monomials_of_the_degree():
    e = exponent_vectors(3, 4)
    assert len(e) == comb(3 + 4 - 1, 4) and np.all(e.sum(axis=1) == 4)
    assert len({tuple(r) for r in e}) == len(e)


def test_vanishes_on_a_determinant_of_a_rank_one_network():
    """linear 2,1,2: Phi is a rank-1 2x2 matrix, so its determinant vanishes, its trace does not."""
    phi = expand("linear 2,1,2")
    idx = {key: i for i, key in enumerate(phi.keys)}
    a = [[idx[(k, tuple(int(j == i) for j in range(2)))] for i in range(2)] for k in range(2)]
    det_monomials = np.array([[a[0][0], a[1][1]], [a[0][1], a[1][0]]])
    assert vanishes_on(phi, det_monomials, [Fraction(1), Fraction(-1)])
    trace = np.array([[a[0][0]], [a[1][1]]])
    assert not vanishes_on(phi, trace, [Fraction(1), Fraction(1)])
