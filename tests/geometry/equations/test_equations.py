"""Equations of neurovarieties against the literature (issue 7 validation values)."""

from fractions import Fraction

import numpy as np
import pytest
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.geometry.equations import equations
from neuroalg.linalg.exact import rational_reconstruction
from neuroalg.polymap import expand, vanishes_on


@pytest.mark.parametrize("spec, degree, counts, source", [
    ("mlp 3,2,1 x^2", 3, [0, 0, 1], "rank <= 2 ternary quadrics: det of the symmetric 3x3 matrix"),
    ("mlp 2,2,2 x^3", 3, [0, 0, 4], "4 maximal minors of the stacked 3x4 catalecticant"),
    ("linear 3,2,3", 3, [0, 0, 1], "rank <= 2 3x3 matrices: the determinant"),
    ("mlp 2,2,1 x^3+x^2", 3, [0, 0, 1], "a cubic hypersurface in C^7 (#params 6)"),
])
def test_ideal_in_low_degree(spec, degree, counts, source):
    res = equations(spec, degree=degree, seed=3)
    assert [p.upper for p in res.parts] == counts, source
    assert all(p.is_certified for p in res.parts)
    assert len(res.generators) == sum(counts)


def test_symmetric_determinant_is_found():
    res = equations("mlp 3,2,1 x^2", degree=3, seed=0)
    import sympy

    (form,) = res.generators
    y = sympy.symbols("y0:6")
    # coordinates: coefficients of x3^2, x2x3, x2^2, x1x3, x1x2, x1^2 (see res.coordinates)
    assert [c.split(":")[1] for c in res.coordinates] == ["x3^2", "x2^1*x3^1", "x2^2", "x1^1*x3^1",
                                                         "x1^1*x2^1", "x1^2"]
    a = sympy.Matrix([[y[5], y[4] / 2, y[3] / 2], [y[4] / 2, y[2], y[1] / 2], [y[3] / 2, y[1] / 2, y[0]]])
    ratio = sympy.simplify(sympy.sympify(form) / a.det())
    assert ratio.is_number and ratio != 0


def test_verification_rejects_a_wrong_form():
    phi = expand("mlp 3,2,1 x^2")
    monomials = np.array([[0, 0, 1]])
    assert not vanishes_on(phi, monomials, [Fraction(1)])


def test_rational_reconstruction():
    m = 1000003 * 1000033
    for q in [Fraction(3, 7), Fraction(-22, 9), Fraction(5)]:
        a = q.numerator * pow(q.denominator, -1, m) % m
        assert rational_reconstruction(a, m) == q


def test_no_cubics_for_333_square():
    res = equations("mlp 3,3,3 x^2", degree=3, seed=1)
    assert [p.upper for p in res.parts] == [0, 0, 0] and all(p.is_certified for p in res.parts)


@pytest.mark.slow
def test_nine_quartics_for_333_square():
    """Issue 7 / literature: (3,3,3) x^2 has 9 independent quartics (about 80 s, 2 GB)."""
    res = equations("mlp 3,3,3 x^2", degree=4, seed=1)
    assert res.parts[-1].upper == res.parts[-1].lower == 9 and len(res.generators) == 9


def test_cli_equations():
    out = CliRunner().invoke(app, ["equations", "mlp 2,2,2 x^3", "--degree", "3", "--json"])
    assert out.exit_code == 0
    import json

    data = json.loads(out.stdout)
    assert data["certified"] and [p["upper"] for p in data["parts"]] == [0, 0, 4]
    assert len(data["generators_latex"]) == 4 and "y_{" in data["generators_latex"][0]
    tex = CliRunner().invoke(app, ["equations", "mlp 3,2,1 x^2", "-d", "3", "--latex", "-q"])
    assert tex.exit_code == 0 and "y_{0}" in tex.stdout
    bad = CliRunner().invoke(app, ["equations", "mlp 2,2,2 x^3", "--degree", "0"])
    assert bad.exit_code == 2 and "degree" in bad.output
