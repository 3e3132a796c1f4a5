"""options.py: each validator accepts what it documents and names the option when it refuses."""

import json

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.options import (
    check_choice,
    check_float,
    check_input_path,
    check_int,
    check_keys,
    check_matrix,
    check_output_path,
    load_json,
    optional_import,
)


def test_check_int():
    assert check_int(np.int64(3), "k", low=0) == 3
    for bad, match in [(True, "must be an integer"), (2.0, "must be an integer"),
                       (-1, r"k must be an integer in \[0, inf\)")]:
        with pytest.raises(SpecError, match=match):
            check_int(bad, "k", low=0)


def test_check_float_intervals_and_non_finite():
    assert check_float("0.5", "alpha", low=0, high=1, open_low=True) == 0.5
    with pytest.raises(SpecError, match=r"alpha must be a finite number in \(0, 1\]; got 0"):
        check_float(0, "alpha", low=0, high=1, open_low=True)
    for bad in ("nan", float("inf"), "x"):
        with pytest.raises(SpecError, match="alpha must be"):
            check_float(bad, "alpha")


def test_check_choice():
    assert check_choice("unit", "metric", ("generic", "unit")) == "unit"
    with pytest.raises(SpecError, match="metric must be one of generic, unit; got 'data'"):
        check_choice("data", "metric", ("generic", "unit"))


def test_paths(tmp_path):
    out = tmp_path / "r.json"
    assert check_output_path(out, "--out") == out
    with pytest.raises(SpecError, match="is a folder"):
        check_output_path(tmp_path, "--out")
    with pytest.raises(SpecError, match="does not exist; create it first"):
        check_output_path(tmp_path / "missing" / "r.json", "--out")
    with pytest.raises(SpecError, match="--data: file .* does not exist"):
        check_input_path(tmp_path / "nope.json", "--data")


def test_load_json_rejects_nan_and_reports_the_line(tmp_path):
    good = tmp_path / "a.json"
    good.write_text(json.dumps({"X": [[1, 2]]}))
    assert load_json(good, "--data") == {"X": [[1, 2]]}
    bad = tmp_path / "b.json"
    bad.write_text('{"X": [NaN]}')
    with pytest.raises(SpecError, match="NaN is not allowed"):
        load_json(bad, "--data")
    broken = tmp_path / "c.json"
    broken.write_text('{\n"X": [1,\n}')
    with pytest.raises(SpecError, match="is not JSON .* at line 3"):
        load_json(broken, "--data")
    binary = tmp_path / "d.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(SpecError, match="not a text file"):
        load_json(binary, "--data")


def test_check_keys():
    assert check_keys({"X": 1}, "--data", required=("X",), optional=("y",)) == {"X": 1}
    with pytest.raises(SpecError, match="unknown key 'z'"):
        check_keys({"X": 1, "z": 2}, "--data", required=("X",))
    with pytest.raises(SpecError, match="missing key 'X'"):
        check_keys({}, "--data", required=("X",))
    with pytest.raises(SpecError, match="expected a JSON object"):
        check_keys([1], "--data", required=("X",))


def test_check_matrix():
    assert check_matrix([[1, 2], [3, 4]], "X", shape=(None, 2)).shape == (2, 2)
    with pytest.raises(SpecError, match="all rows of equal length"):
        check_matrix([[1, 2], [3]], "X")
    with pytest.raises(SpecError, match="finite numbers"):
        check_matrix([[1, float("nan")]], "X")
    with pytest.raises(SpecError, match="2 entries along axis 1"):
        check_matrix([[1, 2, 3]], "X", shape=(None, 2))
    with pytest.raises(SpecError, match="a list of numbers; got an array of shape"):
        check_matrix([[1]], "x", ndim=1)


def test_optional_import_names_the_extra():
    assert optional_import("json", extra="x", purpose="p") is json
    with pytest.raises(SpecError, match=r"pip install 'neuroalg\[plot\]'"):
        optional_import("surely_not_a_module_here", extra="plot", purpose="Plotting")
