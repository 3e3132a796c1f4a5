"""Composition certificates (kind C): sound against independent ranks, sharp where theory says."""

import numpy as np
import pytest

from neuroalg import dimension, parse_spec
from neuroalg.geometry.dimension.composition import composition_certificate

P = 1048573


@pytest.mark.parametrize("spec, dim, by", [
    # f = a (sum of 5 fourth powers in 3 variables): AH exception 14, plus 1 - 1 for the interface
    ("mlp 3,5,1,1 x^4", 14, "catalecticant"),
    # f_j = q_j(l_1^2, l_2^2), q_j binary quadratics: 4 + 2*3 - 2
    ("mlp 2,2,8,2 x^2", 8, None),
    # width 1 after the first layer: f = (w.x)^9 up to scale, the cone over nu_9(P^2): dim 3
    ("mlp 3,1,4,1 x^3", 3, None),
])
def test_sharp_where_the_factorization_is_known(spec, dim, by):
    r = dimension(spec, seed=0)
    assert r.is_certified and r.dimension == dim
    assert r.certificate["kind"] == "composition"
    if by:
        assert r.certificate["tree"]["prefix"]["by"].startswith(by)


@pytest.mark.parametrize("spec", [
    "mlp 2,3,2,1 x^2", "mlp 3,2,3,2 x^3", "mlp 2,2,3,2,1 x^2 bias", "mlp 2,3,3,1 x^3+x^2",
    "mlp 3,2,2,2 x", "rational 2,2,2,1", "mlp 2,4,2,3,1 x^2", "mlp 3,3,1,3 x^2",
    "mlp 2,2,2,2,2,1 x^2", "mlp 4,2,3,1 x^2",
])
def test_never_below_the_jacobian_rank(spec):
    """The rank of the Jacobian mod p at a point is a proven lower bound (an independent
    method): a composition bound below it would be a wrong proof."""
    arch = parse_spec(spec)
    lower = dimension(arch, seed=1).lower
    cert = composition_certificate(arch, P, np.random.default_rng(0), known_upper=None)
    assert cert is None or cert.bound >= lower


def test_not_applicable():
    rng = np.random.default_rng(0)
    for spec in ["mlp 3,2,1 x^2", "cnn k=3,2 x^2", "linear 3,2"]:
        assert composition_certificate(parse_spec(spec), P, rng) is None


@pytest.mark.parametrize("n, r", [(4, 2), (5, 3), (6, 5), (7, 1)])
def test_quadratic_forms_closed_form_against_the_jacobian(n, r):
    """(n, r, 1) with x^2: the quadratic forms of rank <= r, dimension r (2n - r + 1) / 2, equal
    to the rank of the Jacobian mod p (an independent, computed lower bound)."""
    from neuroalg.geometry.dimension.composition import _quadratic_forms

    closed = _quadratic_forms(parse_spec(f"mlp {n},{r},1 x^2"))
    assert closed == r * (2 * n - r + 1) // 2
    assert dimension(f"mlp {n},{r},1 x^2", seed=0).lower == closed
    assert _quadratic_forms(parse_spec(f"mlp {n},{n},1 x^2")) is None  # r >= n: ambient
    assert _quadratic_forms(parse_spec(f"mlp {n},{r},1 x^2 bias")) is None


@pytest.mark.parametrize("spec", [
    "mlp 2,3,2,1 x^2", "mlp 3,2,3,2 x^3", "mlp 2,2,3,2,1 x^2 bias", "mlp 2,3,3,1 x^3+x^2",
    "mlp 2,4,2,3,1 x^2", "mlp 4,6,6,5,1 x^2", "mlp 5,20,20,16,1 x^2", "rational 2,2,2,1",
])
def test_closed_forms_sound_and_used_before_the_jacobian(spec):
    """The certificate in closed forms (no rank) is never below the Jacobian rank, never below
    the full certificate's bound, and when it certifies the dimension the first Jacobian has
    only dim + 2 rows."""
    arch = parse_spec(spec)
    res = dimension(arch, seed=1)
    closed = composition_certificate(arch, 0, None, structural=True)
    full = composition_certificate(arch, P, np.random.default_rng(0))
    if closed is not None:
        assert closed.bound >= res.lower
        assert full is None or full.bound <= closed.bound
        if closed.bound == res.dimension and res.is_certified:
            assert res.rows == res.dimension + 2


def test_deep_quadratic_family_certified_in_closed_form():
    """The issue-17 family (10, 50, 50, 40, 1) x^2 in small: (5, 20, 20, 16, 1) x^2 (dim 480 =
    300 + 200 - 20, below the symmetry bound 660) is certified by composition with the
    (20, 16, 1) quadratic-form factor, before any Jacobian."""
    r = dimension("mlp 5,20,20,16,1 x^2", seed=0)
    assert r.is_certified and r.dimension == 480 and r.certificate["kind"] == "composition"
    assert "quadratic forms" in str(r.certificate["tree"])
    assert r.rows == r.dimension + 2 and r.symmetry_rank == 176
