"""Exact region counts against closed forms (Zaslavsky), hand-worked examples and the baseline
that tests every activation pattern by LP."""

import math
from fractions import Fraction

import numpy as np
import pytest

from neuroalg.tropical import ReLUNetwork, count_regions
from neuroalg.tropical.cells import count_by_patterns, make_domain


def counts(net, **kw):
    r = count_regions(net, n_samples=0, **kw)
    return r.activation_regions, r.linear_regions, r.distinct_maps


def test_abs_value_two_regions():
    # |x| = ReLU(x) + ReLU(-x): both neurons share the hyperplane x = 0
    assert counts([([[1], [-1]], [0, 0]), ([[1, 1]], [0])]) == (2, 2, 2)


def test_relu_y_minus_relu_x_four_regions():
    # ReLU(y + 1) - ReLU(x + 1): two perpendicular lines, four different maps
    assert counts([([[0, 1], [1, 0]], [1, 1]), ([[1, -1]], [0])]) == (4, 4, 4)


def test_one_dimensional_tropical_rational_example():
    # max(0, x, 2x-2) - max(0, 2x-2) = ReLU(x) + ReLU(x-2) - ReLU(2x-2): pieces 0, x, 2-x, 0
    net = [([[1], [1], [2]], [0, -2, -2]), ([[1, 1, -1]], [0])]
    assert counts(net) == (4, 4, 3)


def test_same_map_merged_across_a_facet():
    # ReLU(x) - ReLU(x) + ReLU(y) = ReLU(y): x = 0 splits activation regions but not the map
    net = [([[1, 0], [1, 0], [0, 1]], [0, 0, 0]), ([[1, -1, 1]], [0])]
    assert counts(net) == (4, 2, 2)


def test_same_map_not_merged_across_a_vertex():
    # ReLU(x) + ReLU(y) - ReLU(x+y): six sectors with maps 0, -y, x, 0, -x, y; the two zero
    # sectors (x, y > 0 and x, y < 0) touch only at the origin, so they are two linear regions
    net = ReLUNetwork.from_layers([([[1, 0], [0, 1], [1, 1]], [0, 0, 0]), ([[1, 1, -1]], [0])])
    assert counts(net) == (6, 6, 5)
    assert count_by_patterns(net, make_domain(net, None)) == 6


