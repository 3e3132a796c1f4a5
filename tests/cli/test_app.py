"""The guarded top-level group: every failure one line on stderr with exit code 2, strict JSON,
the progress rule, --version."""

import importlib
import json

import pytest
from typer.testing import CliRunner

from neuroalg._version import __version__
from neuroalg.cli import app
from neuroalg.cli._app import emit, show_progress
from neuroalg.errors import SpecError

runner = CliRunner()


def _solve_raising(monkeypatch, exc):
    def boom(*args, **kwargs):
        raise exc

    # the module (``neuroalg.homotopy.solve`` the attribute is the function)
    monkeypatch.setattr(importlib.import_module("neuroalg.homotopy.solve"), "solve", boom)
    return runner.invoke(app, ["solve", "katsura 2"])


@pytest.mark.parametrize("exc, want", [
    (ZeroDivisionError("boom"), "error: internal error (ZeroDivisionError: boom); this is a bug"),
    (RuntimeError(), "error: internal error (RuntimeError); this is a bug"),
    (FileNotFoundError(2, "No such file or directory", "w.json"),
     "error: 'w.json': No such file or directory"),
    (SpecError("width 3 is [bold]not[/bold] allowed"), "error: width 3 is [bold]not[/bold] allowed"),
])
def test_failures_become_one_line(monkeypatch, exc, want):
    res = _solve_raising(monkeypatch, exc)
    assert res.exit_code == 2 and res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(want), res.stderr  # markup printed literally


def test_traceback_on_request(monkeypatch):
    monkeypatch.setenv("NEUROALG_TRACEBACK", "1")
    res = _solve_raising(monkeypatch, ZeroDivisionError("boom"))
    assert isinstance(res.exception, ZeroDivisionError)


def test_interrupt_exits_130(monkeypatch):
    res = _solve_raising(monkeypatch, KeyboardInterrupt())
    assert res.exit_code == 130 and "interrupted" in res.stderr


def test_version():
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"neuroalg {__version__}"


def test_no_arguments_prints_the_help_not_an_error():
    res = runner.invoke(app, [])
    assert res.exit_code == 0 and res.output.lstrip().startswith("Usage:"), res.output
    assert "error" not in res.output.splitlines()[0]


def test_emit_writes_strict_json(capsys):
    class Fake:
        def to_dict(self):
            return {"value": float("nan"), "nested": {"gap": float("inf")}, "n": 3}

    emit(Fake(), True)
    data = json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(c))
    assert data == {"value": None, "nested": {"gap": None}, "n": 3,
                    "nonfinite": {"value": "nan", "nested.gap": "inf"}}


def test_progress_rule():
    # stderr is not a terminal under pytest: --json silences progress, --quiet always does
    assert show_progress(quiet=False, as_json=False) is True
    assert show_progress(quiet=True, as_json=False) is False
    assert show_progress(quiet=False, as_json=True) is False
