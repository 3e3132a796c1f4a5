"""Every CLI failure is one line on stderr with exit code 2, naming what was wrong."""

import json
import os
import stat

import pytest
from typer.testing import CliRunner

from neuroalg.cli import app


def one_line(args, *, match: str):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert match in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("args, match", [
    (["dim"], "Missing argument"),
    (["dim", "mlp 2,2,1 x^2", "--seed", "abc"], "--seed"),
    (["dim", "mlp 2,2,1 x^2", "--seed", "-3"], "seed must be a non-negative integer"),
    (["dim", "mlp 2,2,1 x^2", "--bogus"], "No such option"),
    (["--bogus"], "No such option"),
    (["nosuch"], "No such command"),
    (["dim", "mlp 2,0,1 x^2"], "entries must be positive"),
    (["dim", "mlp 2,2,1 x^99999999"], "over the limit"),
    (["solve", "katsura -1"], "2 <= N <= 14"),
    (["solve", "katsura 99"], "2 <= N <= 14"),
    (["solve", "no/such/file.txt"], "no such file"),
    (["critical", "mlp 2,1,1 x^2", "--metric", "bogus"], "metric must be one of"),
    (["critical", "mlp 2,1,1 x^2", "--data", "x.json"], "--data needs --metric data"),
    (["critical", "mlp 2,1,1 x^2", "--method", "newton"], "method must be one of"),
    (["critical", "mlp 2,1,1 x^2", "--solver", "newton"], "solver must be one of"),
    (["critical", "mlp 2,1,1 x^2", "--solver", "homotopy", "--checkpoint", "run.json"],
     "resumes a monodromy run"),
    (["critical", "mlp 2,1,1 x^2", "--checkpoint", "no/such/dir/run.json"], "does not exist"),
    (["member", "mlp 2,2,1 x^3", "x1^3; x2"], "give 1 polynomials"),
    (["verify", "no-such-record.json"], "does not exist"),
])
def test_bad_input_is_one_line(args, match):
    one_line(args, match=match)


def test_bad_data_files(tmp_path):
    base = ["critical", "mlp 2,1,1 x^2", "--metric", "data", "--data"]
    cases = {
        '{"X": [[1, 2]], "y": [1]}': "unknown key 'y'",
        '{"X": [[1, 2]], "Y": "abc"}': "data Y must be",
        '{"X": [[1, 2, 3]]}': "axis 1",
        '{"X": [[1, NaN]]}': "NaN is not allowed",
        '{"X": [[1, 2]], ': "is not JSON",
        '[1, 2]': "expected a JSON object",
        '{"Y": [[1]]}': "missing key 'X'",
    }
    for i, (text, match) in enumerate(cases.items()):
        path = tmp_path / f"d{i}.json"
        path.write_text(text)
        one_line(base + [str(path)], match=match)
    one_line(base + [str(tmp_path)], match="is a folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.json"
    path.write_text("{}")
    path.chmod(0)
    one_line(["verify", str(path)], match="not readable")
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_verify_record_with_unknown_key(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"spec": "mlp 2,2,1 x^2", "dimension": 3, "seed": 1, "bogus": 1}))
    one_line(["verify", str(path)], match="unknown key 'bogus'")
    path.write_text(json.dumps({"spec": "mlp 2,2,1 x^2", "dimension": 3, "seed": 1.5}))
    one_line(["verify", str(path)], match="'seed' must be an integer")


def test_record_keys_match_dimension_results():
    from neuroalg.geometry import dimension
    from neuroalg.geometry.dimension.verify import RECORD_KEYS

    assert set(dimension("mlp 2,2,1 x^2", seed=1).to_dict()) <= set(RECORD_KEYS)


def test_an_unexpected_failure_is_one_line_and_says_it_is_a_bug(monkeypatch):
    import neuroalg.geometry

    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(neuroalg.geometry, "dimension", broken)
    line = one_line(["dim", "mlp 2,2,1 x^2", "-q"], match="internal error (RuntimeError: boom)")
    assert "bug in neuroalg" in line and "NEUROALG_TRACEBACK=1" in line
    monkeypatch.setenv("NEUROALG_TRACEBACK", "1")
    result = CliRunner().invoke(app, ["dim", "mlp 2,2,1 x^2", "-q"])
    assert isinstance(result.exception, RuntimeError)


def test_missing_file_raised_deep_inside_is_one_line(monkeypatch):
    import neuroalg.geometry

    def missing(*args, **kwargs):
        open("/no/such/dir/file.txt")

    monkeypatch.setattr(neuroalg.geometry, "dimension", missing)
    one_line(["dim", "mlp 2,2,1 x^2", "-q"], match="'/no/such/dir/file.txt': No such file")


def test_messages_are_never_read_as_markup(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('{"X": [[1, 2]], "[bold]Y[/bold]": [1]}')
    one_line(["critical", "mlp 2,1,1 x^2", "--metric", "data", "--data", str(path)],
             match="unknown key '[bold]Y[/bold]'")


def test_missing_optional_package_says_how_to_install(monkeypatch):
    import sys

    from neuroalg.errors import SpecError
    from neuroalg.options import optional_import

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import raises ImportError
    with pytest.raises(SpecError, match=r"pip install 'neuroalg\[plot\]'"):
        optional_import("matplotlib", extra="plot", purpose="--plot")
