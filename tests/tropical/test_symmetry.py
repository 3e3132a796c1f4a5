"""Symmetry-reduced counting: all three notions agree with the full count, with 2^n for DeepSets,
and with the known linear regions when zero-weight neurons cut along the fundamental domain's
walls (linear regions must then be followed across the walls)."""

from fractions import Fraction

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.tropical import ReLUNetwork, count_regions
from neuroalg.tropical.symmetry import (
    _Subgroup,
    count_regions_symmetric,
    is_permutation_equivariant,
    is_permutation_invariant,
    neuron_permutations,
)

NOTIONS = ("activation_regions", "linear_regions", "distinct_maps")


def counts(r):
    return tuple(getattr(r, k) for k in NOTIONS)


def deepsets(n, lam, gam, bias=0.0):
    W = lam * np.eye(n) + gam * np.ones((n, n))
    return ReLUNetwork.from_layers([(W, np.full(n, bias)), (np.ones((1, n)), [0.0])])


def with_pairs(n, beta, c, *, gam=-0.3, bias=0.2):
    """DeepSets plus the n(n-1) neurons ReLU(x_i - x_j + beta) with output weight c: the
    permutations permute these neurons, and their hyperplanes are the walls of the fundamental
    domain (beta = 0) or parallel to them."""
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    W1 = np.vstack([np.eye(n) + gam * np.ones((n, n))] + [np.eye(n)[i] - np.eye(n)[j] for i, j in pairs])
    b1 = np.concatenate([np.full(n, bias), np.full(len(pairs), beta)])
    W2 = np.concatenate([np.ones(n), np.full(len(pairs), c)])[None, :]
    return ReLUNetwork.from_layers([(W1, b1), (W2, [0.0])])


@pytest.mark.parametrize("n", [2, 3, 4, 5])
@pytest.mark.parametrize("lam, gam", [(1.0, -0.3), (2.0, 0.7), (-1.0, 0.3)])
def test_deepsets_two_to_the_n(n, lam, gam):
    # W = lam I + gam 11^T is invertible (eigenvalues lam, lam + n gam): n independent
    # hyperplanes through 0, so 2^n regions, and the maps sum_{i in S} w_i differ for all S
    net = deepsets(n, lam, gam)
    for box in (None, (-1.0, 1.0)):
        r = count_regions_symmetric(net, box=box, n_samples=0)
        assert counts(r) == (2 ** n,) * 3
        assert r.symmetry["is_integral"] and (r.symmetry["cells_in_domain"] < 2 ** n or n == 1)
        if n <= 4:
            assert counts(count_regions(net, box=box, n_samples=0)) == counts(r)


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("beta, c", [(0.0, 0.0), (0.5, 0.0), (-0.3, 0.0), (0.0, 1.0), (0.4, 0.25)])
def test_linear_regions_across_the_walls_match_the_full_count(n, beta, c):
    net = with_pairs(n, beta, c)
    assert is_permutation_invariant(net)
    for box in (None, (-1.0, 1.0)):
        red = count_regions_symmetric(net, box=box, n_samples=0)
        assert counts(red) == counts(count_regions(net, box=box, n_samples=0))
        if c == 0.0:   # f is the DeepSets function: its 2^n linear regions (whole space)
            assert red.symmetry["merge_edges"] > 0
            if box is None:
                assert red.linear_regions == 2 ** n < red.activation_regions


def test_linear_regions_of_an_exact_network_n4():
    # rational weights (maps compared exactly); the pair neurons do not change f = DeepSets:
    # 2^4 linear regions, although 120 activation regions (checked against the full count)
    net = with_pairs(4, 0.0, 0.0, gam=-0.125, bias=0.0)   # eigenvalues 1, 1/2
    assert net.is_exact
    red = count_regions_symmetric(net, n_samples=0)
    assert red.linear_regions == red.distinct_maps == 16
    assert counts(red) == counts(count_regions(net, n_samples=0, certify=False))


@pytest.mark.parametrize("seed", range(3))
def test_deep_equivariant_net_reduced_equals_full(seed):
    rng = np.random.default_rng(seed)
    n = 3
    layers = []
    for _ in range(2):
        lam, gam, b = rng.standard_normal(3)
        layers.append((lam * np.eye(n) + gam * np.ones((n, n)), np.full(n, b)))
    layers.append((np.ones((1, n)), [0.0]))
    net = ReLUNetwork.from_layers(layers)
    assert is_permutation_invariant(net)
    for box in (None, (-1.5, 1.5)):
        red = count_regions_symmetric(net, box=box, n_samples=0)
        assert counts(red) == counts(count_regions(net, box=box, n_samples=0))


def test_subgroup_closure_orders():
    # <(0 1)> has order 2, <(0 1 2)> order 3, both together S_3; an n-cycle and a
    # transposition generate S_n (n! = 24)
    H = _Subgroup(3)
    H.add((1, 0, 2))
    assert len(H.elements) == 2
    H.add((1, 2, 0))
    assert len(H.elements) == 6
    K = _Subgroup(4)
    K.add((1, 2, 3, 0))
    assert len(K.elements) == 4
    K.add((1, 0, 2, 3))
    assert len(K.elements) == 24


