"""Cell splitting against Zaslavsky's count for generic arrangements, the pattern baseline, and
interior points that carry their pattern."""

from math import comb

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.tropical import ReLUNetwork
from neuroalg.tropical.cells import activation_cells, check_box, count_by_patterns, make_domain, pattern_cell


def _shallow(n0, k, seed):
    rng = np.random.default_rng(seed)
    return ReLUNetwork.from_layers([(rng.standard_normal((k, n0)), rng.standard_normal(k)),
                                    (rng.standard_normal((1, k)), rng.standard_normal(1))])


@pytest.mark.parametrize("n0, k", [(1, 4), (2, 3), (2, 6), (3, 5)])
@pytest.mark.parametrize("method", ["auto", "lp"])
def test_one_hidden_layer_gives_a_generic_arrangement(n0, k, method):
    # k generic hyperplanes cut R^n0 into sum_{i <= n0} C(k, i) regions (Zaslavsky)
    net = _shallow(n0, k, seed=n0 * 10 + k)
    cells = activation_cells(net, make_domain(net, None), method=method)
    assert len(cells) == sum(comb(k, i) for i in range(n0 + 1))
    patterns = {tuple(c.pattern) for c in cells}
    assert len(patterns) == len(cells)  # one region per pattern


def test_interior_points_carry_their_pattern_and_agree_with_the_baseline():
    rng = np.random.default_rng(3)
    net = ReLUNetwork.from_layers([(rng.standard_normal((3, 2)), rng.standard_normal(3)),
                                   (rng.standard_normal((3, 3)), rng.standard_normal(3)),
                                   (rng.standard_normal((1, 3)), rng.standard_normal(1))])
    dom = make_domain(net, (-3.0, 3.0))
    cells = activation_cells(net, dom)
    assert len(cells) == count_by_patterns(net, dom)  # every pattern tested by one LP
    (W1, b1), (W2, b2), _ = net.float_weights()
    for c in cells:
        x = dom.to_x(c.y)
        h1 = W1 @ x + b1
        h2 = W2 @ np.maximum(h1, 0) + b2
        assert [int(v > 0) for v in np.concatenate([h1, h2])] == [int(v) for v in c.pattern]
        assert np.all(np.abs(x) <= 3.0) and c.r > 0
        G, e = pattern_cell(net, dom, c.pattern)
        assert np.all(G @ c.y <= e + 1e-9)  # the centre lies in its pattern's closure


@pytest.mark.parametrize("box, match", [((1, 0), "lo < hi"), ([(0, 1)] * 3, "2 pairs"),
                                        ((0, np.inf), "finite"), ("ab", "box must be")])
def test_bad_boxes(box, match):
    with pytest.raises(SpecError, match=match):
        check_box(box, 2)


def test_box_forms():
    assert check_box((0, 1), 2) == ((0.0, 1.0), (0.0, 1.0))
    assert check_box(None, 3) is None
    with pytest.raises(SpecError, match="method must be 'auto' or 'lp'"):
        net = _shallow(2, 2, 0)
        activation_cells(net, make_domain(net, None), method="qhull")
