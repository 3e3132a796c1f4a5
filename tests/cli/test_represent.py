"""The stitch and hyperdga commands (registered by importing their module)."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import neuroalg.cli
import neuroalg.cli.represent  # noqa: F401  (registers the commands)

runner = CliRunner()


def test_hyperdga_files_and_plot(tmp_path):
    rng = np.random.default_rng(0)
    a = rng.uniform(-0.5, 0.5, (30, 2))
    b = rng.uniform(-0.5, 0.5, (20, 2)) + [0.3, 0.0]
    (tmp_path / "a.json").write_text(json.dumps(a.tolist()))
    (tmp_path / "b.json").write_text(json.dumps({"points": b.tolist()}))
    res = runner.invoke(neuroalg.cli.app, ["hyperdga", str(tmp_path / "a.json"),
                                           str(tmp_path / "b.json"), "--json", "--edges",
                                           "--plot", str(tmp_path / "g.png")])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert 0 < d["value"] < 1 and len(d["edges"]) == d["n_edges"] and (tmp_path / "g.png").exists()


def test_hyperdga_errors(tmp_path):
    (tmp_path / "a.json").write_text("[[0.1, 0.2], [2.0, 0.0]]")
    (tmp_path / "b.json").write_text('{"pts": [[0.1, 0.2]]}')
    for args, text in (([str(tmp_path / "a.json"), str(tmp_path / "a.json")], "strictly inside"),
                       ([str(tmp_path / "a.json"), str(tmp_path / "b.json")], "\"points\""),
                       ([str(tmp_path / "nope.json"), str(tmp_path / "b.json")], "does not exist"),
                       ([], "two point files")):
        res = runner.invoke(neuroalg.cli.app, ["hyperdga"] + args)
        assert res.exit_code == 2 and text in res.output, res.output


def test_shift_experiment_command():
    res = runner.invoke(neuroalg.cli.app, ["hyperdga", "--shift-experiment", "--points", "60",
                                           "--seeds", "1", "--seed", "0", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["status"] == "monte_carlo" and len(d["score_mean"]) == 5


def test_stitch_command():
    pytest.importorskip("sklearn")
    res = runner.invoke(neuroalg.cli.app, ["stitch", "--seeds", "1", "--epochs", "3",
                                           "--variants", "normalized", "--seed", "0", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert list(d["value"]) == ["normalized"]
    res = runner.invoke(neuroalg.cli.app, ["stitch", "--variants", "cosine"])
    assert res.exit_code == 2 and "variant must be one of" in res.output


def test_options_reach_the_library(call_of):
    code, call = call_of("neuroalg.represent.stitching", "stitching_experiment",
                         ["stitch", "--seeds", "2", "--anchors", "8", "--epochs", "3", "--variants",
                          "vanilla, densified", "--dens-weight", "0.5", "--beta", "0.1", "--seed", "4"])
    assert code == 0, call
    assert call["kwargs"] == {"n_seeds": 2, "n_anchors": 8, "epochs": 3,
                              "variants": "('vanilla', 'densified')", "dens_weight": 0.5,
                              "beta": 0.1, "seed": 4}
    code, call = call_of("neuroalg.hyperbolic.experiment", "shift_experiment",
                         ["hyperdga", "--shift-experiment", "--points", "9", "--dim", "3",
                          "--seeds", "2", "--seed", "1"])
    assert code == 0 and call["kwargs"] == {"n_points": 9, "dim": 3, "n_seeds": 2, "seed": 1}
