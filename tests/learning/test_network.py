"""Float networks: against the algebraic architectures, finite differences and closed forms."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.fields import REAL
from neuroalg.learning.activations import SmoothActivation
from neuroalg.learning.inputs import gauss_hermite, normal_rule
from neuroalg.learning.network import ArchitectureNetwork, parse_network


@pytest.mark.parametrize("spec", ["mlp 2,3,2 x^3+x^2 bias", "mlp 3,3,3,1 x^2,x^3", "linear 2,3,2"])
def test_polynomial_networks_match_the_architecture(spec):
    net = parse_network(spec)
    rng = np.random.default_rng(0)
    theta, X = rng.standard_normal(net.n_params), rng.standard_normal((6, net.n_inputs))
    assert np.allclose(net.forward(theta, X), net.arch.forward(theta, X, REAL), rtol=1e-13)
    assert np.allclose(net.jacobian(theta, X), net.arch.jacobian(theta, X, REAL), rtol=1e-12)


@pytest.mark.parametrize("spec", ["mlp 2,3,1 tanh bias", "mlp 1,2,2,1 erf,tanh", "mlp 2,2,2,1 tanh,x^2 bias"])
def test_smooth_jacobian_against_finite_differences(spec):
    net = parse_network(spec)
    rng = np.random.default_rng(1)
    theta, X = rng.standard_normal(net.n_params), rng.standard_normal((5, net.n_inputs))
    J = net.jacobian(theta, X)
    h = 1e-6
    for k in range(net.n_params):
        e = np.zeros(net.n_params)
        e[k] = h
        fd = (net.forward(theta + e, X) - net.forward(theta - e, X)) / (2 * h)
        assert np.allclose(J[:, :, k], fd, atol=1e-8)


def test_activation_derivatives_and_structure():
    z = np.linspace(-2, 2, 9)
    for name in ("tanh", "erf"):
        a = SmoothActivation.parse(name)
        h = 1e-5
        assert np.allclose(a.derivative(z), (a(z + h) - a(z - h)) / (2 * h), atol=1e-9)
        assert np.allclose(a.second_derivative(z), (a.derivative(z + h) - a.derivative(z - h)) / (2 * h), atol=1e-8)
        assert a.parity == "odd" and a.value_at_zero == 0 and a.scale_factor(-1) == -1
    sq = SmoothActivation.parse("x^2")
    assert sq.parity == "even" and sq.scale_factor(3.0) == 9.0 and sq.slope_at_zero == 0
    assert SmoothActivation.parse("x^3+x^2").scale_factor(-1) is None


def test_erf_second_moment_closed_form():
    # E[erf(a x) erf(b x)] = (2/pi) arcsin(2ab / sqrt((1 + 2a^2)(1 + 2b^2))) (Williams 1997)
    a, b = 0.8, -1.7
    x, w = normal_rule()
    erf = SmoothActivation("erf")
    val = w @ (erf(a * x) * erf(b * x))
    assert val == pytest.approx(2 / np.pi * np.arcsin(2 * a * b / np.sqrt((1 + 2 * a * a) * (1 + 2 * b * b))), abs=1e-9)
    t, wt = gauss_hermite(20)
    assert wt @ t**4 == pytest.approx(3.0, rel=1e-12)


def test_other_families_are_wrapped():
    net = parse_network("cnn k=2,2 x^2")
    assert isinstance(net, ArchitectureNetwork) and net.n_params == 4
    theta = np.arange(1.0, 5.0)
    X = np.random.default_rng(2).standard_normal((3,) + net.input_shape)
    assert net.jacobian(theta, X).shape == (3, 1, 4)


def test_spec_errors():
    with pytest.raises(SpecError, match="one activation or 2"):
        parse_network("mlp 1,2,2,1 tanh,erf,tanh")
    with pytest.raises(SpecError, match="needs a hidden layer"):
        parse_network("mlp 2,1 tanh")
    with pytest.raises(SpecError, match="not available"):
        parse_network("mlp 1,2,1 sigmoid")


def test_smooth_architecture_runs_the_gradient_descent_endpoint_census():
    from neuroalg.dynamics.endpoints import endpoint_census
    from neuroalg.fields import GF
    from neuroalg.learning.architecture import SmoothArchitecture

    arch = SmoothArchitecture.from_spec("mlp 1,2,1 tanh")
    census = endpoint_census(arch, runs=2, n_samples=12, n_steps=60, seed=0)
    assert census.spec == "mlp 1,2,1 tanh" and len(census.endpoints) == 2
    assert census.generic_rank == 4  # tanh: no continuous symmetries
    with pytest.raises(SpecError, match="float64 only"):
        arch.forward(np.zeros(4), np.zeros((1, 1)), GF(101))
