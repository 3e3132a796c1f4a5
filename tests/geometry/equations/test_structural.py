"""Structural generators against independent constructions (issue 7, item 3)."""

import json
import re

import flint
import numpy as np
import pytest
import sympy
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.geometry.equations import equations
from neuroalg.geometry.equations import structural as st
from neuroalg.geometry.equations.rational_map import rational_map
from neuroalg.geometry.membership.member import member
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec


def _coords(labels):
    """{(output, exponent tuple): index} parsed from the printed labels 'y2:x1^2*x3^1' (and
    'P2:x1^1', 'Q:x1^2' for 1/x networks: output 2, resp. "Q")."""
    out = {}
    for i, lab in enumerate(labels):
        k, mono = lab.split(":")
        e = {}
        for part in mono.split("*"):
            if part != "1":
                var, power = re.fullmatch(r"x(\d+)\^(\d+)", part).groups()
                e[int(var)] = int(power)
        out[("Q" if k == "Q" else int(k[1:]), tuple(sorted(e.items())))] = i
    return out


def _span_rank(exprs, ys):
    """Rank of the coefficient vectors of the polynomials ``exprs`` (exact, sympy)."""
    polys = [sympy.Poly(sympy.sympify(e), *ys) for e in exprs]
    monos = sorted({m for p in polys for m in p.monoms()})
    return sympy.Matrix([[p.coeff_monomial(m) for m in monos] for p in polys]).rank()


def _proportional(a, b, ys, rng, n=5):
    """a / b takes one nonzero value at n random integer points (both nonzero there)."""
    fa, fb = sympy.lambdify(ys, sympy.sympify(a)), sympy.lambdify(ys, sympy.sympify(b))
    ratios = set()
    for _ in range(n):
        pt = [sympy.Integer(int(v)) for v in rng.integers(-20, 21, size=len(ys))]
        va, vb = sympy.nsimplify(fa(*pt)), sympy.nsimplify(fb(*pt))
        assert va != 0 and vb != 0
        ratios.add(va / vb)
    return len(ratios) == 1


def test_222_cubic_is_four_maximal_minors_of_the_stacked_catalecticant():
    """Issue 7: (2,2,2) x^3 is cut out by the 4 maximal minors of [Cat(f1) | Cat(f2)] (3x4)."""
    res = equations("mlp 2,2,2 x^3", degree=3, seed=5)
    (fam,) = res.structural
    assert fam.name == "stacked catalecticant k=2" and (len(fam.matrix), len(fam.matrix[0])) == (3, 4)
    assert fam.rank_bound == 2 and fam.degree == 3 and fam.n_generators == 4
    assert fam.cuts_out == "set" and res.structural_claim == "set"  # binary forms (Sylvester)
    # independent: Cat(f) of a binary cubic, entries c_gamma gamma!/3!, rows x1^2, x1x2, x2^2
    idx = _coords(res.coordinates)
    ys = sympy.symbols(f"y0:{len(res.coordinates)}")

    def c(k, a, b):
        return ys[idx[(k, tuple((v, e) for v, e in ((1, a), (2, b)) if e))]]

    cat = [sympy.Matrix([[c(k, 3, 0), c(k, 2, 1) / 3], [c(k, 2, 1) / 3, c(k, 1, 2) / 3],
                         [c(k, 1, 2) / 3, c(k, 0, 3)]]) for k in (1, 2)]
    stacked = cat[0].row_join(cat[1])
    minors = [stacked[:, list(cols)].det() for cols in [(0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3)]]
    assert _span_rank(minors, ys) == 4
    assert _span_rank(minors + list(fam.generators), ys) == 4  # the same space
    assert _span_rank(minors + list(res.generators), ys) == 4  # = the interpolated I_3
    (x,) = res.structural_span
    assert (x.degree, x.rank, x.is_exact, x.spans) == (3, 4, True, True)
    assert "= proven upper bound" in x.evidence


