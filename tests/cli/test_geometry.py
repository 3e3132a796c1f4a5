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
     ["critical", "mlp 2,1,1 x^2", "--metric", "data", "--samples", "7", "--strata", "--method",
      "implicit", "--no-check", "--seed", "2"],
     {"metric": "data", "n_samples": 7, "strata": True, "method": "implicit", "check": False,
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


@pytest.mark.parametrize("args, message", [
    (["--samples", "3"], "--samples needs --metric data"),
    (["--metric", "unit", "--samples", "3"], "--samples needs --metric data"),
    (["--metric", "data", "--samples", "0"], "0 is not in the range x>=1"),
    (["--metric", "data", "--samples", "3", "--data", "DATA"], "--samples sets the size of random data"),
])
def test_critical_samples_are_never_ignored(tmp_path, args, message):
    """--samples only sizes random data for --metric data; anywhere else it would be ignored, so
    it is an error (as --data is without --metric data)."""
    data = tmp_path / "d.json"
    data.write_text('{"X": [[1, 2], [3, 4]]}')
    args = [str(data) if a == "DATA" else a for a in args]
    res = runner.invoke(app, ["critical", "mlp 2,1,1 x^2", "--seed", "1", *args])
    assert res.exit_code == 2 and message in res.stderr, res.output
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.output


def test_critical_checkpoint_that_cannot_be_written_fails_first(tmp_path):
    """A checkpoint whose FILE.tmp cannot be created (here a folder of that name; /sys for root)
    passes the permission test but used to fail after the first monodromy round; now at once,
    naming --checkpoint and the file, and nothing is written."""
    target = tmp_path / "c.json"
    (tmp_path / "c.json.tmp").mkdir()
    res = runner.invoke(app, ["critical", "mlp 2,1,1 x^3", "--checkpoint", str(target), "--seed",
                              "1", "--no-check", "-q"])
    assert res.exit_code == 2, res.output
    assert f"--checkpoint: cannot write '{target}'" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and not target.exists()


def test_critical_json_carries_the_complex_points():
    """--json holds the counted critical points as [re, im] pairs, their weights and the target;
    the text output only says where they are."""
    res = runner.invoke(app, ["critical", "linear 2,1,2", "--metric", "unit", "--json", "--seed",
                              "3"])
    d = json.loads(res.stdout)
    points = d["critical_points"]
    assert len(points["functions"]) == len(points["weights"]) == d["n_critical"] == 2
    assert all(len(f) == 4 and all(len(c) == 2 for c in f) for f in points["functions"])
    assert len(points["target_w"]) == 4 and len(points["metric_matrix"]) == 4
    text = runner.invoke(app, ["critical", "linear 2,1,2", "--metric", "unit", "--seed", "3",
                               "-q"]).stdout
    assert "critical_points" in text  # where to find them; not the numbers themselves
    assert not any(f"{c[0]:.6g}" in text for f in points["functions"] for c in f)
