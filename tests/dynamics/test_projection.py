"""Variable projection (cost minimization of two-layer networks) and the fused two-layer loss."""

import numpy as np
import pytest

from neuroalg.dynamics import TwoLayer, modular_levels, template_addition_data
from neuroalg.dynamics.cost import bounded_cost_step
from neuroalg.dynamics.models import SumOfNeurons
from neuroalg.dynamics.projection import _Projected, is_projectable, projected_minimum


@pytest.mark.parametrize("act", ["x^2", "x^3", "2x^2+x", "x"])
def test_two_layer_loss_matches_sum_of_neuron_outputs(act):
    """The fused forward / loss_and_grad of TwoLayer against the generic per-neuron sum and
    central differences of the loss."""
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((30, 4)), rng.standard_normal((30, 2))
    model = TwoLayer(4, 5, 2, act, 0.7)
    T = rng.standard_normal((5, 6))
    f = model.neuron_outputs(T, X).sum(axis=0)
    assert np.allclose(model.forward(T, X), f, rtol=1e-13, atol=1e-13)
    loss, G = model.loss_and_grad(T, X, Y)
    assert loss == pytest.approx(0.7 * np.sum((Y - f) ** 2) / 60, rel=1e-13)
    assert np.allclose(G, SumOfNeurons.loss_and_grad(model, T, X, Y)[1], rtol=1e-12, atol=1e-12)
    E = np.zeros_like(T)
    E[2, 1] = 1e-6
    fd = (model.loss(T + E, X, Y) - model.loss(T - E, X, Y)) / 2e-6
    assert G[2, 1] == pytest.approx(fd, rel=1e-6)


def test_projected_gradient_is_the_derivative_of_the_projected_loss():
    """Envelope theorem: the gradient returned equals central differences of min_A L(U, A)."""
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((40, 3)), rng.standard_normal((40, 2))
    model = TwoLayer(3, 4, 2, "x^2")
    T = rng.standard_normal((4, 5))
    prob = _Projected(model, X, Y, T, np.array([0, 2, 3]))
    w = rng.standard_normal(9)
    for lam in (0.0, 1e-3):
        _, g = prob.value_and_grad(w, lam)
        for j in (0, 4, 8):
            e = np.zeros(9)
            e[j] = 1e-6
            fd = (prob.value_and_grad(w + e, lam)[0] - prob.value_and_grad(w - e, lam)[0]) / 2e-6
            assert g[j] == pytest.approx(fd, rel=1e-5, abs=1e-10)


def test_projected_minimum_recovers_a_teacher():
    """A target made by three quadratic neurons is fitted exactly (global minimum 0, attained)
    from perturbed directions, and the result is balanced (||w||^2 = 2 ||a||^2)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 4))
    model = TwoLayer(4, 3, 2, "x^2")
    teacher = rng.standard_normal((3, 6))
    Y = model.forward(teacher, X)
    start = teacher + 0.3 * rng.standard_normal((3, 6))
    found = projected_minimum(model, X, Y, start, np.arange(3), lam=1e-8)
    assert found.attained
    assert model.loss(found.Theta, X, Y) < 1e-14 * model.loss(np.zeros((3, 6)), X, Y)
    w, a = found.Theta[:, :4], found.Theta[:, 4:]
    assert np.allclose(np.sum(w * w, axis=1), 2 * np.sum(a * a, axis=1))
    assert is_projectable(model) and not is_projectable(TwoLayer(4, 3, 2, "x^2+x"))


def test_two_quadratic_neurons_do_not_attain_their_infimum():
    """Frequency 1 of modular addition (p = 10) with two neurons: the infimum is approached by
    neurons of growing norm (a tangent direction of the neuromanifold), so a smaller weight decay
    gives a lower level at a larger norm, the result says so (attained False), and the level
    stays between the closed-form plateaus (one frequency, all or nothing: 0.5 and 0)."""
    x = np.cos(2 * np.pi * np.arange(10) / 10)
    X, Y = template_addition_data(x)
    model = TwoLayer(20, 2, 10, "x^2", 2 / 10)
    T0 = model.init(1.0, np.random.default_rng(0))
    out = []
    for lam in (1e-4, 1e-8):
        Theta, collapsed, unattained, gradient = bounded_cost_step(
            model, X, Y, T0.copy(), np.ones(2, dtype=bool), ridge=lam, collapse_tol=1e-3)
        assert unattained == 1 and collapsed == [] and gradient < 1e-6
        out.append((model.loss(Theta, X, Y), np.linalg.norm(Theta)))
    (l1, n1), (l2, n2) = out
    top = modular_levels(x).levels[0]
    assert 0 < l2 < l1 < top and n2 > 1.5 * n1
