"""report.py: strict JSON (no NaN/Infinity anywhere, with the reason recorded) and the text form."""

import json
from dataclasses import dataclass

import numpy as np

from neuroalg.report import Report, to_json


def test_to_json_replaces_non_finite_values_and_records_where():
    data = {"a": float("inf"), "b": [1.0, float("nan")], "c": {"d": np.float64(-np.inf)},
            "e": np.arange(3), "f": complex(1, float("inf")), "g": None}
    text = to_json(data)
    out = json.loads(text, parse_constant=lambda t: (_ for _ in ()).throw(ValueError(t)))
    assert out["a"] is None and out["b"] == [1.0, None] and out["c"] == {"d": None}
    assert out["e"] == [0, 1, 2] and out["f"] == [1.0, None] and out["g"] is None
    assert out["nonfinite"] == {"a": "inf", "b.1": "nan", "c.d": "-inf", "f.im": "inf"}


def test_finite_data_gets_no_nonfinite_key():
    assert json.loads(to_json({"x": 1.5})) == {"x": 1.5}


def test_report_text_has_headline_and_aligned_lines():
    @dataclass(frozen=True)
    class R(Report):
        n: int

        def headline(self):
            return f"n = {self.n}"

        def lines(self):
            return [("why", "because"), ("longer label", "x")]

    text = str(R(3))
    first, *rest = text.splitlines()
    assert first == "n = 3" and len(rest) == 2
    assert rest[0].index("because") == rest[1].index("x")  # values start in one column
