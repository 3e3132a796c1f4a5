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
    (["relu 2,3,1", "--box=1,0"], "LO < HI"),
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
    import os
    import tempfile

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
    (["--samples", "-5"], "--samples must be an integer in [0, 10000000]"),
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


# --- issue 12: bad input fails in one line with exit code 2, before any computation -----------

def strict_json(text):
    def refuse(token):
        raise AssertionError(f"non-standard JSON constant {token} in --json output")

    return json.loads(text, parse_constant=refuse)


def one_line_error(res, message):
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert message in lines[0], lines[0]
    assert res.stdout == "" and "Traceback" not in res.stderr


NET_OK = {"layers": [{"weight": [[1, 0], [0, 1]], "bias": [0, 0]}, {"weight": [[1, 1]], "bias": [0]}]}


@pytest.mark.parametrize("command", ["regions", "tropical"])
@pytest.mark.parametrize("data, message", [
    ({**NET_OK, "extra": 1}, "NET: unknown key 'extra'; allowed keys: \"layers\""),
    ({"layers": [{**NET_OK["layers"][0], "wieght": 1}, NET_OK["layers"][1]]},
     "NET: layer 1: unknown key 'wieght'"),
    ({"layers": [{"weight": [[1, 0], [0]], "bias": [0, 0]}, NET_OK["layers"][1]]},
     "NET: layer 1 weight must have rows of equal, non-zero length"),
    ({"layers": [NET_OK["layers"][0], {"weight": [[1, 1, 1]], "bias": [0]}]},
     "NET: layer 2 weight has 3 columns but layer 1 has 2 rows"),
    ({"layers": [{"weight": [[1, "x"], [0, 1]], "bias": [0, 0]}, NET_OK["layers"][1]]},
     "NET: layer 1 weight row 1 entry 2 must be a finite number"),
])
def test_bad_net_file_one_line(tmp_path, command, data, message):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(data))
    one_line_error(runner.invoke(app, [command, str(path)]), message)


@pytest.mark.parametrize("command", ["regions", "tropical"])
@pytest.mark.parametrize("text, message", [
    ('{"layers": [{"weight": [[NaN]], "bias": [0]}, {"weight": [[1]]}]}', "NaN is not allowed"),
    ('{"layers": [{"weight": [[1e400]], "bias": [0]}, {"weight": [[1]]}]}', "must be a finite number"),
    ("{", "is not JSON"),
])
def test_non_finite_or_broken_net_file_one_line(tmp_path, command, text, message):
    path = tmp_path / "net.json"
    path.write_text(text)
    one_line_error(runner.invoke(app, [command, str(path)]), message)


@pytest.mark.parametrize("args, message", [
    (["--samples", "-1"], "--samples must be an integer in [0, 10000000]; got -1"),
    (["--samples", "20000000"], "--samples must be an integer in [0, 10000000]"),
    (["--samples", "many"], "--samples"),
    (["--rtol", "nan"], "--rtol must be a finite number in (0, 1); got nan"),
    (["--rtol", "inf"], "--rtol must be a finite number in (0, 1)"),
    (["--rtol", "1"], "--rtol must be a finite number in (0, 1)"),
    (["--box", "nan,1"], "bad --box 'nan,1': the interval must have finite bounds with LO < HI"),
    (["--box", "0,inf"], "bad --box '0,inf'"),
    (["--box", "0,1;2,1"], "bad --box '0,1;2,1': axis 2 must have finite bounds"),
    (["--box", "0,1,2"], "each axis needs exactly two numbers"),
    (["--method", "simplex"], "method must be 'auto' or 'lp'"),
])
def test_bad_options_one_line(args, message):
    one_line_error(runner.invoke(app, ["regions", "relu 2,3,1", "--seed", "0", *args]), message)


@pytest.mark.parametrize("where, message", [
    ("missing/regions.png", "--plot: folder 'missing' does not exist"),
    (".", "--plot: '.' is a folder"),
])
def test_plot_path_checked_before_counting(tmp_path, monkeypatch, where, message):
    import neuroalg.tropical.regions as regions

    def boom(*args, **kwargs):
        raise AssertionError("counted before checking --plot")

    monkeypatch.setattr(regions, "count_regions", boom)
    monkeypatch.chdir(tmp_path)
    one_line_error(runner.invoke(app, ["regions", "relu 2,3,1", "--plot", where]), message)


def test_symmetric_refused_with_the_reason(tmp_path):
    # f(Px) = f(x), but the zero-output neuron ReLU(x1 - 5) has no mirror image (issue 12)
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"layers": [{"weight": [[1, 0], [0, 1], [1, 0]], "bias": [0, 0, -5]},
                                           {"weight": [[1, 1, 0]], "bias": [0]}]}))
    one_line_error(runner.invoke(app, ["regions", str(path), "--symmetric"]),
                   "layer 1 neuron 3 has no partner under swapping x1 and x2")


def test_tropical_radius_needs_one_output():
    one_line_error(runner.invoke(app, ["tropical", "relu 2,3,2", "--seed", "0", "--radius"]),
                   "the sampling radius needs one output; got 2")


@pytest.mark.parametrize("args", [
    ["regions", "relu 2,4,1", "--seed", "1"],
    ["regions", "relu 2,4,1", "--seed", "1", "--box=-1,1", "--certify"],
    ["regions", "EXACT", "--samples", "0"],
    ["regions", "SYM", "--symmetric", "--samples", "0"],
    ["tropical", "relu 2,3,1", "--seed", "2", "--radius"],
    ["tropical", "EXACT", "--radius", "--no-prune"],
])
def test_json_is_strict(tmp_path, args):
    exact = tmp_path / "exact.json"
    exact.write_text(json.dumps({"layers": [{"weight": [["1/3", 1], [2, -1]], "bias": [0, "1/7"]},
                                            {"weight": [[1, "-2/5"]], "bias": [1]}]}))
    sym = tmp_path / "sym.json"
    sym.write_text(json.dumps({"layers": [{"weight": [[2, -1], [-1, 2]], "bias": [1, 1]},
                                          {"weight": [[1, 1]], "bias": [0]}]}))
    args = [str(exact) if a == "EXACT" else str(sym) if a == "SYM" else a for a in args]
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    data = strict_json(res.stdout)
    if args[0] == "tropical":
        assert data["radius"]["proven"] is True and data["polynomials"]
    else:
        assert data["activation_regions"] >= 1
