"""CLI of the dynamics package: agf linear / modular, bad input."""

import json

import numpy as np
from typer.testing import CliRunner

from neuroalg.cli import app

runner = CliRunner()


def test_agf_linear_json(tmp_path):
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((30, 3)))
    X = Q * np.sqrt(30)
    W = np.diag([2.0, 1.0]) @ np.eye(2, 3)
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"X": X.tolist(), "y": (X @ W.T).tolist()}))
    out = runner.invoke(app, ["agf", "linear", "--data", str(data), "--width", "3", "--alpha",
                              "1e-8", "--json", "--plot", str(tmp_path / "lin.png")])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert np.allclose(d["jump_times"], [0.5, 1.0], rtol=1e-8)  # 1/s_i
    assert np.allclose(d["levels"], [0.5, 0.0], atol=1e-10)  # 1/2 sum_{i>k} s_i^2
    assert np.allclose(d["gd"]["jump_times"], [0.5, 1.0], atol=0.1)  # finite alpha: O(1/log(1/alpha))
    assert (tmp_path / "lin.png").stat().st_size > 10_000


def test_agf_modular_first_plateau(tmp_path):
    n = np.arange(20)
    x = np.cos(2 * np.pi * n / 20) + 0.5 * np.cos(6 * np.pi * n / 20) + 0.25 * np.cos(10 * np.pi * n / 20)
    out = runner.invoke(app, ["agf", "modular", "--template", ",".join(map(str, x)), "--tau-max",
                              "18", "--json", "--plot", str(tmp_path / "mod.png")])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert d["frequencies"] == [1, 3, 5]
    i = int(np.argmin(np.abs(np.array(d["gd_plateau_losses"]) - 0.15625)))
    assert abs(d["gd_plateau_losses"][i] - 0.15625) < 1e-3 and d["gd_learned_frequencies"][i] == [1]
    assert (tmp_path / "mod.png").stat().st_size > 10_000


def test_bad_inputs():
    out = runner.invoke(app, ["agf", "modular", "--template", "1,a"])
    assert out.exit_code == 2 and "--template" in out.output
    out = runner.invoke(app, ["agf", "diagonal-linear", "--data", "/nonexistent.json"])
    assert out.exit_code == 2 and "cannot read" in out.output
    out = runner.invoke(app, ["agf", "attention", "--alpha", "2"])
    assert out.exit_code == 2 and "alpha" in out.output
