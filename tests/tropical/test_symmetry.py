"""Symmetry-reduced counting agrees with the full count and with 2^n for DeepSets."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.tropical import ReLUNetwork, count_regions
from neuroalg.tropical.symmetry import count_regions_symmetric, is_permutation_invariant


def deepsets(n, lam, gam, bias=0.0):
    W = lam * np.eye(n) + gam * np.ones((n, n))
    return ReLUNetwork.from_layers([(W, np.full(n, bias)), (np.ones((1, n)), [0.0])])


@pytest.mark.parametrize("n", [2, 3, 4, 5])
@pytest.mark.parametrize("lam, gam", [(1.0, -0.3), (2.0, 0.7), (-1.0, 0.3)])
def test_deepsets_two_to_the_n(n, lam, gam):
    # W = lam I + gam 11^T is invertible (eigenvalues lam, lam + n gam): n independent
    # hyperplanes through 0, so 2^n regions
    net = deepsets(n, lam, gam)
    r = count_regions_symmetric(net, n_samples=0)
    assert r.activation_regions == 2 ** n
    assert r.symmetry["is_integral"] and r.symmetry["cells_in_domain"] < 2 ** n or n == 1
    assert r.distinct_maps == count_regions(net, n_samples=0).distinct_maps


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
        full = count_regions(net, box=box, n_samples=0)
        assert (red.activation_regions, red.distinct_maps) == (full.activation_regions, full.distinct_maps)


def test_rejects_non_invariant_and_bad_boxes():
    with pytest.raises(SpecError, match="not invariant"):
        count_regions_symmetric("relu 3,4,1", seed=0)
    with pytest.raises(SpecError, match="same interval"):
        count_regions_symmetric(deepsets(2, 1.0, 0.2), box=[(-1, 1), (0, 1)])
