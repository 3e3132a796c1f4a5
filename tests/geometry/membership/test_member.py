"""Membership and weight recovery on cases decided by hand (Sylvester, ranks of quadrics/matrices)."""

import numpy as np
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.fields import COMPLEX
from neuroalg.geometry.membership.member import member
from neuroalg.spec import parse_spec


def test_sum_of_two_cubes_recovers_real_weights():
    res = member("mlp 2,2,1 x^3", "(x1 + 2*x2)^3 - 2*(x1 - x2)^3", seed=3)
    assert res.in_variety and res.is_realized and res.n_real >= 1
    arch = parse_spec("mlp 2,2,1 x^3")
    x = np.random.default_rng(0).standard_normal((5, 2))
    want = (x[:, 0] + 2 * x[:, 1]) ** 3 - 2 * (x[:, 0] - x[:, 1]) ** 3
    for theta in res.parameters:
        got = np.asarray(arch.forward(np.array(theta), x, COMPLEX)).ravel()
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-7)


def test_tangential_cubic_is_in_the_closure_only():
    """x1^2 x2 has Waring rank 3: in V (V fills the binary cubics) but not a sum of 2 cubes.
    The witness-set test (diverging paths) and Sylvester's algorithm (exact) agree."""
    res = member("mlp 2,2,1 x^3", "x1^2*x2", seed=1, method="witness")
    assert res.in_variety is True and not res.is_realized and res.n_diverged > 0
    assert res.method == "witness set" and res.certainty == "numerical"
    res = member("mlp 2,2,1 x^3", "x1^2*x2", seed=1)
    assert res.in_variety is True and not res.is_realized and res.is_real_realized is False
    assert (res.method, res.certainty) == ("Sylvester", "exact")


def test_rank_three_quadric_is_not_a_sum_of_two_squares():
    res = member("mlp 3,2,1 x^2", "x1^2 + x2^2 + x3^2", seed=1, method="witness")
    assert res.in_variety is False and "equation" in res.reason and res.method == "equations"
    res = member("mlp 3,2,1 x^2", "x1^2 + x2^2 + x3^2", seed=1)
    assert res.in_variety is False and res.method == "symmetric rank" and "rank 3 > 2" in res.reason
    for method in ("witness", "auto"):
        assert member("mlp 3,2,1 x^2", "x1^2 - x2^2 + x1*x2", seed=1, method=method).is_realized


def test_unreachable_monomial_and_bad_input():
    assert member("mlp 2,2,1 x^3", "x1^2", seed=1).in_variety is False
    out = CliRunner().invoke(app, ["member", "mlp 2,2,1 x^3", "x1^3; x2^3"])
    assert out.exit_code == 2 and "1 outputs" in out.output
    out = CliRunner().invoke(app, ["member", "mlp 2,2,1 x^3", "sin(x1)"])
    assert out.exit_code == 2 and "'sin(x1)' is not allowed (a call)" in out.output
    out = CliRunner().invoke(app, ["member", "mlp 2,2,1 x^3", "x1^3", "--method", "guess"])
    assert out.exit_code == 2 and "method must be one of" in out.output
    out = CliRunner().invoke(app, ["member", "mlp 2,2,2,1 x^2", "x1^4", "--method", "decomposition"])
    assert out.exit_code == 2 and "no decomposition applies" in out.output
