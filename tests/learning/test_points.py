"""Parameter points typed by users are read exactly, or refused in one line."""

from fractions import Fraction

import pytest

from neuroalg.errors import SpecError
from neuroalg.learning.points import parse_point, show
from neuroalg.spec import parse_spec

NET = parse_spec("mlp 1,1,1 x^2")  # two parameters


def test_decimals_and_fractions_are_exact():
    assert parse_point("0.1, -1/3", NET) == (Fraction(1, 10), Fraction(-1, 3))
    assert parse_point([0.5, "2"], NET) == (Fraction(1, 2), Fraction(2))
    assert parse_point([0.1, 3], NET)[0] == Fraction(0.1)  # a float is its binary value
    assert [show(v) for v in parse_point("4; 6/8", NET)] == ["4", "3/4"]


@pytest.mark.parametrize("values, match", [
    ("1", "has 2 parameters"), ("1, x", "entry 2"), ("1, 1e999", "entry 2"),
    ("1, 1/0", "entry 2"), ([True, 1], "entry 1"), ("1, " + "1" * 61, "entry 2"),
    (3.0, "must be 2 numbers"), ([float("nan"), 1], "entry 1"),
])
def test_bad_points(values, match):
    with pytest.raises(SpecError, match=match):
        parse_point(values, NET)
