"""Deep 1/x networks: membership and weights peeled from the linear poles.

Independent evidence: functions come from random integer weights through the recursion; the
recovered weights are checked with the architecture's own forward pass over Q (not the
recursion the peeling used) at random rational inputs; non-members violate a condition proven
independently (homogeneity, the rank of the common-factor matrix, three essential variables).
"""

from dataclasses import dataclass
from fractions import Fraction
from math import factorial

import numpy as np
import pytest

from neuroalg.fields import _Numeric
from neuroalg.geometry.equations.rational_map import rational_forms
from neuroalg.geometry.membership.decompose import decompose
from neuroalg.geometry.membership.member import member
from neuroalg.spec import parse_spec


@dataclass(frozen=True)
class _Exact(_Numeric):
    is_exact = True

    def constant(self, c):
        return Fraction(c)


def _network_function(arch, theta) -> str:
    forms, _ = rational_forms(arch, theta)
    q = str(forms[-1])
    return "; ".join(f"({p})/({q})" for p in forms[:-1])


def _forward(arch, theta, x):
    return list(arch.forward(np.array(theta, dtype=object), np.array([x], dtype=object), _Exact(object))[0])


def _same_function(arch, theta_a, theta_b, rng, n=4) -> bool:
    for _ in range(n):
        x = [Fraction(int(a), int(b)) for a, b in zip(rng.integers(-10**6, 10**6, arch.widths[0]),
                                                     rng.integers(1, 10**6, arch.widths[0]))]
        if _forward(arch, theta_a, x) != _forward(arch, theta_b, x):
            return False
    return True


def _random_theta(arch, rng):
    """Integers in [-40, 40] without 0: generic enough that no two linear factors coincide."""
    return [Fraction(int(v)) for v in rng.choice([v for v in range(-40, 41) if v], arch.n_params)]


def _assignments(L: int, m: int) -> int:
    """Level assignments of generic linear factors: the pairs of Q over the levels L-1, L-3, ...,
    those of G over L-2, L-4, ..., and for one output which factor of P is p^(L)."""
    n_q, n_n = len(range(L - 1, 0, -2)), len(range(L - 2, 0, -2))
    count = factorial(2 * n_q) // 2 ** n_q * factorial(2 * n_n) // 2 ** n_n
    return count * (2 * n_n + 1 if m == 1 else 1)


FAST = ["rational 2,2,2,1", "rational 2,2,2,2", "rational 2,2,2,3", "rational 3,2,2,1",
        "rational 2,2,2,2,1", "rational 2,2,2,2,2", "rational 4,2,2,2"]
SLOW = ["rational 3,2,2,2,2", "rational 2,2,2,2,2,1", "rational 2,2,2,2,2,3", "rational 4,2,2,2,2,1"]


def _round_trip(spec, seed):
    arch, rng = parse_spec(spec), np.random.default_rng(seed)
    theta = _random_theta(arch, rng)
    dec = decompose(arch, _network_function(arch, theta), seed=seed)
    assert dec.in_variety is True and dec.is_realized is True and dec.certainty == "exact"
    assert dec.residual == 0.0 and dec.exact_points
    for point in dec.exact_points[:5]:
        assert _same_function(arch, theta, list(point), rng)
    if arch.widths[0] == 2:  # every assignment of generic factors works
        assert len(dec.exact_points) == _assignments(arch.depth, arch.widths[-1])
    return dec


@pytest.mark.parametrize("spec", FAST)
def test_peeled_weights_recompose_the_network_exactly(spec):
    _round_trip(spec, 5)


@pytest.mark.slow
@pytest.mark.parametrize("spec", SLOW)
def test_peeled_weights_recompose_deeper_networks(spec):
    _round_trip(spec, 6)


def test_cancelled_poles_are_chosen_freely():
    """f = x1 has no poles, yet (2,2,2,1) fills: it is realized with the denominator's factors
    cancelled by the numerator's."""
    arch = parse_spec("rational 2,2,2,1")
    dec = decompose(arch, "x1", seed=0)
    assert dec.is_realized is True and "positive-dimensional" in dec.fiber
    (point,) = dec.exact_points
    assert _forward(arch, list(point), [Fraction(3), Fraction(7)]) == [Fraction(3)]


