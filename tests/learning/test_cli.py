"""The learning commands: output, strict JSON with provenance, one-line errors."""

import json

import pytest
from typer.testing import CliRunner

import neuroalg.cli.learning  # noqa: F401  (registers the commands)
from neuroalg.cli import app

runner = CliRunner()
PROVENANCE = {"value", "status", "spec", "method", "seed", "seconds", "version"}


def _strict(text):
    def reject(token):
        raise ValueError(token)

    return json.loads(text, parse_constant=reject)


def test_fisher_prints_rank_and_strata():
    res = runner.invoke(app, ["fisher", "mlp 1,2,1 tanh", "--at", "-1,1,0.5,-0.5", "--seed", "1"])
    assert res.exit_code == 0, res.output
    assert "rank 2 of 4 (numerical" in res.output and "merged neurons" in res.output


def test_fisher_json_exact(tmp_path):
    res = runner.invoke(app, ["fisher", "mlp 1,2,1 x^2", "--at", "1,2,3,-1", "--seed", "1", "--json"])
    d = _strict(res.stdout)
    assert PROVENANCE <= set(d) and d["status"] == "certified" and d["value"] == 1
    assert d["exact_matrix"][0] == ["108", "-72", "18", "72"]


def test_fisher_with_an_input_file(tmp_path):
    f = tmp_path / "q.json"
    f.write_text(json.dumps({"mean": [0.5], "cov": [[3.0]]}))
    res = runner.invoke(app, ["fisher", "mlp 1,1,1 x^2", "--at", "2,-1", "--inputs", str(f),
                              "--matrix", "--seed", "1"])
    assert res.exit_code == 0, res.output
    # E[x^4] = m^4 + 6 m^2 s^2 + 3 s^4 = 505/16 and J = (2 v w, w^2) x^2 = (-4, 4) x^2
    assert "N(mean, cov)" in res.output and res.output.split()[-4:] == ["505", "-505", "-505", "505"]


def test_generalization_writes_a_plot(tmp_path):
    png = tmp_path / "g.png"
    res = runner.invoke(app, ["generalization", "mlp 1,1,1 erf", "--n", "20,40", "--replications",
                              "2", "--truth", "regular", "--estimators", "mle",
                              "--seed", "1", "--plot", str(png), "-q"])
    assert res.exit_code == 0, res.output
    assert png.stat().st_size > 10_000 and "regular (AIC)" in res.output


def test_rlct_and_llc_json():
    d = _strict(runner.invoke(app, ["rlct", "mlp 1,1,1 x^2", "--at", "0,0", "--json"]).stdout)
    assert d["value"] == d["learning_coefficient"] == 0.25 and PROVENANCE <= set(d)
    assert d["learning_coefficient_exact"] == "1/4" and d["status"] == "certified"
    res = runner.invoke(app, ["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--steps", "30", "--burn-in",
                              "0", "--chains", "2", "--seed", "3", "--json", "-q"])
    d = _strict(res.stdout)
    assert d["status"] == "monte_carlo" and d["exact"] == 1.0 and PROVENANCE <= set(d)
    assert d["value"] == d["llc"]


FILES = {  # input files of the error cases, written into tmp_path
    "broken.json": "{not json",
    "badkeys.json": '{"mean": [0], "cov": [[1]], "bogus": 1}',
    "X2.json": '{"X": [[1, 2], [3, 4]]}',
    "asym.json": '{"mean": [0, 0], "cov": [[1, 2], [3, 1]]}',
    "negcov.json": '{"cov": [[-1]]}',
    "list.json": "[1, 2]",
    "nan.json": '{"mean": [NaN]}',
    "ybad.json": '{"X": [[1], [2]], "y": [1, 2, 3]}',
}


