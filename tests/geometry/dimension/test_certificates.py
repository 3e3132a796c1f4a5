"""Catalecticant certificates: sound (never below the true dimension) and sharp where known."""

import numpy as np
import pytest

from neuroalg import parse_spec
from neuroalg.geometry.dimension.certificates import catalecticant_certificate

P = 1048573


@pytest.mark.parametrize("spec, bound, shape", [
    ("mlp 3,5,1 x^4", 14, [6, 6]),     # Alexander-Hirschowitz exception: the 6x6 determinant
    ("mlp 4,9,1 x^4", 34, [10, 10]),
    ("mlp 5,14,1 x^4", 69, [15, 15]),
    ("mlp 2,2,2 x^3", 6, [3, 4]),      # issue 7: 4 cubics, maximal minors of a stacked catalecticant
])
def test_known_bounds(spec, bound, shape):
    cert = catalecticant_certificate(parse_spec(spec), P, np.random.default_rng(0))
    assert cert.bound == bound and cert.details["matrix_shape"] == shape


@pytest.mark.parametrize("d0, d1, r", [(3, 2, 4), (3, 3, 4), (4, 3, 3), (2, 2, 5), (3, 4, 5)])
def test_sound_against_the_secant_dimension(d0, d1, r):
    """For non-exceptional cases (Alexander-Hirschowitz) the bound is never below
    min(d0 d1, C(d0+r-1, r)), the true dimension."""
    from math import comb

    arch = parse_spec(f"mlp {d0},{d1},1 x^{r}")
    cert = catalecticant_certificate(arch, P, np.random.default_rng(1))
    truth = min(d0 * d1, comb(d0 + r - 1, r))
    assert cert is not None and cert.bound >= truth  # the catalecticant applies to all of them


def test_not_applicable():
    rng = np.random.default_rng(0)
    for spec in ["mlp 3,3,3,1 x^2", "mlp 2,2,1 x^3+x^2", "mlp 3,2,1 x^2 bias", "rational 2,3,1"]:
        assert catalecticant_certificate(parse_spec(spec), P, rng) is None


@pytest.mark.parametrize("spec, bound, n_fields", [
    ("linear 2,2,2", 4, 4),   # gl(2) at the hidden layer: 2 x 2 matrices, dim 4
    ("linear 3,2,3", 8, 4),   # rank <= 2 matrices in 3 x 3: 2 (3 + 3 - 2) = 8 (Harris 12.2)
    ("linear 2,2,2 bias", 6, 4),
    ("mlp 2,3,1 x^3", 4, 3),  # the 3 rescalings; binary cubics: min(9 - 3, ambient 4)
])
def test_symmetry_fields_found_and_verified_from_scratch(spec, bound, n_fields):
    """With the architecture's own fields switched off, the linear ansatz must rediscover them
    (gl(d) for linear layers, rescalings for monomial ones) and prove the bound exactly."""
    from neuroalg import dimension
    from neuroalg.geometry.dimension.symmetries import symmetry_certificate

    arch = parse_spec(spec)
    cert = symmetry_certificate(arch, dimension(arch, seed=0).lower, np.random.default_rng(0),
                                known=False)
    assert cert.details["n_fields"] == n_fields and cert.details["n_rejected"] == 0
    assert cert.bound == bound and cert.kind == "symmetry"


def test_symmetry_fields_reject_a_false_field():
    """The exact check refuses a field that is not a symmetry (dilating every weight)."""
    from fractions import Fraction

    from neuroalg.geometry.dimension.symmetries import _is_symmetry
    from neuroalg.polymap import expand

    phi = expand(parse_spec("mlp 2,2,1 x^2"))
    P = phi.n_params
    identity = [Fraction(int(i == j)) for i in range(P) for j in range(P)]
    assert not _is_symmetry(phi, identity)
    # the rescaling of hidden neuron 0: W1[0, :] -> t W1[0, :], W2[0, 0] -> t^-2 W2[0, 0]
    rescale = [Fraction(0)] * (P * P)
    for i in (0, 1):
        rescale[i * P + i] = Fraction(1)
    rescale[4 * P + 4] = Fraction(-2)
    assert _is_symmetry(phi, rescale)
