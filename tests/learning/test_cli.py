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


@pytest.mark.parametrize("args, match", [
    (["fisher", "mlp 1,2,1 tanh", "--at", "1,2"], "has 4 parameters"),
    (["fisher", "mlp 1,2,1 relu", "--at", "1,2,3,4"], "allowed: tanh, erf"),
    (["fisher", "mlp 1,2,1 tanh", "--stratum", "sleepy"], "allowed are zero-outgoing"),
    (["generalization", "mlp 1,3,1 tanh", "--n", "20"], "simple models"),
    (["generalization", "mlp 1,1,1 tanh", "--truth", "overlap", "--n", "20"], "allowed are regular, zero"),
    (["generalization", "mlp 1,1,1 tanh", "--n", "20,x"], "entry 2"),
    (["rlct", "mlp 1,2,1 x^2", "--rank", "1"], "two-layer linear"),
    (["llc", "mlp 1,1,1 tanh", "--at", "1,nan"], "entry 2"),
])
def test_bad_input_is_one_line(args, match):
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    lines = [ln for ln in res.output.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and match in res.output, res.output