@pytest.mark.parametrize("args, match", [
    # bad spec
    (["fisher", "mlp 1,2,1 blah", "--at", "1,2,3,4"], "activation 'blah'"),
    (["fisher", "mlp 1,2,1 relu", "--at", "1,2,3,4"], "allowed: tanh, erf"),
    (["fisher", "xyz 1,2"], "unknown family 'xyz'"),
    (["rlct", "nonsense"], "unknown family"),
    (["generalization", "mlp 1,3,1 tanh", "--n", "20"], "simple models"),
    (["generalization", "mlp 1,1,1 tanh bias", "--n", "20"], "simple models"),
    # 1/x: Gaussian expectations diverge at the poles
    (["fisher", "rational 1,2,1", "--at", "1,2,3,4"], "1/x has poles"),
    (["rlct", "mlp 1,2,1 1/x", "--at", "1,2,3,4"], "1/x has poles"),
    (["llc", "rational 1,1,1", "--at", "1,1"], "1/x has poles"),
    # bad --at / --truth / --rank
    (["fisher", "mlp 1,2,1 tanh", "--at", "1,2"], "has 4 parameters"),
    (["fisher", "mlp 1,2,1 tanh", "--at", "1,2,3,abc"], "entry 4"),
    (["fisher", "mlp 1,2,1 tanh", "--at", "1,2,3,1e999"], "entry 4"),
    (["fisher", "mlp 1,2,1 tanh", "--at", "1,2,3,1/0"], "entry 4"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,nan"], "entry 2"),
    (["llc", "mlp 1,1,1 tanh"], "Missing option '--at'"),
    (["rlct", "linear 2,2,2", "--at", "1,2"], "has 8 parameters"),
    (["rlct", "mlp 1,2,1 x^2", "--rank", "1"], "two-layer linear"),
    (["rlct", "linear 2,2,2", "--rank", "5"], r"rank must be an integer in [0, 2]"),
    (["rlct", "linear 2,2,2", "--rank", "1", "--at", "1,0,0,1,1,0,0,1"], "not both"),
    (["generalization", "mlp 1,1,1 tanh", "--truth", "overlap", "--n", "20"], "allowed are regular, zero"),
    (["generalization", "mlp 1,1,1 tanh", "--truth", "1,x", "--n", "20"], "--truth: entry 2"),
    (["generalization", "mlp 1,1,1 tanh", "--truth", "9,9", "--n", "20"], "outside the parameter box"),
    # bad stratum
    (["fisher", "mlp 1,2,1 tanh", "--stratum", "sleepy"], "allowed are zero-outgoing"),
    (["fisher", "mlp 1,2,1 tanh", "--stratum", "merged:5"], "hidden layers 1..1"),
    (["fisher", "mlp 1,2,1 tanh", "--stratum", "merged:x"], "must be an integer"),
    (["fisher", "mlp 1,1,1 tanh", "--stratum", "merged"], "'merged' needs 2"),
    (["fisher", "cnn k=2,1 x^2", "--stratum", "dead"], "fully connected networks"),
    (["fisher", "mlp 1,2,1 tanh", "--stratum", "dead", "--at", "1,2,3,4"], "not both"),
    # bad numbers and choices
    (["fisher", "mlp 1,2,1 tanh", "--noise", "-1"], "noise must be a finite number in (0, inf)"),
    (["fisher", "mlp 1,2,1 tanh", "--noise", "nan"], "noise must be a finite number"),
    (["generalization", "mlp 1,1,1 tanh", "--n", "20", "--noise", "0"], "noise must be"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--noise", "-1"], "noise must be"),
    (["fisher", "mlp 1,2,1 tanh", "--method", "magic"], "method must be one of"),
    (["fisher", "mlp 1,2,1 tanh", "--method", "exact"], "tanh and erf are not polynomial"),
    (["fisher", "mlp 1,2,1 tanh", "--method", "data"], "needs an input file with samples"),
    (["fisher", "mlp 1,2,1 tanh", "--samples", "5"], "samples must be an integer in [100"),
    (["fisher", "mlp 1,2,1 tanh", "--nodes", "0"], "nodes must be an integer in [1, 250]"),
    (["fisher", "mlp 1,2,1 tanh", "--seed", "-3"], "seed must be a non-negative integer"),
    (["generalization", "mlp 1,1,1 tanh", "--n", "2"], "sample size n must be"),
    (["generalization", "mlp 1,1,1 tanh", "--n", "20,x"], "entry 2"),
    (["generalization", "mlp 1,1,1 tanh", "--n", "20", "--replications", "1"], "replications must"),
    (["generalization", "mlp 1,1,1 tanh", "--n", "20", "--w-max", "-1"], "w_max must"),
    (["generalization", "mlp 1,1,1 tanh", "--n", "20", "--estimators", "mle,foo"], "got 'foo'"),
    (["generalization", "mlp 1,2,1 tanh", "--n", "20", "--bayes", "quadrature"], "one hidden unit"),
    (["generalization", "mlp 1,2,1 tanh", "--n", "20", "--bayes", "nuts"], "bayes must be one of"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--steps", "0"], "steps must be an integer"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--chains", "0"], "chains must be an integer"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--step-size", "-1"], "step_size must be"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--localization", "-1"], "localization must be"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--batch-size", "5000"], "batch_size must be"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--samples", "2"], "samples must be"),
    # bad files
    (["fisher", "mlp 1,2,1 tanh", "--inputs", "{tmp}/missing.json"], "does not exist"),
    (["fisher", "mlp 1,2,1 tanh", "--inputs", "{tmp}"], "is a folder"),
    (["fisher", "mlp 1,2,1 tanh", "--inputs", "{tmp}/broken.json"], "is not JSON"),
    (["fisher", "mlp 1,2,1 tanh", "--inputs", "{tmp}/badkeys.json"], "unknown key 'bogus'"),
    (["fisher", "mlp 1,2,1 tanh", "--inputs", "{tmp}/X2.json"], "must have 1 entries along axis 1"),
    (["fisher", "mlp 2,2,1 tanh", "--inputs", "{tmp}/asym.json"], "must be symmetric"),
    (["fisher", "mlp 1,2,1 tanh", "--inputs", "{tmp}/negcov.json"], "positive semidefinite"),
    (["fisher", "mlp 1,2,1 tanh", "--inputs", "{tmp}/list.json"], "expected a JSON object"),
    (["fisher", "mlp 1,2,1 tanh", "--inputs", "{tmp}/nan.json"], "NaN is not allowed"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--data", "{tmp}/missing.json"], "does not exist"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--data", "{tmp}/ybad.json"], "must have 2 rows"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--data", "{tmp}/X2.json"], "missing key 'y'"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,1", "--data", "{tmp}/ybad.json", "--samples", "10"],
     "--samples applies to simulated data"),
    (["generalization", "mlp 1,1,1 tanh", "--n", "20", "--plot", "{tmp}/g.txt"], "must end in .png"),
    (["generalization", "mlp 1,1,1 tanh", "--n", "20", "--plot", "{tmp}/no/g.png"], "does not exist"),
])
def test_bad_input_is_one_line(args, match, tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    res = runner.invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in args])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and match in res.output, res.output
    assert "internal error" not in res.output


def test_1_over_x_with_a_data_set_is_averaged(tmp_path):
    # the empirical average is finite where the Gaussian expectation diverges
    X = [[0.5], [1.5], [-2.0], [3.0]]
    f = tmp_path / "x.json"
    f.write_text(json.dumps({"X": X}))
    res = runner.invoke(app, ["fisher", "rational 1,1,1", "--at", "2,3", "--inputs", str(f),
                              "--json", "--seed", "1"])
    data = _strict(res.stdout)
    # f = b / (a x): J = (-b/(a^2 x), 1/(a x)) = (-3/(4x), 1/(2x)); F = mean(1/x^2) J0^T J0
    m = sum(1 / x[0] ** 2 for x in X) / len(X)
    assert data["method"] == "data" and data["rank"] == 1 and data["status"] == "numerical"
    assert data["matrix"][0][0] == pytest.approx(m * 9 / 16, rel=1e-12)
    assert data["matrix"][0][1] == pytest.approx(-m * 3 / 8, rel=1e-12)