def test_321_square_is_the_symmetric_determinant():
    res = equations("mlp 3,2,1 x^2", degree=3, seed=2)
    (fam,) = res.structural
    assert fam.n_generators == 1 and fam.degree == 3 and fam.cuts_out == "ideal"
    idx = _coords(res.coordinates)
    ys = sympy.symbols("y0:6")

    def c(e):
        return ys[idx[(1, tuple(sorted(e.items())))]]

    a = sympy.Matrix([[c({1: 2}), c({1: 1, 2: 1}) / 2, c({1: 1, 3: 1}) / 2],
                      [c({1: 1, 2: 1}) / 2, c({2: 2}), c({2: 1, 3: 1}) / 2],
                      [c({1: 1, 3: 1}) / 2, c({2: 1, 3: 1}) / 2, c({3: 2})]])
    ratio = sympy.simplify(sympy.sympify(fam.generators[0]) / a.det())
    assert ratio.is_number and ratio != 0
    assert res.structural_span[-1].spans is True


def test_351_quartic_catalecticant_determinant():
    """Issue 7: (3,5,1) x^4 lies on the degree-6 determinant of the 6x6 catalecticant (Clebsch)."""
    arch = parse_spec("mlp 3,5,1 x^4")
    phi = expand(arch)
    rng = np.random.default_rng(11)
    families, notes = st.structural(arch, phi, rng=rng)
    (fam,) = families
    assert (len(fam.matrix), len(fam.matrix[0])) == (6, 6) and fam.degree == 6
    assert fam.n_generators == 1 and notes == []
    # V is a hypersurface and the determinant is irreducible: it generates I(V)
    assert fam.cuts_out == "ideal" and "dim V >= 14 proven" in fam.verification
    ys = sympy.symbols(f"y0:{phi.n_coordinates}")
    g = sympy.lambdify(ys, sympy.sympify(fam.generators[0]))
    idx = _coords(phi.labels)
    x = sympy.symbols("x1:4")
    for _ in range(2):  # vanishes at points sum_i v_i (w_i . x)^4 built here, independently
        w = rng.integers(-5, 6, size=(5, 3))
        v = rng.integers(-5, 6, size=5)
        f = sympy.Poly(sum(int(v[i]) * sum(int(w[i, j]) * x[j] for j in range(3)) ** 4
                           for i in range(5)), *x)
        point = [0] * phi.n_coordinates
        for mono, coef in f.terms():
            point[idx[(1, tuple((j + 1, e) for j, e in enumerate(mono) if e))]] = int(coef)
        assert g(*point) == 0
    assert g(*[int(v) for v in rng.integers(-5, 6, size=phi.n_coordinates)]) != 0  # nonzero


def test_351_in_equations_output_beyond_the_interpolated_degrees():
    res = equations("mlp 3,5,1 x^4", degree=2, seed=0)
    assert [p.upper for p in res.parts] == [0, 0]
    (fam,) = res.structural
    assert fam.degree == 6 and res.structural_span == () and res.structural_claim == "ideal"
    text = str(res)
    assert "not compared: generators of degree 6 > 2" in text and "6x6 matrix" in text


def test_lcn_stride_two_resultant():
    """cnn k=3,2 s=2: U(t) = P(t)(a + b t^2), so Res(u0 + u2 s + u4 s^2, u1 + u3 s) = 0."""
    res = equations("cnn k=3,2 s=2,1 x", degree=3, seed=1)
    assert [p.upper for p in res.parts] == [0, 0, 1]
    (fam,) = res.structural
    assert fam.name.startswith("LCN resultant") and fam.cuts_out == "ideal"
    idx = _coords(res.coordinates)
    ys = sympy.symbols("y0:5")
    u = [ys[idx[(1, ((n + 1, 1),))]] for n in range(5)]
    s = sympy.Symbol("s")
    resultant = sympy.resultant(u[0] + u[2] * s + u[4] * s**2, u[1] + u[3] * s, s)
    rng = np.random.default_rng(0)
    assert _proportional(fam.generators[0], resultant, ys, rng)
    assert _proportional(res.generators[0], resultant, ys, rng)
    assert res.structural_span[0].spans is True


