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


def app_spec(text):
    from neuroalg.spec import parse_spec

    return parse_spec(text)


@pytest.mark.parametrize("module, name, args, want", [
    ("neuroalg.geometry.witness.degree", "degree",
     ["degree", "linear 2,1,2", "--method", "witness", "--seed", "5"],
     {"method": "witness", "seed": 5}),
    ("neuroalg.geometry.witness.critical", "critical_points",
     ["critical", "mlp 2,1,1 x^2", "--metric", "unit", "--samples", "7", "--strata", "--method",
      "implicit", "--no-check", "--seed", "2"],
     {"metric": "unit", "n_samples": 7, "strata": True, "method": "implicit", "check": False,
      "seed": 2, "data": None}),
    ("neuroalg.geometry.equations", "equations",
     ["equations", "linear 2,1,2", "-d", "3", "--max-generators", "10", "--no-structural"],
     {"degree": 3, "max_generators": 10, "structural": False, "seed": None}),
    ("neuroalg.geometry.witness.fiber", "fiber", ["fiber", "linear 2,1,2", "--seed", "4"],
     {"seed": 4}),
    ("neuroalg.geometry.witness.singular", "singular", ["singular", "mlp 2,2,1 x^2"],
     {"seed": None}),
    ("neuroalg.geometry.membership.member", "member",
     ["member", "mlp 2,2,1 x^3", "x1^3 + x2^3", "--method", "witness"], {"method": "witness"}),
])
def test_options_reach_the_library(call_of, module, name, args, want):
    code, call = call_of(module, name, args)
    assert code == 0, call
    assert call["args"][0] == str(app_spec(args[1]))  # the parsed architecture, canonical
    assert {k: call["kwargs"][k] for k in want} == want
    assert call["kwargs"]["show_progress"] is False  # --json and no terminal: no progress


def test_verify_exit_code_follows_the_verdict(call_of, tmp_path):
    record = tmp_path / "r.json"
    record.write_text('{"spec": "mlp 2,2,1 x^2"}')
    module = "neuroalg.geometry.dimension.verify"
    code, call = call_of(module, "verify", ["verify", str(record), "--seed", "8"], verified=False)
    assert code == 1 and call["kwargs"] == {"seed": 8} and call["args"] == ["{'spec': 'mlp 2,2,1 x^2'}"]
    assert call_of(module, "verify", ["verify", str(record)])[0] == 0


def test_degree_of_the_rank_one_2x2_matrices():
    # linear 2,1,2 = 2x2 matrices of rank <= 1 = the quadric det = 0: degree 2, dimension 3
    d = json.loads(runner.invoke(app, ["degree", "linear 2,1,2", "--json", "--seed", "1"]).stdout)
    assert (d["degree"], d["dimension"], d["status"]) == (2, 3, "certified")
    w = json.loads(runner.invoke(app, ["degree", "linear 2,1,2", "--method", "witness", "--json",
                                       "--seed", "1"]).stdout)
    assert (w["degree"], w["status"], w["trace_test_passed"]) == (2, "numerical", True)


def test_unit_metric_ed_degree_is_eckart_young():
    # Eckart-Young: rank-r approximations of a generic m x n matrix, C(min(m, n), r) = 2
    d = json.loads(runner.invoke(app, ["critical", "linear 2,1,2", "--metric", "unit", "--json",
                                       "--seed", "1"]).stdout)
    assert d["n_critical"] == 2 and d["metric"] == "unit"


def test_member_sylvester_ranks_of_binary_cubics():
    # x1^3 + x2^3 has Waring rank 2; x1^2 x2 has rank 3 but border rank 2 (a limit of two cubes)
    def ask(f):
        return json.loads(runner.invoke(app, ["member", "mlp 2,2,1 x^3", f, "--json", "--seed",
                                              "1"]).stdout)

    sum_of_cubes = ask("x1^3 + x2^3")
    assert (sum_of_cubes["in_variety"], sum_of_cubes["realized"]) == (True, True)
    limit = ask("x1^2*x2")
    assert (limit["in_variety"], limit["realized"], limit["status"]) == (True, False, "certified")


def test_equations_of_the_rank_one_2x2_matrices():
    d = json.loads(runner.invoke(app, ["equations", "linear 2,1,2", "-d", "2", "--json", "--seed",
                                       "1"]).stdout)
    assert d["n_generators"] == 1 and d["certified"] is True  # the determinant
