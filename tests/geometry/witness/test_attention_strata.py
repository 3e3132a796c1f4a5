"""Singular and boundary points of one-layer attention, against independent routes: the
interpolated quartic of the d = 2 hypersurface (its gradient), the Segre variety's Hilbert
function, the Jacobian criterion with verified equations, the tangent test, and a numerical
distance to the real neuromanifold."""

from fractions import Fraction
from math import comb

import numpy as np
import pytest
import sympy
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.errors import SpecError
from neuroalg.geometry.equations import equations
from neuroalg.geometry.witness.attention_strata import _gauss, _weights, attention_singular
from neuroalg.geometry.witness.singular import singular
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec

PAPER = "attention l=1 d=2 a=2 t=2 out=1"  # the hypersurface of Henry-Marchetti-Kohn's example


def _by_name(res):
    return {s.name: s for s in res.strata}


def _value(phi, theta):
    """Phi at rational theta, exactly."""
    return [sum((Fraction(c) * np.prod([Fraction(int(t)) ** e for t, e in zip(theta, a)])
                 for a, c in poly.items()), Fraction(0)) for poly in phi.polys]


def _gradient(form: str, point) -> list:
    expr = sympy.sympify(form)
    ys = sympy.symbols(f"y0:{len(point)}")
    subs = dict(zip(ys, [sympy.Rational(v.numerator, v.denominator) for v in point]))
    return [sympy.diff(expr, y).subs(subs) for y in ys]


def _stratum_point(arch, rng, rank_a: int, rank_v: int):
    """Integer parameters (K, Q, V) with rank K^T Q <= rank_a and rank V <= rank_v."""
    d, a, out = arch.d, arch.a, arch.out
    k = rng.integers(-5, 6, (a, d))
    k[rank_a:] = 0
    q = rng.integers(-5, 6, (a, d))
    v = rng.integers(-5, 6, (out, rank_v)) @ rng.integers(-5, 6, (rank_v, d))
    return np.concatenate([k.ravel(), q.ravel(), v.ravel()])


def test_paper_hypersurface_singular_locus_is_the_proportional_pairs():
    """d = 2, t = 2, out = 1: V = {Res(F_1, F_2) = 0} in its 6-dimensional span. The strata say:
    rank Q^T K = 1 (pairs (e_1 q, e_2 q) of proportional quadrics, dimension 4), the aligned
    points inside it, and 0 are singular. Independently, the quartic found by interpolation has
    zero gradient exactly at stratum points and a nonzero one at generic points of V."""
    res = _by_name(attention_singular(PAPER, seed=0))
    assert res["rank Q^T K = 1"].is_singular is True and res["rank Q^T K = 1"].dimension == 4
    assert res["value row parallel to the key row"].is_singular is True
    assert res["V = 0 (the zero function)"].is_singular is True
    eq = equations(PAPER, degree=4, seed=0, structural=False)
    quartic = eq.generators[-1]
    one_quartic = comb(23, 4) - comb(9, 4) + 1  # (I_1)_4 (14 forms in 20 coordinates) + 1
    assert eq.parts[-1].upper == eq.parts[-1].lower == one_quartic
    arch, phi, rng = parse_spec(PAPER), expand(PAPER), np.random.default_rng(5)
    for _ in range(3):
        on = _value(phi, _stratum_point(arch, rng, 1, 1))
        assert all(g == 0 for g in _gradient(quartic, on))
        generic = _value(phi, _stratum_point(arch, rng, 2, 1))
        assert any(g != 0 for g in _gradient(quartic, generic))


