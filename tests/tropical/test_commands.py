import json

import pytest
from typer.testing import CliRunner

from neuroalg.cli import app

runner = CliRunner()


def test_regions_json():
    res = runner.invoke(app, ["regions", "relu 2,6,1", "--seed", "0", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert (d["activation_regions"], d["linear_regions"], d["distinct_maps"]) == (22, 22, 22)
    assert d["bounds"]["zaslavsky"] == 22 and d["seconds"] >= 0 and d["seed"] == 0


def test_regions_json_file_and_box(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"layers": [{"weight": [[1], [1], [2]], "bias": [0, -2, -2]},
                                           {"weight": [[1, 1, -1]], "bias": [0]}]}))
    d = json.loads(runner.invoke(app, ["regions", str(path), "--json"]).stdout)
    assert (d["activation_regions"], d["linear_regions"], d["distinct_maps"]) == (4, 4, 3)
    d = json.loads(runner.invoke(app, ["regions", str(path), "--json", "--box=0.5,1.5"]).stdout)
    assert (d["activation_regions"], d["linear_regions"], d["distinct_maps"]) == (2, 2, 2)


@pytest.mark.parametrize("args, message", [
    (["relu 2,0,1"], "entry 2 is 0"),
    (["relu 2,3,1", "--box=1,0"], "lo < hi"),
    (["relu 2,3,1", "--box=a,b"], "bad --box"),
    (["nope.json"], "does not exist"),
])
def test_errors_are_one_line(args, message):
    res = runner.invoke(app, ["regions", *args])
    assert res.exit_code == 2
    assert message in res.stderr and "Traceback" not in res.output + res.stderr


def test_symmetric_flag(tmp_path):
    path = tmp_path / "ds.json"
    path.write_text(json.dumps({"layers": [{"weight": [[2, -1, -1], [-1, 2, -1], [-1, -1, 2]],
                                            "bias": [1, 1, 1]}, {"weight": [[1, 1, 1]], "bias": [0]}]}))
    res = runner.invoke(app, ["regions", str(path), "--symmetric", "--json", "--samples", "0"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    full = json.loads(runner.invoke(app, ["regions", str(path), "--json", "--samples", "0"]).stdout)
    for k in ("activation_regions", "linear_regions", "distinct_maps"):
        assert d[k] == full[k]
    assert d["symmetry"]["group"] == "S_3"


def test_plot_flag(tmp_path):
    path = tmp_path / "regions.png"
    res = runner.invoke(app, ["regions", "relu 2,5,1", "--seed", "1", "--plot", str(path), "-q"])
    assert res.exit_code == 0, res.output
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert res.stdout.startswith("16 activation regions")  # 1 + 5 + 10 (Zaslavsky)


def test_tropical_command_abs():
    import json as _json

    path_layers = {"layers": [{"weight": [[1], [-1]], "bias": [0, 0]}, {"weight": [[1, 1]], "bias": [0]}]}
    import tempfile, os

    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "abs.json")
        with open(p, "w") as fh:
            _json.dump(path_layers, fh)
        res = runner.invoke(app, ["tropical", p, "--json", "--radius"])
    assert res.exit_code == 0, res.output
    out = _json.loads(res.stdout)
    # |x| = max(2x, 0) - x: two monomials over one
    assert out["monomials"] == [[2, 1]] and out["exact"] is True
    # both regions are open half-lines x > 0, x < 0: the cube must have a positive radius
    # (on main it was 0, reaching only their closures)
    assert out["radius"]["radius"] > 0 and out["radius"]["proven"] is True
    assert out["radius"]["closure_radius"] == 0.0


def test_method_option():
    a = json.loads(runner.invoke(app, ["regions", "relu 2,5,4,1", "--seed", "3", "--json", "--samples", "0"]).stdout)
    b = json.loads(runner.invoke(app, ["regions", "relu 2,5,4,1", "--seed", "3", "--json", "--samples", "0",
                                       "--method", "lp"]).stdout)
    assert a["activation_regions"] == b["activation_regions"] and "Qhull" in a["method"] and "Qhull" not in b["method"]
    res = runner.invoke(app, ["regions", "relu 2,5,4,1", "--method", "simplex"])
    assert res.exit_code == 2 and "method must be" in res.stderr


@pytest.mark.parametrize("args, message", [
    (["--rtol", "0"], "rtol must be"),
    (["--rtol", "2"], "rtol must be"),
    (["--samples", "-5"], "n_samples must be"),
])
def test_bad_options(args, message):
    res = runner.invoke(app, ["regions", "relu 2,3,1", *args])
    assert res.exit_code == 2 and message in res.stderr


def test_certify_flag():
    d = json.loads(runner.invoke(app, ["regions", "relu 2,4,1", "--seed", "0", "--box=-1,1", "--json",
                                       "--samples", "0", "--certify"]).stdout)
    assert d["certified"] is True and d["certified_regions"] == d["activation_regions"]
    d = json.loads(runner.invoke(app, ["regions", "relu 2,4,1", "--seed", "0", "--json", "--samples", "0"]).stdout)
    assert d["certified"] is None and d["certified_regions"] is None
