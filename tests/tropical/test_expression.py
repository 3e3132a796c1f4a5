"""The tropical expression from its JSON alone reproduces the network (exact arithmetic), with
or without pruning."""

import json
from fractions import Fraction

import numpy as np
import pytest

from neuroalg.tropical import tropical_expression

NET = {"layers": [{"weight": [[1, -1], [2, 1], [-1, 3]], "bias": [0, -1, "1/3"]},
                  {"weight": [[1, -2, "1/2"]], "bias": ["1/2"]}]}


def _forward(x):
    """The network in Fractions: ReLU after the hidden layer, affine output."""
    def frac(v):
        return Fraction(v)

    h = [x]
    for k, layer in enumerate(NET["layers"]):
        z = [sum(frac(w) * v for w, v in zip(row, h[-1])) + frac(b)
             for row, b in zip(layer["weight"], layer["bias"])]
        h.append(z if k == len(NET["layers"]) - 1 else [max(v, Fraction(0)) for v in z])
    return h[-1][0]


def _evaluate(poly, x):
    """max over the monomials of c + <a, x>, read from the lossless JSON."""
    return max(Fraction(c) + sum(Fraction(a) * v for a, v in zip(row, x))
               for row, c in zip(poly["exponents"], poly["coefficients"]))


@pytest.mark.parametrize("prune", [True, False])
def test_json_polynomials_reproduce_the_network_exactly(prune):
    res = tropical_expression(NET, prune=prune)
    data = json.loads(json.dumps(res.to_dict()))
    (pair,) = data["polynomials"]
    rng = np.random.default_rng(0)
    for _ in range(60):
        x = [Fraction(int(v), 7) for v in rng.integers(-30, 31, 2)]
        assert _evaluate(pair["numerator"], x) - _evaluate(pair["denominator"], x) == _forward(x)
    assert data["exact"] is True and data["status"] == "certified"
    assert data["n_monomials"] == sum(res.monomials[0]) == data["value"]


def test_pruning_keeps_the_function_with_fewer_monomials():
    full, pruned = tropical_expression(NET, prune=False), tropical_expression(NET, prune=True)
    assert all(p <= f for p, f in zip(pruned.monomials[0], full.monomials[0]))
    assert pruned.radius is None and full.headline().endswith("(not pruned, exact)")


def test_radius_on_request():
    res = tropical_expression(NET, radius=True)
    assert res.radius is not None and res.to_dict()["radius"] is not None
    assert tropical_expression(NET, max_chars=5).expression is None  # too long to print
