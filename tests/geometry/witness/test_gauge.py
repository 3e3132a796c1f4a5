"""Coordinate gauges: psi(z) = Phi(z, c) agrees with Phi on the embedded points and has full
rank dim V (by float rank, independent of the modular rank that chose the gauge)."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.geometry.witness.gauge import coordinate_gauge
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec


def _values(polys, theta):
    return np.array([sum(float(c) * np.prod(theta ** np.array(e)) for e, c in p.items()) for p in polys])


def _jacobian(polys, z):
    n = len(z)
    jac = np.zeros((len(polys), n))
    for i, p in enumerate(polys):
        for e, c in p.items():
            for j in range(n):
                if e[j]:
                    d = np.array(e)
                    d[j] -= 1
                    jac[i, j] += float(c) * e[j] * np.prod(z ** d)
    return jac


@pytest.mark.parametrize("spec, dim", [("linear 2,1,2", 3), ("mlp 2,2,1 x^2", 3),
                                       ("mlp 3,2,1 x^2", 5), ("cnn k=2,2 x^2", 3)])
def test_restricted_map_has_full_rank(spec, dim):
    arch = parse_spec(spec)
    phi = expand(arch)
    gauge = coordinate_gauge(arch, phi, dim, np.random.default_rng(0))
    assert len(gauge.free) == dim and len(gauge.fixed) == arch.n_params - dim
    assert sorted(gauge.free + gauge.fixed) == list(range(arch.n_params))
    assert all(0.5 <= abs(v) <= 1 for v in gauge.values)  # sizes in [1/2, 1]
    psi = gauge.restrict(phi)
    rng = np.random.default_rng(1)
    z = rng.standard_normal(dim)
    theta = gauge.embed(z)[0].real
    np.testing.assert_allclose(_values(psi.polys, z), _values(phi.polys, theta), rtol=1e-10, atol=1e-12)
    assert np.linalg.matrix_rank(_jacobian(psi.polys, z)) == dim


def test_a_dimension_above_the_generic_rank_is_refused():
    arch = parse_spec("mlp 2,1,1 x^2")  # squares of binary linear forms: dimension 2
    with pytest.raises(SpecError, match="does not reach rank 3"):
        coordinate_gauge(arch, expand(arch), 3, np.random.default_rng(0))
