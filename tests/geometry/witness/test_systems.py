"""The systems built from Phi: the structured critical system against its expanded polynomials
(two independent evaluators), witness systems solved by the point they were made from, and
Taylor tables against finite differences."""

import numpy as np
import pytest

from neuroalg.geometry.witness.gauge import coordinate_gauge
from neuroalg.geometry.witness.metrics import metric_matrix
from neuroalg.geometry.witness.systems import Taylor, critical_system, image_system, witness_system
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec


def _restricted(spec, dim):
    arch = parse_spec(spec)
    phi = expand(arch)
    return phi, coordinate_gauge(arch, phi, dim, np.random.default_rng(0)).restrict(phi)


@pytest.mark.parametrize("spec, dim", [("linear 2,1,2", 3), ("mlp 2,2,1 x^2", 3), ("mlp 2,1,1 x^3", 2)])
def test_structured_critical_system_equals_the_expanded_one(spec, dim):
    _, psi = _restricted(spec, dim)
    rng = np.random.default_rng(1)
    system = critical_system(psi, metric_matrix(psi, "generic", rng))
    z = rng.standard_normal((4, dim)) + 1j * rng.standard_normal((4, dim))
    w = rng.standard_normal((4, psi.n_coordinates)) + 0j
    dw = rng.standard_normal(psi.n_coordinates) + 0j
    got = system.evaluate(z, w, dw)
    want = system.expanded.evaluate(z, w, dw)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)
    assert system.n_vars == system.n_eqs == dim and system.n_params == psi.n_coordinates


def test_witness_system_is_solved_by_its_own_point():
    phi, _ = _restricted("mlp 2,2,1 x^2", 3)
    rng = np.random.default_rng(2)
    system, a_mat, c_mat = witness_system(phi, 3, rng)
    assert system.is_square and system.n_vars == phi.n_params
    theta = rng.standard_normal(phi.n_params)
    image = image_system(phi)(theta)[0]  # Phi(theta), the image system's values
    b = a_mat.astype(float) @ image
    c = c_mat.astype(float) @ theta
    assert np.abs(system(theta, np.concatenate([b, c]))).max() < 1e-12
    assert np.abs(system(theta + 0.1, np.concatenate([b, c]))).max() > 1e-3


def test_taylor_derivatives_match_finite_differences():
    _, psi = _restricted("mlp 2,1,1 x^3", 2)
    taylor = Taylor(psi.polys, psi.n_params)
    z = np.array([[0.3 + 0.1j, -0.7 + 0.2j]])
    f, grad, hess = taylor(z)
    h = 1e-6
    for k in range(2):
        e = np.zeros((1, 2))
        e[0, k] = h
        fp, gp, _ = taylor(z + e)
        fm, gm, _ = taylor(z - e)
        np.testing.assert_allclose(grad[0, :, k], (fp - fm)[0] / (2 * h), rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(hess[0, :, :, k], (gp - gm)[0] / (2 * h), rtol=1e-6, atol=1e-9)