def test_singular_locus_is_the_segre_cubic():
    """The singular stratum of the a = 2 variety is the a = 1 variety (K^T Q of rank one), whose
    ideal has the Hilbert function (d+1) C(d+2, 2) of the cone over P^1 x P^2: degree 3."""
    eq = equations("attention l=1 d=2 a=1 t=2 out=1", degree=3, seed=2, structural=False)
    hilbert = [p.hilbert_function for p in eq.parts]
    assert hilbert == [(k + 1) * (k + 2) * (k + 1) // 2 for k in (1, 2, 3)]  # 6, 18, 40: 3 k^3/3! + ...


@pytest.mark.parametrize("spec", [
    "attention l=1 d=2 a=2 t=2 out=2", "attention l=1 d=3 a=2 t=2 out=1",
    "attention l=1 d=3 a=3 t=2 out=1", "attention l=1 d=2 a=1 t=1 out=2",
    "attention l=1 d=3 a=2 t=1 out=1", "attention l=1 d=2 a=2 t=3 out=1",
])
def test_theorem_agrees_with_the_tangent_test(spec):
    """Wherever the tangent test (a proof, independent of the theorem) fires, the theorem says
    singular; no stratum is left undecided or contradicted on these sizes; a smooth verdict of
    the birational case has full Jacobian rank."""
    res = attention_singular(spec, seed=3)
    for s, why in zip(res.strata, res.reasons):
        assert s.is_singular is not None and "CONTRADICTED" not in why and "not confirmed" not in why
        if s.tangent_union_rank is not None and s.tangent_union_rank > res.dimension:
            assert s.is_singular is True
        if s.is_singular is False and "one preimage" in why:
            assert s.jacobian_rank == res.dimension


def test_smooth_strata_pass_the_jacobian_criterion_with_verified_equations():
    """d = 2, out = 2: V (dim 7) in C^40, codimension 33. The interpolated I_1 (28 forms) and
    I_2 (5 quadrics), verified exactly, with the four Sylvester resultants (quartics, verified
    exactly) have a Jacobian of rank 33 at points of the strata declared smooth (rank V = 1;
    rank Q^T K = 1 with rank V = 2): the Jacobian criterion proves them smooth, independently of
    the theorem. At rank V = rank A = 1 points (declared singular) the rank drops."""
    import flint

    spec = "attention l=1 d=2 a=2 t=2 out=2"
    arch, phi = parse_spec(spec), expand(spec)
    verdicts = _by_name(attention_singular(spec, seed=0))
    assert verdicts["rank V = 1"].is_singular is False and verdicts["rank Q^T K = 1"].is_singular is False
    assert verdicts["rank V = rank Q^T K = 1"].is_singular is True
    eq = equations(spec, degree=2, seed=0)
    assert [p.upper for p in eq.parts] == [28, 747] and all(p.is_certified for p in eq.parts)
    m = phi.n_coordinates
    ctx = flint.fmpq_mpoly_ctx.get(tuple(f"y{i}" for i in range(m)), "lex")
    ys = sympy.symbols(f"y0:{m}")
    polys = [ctx.from_dict({k: flint.fmpq(int(v.p), int(v.q)) for k, v in
                            sympy.Poly(sympy.sympify(g), *ys).as_dict().items()}) for g in eq.generators]
    quartics = [f for fam in eq.structural if "Sylvester" in fam.name for f in fam.polys]
    assert len(quartics) == 4
    polys += [ctx.from_dict(dict(f.to_dict())) for f in quartics]
    grads = [[f.derivative(i) for i in range(m)] for f in polys]
    rng = np.random.default_rng(1)
    for rank_a, rank_v, smooth in [(2, 2, True), (2, 1, True), (1, 2, True), (1, 1, False)]:
        point = [flint.fmpq(v.numerator, v.denominator) for v in _value(phi, _stratum_point(arch, rng, rank_a, rank_v))]
        rank = flint.fmpq_mat([[g(*point) for g in row] for row in grads]).rank()
        assert (rank == 33) is smooth


def test_real_neuromanifold_is_closed_and_misses_definite_quadrics():
    """The witness F_11 = z1^2 + z2^2 is Phi of complex weights (exactly) and lies at positive
    distance from M (a local least-squares search over real weights from many starts stays
    away), while the witnesses F_delta tend to a point of M as delta -> 0."""
    from scipy.optimize import least_squares

    res = attention_singular(PAPER, seed=0)
    b = res.boundary
    assert b.is_closed and not b.is_all_real_points and b.witness
    assert [dist for _, dist in b.sequence] == sorted((dist for _, dist in b.sequence), reverse=True)
    assert b.sequence[-1][1] < 1e-5
    phi, arch = expand(PAPER), parse_spec(PAPER)
    target = np.array([float(re) for re, _ in _gauss(phi, _weights(arch, Fraction(1)))])
    from neuroalg.geometry.witness.systems import image_system

    system = image_system(phi)
    rng = np.random.default_rng(0)
    best = min(least_squares(lambda th: system.evaluate(th[None])[0][0].real - target,
                             rng.standard_normal(arch.n_params)).cost for _ in range(20))
    assert best > 0.05  # 0.5 |Phi - F*|^2: the real weights never reach the witness


def test_single_token_witness_has_one_real_root():
    """t = 1, d = 2, a = 1: M is the binary cubics with three real roots ((v.x)(k.x)(q.x)); the
    witness x1 (x1^2 + x2^2) has negative discriminant: one real root, outside M."""
    res = attention_singular("attention l=1 d=2 a=1 t=1 out=1", seed=0)
    assert res.boundary.is_closed and not res.boundary.is_all_real_points
    x1, x2 = sympy.symbols("x1 x2")
    cubic = sum(sympy.Rational(v) * sympy.sympify(k.split(":")[1].replace("^", "**"))
                for k, v in res.boundary.witness)
    assert sympy.expand(cubic - x1 * (x1**2 + x2**2)) == 0
    assert sympy.discriminant(cubic.subs(x2, 1), x1) < 0
    full = attention_singular("attention l=1 d=2 a=2 t=1 out=1", seed=0).boundary
    assert full.is_all_real_points and not full.witness  # a = d: every real point is realized


def test_cli_singular_on_attention_and_deep_refused():
    out = CliRunner().invoke(app, ["singular", "attention l=1 d=2 a=2 t=2 out=2", "--json", "-q", "--seed", "0"])
    assert out.exit_code == 0
    import json

    data = json.loads(out.stdout)
    assert data["boundary"]["closed"] is True and data["status"] == "certified"
    assert {s["name"]: s["singular"] for s in data["strata"]}["rank V = 1"] is False
    with pytest.raises(SpecError, match="one lightning"):
        singular("attention l=2 d=2 a=1 t=2", seed=0)


@pytest.mark.slow
def test_issue_example_d3():
    """The issue's example: d = 3, a = 2, t = 2 (out = 3), 168 coordinates, dim 16."""
    res = _by_name(singular("attention l=1 d=3 a=2 t=2", seed=0))
    assert {n: s.is_singular for n, s in res.items()} == {
        "rank Q^T K = 1": True, "rank V = 2": False, "rank V = 1": False,
        "rank V = rank Q^T K = 1": True, "value row parallel to the key row": True,
        "V = 0 (the zero function)": True}
    assert res["rank Q^T K = 1"].tangent_union_rank > 16  # proven by the tangent test too
