"""neuroalg solve: options reach the engine, the counts are the known ones, errors are one line."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from neuroalg.cli import app

runner = CliRunner()


def test_katsura_json_keys_and_count():
    res = runner.invoke(app, ["solve", "katsura 3", "--json", "--seed", "1"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["n_solutions"] == d["value"] == 8 == 2**3  # Katsura: 2^n
    assert d["n_certified"] == 8 and d["status"] == "numerical" and d["seed"] == 1
    assert {"bezout_number", "mixed_volume", "start_system", "solutions", "paths"} <= d.keys()


def test_method_and_no_certify_are_passed(tmp_path):
    res = runner.invoke(app, ["solve", "cyclic 4", "--json", "--seed", "0", "--method",
                              "total-degree", "--no-certify"])
    d = json.loads(res.stdout)
    assert d["start_system"] == "total-degree" and d["n_paths"] == 24 == d["bezout_number"]
    assert d["n_certified"] is None and d["solutions_certified"] is None


def test_equation_file_against_its_closed_form(tmp_path):
    path = tmp_path / "sys.txt"
    path.write_text("x^2 + y^2 - 5\nx*y - 2\n")  # (1, 2), (2, 1), (-1, -2), (-2, -1)
    res = runner.invoke(app, ["solve", str(path), "--json", "--seed", "3"])
    d = json.loads(res.stdout)
    sols = np.array([[complex(*c) for c in s] for s in d["solutions"]])
    assert d["variables"] == ["x", "y"] and len(sols) == 4
    got = sorted(map(tuple, np.round(sols.real, 8).tolist()))
    assert got == [(-2.0, -1.0), (-1.0, -2.0), (1.0, 2.0), (2.0, 1.0)]
    assert np.abs(sols.imag).max() < 1e-8 and d["n_real"] == 4


def test_table_output():
    res = runner.invoke(app, ["solve", "katsura 2", "--seed", "0", "-q"])
    assert res.exit_code == 0 and res.stdout.lstrip().startswith("4 nonsingular solutions")
    assert "Krawczyk" in res.stdout and res.stderr == ""


@pytest.mark.parametrize("args, match", [
    (["solve", "katsura 2", "--method", "bogus"], "method must be one of auto, total-degree"),
    (["solve", "cyclic 1"], "2 <= N <= 14"),
    (["solve", "katsura 2", "--seed", "x"], "--seed"),
])
def test_errors_are_one_line(args, match):
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and match in lines[0]