def test_one_input():
    arch = parse_spec("rational 1,2,2,2")
    dec = decompose(arch, "3*x1; -x1/2", seed=0)
    assert dec.is_realized is True
    assert _forward(arch, list(dec.exact_points[0]), [Fraction(5)]) == [Fraction(15), Fraction(-5, 2)]


@pytest.mark.parametrize("spec, function, why", [
    ("rational 2,2,2,1", "1/x1", "not homogeneous of degree 1"),
    ("rational 2,2,2,2,1", "(x1+3*x2)^4/(x1*x2*(x1+x2)*(x1-x2)*(x1+2*x2))", "denominator has degree 5 > deg Q = 4"),
    ("rational 3,2,2,1", "x1*x2*x3/((x1+5*x2)*(2*x1-x2))", "fewer than d0 - 2 = 1"),
    ("rational 2,2,2,2", "x1^3/((x1+5*x2)*(2*x1-x2)); x2^3/((x1+5*x2)*(2*x1-x2))", "share a factor of degree 0"),
])
def test_non_members(spec, function, why):
    dec = decompose(parse_spec(spec), function, seed=0)
    assert dec.in_variety is False and dec.certainty == "exact" and why in dec.reason


def test_non_member_violates_the_common_factor_rank_bound():
    """Independent of the peeling: the stacked matrix [x_a P_i] of the last non-member above has
    rank 4 > 3 (the numerators x1^3, x2^3), so its 4-minors do not vanish."""
    import sympy

    x1, x2 = sympy.symbols("x1 x2")
    rows = [sympy.Poly(x * p, x1, x2).as_expr() for p in (x1 ** 3, x2 ** 3) for x in (x1, x2)]
    monos = [x1 ** (4 - k) * x2 ** k for k in range(5)]
    mat = sympy.Matrix([[sympy.Poly(r, x1, x2).coeff_monomial(mo) for mo in monos] for r in rows])
    assert mat.rank() == 4


def test_irrational_poles_give_numerical_weights():
    """Q = x1^2 + x2^2 splits only over Q(i): realized (distinct factors, exact), with complex
    weights checked against the forward pass of the network at complex inputs."""
    arch = parse_spec("rational 2,2,2,1")
    dec = decompose(arch, "x1*x2*(x1+x2)/(x1^2 + x2^2)", seed=0)
    assert dec.in_variety is True and dec.is_realized is True and not dec.exact_points
    assert len(dec.points) == _assignments(3, 1) and dec.residual < 1e-10
    from neuroalg.fields import COMPLEX

    x = np.array([[0.3 + 1.1j, -0.7 + 0.2j]])
    want = x[0, 0] * x[0, 1] * (x[0, 0] + x[0, 1]) / (x[0, 0] ** 2 + x[0, 1] ** 2)
    for point in dec.points:
        got = arch.forward(np.array(point), x, COMPLEX)[0, 0]
        assert abs(got - want) <= 1e-10 * abs(want)


def test_member_reports_exact_weights_and_fiber():
    arch = parse_spec("rational 2,2,2,1")
    res = member(arch, "(x1+x2)*(x1-2*x2)*(3*x1+x2)/((x1+5*x2)*(2*x1-x2))", seed=0)
    assert res.status.value == "certified" and res.is_realized and res.is_real_realized
    assert len(res.exact_parameters) == 3 and "3 points" in res.fiber
    rng = np.random.default_rng(0)
    first = list(res.exact_parameters[0])
    assert all(_same_function(arch, first, list(p), rng) for p in res.exact_parameters[1:])


def test_member_on_other_widths_uses_the_pq_coordinates():
    """(2,3,2,1): no decomposition; degree conditions exact, the rest undecided without the
    witness set; a wrong degree is still refuted exactly."""
    res = member("rational 2,3,2,1", "x1*x2*(x1-x2)*(x1+3*x2)*(x1-2*x2)/((x1+5*x2)*(2*x1-x2)*(x1+x2)*(x1-7*x2))",
                 seed=0, equation_degree=2)
    assert res.in_variety is None and res.is_realized is None and "method 'witness'" in res.reason
    assert member("rational 2,3,2,1", "1/x1", seed=0).in_variety is False
