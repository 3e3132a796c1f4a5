"""The sampling radius: the cube [-R, R]^n must meet the *interior* of every linear region.

Checked against the brute-force LP counter of conftest.py: its activation regions (exact
inequalities, every pattern tested by LP), grouped into linear regions (same exact map, shared
facets); a linear region passes when one of its activation regions has a Chebyshev ball of
positive radius inside the region intersected with [-R, R]^n, its centre re-checked exactly."""

import numpy as np
import pytest

from neuroalg.tropical import ReLUNetwork, sampling_radius, tropical_expression, tropicalize
from neuroalg.tropical.maxplus import MaxPlusPolynomial

ABS = [([[1], [-1]], [0, 0]), ([[1, 1]], [0])]                 # |x|: regions x < 0, x > 0
SHIFTED = [([[-1]], [2]), ([[2]], [1])]                          # 2 ReLU(2 - x) + 1: x < 2, x > 2


def assert_meets_every_linear_region(layers, R, oracle):
    regs = oracle.activation_regions(layers)
    n = len(np.asarray(layers[0][0], dtype=object)[0])
    classes = oracle.linear_regions(regs, n)
    missed = [c for c in classes if not any(oracle.meets_cube_interior(regs[i], R, n) for i in c)]
    assert not missed, f"R = {R}: {len(missed)} of {len(classes)} linear regions missed"


@pytest.mark.parametrize("layers, low", [(ABS, 0.0), (SHIFTED, 2.0)])
def test_reported_examples(layers, low, oracle):
    # on main: R = 0 for |x| and R = 2 for 2 ReLU(2 - x) + 1, cubes that reach only closures
    r = tropical_expression(layers, radius=True).radius
    assert r.is_proven and r.arithmetic == "exact" and r.radius > low
    assert r.closure_radius == pytest.approx(low, abs=1e-12)
    assert_meets_every_linear_region(layers, r.radius, oracle)
    assert "proven in exact arithmetic" in str(r)


def random_integer_layers(seed):
    rng = np.random.default_rng(seed)
    widths = [(1, 3, 1), (2, 3, 1), (2, 2, 2, 1), (1, 2, 2, 1), (2, 4, 1)][seed % 5]
    return [(rng.integers(-3, 4, size=(widths[i + 1], widths[i])).tolist(),
             rng.integers(-3, 4, size=widths[i + 1]).tolist()) for i in range(len(widths) - 1)]


def check_random_net(seed, oracle):
    layers = random_integer_layers(seed)
    r = tropical_expression(layers, radius=True).radius
    assert r.is_proven and r.closure_radius <= r.radius * (1 + 1e-12)
    assert_meets_every_linear_region(layers, r.radius, oracle)


@pytest.mark.parametrize("seed", range(8))
def test_random_small_integer_nets(seed, oracle):
    check_random_net(seed, oracle)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(8, 60))
def test_random_small_integer_nets_larger_budget(seed, oracle):
    check_random_net(seed, oracle)


@pytest.mark.parametrize("seed", range(3))
def test_float_networks_proven_on_their_exact_weights(seed, oracle):
    net = ReLUNetwork.random((2, 3, 1), seed=seed)
    r = tropical_expression(net, radius=True).radius
    assert r.is_proven and r.arithmetic == "exact"
    assert_meets_every_linear_region(net.float_weights(), r.radius, oracle)


def test_float_expression_with_rounding_slivers_is_not_called_proven():
    # the floating-point expression of relu 2,4,4,1 (seed 0) has pieces that are neither empty
    # nor wide enough for a verified point (hyperplanes that coincide exactly in the network
    # differ in the last bits); the radius of *that expression* must not be called proven
    m = tropicalize(ReLUNetwork.random((2, 4, 4, 1), seed=0))
    r = sampling_radius(m)
    if not r.is_proven:
        assert r.n_undecided > 0 and "NOT proven" in str(r) and r.to_dict()["proven"] is False
    # the network's exact expression is decided completely
    assert tropical_expression(ReLUNetwork.random((2, 4, 4, 1), seed=0), radius=True).radius.is_proven


def test_a_single_polynomial_and_an_affine_map():
    # max(0, x - 1, 2x - 4): pieces x < 1, 1 < x < 3, x > 3; the last needs R > 3
    p = MaxPlusPolynomial.from_terms([(0, [0]), (-1, [1]), (-4, [2])])
    r = sampling_radius(p)
    assert r.is_proven and r.n_pieces == 3 and 3 < r.radius < 3.01
    affine = tropicalize([([[1, 0]], [0]), ([[2]], [1])])      # 2 ReLU(x1) + 1: two pieces
    assert sampling_radius(affine).radius > 0
    one = tropicalize([([[0, 0]], [1]), ([[2]], [1])])         # constant 3: one piece, R = 0
    r = sampling_radius(one)
    assert r.is_proven and r.n_pieces == 1 and r.radius == 1.0     # any cube: positive R


def test_affine_network_gets_a_positive_radius(oracle):
    # found by the slow random test (seed 57): the six activation regions of this network
    # carry one affine map, so f is affine; R was 0, a cube without interior
    layers = [([[-3, 1], [2, 0]], [3, 2]), ([[3, -1], [-2, -1]], [1, -2]), ([[0, 0]], [-1])]
    r = tropical_expression(layers, radius=True).radius
    assert r.radius > 0 and r.n_pieces == 1
    assert_meets_every_linear_region(layers, r.radius, oracle)
