"""Kruskal's criterion: Kruskal ranks mod p, and the criterion against identifiability theory."""

import numpy as np
import pytest

from neuroalg.geometry.witness.kruskal import PRIME, _kruskal_rank, kruskal_certificate
from neuroalg.spec import parse_spec


def test_kruskal_rank_of_known_matrices():
    """Every k columns independent, by hand: a repeated column gives 1, the identity its size,
    a 2 x 4 Vandermonde matrix 2 (any two distinct nodes), a zero column 0."""
    assert _kruskal_rank(np.array([[1, 1, 2], [3, 3, 5]]), PRIME) == 1
    assert _kruskal_rank(np.eye(4, dtype=np.int64), PRIME) == 4
    assert _kruskal_rank(np.array([[1, 1, 1, 1], [1, 2, 3, 4]]), PRIME) == 2
    assert _kruskal_rank(np.array([[0, 1], [0, 2]]), PRIME) == 0
    assert _kruskal_rank(np.array([[1, 0, 1], [0, 1, 1], [0, 0, 0]]), PRIME) == 2


@pytest.mark.parametrize("spec, certified, source", [
    ("mlp 3,3,1 x^4", True, "Chiantini-Ottaviani-Vannieuwenhoven: rank 3 < 5 ternary quartics"),
    ("mlp 4,2,1 x^3", True, "two linear forms: a binary cubic of rank 2 (Sylvester)"),
    ("mlp 2,3,1 x^3", False, "3 cubes of binary forms fill C^4 with a 2-dimensional fiber"),
    ("mlp 3,5,1 x^4", False, "Alexander-Hirschowitz: 5 fourth powers in 3 variables are defective"),
    ("mlp 3,4,1 x^3", False, "4 cubes fill the ternary cubics with a 2-dimensional fiber"),
])
def test_criterion_holds_exactly_where_identifiability_theory_says(spec, certified, source):
    cert = kruskal_certificate(parse_spec(spec), np.random.default_rng(0))
    assert cert is not None and cert.is_certified == certified, source
    assert (sum(cert.ranks) >= 2 * cert.n_terms + 2) == certified
    assert "Kruskal ranks" in cert.text()


@pytest.mark.parametrize("spec", ["mlp 2,2,2,1 x^3", "mlp 2,2,1 x^3 bias", "mlp 2,2,1 x^3+x",
                                  "mlp 3,3,1 x^2", "cnn k=3,2 s=1,1 x^2", "linear 2,2,2"])
def test_criterion_does_not_apply(spec):
    """Deep, biased, non-monomial, two-mode (x^2, one output) and non-MLP architectures."""
    assert kruskal_certificate(parse_spec(spec), np.random.default_rng(0)) is None