def test_rejects_non_invariant_and_bad_boxes():
    with pytest.raises(SpecError, match="layer 1 neuron 1 has no partner"):
        count_regions_symmetric("relu 3,4,1", seed=0)
    with pytest.raises(SpecError, match="output layer is not invariant under swapping x1 and x2"):
        count_regions_symmetric([([[1, 0], [0, 1]], [0, 0]), ([[1, 2]], [0])], n_samples=0)
    with pytest.raises(SpecError, match="same interval"):
        count_regions_symmetric(deepsets(2, 1.0, 0.2), box=[(-1, 1), (0, 1)])


def test_printing_reports_all_three_counts():
    r = count_regions_symmetric(deepsets(3, 1.0, Fraction(-1, 4)), n_samples=0)
    assert str(r).startswith("8 activation regions, 8 linear regions, 8 distinct affine maps")
    assert r.to_dict()["linear_regions"] == 8 and r.to_dict()["symmetry"]["orbits"] == 4


# --- issue 12: the precondition is that input permutations permute the neurons ---------------

# ReLU(x1) + ReLU(x2) plus a neuron ReLU(x1 - 5) with output weight 0 (or a zero output layer):
# f(Px) = f(x), but swapping the inputs maps the region x1 > 5 to no region (the reported
# counterexample: 7 activation regions with --symmetric, 6 without)
ZERO_OUTPUT_NEURON = [([[1, 0], [0, 1], [1, 0]], [0, 0, -5]), ([[1, 1, 0]], [0])]
CONSTANT_NETWORK = [([[1, 0], [0, 1], [1, 0]], [0, 0, -5]), ([[0, 0, 0]], [0])]


@pytest.mark.parametrize("layers", [ZERO_OUTPUT_NEURON, CONSTANT_NETWORK])
def test_invariant_but_not_equivariant_is_refused(layers, oracle):
    net = ReLUNetwork.from_layers(layers)
    assert is_permutation_invariant(net) and not is_permutation_equivariant(net)
    with pytest.raises(SpecError, match="layer 1 neuron 3 has no partner under swapping x1 and x2"):
        count_regions_symmetric(net, n_samples=0)
    # the plain count is the one to use; it agrees with the brute-force LP counter
    assert counts(count_regions(net, n_samples=0)) == oracle.counts(layers)
    assert oracle.counts(layers)[0] == 6


def test_symmetric_up_to_rounding_only_is_refused():
    # rows (0.1 + 0.2, 0.3) and (0.3, 0.1 + 0.2) differ in the last bit: not exactly equivariant
    a, b = 0.1 + 0.2, 0.3
    net = ReLUNetwork.from_layers([([[a, b], [a, b]], [0.0, 0.0]), ([[1.0, 1.0]], [0.0])])
    assert not is_permutation_equivariant(net)
    with pytest.raises(SpecError, match="no partner"):
        count_regions_symmetric(net, n_samples=0)


def test_neuron_permutations_are_the_induced_ones():
    # DeepSets n = 3 plus pair neurons: sigma maps neuron j to the neuron that computes
    # z_j(p.x); check z(p.x) = z(x)[sigma] at random points, layer by layer
    net = with_pairs(3, 0.5, 1.0)
    rng = np.random.default_rng(0)
    for p in [(1, 0, 2), (1, 2, 0), (2, 0, 1)]:
        (sigma,) = neuron_permutations(net, p)
        W, b = net.float_weights()[0]
        for x in rng.standard_normal((5, 3)):
            assert np.allclose(W @ x[list(p)] + b, (W @ x + b)[sigma], rtol=1e-13, atol=1e-13)


def equivariant_layers(n, rng, depth):
    """Integer DeepSets layers lam I + gam 11^T (+ bias) and pair neurons x_i - x_j + beta on
    the first layer, invariant output: every input permutation permutes the neurons."""
    lam, gam, bias = (int(v) for v in rng.integers(-2, 3, size=3))
    lam = lam or 1
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    beta = int(rng.integers(-1, 2))
    W1 = [[lam * (i == k) + gam for k in range(n)] for i in range(n)]
    W1 += [[(k == i) - (k == j) for k in range(n)] for i, j in pairs]
    layers = [(W1, [bias] * n + [beta] * len(pairs))]
    width = len(W1)
    if depth == 2:   # a second DeepSets layer on the first n neurons, ignoring the pair neurons
        lam2, gam2, b2 = (int(v) for v in rng.integers(-2, 3, size=3))
        W2 = [[lam2 * (i == k) + gam2 if k < n else 0 for k in range(width)] for i in range(n)]
        layers.append((W2, [b2] * n))
        width = n
    c = [int(rng.integers(-2, 3))] * n + ([int(rng.integers(-2, 3))] * len(pairs) if depth == 1 else [])
    layers.append(([c], [0]))
    return layers


def check_equivariant_net(seed, oracle):
    rng = np.random.default_rng(seed)
    n, depth = (2, 1 + seed % 2) if seed % 5 < 4 else (3, 1)
    layers = equivariant_layers(n, rng, depth)
    net = ReLUNetwork.from_layers(layers)
    assert net.is_exact and is_permutation_equivariant(net)
    red = count_regions_symmetric(net, n_samples=0)
    assert counts(red) == counts(count_regions(net, n_samples=0)) == oracle.counts(layers)


@pytest.mark.parametrize("seed", range(5))
def test_random_equivariant_nets_match_the_plain_count_and_the_lp_counter(seed, oracle):
    check_equivariant_net(seed, oracle)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5, 25))
def test_random_equivariant_nets_larger_budget(seed, oracle):
    check_equivariant_net(seed, oracle)
