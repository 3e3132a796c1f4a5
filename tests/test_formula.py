"""The whitelist formula parser: exact values for allowed text, one-line errors for the rest."""

from fractions import Fraction

import pytest
import sympy

from neuroalg.errors import SpecError
from neuroalg.formula import parse_formula

X = ["x1", "x2"]


@pytest.mark.parametrize("text, expected", [
    ("x1^2 - 0.5*x2", "x1**2 - x2/2"),
    ("(x1 + 2*x2)**3", "(x1 + 2*x2)**3"),
    ("-x1 - -x2 + 3", "-x1 + x2 + 3"),
    ("1e-3*x1", "x1/1000"),
    ("2^-3 * x1", "x1/8"),
    (".5*x1 + 1.", "x1/2 + 1"),
    ("x1*-x2", "-x1*x2"),
])
def test_allowed_formulas_are_exact(text, expected):
    x1, x2 = sympy.symbols("x1 x2")
    assert sympy.expand(parse_formula(text, X) - sympy.sympify(expected, locals={"x1": x1, "x2": x2})) == 0


def test_decimals_are_read_exactly():
    assert parse_formula("0.1", X) == sympy.Rational(1, 10)
    assert Fraction(str(parse_formula("3.14159", X))) == Fraction("3.14159")


def test_rational_functions_only_when_asked():
    x1, x2 = sympy.symbols("x1 x2")
    expr = parse_formula("1/(x1 + x2) - 2/x1", X, rational=True)
    assert sympy.simplify(expr - (1 / (x1 + x2) - 2 / x1)) == 0
    with pytest.raises(SpecError, match="division by a non-constant"):
        parse_formula("1/x1", X)
    with pytest.raises(SpecError, match="negative powers"):
        parse_formula("x1^-2", X)


def test_long_sums_do_not_nest():
    expr = parse_formula(" + ".join(["x1*x2"] * 20000) + " - 3", X)
    assert expr == 20000 * sympy.Symbol("x1") * sympy.Symbol("x2") - 3


@pytest.mark.parametrize("text, why", [
    ("__import__('os').system('echo pwned')", "a call"),
    ("x1.__class__", "attribute access"),
    ("x1[0]", "indexing"),
    ("lambda: 1", "a lambda"),
    ("[x for x in (1,)]", "a comprehension"),
    ("(y := 2)", "an assignment"),
    ("x1 if x1 else x2", "a conditional"),
    ("x1 == 1", "a comparison"),
    ("x1 and x2", "a boolean operator"),
    ("'abc'", "a string"),
    ("f'{x1}'", "a string"),
    ("1j", "not a real number"),
    ("True", "not a real number"),
    ("__builtins__", "names starting with _"),
    ("x3", "not a variable here"),
    ("open", "not a variable here"),
    ("x1 // 2", "FloorDiv"),
    ("x1 % 2", "Mod"),
    ("x1 << 2", "LShift"),
    ("~x1", "only unary"),
    ("x1^99999999", "degree may reach 99999999"),
    ("(x1 + x2)^150 * (x1 + x2)^150", "degree may reach 300"),
    ("9^9^9^9", "constant exponents"),
    ("1e99999999", "decimal exponents"),
    ("x1^x2", "exponents must be integers"),
    ("x1^0.5", "exponents must be integers"),
    ("1/(x1 - x1 + 0)", "division by zero"),
    ("0^-1", "division by zero"),
    ("0x1f", "write numbers"),
])
def test_everything_else_is_refused_by_name(text, why):
    with pytest.raises(SpecError, match="not allowed") as info:
        parse_formula(text, X, rational=(why == "division by zero"))
    assert why in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("text, why", [
    ("", "empty"), ("x1 +", "no term after it"), ("(x1", "unbalanced"), ("x1)", "unbalanced"),
    ("2x1", "write products with"), ("x1; x2", "syntax error"), ("x1 = 2", "syntax error"),
    ("x1\nx2", "one line"), ("(" * 500 + "x1" + ")" * 500, "cannot read"),
])
def test_unreadable_text_gets_one_line(text, why):
    with pytest.raises(SpecError, match=why) as info:
        parse_formula(text, X)
    assert "\n" not in str(info.value)


def test_free_variables_when_none_declared():
    expr = parse_formula("a*b^2 - c", None)
    assert sorted(map(str, expr.free_symbols)) == ["a", "b", "c"]
    with pytest.raises(SpecError, match="names starting with _"):
        parse_formula("_a + 1", None)
