"""CLI of the dynamics package: agf linear / modular, bad input."""

import json
import sys

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
    assert out.exit_code == 2 and "does not exist" in out.output
    out = runner.invoke(app, ["agf", "attention", "--alpha", "2"])
    assert out.exit_code == 2 and "alpha" in out.output


# --- issue 12: every bad option is one line and exit code 2; --json is strict JSON -------------

def _strict(text):
    def refuse(token):
        raise AssertionError(f"non-standard JSON constant {token}")
    return json.loads(text, parse_constant=refuse)


def _fails(args, *words):
    out = runner.invoke(app, args)
    assert out.exit_code == 2, out.output
    message = out.output.strip()
    assert "\n" not in message and message.startswith("error:"), message
    for w in words:
        assert w in message, message
    return message


def _write(tmp_path, name, payload):
    path = tmp_path / name
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
    return str(path)


def _diag_data(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((8, 3))
    return X, X @ [1.0, -0.5, 0.0], _write(tmp_path, "d.json", {"X": X.tolist(),
                                                                 "y": (X @ [1.0, -0.5, 0.0]).tolist()})


def test_numeric_options_are_validated(tmp_path):
    _, _, d = _diag_data(tmp_path)
    spec = "mlp 2,2,1 x^2"
    _fails(["endpoints", spec, "--steps", "-1"], "--steps", "got -1")
    _fails(["endpoints", spec, "--runs", "0"], "--runs")
    _fails(["endpoints", spec, "--samples", "0"], "--samples")
    _fails(["endpoints", spec, "--scale", "-0.5"], "--scale")
    _fails(["endpoints", spec, "--lr", "0"], "--lr")
    _fails(["agf", "diagonal-linear", "--data", d, "--alpha", "0"], "--alpha", "(0.0, 1.0)")
    _fails(["agf", "diagonal-linear", "--data", d, "--alpha", "nan"], "--alpha")
    _fails(["agf", "diagonal-linear", "--data", d, "--lr", "-1"], "--lr")
    _fails(["agf", "linear", "--data", d, "--width", "0"], "--width")
    _fails(["agf", "linear", "--data", d, "--alpha", "1.5"], "--alpha")
    _fails(["agf", "modular", "--template", "1,2,3", "--tau-max", "0"], "--tau-max")
    _fails(["agf", "modular", "--template", "1,2,3", "--width", "-3"], "--width")
    _fails(["agf", "modular", "--template", "1"], "--template", "at least 2")
    _fails(["agf", "modular", "--template", "1,inf"], "--template", "finite")
    _fails(["agf", "attention", "--context", "0"], "--context")
    _fails(["agf", "attention", "--heads", "0"], "--heads")
    _fails(["agf", "attention", "--prompts", "0"], "--prompts")
    _fails(["agf", "attention", "--lams", "1,-2"], "positive")


def test_data_files_are_checked(tmp_path):
    X, y, _ = _diag_data(tmp_path)
    cases = [({"X": X.tolist(), "y": y.tolist(), "Z": 1}, ("unknown key 'Z'", '"X", "y"')),
             ({"X": X.tolist()}, ("missing key 'y'",)),
             ({"X": [1, 2, 3], "y": [1, 2, 3]}, ("--data: X must be a list of rows",)),
             ({"X": [[1, 2], [3]], "y": [1, 2]}, ("--data: X must be",)),
             ({"X": X.tolist(), "y": y[:-1].tolist()}, ("one entry (row) per row of X",)),
             ("[1, 2]", ("expected a JSON object",)),
             ('{"X": [[NaN]], "y": [1]}', ("NaN is not allowed",)),
             ("{", ("is not JSON",))]
    for payload, words in cases:
        path = _write(tmp_path, "bad.json", payload)
        _fails(["agf", "diagonal-linear", "--data", path, "--no-gd"], *words)
    path = _write(tmp_path, "bad.json", {"X": X.tolist(), "y": np.stack([y, y], 1).tolist()})
    _fails(["agf", "diagonal-linear", "--data", path, "--no-gd"], "--data: y must be a list of numbers")
    _fails(["endpoints", "mlp 3,2,1 x^2", "--data", path, "--runs", "1"], "shape (N, 1)")


def test_plot_checked_before_computing(tmp_path, monkeypatch):
    import neuroalg.dynamics  # noqa: F401  (the name 'compare' is also the function)

    compare_module = sys.modules["neuroalg.dynamics.compare"]
    _, _, d = _diag_data(tmp_path)

    def must_not_run(*args, **kwargs):
        raise AssertionError("computation started before the --plot check")

    monkeypatch.setattr(compare_module, "compare", must_not_run)
    monkeypatch.setattr(compare_module, "modular_comparison", must_not_run)
    missing = str(tmp_path / "no" / "such" / "folder" / "p.png")
    _fails(["agf", "diagonal-linear", "--data", d, "--plot", missing], "--plot", "does not exist")
    _fails(["agf", "linear", "--data", d, "--plot", missing], "--plot")
    _fails(["agf", "modular", "--template", "1,2,3", "--plot", missing], "--plot")
    _fails(["agf", "attention", "--plot", missing], "--plot")
    _fails(["agf", "linear", "--data", d, "--plot", str(tmp_path)], "is a folder")
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    _fails(["agf", "diagonal-linear", "--data", d, "--plot", str(tmp_path / "p.png")],
           "--plot needs the optional package 'matplotlib'", "neuroalg[plot]")


def test_endpoints_cnn_and_strict_json():
    """Issue 12: ``endpoints "cnn k=2,2 x^2"`` died with a reshape error."""
    from neuroalg.dynamics.endpoints import endpoint_census, zero_neurons
    from neuroalg.spec import parse_spec

    out = runner.invoke(app, ["endpoints", "cnn k=2,2 x^2", "--runs", "3", "--steps", "200",
                              "--seed", "0", "--json"])
    assert out.exit_code == 0, out.output
    d = _strict(out.stdout)
    assert sum(d["frequencies"].values()) == 3 and d["spec"].startswith("cnn")
    lib = endpoint_census("cnn k=2,2 x^2", runs=3, n_steps=200, seed=0)
    assert [e["loss"] for e in d["endpoints"]] == [e.loss for e in lib.endpoints]  # full precision
    # a CNN unit is a hidden filter: zero when it, or the filter reading it, vanishes
    arch = parse_spec("cnn k=2,2 x^2")
    assert zero_neurons(arch, np.array([0.0, 0.0, 3.0, 1.0])) == ((1, 0),)
    assert zero_neurons(arch, np.array([1.0, 2.0, 0.0, 0.0])) == ((1, 0),)
    assert zero_neurons(arch, np.array([1.0, 2.0, 3.0, 0.0])) == ()
    out = runner.invoke(app, ["endpoints", "attention l=1 d=2 a=1 t=2", "--runs", "2", "--steps",
                              "50", "--seed", "0", "--json"])
    assert out.exit_code == 0, out.output
    assert "not detected" in _strict(out.stdout)["notes"][0]


def test_every_dynamics_command_prints_strict_json(tmp_path):
    from neuroalg.dynamics import DiagonalLinear, agf

    X, y, d = _diag_data(tmp_path)
    out = runner.invoke(app, ["agf", "diagonal-linear", "--data", d, "--json", "--alpha", "1e-4"])
    assert out.exit_code == 0, out.output
    res = _strict(out.stdout)
    assert res["jump_times"] == list(agf(DiagonalLinear(3), X, y, seed=0).jump_times)
    assert "gd" in res and "reference" in res
    out = runner.invoke(app, ["agf", "linear", "--data", d, "--json", "--width", "2",
                              "--finite-alpha", "--alpha", "1e-4"])
    assert out.exit_code == 0, out.output
    assert _strict(out.stdout)["alpha"] == 1e-4
    out = runner.invoke(app, ["agf", "modular", "--template", "1,0.5,0,0.5,0.2", "--width", "6",
                              "--tau-max", "3", "--json"])
    assert out.exit_code == 0, out.output
    assert _strict(out.stdout)["frequencies"]
    out = runner.invoke(app, ["agf", "attention", "--prompts", "3000", "--lams", "2,1", "--json"])
    assert out.exit_code == 0, out.output
    assert len(_strict(out.stdout)["reference"]["levels"]) == 3


def test_finite_alpha_refusal_is_one_line(tmp_path):
    rng = np.random.default_rng(2)
    X = rng.standard_normal((40, 2)) @ np.diag([1.5, 0.4]) @ np.linalg.qr(rng.standard_normal((2, 2)))[0]
    d = _write(tmp_path, "d.json", {"X": X.tolist(), "y": (X @ rng.standard_normal((2, 2)).T).tolist()})
    _fails(["agf", "linear", "--data", d, "--width", "3", "--finite-alpha", "--alpha", "1e-20",
            "--no-gd"], "below what float64 resolves")


def test_endpoints_options_reach_the_library(call_of):
    code, call = call_of("neuroalg.dynamics.endpoints", "endpoint_census",
                         ["endpoints", "mlp 2,3,1 x^2", "--runs", "4", "--samples", "6", "--steps",
                          "7", "--scale", "0.25", "--lr", "0.1", "--seed", "9"])
    assert code == 0, call
    assert call["args"] == ["mlp 2,3,1 x^2"]
    assert call["kwargs"] == {"runs": 4, "n_samples": 6, "n_steps": 7, "init_scale": 0.25,
                              "lr": 0.1, "X": None, "Y": None, "seed": 9, "show_progress": False}
