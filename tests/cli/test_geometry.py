import json

import pytest
from typer.testing import CliRunner

from neuroalg.cli import app

runner = CliRunner()


def test_dim_json_keys():
    res = runner.invoke(app, ["dim", "mlp 3,3,3,3 x^2", "--json", "--seed", "0"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["dimension"] == 21 and d["certified"] is True and d["seed"] == 0


def test_dim_table_headline():
    res = runner.invoke(app, ["dim", "mlp 5,7,1 x^3", "--seed", "1", "--quiet"])
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0].startswith("dim = 34 (certified)")
    assert "defective by 1" in res.stdout and "koszul" in res.stdout
    res = runner.invoke(app, ["dim", "mlp 2,3,30,3,8,2,1 x^2", "--seed", "1", "--quiet"])
    assert res.stdout.splitlines()[0].startswith("dim in [23, 24], Monte Carlo 23, error <= ")


@pytest.mark.parametrize("spec, message", [
    ("mlp 3,,1", "entry 2 is empty"),
    ("mlp 3,-2,1 x^2", "entry 2 is -2"),
    ("cnn k=0 x^2", "entry 1 is 0"),
    ("cnn k=2,2 s=3,1 x^2", "larger than its filter size"),
    ("mlp 3,2,1 sin(x)", "not a polynomial"),
    ("bogus 3,2", "unknown family"),
    ("mlp 200,200,200,1 x^3", "pass --force"),
])
def test_errors_are_one_line_exit_2(spec, message):
    res = runner.invoke(app, ["dim", spec])
    assert res.exit_code == 2
    assert message in res.stderr
    assert "Traceback" not in res.output + res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_numerical_and_projective_flags():
    res = runner.invoke(app, ["dim", "cnn k=3,2 x^2", "--numerical", "--projective", "--json", "--seed", "3"])
    d = json.loads(res.stdout)
    assert d["certainty"] == "numerical" and d["certified"] is False and d["dimension"] == 3


def test_specs_and_help_document_the_grammar():
    assert "attention l=L d=D a=A t=T" in runner.invoke(app, ["specs"]).stdout
    assert "cnn k=K1,..,KL" in runner.invoke(app, ["dim", "--help"]).stdout


def test_demo_runs():
    from neuroalg.cli.geometry import DEMO

    res = runner.invoke(app, ["demo", "--seed", "0"])
    assert res.exit_code == 0
    assert all(spec.split()[1] in res.stdout for spec in DEMO)
    assert "certified" in res.stdout and "Monte Carlo" in res.stdout