@pytest.mark.parametrize("widths", [(2, 6, 1), (3, 5, 1), (4, 4, 1), (2, 3, 1), (3, 7, 1)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_hidden_layer_zaslavsky(widths, seed):
    n0, n1 = widths[0], widths[1]
    expected = sum(math.comb(n1, j) for j in range(n0 + 1))  # regions of a generic arrangement
    assert counts(ReLUNetwork.random(widths, seed=seed)) == (expected,) * 3


def test_issue_values():
    assert counts("relu 2,6,1", seed=0)[0] == 22
    assert counts("relu 3,5,1", seed=0)[0] == 26
    assert counts("relu 4,4,1", seed=0)[0] == 16


@pytest.mark.parametrize("widths", [(2, 3, 3, 1), (2, 4, 2, 1), (3, 3, 3, 1), (1, 3, 4, 1), (2, 2, 2, 2, 1)])
@pytest.mark.parametrize("box", [None, (-1, 1)])
def test_deep_nets_agree_with_every_pattern_lp(widths, box):
    for seed in range(3):
        net = ReLUNetwork.random(widths, seed=seed)
        act, lin, dist = counts(net, box=box)
        assert act == count_by_patterns(net, make_domain(net, box))
        assert act >= lin >= dist >= 1


def test_box_counts_lines_through_the_box():
    # ReLU(x) + 2 ReLU(y): lines x = 0 and y = 0
    net = [([[1, 0], [0, 1]], [0, 0]), ([[1, 2]], [0])]
    assert counts(net, box=(-1, 1)) == (4, 4, 4)
    assert counts(net, box=[(0.5, 1), (-1, 1)]) == (2, 2, 2)
    assert counts(net, box=(1, 2)) == (1, 1, 1)


def test_scale_invariance():
    net = ReLUNetwork.random((2, 5, 4, 1), seed=7)
    base = counts(net)
    for alpha in (1e-3, 1e4):
        W = [w.copy() for w, _ in net.float_weights()]
        b = [bb.copy() for _, bb in net.float_weights()]
        W[0] = W[0] * alpha  # f(alpha x): regions scaled by 1/alpha
        assert counts(ReLUNetwork.from_layers(list(zip(W, b)))) == base
        W2 = [w.copy() for w, _ in net.float_weights()]
        b2 = [bb.copy() for _, bb in net.float_weights()]
        W2[1][2] *= alpha  # positive rescaling of one neuron and its bias
        b2[1][2] *= alpha
        W2[2][:, 2] /= alpha
        assert counts(ReLUNetwork.from_layers(list(zip(W2, b2)))) == base


def test_deterministic_and_seed_recorded():
    a = count_regions("relu 2,5,5,1", seed=11, n_samples=2000)
    b = count_regions("relu 2,5,5,1", seed=11, n_samples=2000)
    assert a.seed == 11 and a.to_dict() | {"seconds": 0} == b.to_dict() | {"seconds": 0}


def test_sampling_is_a_lower_bound_in_a_box_and_bounds_hold():
    r = count_regions("relu 2,8,6,1", seed=3, box=(-1, 1), n_samples=5000)
    assert r.sampling.observed <= r.activation_regions
    lo, hi = r.sampling.low, r.sampling.high
    assert lo <= r.sampling.estimate <= hi
    for name, v in r.bounds.items():
        if v is not None:
            assert r.activation_regions <= v, name


def test_rendering_mentions_counts():
    r = count_regions("relu 2,6,1", seed=0, n_samples=1000)
    text = str(r)
    assert text.splitlines()[0].startswith("22 activation regions, 22 linear regions, 22 distinct")
    assert "Zaslavsky" in text and "sampling estimate" in text
    d = r.to_dict()
    for key in ("activation_regions", "linear_regions", "distinct_maps", "bounds", "seconds"):
        assert key in d


def test_rank_deficient_first_layer_is_one_dimensional():
    # three parallel lines x + y = c: 4 regions, as Serra's rank-refined bound says
    net = [([[1, 1], [2, 2], [3, 3]], [0, -1, -6]), ([[1, 1, 1]], [0])]
    r = count_regions(net, n_samples=0)
    assert r.activation_regions == 4 == r.bounds["serra_rank"] < r.bounds["serra"]


@pytest.mark.parametrize("widths", [(2, 6, 5, 1), (3, 4, 4, 1), (1, 5, 5, 1), (2, 3, 3, 3, 1)])
def test_vertex_and_lp_methods_give_the_same_cells(widths):
    from neuroalg.tropical.cells import activation_cells

    for seed in range(3):
        net = ReLUNetwork.random(widths, seed=seed)
        for box in ((-1.5, 1.5), None):
            dom = make_domain(net, box)
            a = activation_cells(net, dom, method="auto")
            b = activation_cells(net, dom, method="lp")
            assert sorted(map(tuple, (c.pattern for c in a))) == sorted(map(tuple, (c.pattern for c in b)))
            assert len({tuple(c.pattern) for c in a}) == len(a)


def _degenerate_integer_networks(n=25):
    """Small integer weights: parallel, concurrent and coinciding hyperplanes, dead neurons."""
    rng = np.random.default_rng(5)
    nets = []
    for _ in range(n):
        widths = (int(rng.integers(1, 4)), int(rng.integers(1, 5)), int(rng.integers(1, 5)), 1)
        nets.append([(rng.integers(-2, 3, size=(widths[i + 1], widths[i])).tolist(),
                      rng.integers(-2, 3, size=widths[i + 1]).tolist()) for i in range(3)])
    return nets


# the first 8 networks in the default run, all 25 (~4 CPU-s) in the slow one
@pytest.mark.parametrize("layers", [pytest.param(n, marks=pytest.mark.slow, id=f"net{i}") if i >= 8
                                    else pytest.param(n, id=f"net{i}")
                                    for i, n in enumerate(_degenerate_integer_networks())])
def test_degenerate_integer_networks_three_ways(layers):
    net = ReLUNetwork.from_layers(layers)
    for box in (None, (-1, 2)):
        a = count_regions(net, box=box, n_samples=0)
        b = count_regions(net, box=box, n_samples=0, method="lp")
        assert a.activation_regions == b.activation_regions == count_by_patterns(net, make_domain(net, box))
        assert (a.linear_regions, a.distinct_maps) == (b.linear_regions, b.distinct_maps)


@pytest.mark.parametrize("depth", [1, 3, 6])
def test_sawtooth_has_two_to_the_depth_pieces(depth):
    # Telgarsky (2016): the tent map t(x) = 2 ReLU(x) - 4 ReLU(x - 1/2) composed `depth` times
    # is a sawtooth with 2^depth linear pieces on [0, 1], slopes +-2^depth (all maps distinct)
    first = ([[1], [1]], [0, "-1/2"])
    hidden = ([[2, -4], [2, -4]], [0, "-1/2"])
    layers = [first] + [hidden] * (depth - 1) + [([[2, -4]], [0])]
    net = ReLUNetwork.from_layers(layers)
    assert net.is_exact
    assert counts(net, box=(0, 1)) == (2 ** depth,) * 3
    x = np.linspace(0, 1, 2 ** depth + 1)
    assert np.allclose(net(x[:, None])[:, 0], (np.arange(2 ** depth + 1) % 2))  # vertices alternate 0, 1


def test_progress_bars_go_to_stderr_and_the_callable_still_works(monkeypatch, capsys):
    import neuroalg.tropical.cells as cells_mod

    monkeypatch.setattr(cells_mod, "BAR_DELAY", 0.0)      # show the bars at once
    clock = iter(range(0, 10 ** 6, 3))                     # every status check is 3 s later
    monkeypatch.setattr(cells_mod.time, "perf_counter", lambda: float(next(clock)))
    lines = []
    from neuroalg.progress import Progress

    r = count_regions("relu 2,6,6,1", seed=0, n_samples=0, certify=False,
                      show_progress=Progress(lines.append, bars=True))
    plain = count_regions("relu 2,6,6,1", seed=0, n_samples=0, certify=False)
    assert (r.activation_regions, r.linear_regions) == (plain.activation_regions, plain.linear_regions)
    out, err = capsys.readouterr()
    assert out == "" and "layer 1/2: pieces" in err and "layer 2/2: cells" in err
    assert lines and all(s.startswith("layer ") and s.endswith("LPs") for s in lines)


# --- issue 12: huge and tiny weights (the count must not depend on the float range) -----------

def _scaled_neuron(s):
    """relu(s (x + y)) / s + relu(x - y): the same function and regions for every s > 0."""
    return [([[s, s], [1, -1]], [0, 0]), ([[1 / s if isinstance(s, float) else Fraction(1, s), 1]], [0])]


@pytest.mark.parametrize("k", [154, 155, 200, 300])
def test_huge_integer_weights(k, oracle):
    # 10^155: squares overflow float64 (reported: 2 regions instead of 4)
    layers = [([[10 ** k, 10 ** k], [10 ** k, -10 ** k]], [0, 0]), ([[1, 1]], [0])]
    assert counts(layers) == oracle.counts(layers) == (4, 4, 4)
    r = count_regions(layers, n_samples=0)
    assert r.is_certified and not r.notes
    deep = [([[10 ** k, 10 ** k], [1, -1]], [0, 0]), ([[10 ** k, 1], [-1, 10 ** k]], [0, 0]),
            ([[10 ** k, 10 ** k]], [0])]
    assert counts(deep) == oracle.counts(deep)


@pytest.mark.parametrize("s", [1e-150, 1e-162, 1e-200, 1e-300, 2.0 ** -600, 1e150, 1e300])
@pytest.mark.parametrize("box", [None, (-1, 1)])
def test_neuron_rescaling_does_not_change_the_count(s, box, oracle):
    # reported: a neuron rescaled by 1e-162 turned 4 regions into 2
    layers = [([[s, s], [1, -1]], [0, 0]), ([[1 / s, 1]], [0])]
    assert counts(layers, box=box) == counts(_scaled_neuron(1), box=box) == (4, 4, 4)
    assert oracle.counts(layers, box=box) == (4, 4, 4)


@pytest.mark.parametrize("c", [2.0 ** -1000, 1e-300, 1e-160, 1e160, 1e300])
def test_input_rescaling_does_not_change_the_count(c):
    # f(x / c) on [-c, c]^2 has the regions of f on [-1, 1]^2; on R^2 those of f
    net = ReLUNetwork.random((2, 5, 4, 1), seed=3)
    layers = net.float_weights()
    scaled = [(layers[0][0] / c, layers[0][1])] + layers[1:]
    assert counts(scaled, box=(-c, c)) == counts(net, box=(-1, 1))
    assert counts(scaled) == counts(net)