@pytest.mark.parametrize("spec, degree, claim", [
    ("cnn k=3,3 s=2,1 x", 3, "set"),        # common quadratic factor: 4 subresultant minors
    ("cnn k=4,2 s=3,1 x", 3, ""),           # three parts with a common root (a quadric, cubics)
    ("cnn k=3,2 s=2,2 x out=2", 3, "ideal"),  # shifted outputs + the resultant
    ("linear 2,1,1,2", 3, "ideal"),         # rank <= 1: the 2x2 determinant
])
def test_structural_spans_the_interpolated_ideal(spec, degree, claim):
    res = equations(spec, degree=degree, seed=4)
    assert res.structural and res.structural_claim == claim
    spans = {x.degree: x.spans for x in res.structural_span}
    for p in res.parts:
        if p.upper:
            assert spans[p.degree] is True, (spec, p.degree)


def test_lcn_with_stride_one_fills():
    res = equations("cnn k=3,2 s=1,1 x", degree=2, seed=0)
    assert [p.upper for p in res.parts] == [0, 0] and res.structural == ()
    assert any("over C the filters fill" in n and "over R they fill too" in n for n in res.notes)
    # two even filter sizes: a positive quadratic U = (t^2 + 1) has no real factorization
    arch = parse_spec("cnn k=2,2 s=1,1 x")
    (note,) = st.structural(arch, expand(arch), rng=np.random.default_rng(0))[1]
    assert "over R they do not fill" in note


def test_no_structural_generators_for_other_architectures():
    res = equations("mlp 2,2,1 x^3+x^2", degree=3, seed=0)
    assert res.structural == () and res.parts[-1].upper == 1
    assert "structural" in res.to_dict() and res.to_dict()["structural"] == []
    for spec in ["linear 3,4", "linear 3,2,4 bias", "mlp 2,2,1 x^2 bias", "cnn k=3,2 s=2,1 x^2"]:
        arch = parse_spec(spec)
        assert st.structural(arch, expand(arch), rng=np.random.default_rng(0)) == ([], [])


def test_a_wrong_rank_bound_is_caught(monkeypatch):
    """The exact check at a point of V refuses a family whose minors do not vanish."""
    arch = parse_spec("mlp 2,2,2 x^3")
    phi = expand(arch)
    (good,), _ = st._candidates(arch, phi)
    bad = st._Candidate("bad", "rank <= 1 (false)", good.entries, 1, good.proof)
    monkeypatch.setattr(st, "_candidates", lambda a, p: ([bad], []))
    families, notes = st.structural(arch, phi, rng=np.random.default_rng(0))
    assert families == [] and "does not vanish" in notes[0]


def test_cli_structural():
    out = CliRunner().invoke(app, ["equations", "cnn k=3,2 s=2,1 x", "-d", "3", "--json", "--seed", "1"])
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    (fam,) = data["structural"]
    assert fam["rank_bound"] == 2 and fam["degree"] == 3 and fam["cuts_out"] == "ideal"
    assert data["structural_span"][0]["spans"] is True and "matrix" in fam["matrix_latex"]
    tex = CliRunner().invoke(app, ["equations", "mlp 2,2,2 x^3", "-d", "3", "--latex", "-q"])
    assert tex.exit_code == 0 and "% stacked catalecticant k=2: rank <= 2" in tex.stdout
    off = CliRunner().invoke(app, ["equations", "mlp 3,2,1 x^2", "-d", "3", "--json",
                                   "--no-structural"])
    assert off.exit_code == 0 and json.loads(off.stdout)["structural"] == []


def test_structural_rank_is_a_lower_bound_when_generators_are_not_interpolated():
    """With --max-generators below N_3 only the upper bound is interpolated; the 4 verified
    minors of the stacked catalecticant certify dim I_3 = 4."""
    res = equations("mlp 2,2,2 x^3", degree=3, seed=5, max_generators=100)
    part = res.parts[-1]
    assert res.generators == () and (part.lower, part.upper) == (4, 4) and part.is_certified
    assert any("lower bound 4 from the structural generators" in n for n in res.notes)
    plain = equations("mlp 2,2,2 x^3", degree=3, seed=5, max_generators=100, structural=False)
    assert plain.parts[-1].lower is None and not plain.parts[-1].is_certified


