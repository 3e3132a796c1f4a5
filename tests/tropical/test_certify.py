"""Exact non-emptiness certificates: every region found is certified, and a wrong pattern is not."""

import numpy as np
import pytest

from neuroalg.tropical import ReLUNetwork, count_regions
from neuroalg.tropical.cells import activation_cells, make_domain
from neuroalg.tropical.certify import _exact_layers, certify_pattern


@pytest.mark.parametrize("widths", [(2, 6, 1), (2, 4, 4, 1), (3, 3, 3, 2), (1, 4, 4, 1)])
@pytest.mark.parametrize("box", [None, (-1, 1)])
def test_all_found_regions_are_certified(widths, box):
    r = count_regions(ReLUNetwork.random(widths, seed=2), box=box, n_samples=0, certify=True)
    assert r.certified_regions == r.activation_regions


def test_integer_network_certified_and_wrong_patterns_rejected():
    rng = np.random.default_rng(1)
    layers = [(rng.integers(-2, 3, size=(4, 2)).tolist(), rng.integers(-2, 3, size=4).tolist()),
              (rng.integers(-2, 3, size=(3, 4)).tolist(), rng.integers(-2, 3, size=3).tolist()),
              ([[1, -1, 2]], [0])]
    net = ReLUNetwork.from_layers(layers)
    dom = make_domain(net, None)
    cells = activation_cells(net, dom)
    ex = _exact_layers(net)
    for c in cells:
        x = dom.to_x(c.y)
        assert certify_pattern(ex, c.pattern, x)
        # the pattern of another region does not hold at this point
        other = next(d for d in cells if d.pattern != c.pattern)
        assert not certify_pattern(ex, other.pattern, x)
