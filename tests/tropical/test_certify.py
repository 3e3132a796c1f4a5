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
    assert len(cells) >= 2  # else "another region" below does not exist
    ex = _exact_layers(net)
    for c in cells:
        x = dom.to_x(c.y)
        assert certify_pattern(ex, c.pattern, x)
        # the pattern of another region does not hold at this point
        other = next(d for d in cells if d.pattern != c.pattern)
        assert not certify_pattern(ex, other.pattern, x)


@pytest.mark.parametrize("widths", [(2, 6, 1), (2, 5, 5, 1), (1, 6, 6, 1), (2, 3, 3, 3, 2)])
def test_two_dimensional_box_counts_are_proven(widths):
    from neuroalg.tropical.certify import certify_box_cover

    net = ReLUNetwork.random(widths, seed=4)
    box = [(-1.5, 1.0), (-1.0, 2.0)][: widths[0]]
    r = count_regions(net, box=box, n_samples=0, certify=True)
    assert r.is_certified is True and "activation count certified" in r.headline()
    assert count_regions(net, box=box, n_samples=0).is_certified is None  # float net: opt-in
    cells = activation_cells(net, make_domain(net, box))
    assert certify_box_cover(net, cells, box)
    assert not certify_box_cover(net, cells[:-1], box)  # a missing region is detected
    assert not certify_box_cover(net, cells + cells[:1], box)  # so is a duplicate


def test_integer_box_certified_with_degenerate_lines():
    # ReLU(x) + ReLU(-x) + ReLU(x + y) - ReLU(y): lines through the origin, one doubled
    net = ReLUNetwork.from_layers([([[1, 0], [-1, 0], [1, 1], [0, 1]], [0, 0, 0, 0]),
                                   ([[1, 1, 1, -1]], [0])])
    r = count_regions(net, box=(-1, 1), n_samples=0)
    assert r.is_certified and r.activation_regions == 6


@pytest.mark.parametrize("widths", [(2, 6, 1), (2, 4, 4, 1), (1, 5, 5, 1), (2, 3, 3, 3, 1)])
def test_whole_plane_counts_are_proven(widths):
    from neuroalg.tropical.certify import certify_plane_cover

    net = ReLUNetwork.random(widths, seed=1)
    r = count_regions(net, n_samples=0, certify=True)
    assert r.is_certified is True
    cells = activation_cells(net, make_domain(net, None))
    assert not certify_plane_cover(net, cells[:-1])
    assert not certify_plane_cover(net, cells + cells[:1])


def test_regions_lost_to_a_coarse_tolerance_are_not_certified():
    net = ReLUNetwork.random((2, 8, 8, 1), seed=0)
    fine = count_regions(net, n_samples=0, certify=True, box=(-1, 1))
    coarse = count_regions(net, n_samples=0, certify=True, box=(-1, 1), rtol=0.05)
    assert fine.is_certified and coarse.activation_regions < fine.activation_regions
    assert coarse.is_certified is False


def test_issue_examples_are_proven_exactly():
    examples = {  # network -> activation regions
        ((((1,), (-1,)), (0, 0)), (((1, 1),), (0,))): 2,                      # |x|
        ((((0, 1), (1, 0)), (1, 1)), (((1, -1),), (0,))): 4,                  # ReLU(y+1) - ReLU(x+1)
        ((((1,), (1,), (2,)), (0, -2, -2)), (((1, 1, -1),), (0,))): 4,        # 1-D tropical example
    }
    for layers, n in examples.items():
        r = count_regions([(list(map(list, W)), list(b)) for W, b in layers], n_samples=0)
        assert r.activation_regions == n and r.is_certified is True


def test_a_failed_cover_check_is_printed():
    # nearly parallel lines x + y = 0 and x + (1 + 2^-40) y = -1 meet at (2^40, -2^40): two
    # distinct lines, so 4 regions; the cone beyond that point is missed in floating point
    # (3 found; the brute-force LP counter misses it too). The exact cover check must catch it,
    # and the headline must not present 3 as the count.
    from neuroalg.tropical import count_regions

    layers = [([[1, 1], [1, 1 + 2 ** -40]], [0, 1]), ([[1, 1]], [0])]
    r = count_regions(layers, n_samples=0, certify=True)
    if r.activation_regions != 4:
        assert r.is_certified is False and "cover check FAILED" in r.headline()
        assert "NOT proven" in str(r)
    else:
        assert r.is_certified