# --- 1/x networks: the determinant/adjugate stack ----------------------------------------------
def _coefficient_point(labels, numerators, denominator, xs):
    """Coordinates of (P_1, .., P_m, Q) given as sympy expressions, placed by the labels."""
    idx = _coords(labels)
    point = [sympy.Integer(0)] * len(labels)
    for k, expr in list(enumerate(numerators, start=1)) + [("Q", denominator)]:
        for mono, coef in sympy.Poly(expr, *xs).terms():
            point[idx[(k, tuple((j + 1, e) for j, e in enumerate(mono) if e))]] = coef
    return point


def _network_point(arch, rng):
    """(P, Q) of a random integer network, from f_i = sum_j W2[i,j] / l_j by sympy (independent of
    the code's expansion); and the stacked matrix [dQ/dx_k; P_i] in the monomials of degree h-1."""
    d0, h, m = arch.widths
    xs = sympy.symbols(f"x1:{d0 + 1}")
    w1 = rng.integers(-30, 31, size=(h, d0))  # wide: proportional rows of W1 are rare
    w2 = rng.integers(-30, 31, size=(m, h))
    forms = [sum(int(w1[j, k]) * xs[k] for k in range(d0)) for j in range(h)]
    q = sympy.expand(sympy.Mul(*forms))
    ps = [sympy.expand(sympy.cancel(sum(int(w2[i, j]) / forms[j] for j in range(h)) * q))
          for i in range(m)]
    monos = sorted(sympy.itermonomials(xs, h - 1, h - 1), key=sympy.default_sort_key)
    rows = [sympy.Poly(sympy.diff(q, x), *xs) for x in xs] + [sympy.Poly(p, *xs) for p in ps]
    stacked = sympy.Matrix([[r.coeff_monomial(mo) for mo in monos] for r in rows])
    return ps, q, xs, stacked


def _values(polys, point):
    vals = [flint.fmpq(int(sympy.fraction(v)[0]), int(sympy.fraction(v)[1])) for v in point]
    return [f(*vals) for f in polys]


@pytest.mark.parametrize("spec, shape, bound, n_gen, claim", [
    ("rational 3,2,1", (4, 3), 2, 4, "set"),
    ("rational 3,2,2", (5, 3), 2, 10, "set"),
    ("rational 3,3,1", (4, 6), 3, 15, ""),
    ("rational 3,4,2", (5, 10), 4, 252, ""),   # h > d0: the P_i are not in the span of dQ/dx
])
def test_rational_adjugate_stack_rank_is_attained_and_minors_vanish_exactly_on_v(
        spec, shape, bound, n_gen, claim):
    arch = parse_spec(spec)
    phi = rational_map(arch)
    rng = np.random.default_rng(13)
    (fam,), notes = st.structural(arch, phi, rng=rng)
    assert (len(fam.matrix), len(fam.matrix[0])) == shape and notes == []
    assert fam.rank_bound == bound and fam.n_generators == n_gen and fam.cuts_out == claim
    assert fam.degree == bound + 1
    ys = sympy.symbols(f"y0:{phi.n_coordinates}")
    for _ in range(2):
        ps, q, xs, stacked = _network_point(arch, rng)
        assert stacked.rank() == bound  # the bound is attained (independent matrix)
        point = _coefficient_point(phi.labels, ps, q, xs)
        code_matrix = sympy.Matrix([[sympy.sympify(e).subs(dict(zip(ys, point))) for e in row]
                                    for row in fam.matrix])
        assert code_matrix.rank() == bound and code_matrix.rank() == stacked.rank()
        assert all(v == 0 for v in _values(fam.polys, point))
        d0 = arch.widths[0]
        if arch.widths[1] > d0:  # partials span d0 < h dimensions; P_1 lies outside their span
            assert stacked[:d0, :].rank() == d0 and stacked[:d0 + 1, :].rank() == d0 + 1
    ambient = [sympy.Integer(int(v)) for v in rng.integers(-9, 10, size=phi.n_coordinates)]
    assert any(v != 0 for v in _values(fam.polys, ambient))


