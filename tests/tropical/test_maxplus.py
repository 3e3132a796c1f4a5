"""The tropical rational map of a network evaluates to the network, and its regions (computed
from the monomials alone) match the regions found by cell splitting."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroalg.errors import SpecError
from neuroalg.tropical import ReLUNetwork, count_regions
from neuroalg.tropical.maxplus import MaxPlusPolynomial as P
from neuroalg.tropical.maxplus import TropicalRationalMap, tropicalize
from neuroalg.tropical.regions import count_rational_regions


@pytest.mark.parametrize("widths", [(2, 3, 1), (2, 4, 3, 1), (3, 4, 3, 2), (1, 3, 3, 1)])
def test_float_network_evaluation(widths):
    net = ReLUNetwork.random(widths, seed=5)
    X = np.random.default_rng(0).standard_normal((300, widths[0])) * 4
    for prune in (False, True):
        m = tropicalize(net, prune=prune)
        assert np.allclose(m(X), net(X), atol=1e-10)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=16, max_size=16), st.lists(st.integers(-4, 4), min_size=2, max_size=2))
def test_exact_network_evaluation_is_exact(vals, point):
    # widths (2, 3, 2, 1) with small integer weights: evaluation in rationals is identical
    W1 = np.array(vals[:6]).reshape(3, 2).tolist()
    W2 = np.array(vals[6:12]).reshape(2, 3).tolist()
    net = ReLUNetwork.from_layers([(W1, vals[12:15]), (W2, [vals[15], Fraction(1, 2)]), ([[1, -2]], [0])])
    m = tropicalize(net)
    x = [Fraction(point[0], 3), Fraction(point[1], 7)]
    assert m([x])[0] == net.evaluate_exact(x)
    assert all(isinstance(v, Fraction) for v in m.numerators[0].coefficients)


def test_pruning_keeps_the_function_and_drops_interior_monomials():
    # max(0, x, 2x) + max(0, x): Minkowski sum has exponents 0..3, the middle ones on the hull
    p = P.from_terms([(0, [0]), (0, [1]), (0, [2])]) + P.from_terms([(0, [0]), (0, [1])])
    assert p.n_monomials == 4
    q = p.prune()
    assert sorted(int(e[0]) for e in q.exponents) == [0, 3]  # x, 2x are not vertices
    xs = [[Fraction(k, 3)] for k in range(-9, 10)]
    assert [p(x) for x in xs] == [q(x) for x in xs]
    # a monomial strictly below the hull is dropped
    r = P.from_terms([(0, [0]), (-5, [1]), (0, [2])]).prune()
    assert r.n_monomials == 2


def test_one_dimensional_rational_example_four_regions_three_maps():
    F = P.from_terms([(0, [0]), (0, [1]), (-2, [2])])
    G = P.from_terms([(0, [0]), (-2, [2])])
    m = TropicalRationalMap((F,), (G,))
    assert ([m([[Fraction(x)]])[0][0] for x in (-1, Fraction(1, 2), Fraction(3, 2), 3)]
            == [0, Fraction(1, 2), Fraction(1, 2), 0])
    r = count_rational_regions(m)
    assert (r.linear_regions, r.distinct_maps) == (4, 3)


@pytest.mark.parametrize("widths", [(2, 3, 1), (2, 4, 3, 1), (2, 3, 3, 1), (1, 3, 4, 1)])
@pytest.mark.parametrize("box", [None, (-1, 1)])
def test_regions_from_monomials_match_cell_splitting(widths, box):
    for seed in range(2):
        net = ReLUNetwork.random(widths, seed=seed)
        r = count_regions(net, box=box, n_samples=0)
        m = count_rational_regions(tropicalize(net), box=box)
        assert (m.linear_regions, m.distinct_maps) == (r.linear_regions, r.distinct_maps)


def test_errors():
    with pytest.raises(SpecError, match="w >= 0"):
        P.from_terms([(0, [1])]).scale(-1)
    with pytest.raises(SpecError, match="one output"):
        count_rational_regions(tropicalize(ReLUNetwork.random((2, 2, 2), seed=0)))


def test_degenerate_integer_nets_tropical_route_and_exact_vs_float():
    # integer weights: regions from the pruned exact monomials == regions from cell splitting,
    # and exact (Fraction) map comparison == float comparison
    rng = np.random.default_rng(11)
    for _ in range(12):
        widths = (int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(1, 4)), 1)
        layers = [(rng.integers(-2, 3, size=(widths[i + 1], widths[i])).tolist(),
                   rng.integers(-2, 3, size=widths[i + 1]).tolist()) for i in range(3)]
        exact = ReLUNetwork.from_layers(layers)
        floaty = ReLUNetwork.from_layers(layers, exact=False)
        assert exact.is_exact and not floaty.is_exact
        r = count_regions(exact, n_samples=0)
        f = count_regions(floaty, n_samples=0)
        assert (r.activation_regions, r.linear_regions, r.distinct_maps) == \
            (f.activation_regions, f.linear_regions, f.distinct_maps)
        m = count_rational_regions(tropicalize(exact))
        assert (m.linear_regions, m.distinct_maps) == (r.linear_regions, r.distinct_maps)


# --- issue 12: the expression must be checkable from its JSON ----------------------------------

def _strict_loads(text):
    import json

    def refuse(token):
        raise ValueError(f"non-standard JSON constant {token}")

    return json.loads(text, parse_constant=refuse)


def _read(v):
    from fractions import Fraction

    return Fraction(v) if isinstance(v, (str, int)) else float(v)


def _max_plus(poly, x):
    return max(_read(c) + sum(_read(a) * xi for a, xi in zip(row, x))
               for row, c in zip(poly["exponents"], poly["coefficients"]))


def _forward(layers, x):
    """The network, written out here (no neuroalg code): exact for Fractions, float otherwise."""
    z = list(x)
    for l, (W, b) in enumerate(layers):
        z = [sum(w * zi for w, zi in zip(row, z)) + bj for row, bj in zip(W, b)]
        if l < len(layers) - 1:
            z = [max(v, 0 * v) for v in z]
    return z


@pytest.mark.parametrize("widths, seed", [((2, 3, 1), 0), ((2, 3, 1), 1), ((3, 4, 1), 2),
                                          ((2, 3, 3, 1), 3), ((2, 3, 2), 4)])
def test_float_expression_json_reproduces_the_network(widths, seed):
    from neuroalg.report import to_json
    from neuroalg.tropical import tropical_expression

    net = ReLUNetwork.random(widths, seed=seed)
    data = _strict_loads(to_json(tropical_expression(net).to_dict()))
    layers = [(W.tolist(), b.tolist()) for W, b in net.float_weights()]
    rng = np.random.default_rng(seed)
    for x in rng.standard_normal((50, widths[0])) * 3:
        want = _forward(layers, x.tolist())
        got = [_max_plus(p["numerator"], x) - _max_plus(p["denominator"], x) for p in data["polynomials"]]
        scale = 1 + max(abs(_max_plus(p["numerator"], x)) for p in data["polynomials"])
        # rounding of the expansion only (6 significant digits, as before, fail at ~1e-6)
        assert np.allclose(got, want, rtol=0, atol=1e-12 * scale)


def test_exact_expression_json_is_exact():
    from fractions import Fraction

    from neuroalg.report import to_json
    from neuroalg.tropical import tropical_expression

    layers = [([["1/3", -2], [5, "7/11"], [-1, 1]], ["1/7", 0, -2]), ([[2, "-3/5", 1]], ["1/2"])]
    data = _strict_loads(to_json(tropical_expression(layers).to_dict()))
    exact = [([[Fraction(v) for v in row] for row in W], [Fraction(v) for v in b]) for W, b in layers]
    rng = np.random.default_rng(0)
    for _ in range(40):
        x = [Fraction(int(v), 7) for v in rng.integers(-30, 31, size=2)]
        (want,) = _forward(exact, x)
        (p,) = data["polynomials"]
        assert _max_plus(p["numerator"], x) - _max_plus(p["denominator"], x) == want


def test_large_denominators_stay_exact():
    # Fractions built from numpy int64 kept int64 parts that overflowed in the expansion
    from fractions import Fraction

    layers = [([["1/1000000007", "1/999999937"], ["1/1000000009", 1]], [0, "1/3"]),
              ([["1/1000000021", "-1/1000000033"]], [0])]
    net = ReLUNetwork.from_layers(layers)
    m = tropicalize(net)
    exact = [([[Fraction(v) for v in row] for row in W], [Fraction(v) for v in b]) for W, b in layers]
    for x in ([Fraction(1, 7), Fraction(-2, 5)], [Fraction(3), Fraction(1, 2)], [Fraction(-5), Fraction(9)]):
        assert m([x])[0][0] == _forward(exact, x)[0]


def test_float_expression_entries_beyond_the_float_range_are_noted():
    # the product of two weights of 1.5e-200 is 2.25e-400: its float is 0, so the printed
    # expression could not show it; the result must say so
    from neuroalg.tropical import tropical_expression

    net = ReLUNetwork.from_layers([([[1.5e-200], [1.0]], [0.0, 0.5]), ([[1.5e-200, 1.0]], [0.0])])
    assert not net.is_exact
    r = tropical_expression(net)
    assert r.notes and "outside the normal float64 range" in r.notes[0] and r.to_dict()["notes"]
    ok = tropical_expression(ReLUNetwork.random((2, 3, 1), seed=0))
    assert not ok.notes
