"""Exact (P, Q) coordinates of 1/x networks (any depth) against the forward pass and the dimension."""

from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np
import pytest

import neuroalg
from neuroalg.errors import SpecError
from neuroalg.fields import _Numeric
from neuroalg.geometry.equations.rational_map import rational_forms, rational_map, values
from neuroalg.spec import parse_spec

SPECS = ["rational 2,2,1", "rational 3,2,1", "rational 3,3,1", "rational 3,2,2", "rational 2,3,2"]
DEEP = ["rational 2,2,2,1", "rational 2,2,2,2", "rational 3,2,2,1", "rational 2,3,2,1",
        "rational 2,2,3,2", "rational 2,2,2,2,1", "rational 2,2,2,2,2,2", "rational 3,1,2,1"]


@dataclass(frozen=True)
class _Exact(_Numeric):
    """Q as Fraction object arrays: the architecture's own forward pass, exactly."""

    is_exact = True

    def constant(self, c):
        return Fraction(c)


def _random_fractions(rng, n, scale=50):
    return [Fraction(int(a), int(b)) for a, b in zip(rng.integers(-scale, scale + 1, n),
                                                     rng.integers(1, scale + 1, n))]


@pytest.mark.parametrize("spec", SPECS + DEEP)
def test_numerators_over_denominator_equal_the_forward_pass(spec):
    """The recursion's P_k(x) / Q(x) against the architecture's own forward pass, exactly."""
    arch, rng = parse_spec(spec), np.random.default_rng(7)
    d0, m = arch.widths[0], arch.widths[-1]
    field = _Exact(object)
    for _ in range(3):
        theta = _random_fractions(rng, arch.n_params)
        x = _random_fractions(rng, d0)
        forms, _ = rational_forms(arch, theta)
        at_x = [f(*[flint.fmpq(v.numerator, v.denominator) for v in x]) for f in forms]
        parts = [Fraction(int(v.p), int(v.q)) for v in at_x]  # P_1(x), ..., P_m(x), Q(x)
        want = arch.forward(np.array(theta, dtype=object), np.array([x], dtype=object), field)[0]
        assert parts[m] != 0
        assert [p / parts[m] for p in parts[:m]] == list(want)


@pytest.mark.parametrize("spec", SPECS + DEEP[:6])
def test_map_at_theta_is_the_forms_at_theta(spec):
    """rational_map (over Q[theta, x]) evaluated at theta against rational_forms (over Q[x])."""
    arch, rng = parse_spec(spec), np.random.default_rng(11)
    theta = _random_fractions(rng, arch.n_params)
    phi = rational_map(arch)
    forms, _ = rational_forms(arch, theta)
    got = {}
    for k, form in enumerate(forms):
        for e, c in form.to_dict().items():
            got[(k, tuple(int(v) for v in e))] = Fraction(int(c.p), int(c.q))
    want = {key: v for key, v in zip(phi.keys, values(phi, theta)) if v}
    assert got == want


def test_values_mod_p_are_the_exact_values_reduced():
    phi, rng, p = rational_map("rational 3,2,2"), np.random.default_rng(1), 1000003
    theta = _random_fractions(rng, phi.n_params)
    exact = values(phi, theta)
    assert values(phi, theta, prime=p) == [v.numerator * pow(v.denominator, -1, p) % p for v in exact]


@pytest.mark.parametrize("spec", SPECS + DEEP[:6] + ["rational 3,4,2"])
def test_every_coordinate_is_reached_and_matches_the_zoo_ambient_space(spec):
    """MLP.ambient_dimension is the projective count (#coefficients of P_1..P_m, Q) - 1."""
    arch = parse_spec(spec)
    phi = rational_map(arch)
    assert phi.n_coordinates - 1 == arch.ambient_dimension
    a, b = arch.rational_degrees()
    assert {sum(e) for k, e in phi.keys if k < arch.widths[-1]} == {a}
    assert {sum(e) for k, e in phi.keys if k == arch.widths[-1]} == {b}


def _jacobian_rank(phi, theta):
    rows = []
    for poly in phi.polys:
        row = []
        for j in range(phi.n_params):
            total = Fraction(0)
            for exps, c in poly.items():
                if exps[j]:
                    term = c * exps[j]
                    for i, (t, e) in enumerate(zip(theta, exps)):
                        term *= t ** (e - (i == j))
                    total += term
            row.append(flint.fmpq(total.numerator, total.denominator))
        rows.append(row)
    return flint.fmpq_mat(rows).rank()


@pytest.mark.parametrize("spec", SPECS + DEEP[:6])
def test_cone_dimension_is_the_zoo_dimension_plus_one(spec):
    """The image is a cone over the zoo's projective function space: an independent route
    (neuroalg.dimension sketches the forward pass over GF(p))."""
    phi, rng = rational_map(spec), np.random.default_rng(3)
    rank = _jacobian_rank(phi, _random_fractions(rng, phi.n_params))
    res = neuroalg.dimension(spec, seed=0)
    assert res.is_certified and rank == res.dimension + 1


def test_2_2_1_fills_its_ambient_space():
    """d0 = h = 2: a binary quadric always splits and every linear form is in the span of its two
    partials, so V is everything (GRZ); the dimension routine agrees."""
    arch = parse_spec("rational 2,2,1")
    assert neuroalg.dimension(arch, seed=0).dimension == arch.ambient_dimension == 4


@pytest.mark.parametrize("spec", ["mlp 2,2,1 x^2", "mlp 2,2,1 x^2 bias", "linear 2,2,1"])
def test_other_architectures_are_refused(spec):
    with pytest.raises(SpecError, match="1/x networks without biases"):
        rational_map(spec)


def test_values_checks_the_length_of_theta():
    with pytest.raises(SpecError, match="theta needs 6 entries"):
        values(rational_map("rational 2,2,1"), [1, 2])