def test_rational_321_adjugate_minors_are_the_interpolated_cubics():
    """rational 3,2,1: Q = l1 l2 is a rank-2 ternary quadric and P lies in the span of its
    partials: the 3-minors of [grad Q; P] (4x3) contain det(Hessian of Q) and span I_3 (dim 4);
    no equations of degree <= 2 (codimension 2 cone of dimension dim + 1 = 7 in C^9)."""
    res = equations("rational 3,2,1", degree=3, seed=1)
    assert [p.upper for p in res.parts] == [0, 0, 4] and all(p.is_certified for p in res.parts)
    (fam,) = res.structural
    assert fam.name == "1/x adjugate stack" and res.structural_claim == "set"
    ys = sympy.symbols(f"y0:{len(res.coordinates)}")
    idx = _coords(res.coordinates)
    xs = sympy.symbols("x1:4")
    q = sum(ys[i] * sympy.Mul(*[xs[v - 1] ** e for v, e in mono]) for (k, mono), i in idx.items() if k == "Q")
    p = sum(ys[i] * sympy.Mul(*[xs[v - 1] ** e for v, e in mono]) for (k, mono), i in idx.items() if k == 1)
    grad = [sympy.Poly(sympy.diff(q, x), *xs) for x in xs]
    stacked = sympy.Matrix([[r.coeff_monomial(x) for x in xs] for r in grad + [sympy.Poly(p, *xs)]])
    minors = [stacked[list(rows), :].det() for rows in [(0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3)]]
    hessian = sympy.hessian(q, xs).det()
    assert _span_rank(minors, ys) == 4
    assert _span_rank(minors + [hessian], ys) == 4
    assert _span_rank(minors + list(fam.generators), ys) == 4
    assert _span_rank(minors + list(res.generators), ys) == 4
    (x,) = res.structural_span
    assert (x.degree, x.rank, x.spans) == (3, 4, True)


def test_rational_322_adjugate_minors_span_the_interpolated_cubics():
    res = equations("rational 3,2,2", degree=3, seed=2)
    assert [p.upper for p in res.parts] == [0, 0, 10] and all(p.is_certified for p in res.parts)
    assert res.structural_span[0].spans is True and res.structural_claim == "set"


def test_rational_331_minors_do_not_cut_v_out():
    """h = 3: the smooth cubic x1^3 + x2^3 + x3^3 has 3 essential variables, so (P, Q) =
    (x1^2, x1^3 + x2^3 + x3^3) satisfies every 4-minor, but Q is not a product of linear
    forms: not in V (decided exactly by partial fractions)."""
    arch = parse_spec("rational 3,3,1")
    phi = rational_map(arch)
    (fam,), _ = st.structural(arch, phi, rng=np.random.default_rng(0))
    xs = sympy.symbols("x1:4")
    point = _coefficient_point(phi.labels, [xs[0] ** 2], xs[0] ** 3 + xs[1] ** 3 + xs[2] ** 3, xs)
    assert all(v == 0 for v in _values(fam.polys, point))
    res = member(arch, "x1^2/(x1^3 + x2^3 + x3^3)", seed=0)
    assert res.in_variety is False and res.certainty == "exact"
    assert fam.cuts_out == "" and "not claimed to cut V out" in fam.statement


def test_rational_without_minors_and_deep_rational():
    res = equations("rational 2,2,1", degree=3, seed=0)  # fills (see test_rational_map)
    assert [p.upper for p in res.parts] == [0, 0, 0] and res.structural == ()
    assert any("rank <= 2 trivially" in n for n in res.notes)
    out = CliRunner().invoke(app, ["equations", "rational 2,2,2,1", "-d", "2", "--json", "--seed", "0"])
    assert out.exit_code == 0  # deep: fills (the deep binary classification), no equations
    data = json.loads(out.stdout)
    assert [p["upper"] for p in data["parts"]] == [0, 0] and data["structural"] == []


def test_cli_rational_structural():
    out = CliRunner().invoke(app, ["equations", "rational 3,2,1", "-d", "3", "--json", "--seed", "3"])
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    (fam,) = data["structural"]
    assert fam["name"] == "1/x adjugate stack" and fam["rank_bound"] == 2
    assert data["coordinates"][-1] == "Q:x1^2" and data["structural_claim"] == "set"
    assert data["structural_span"][0]["spans"] is True
