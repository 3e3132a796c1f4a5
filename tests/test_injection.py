"""No input runs code: injection attempts at every entry point that reads user text.

Each payload would create a marker file if it were ever evaluated; every entry point must answer
with a one-line error (exit code 2 in the CLI) and the marker must not exist.
"""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from neuroalg.cli import app
from neuroalg.errors import SpecError

SRC = Path(__file__).resolve().parents[1] / "src" / "neuroalg"


def payloads(marker: Path) -> list[str]:
    touch = f"__import__('pathlib').Path('{marker}').touch()"
    return [
        touch,
        f"x1 + {touch}",
        f"(lambda: {touch})()",
        f"[{touch} for _ in (1,)]",
        "x1.__class__.__base__.__subclasses__()",
        f"exec(\"{touch}\")",
        f"eval('{touch}')",
        "x1^99999999",
    ]


def _one_line_error(result):
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert "Traceback" not in result.output


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / "pwned"
    yield path
    assert not path.exists(), "a payload was evaluated"


def test_member_cli(marker):
    runner = CliRunner()
    for text in payloads(marker):
        _one_line_error(runner.invoke(app, ["member", "mlp 2,2,1 x^3", text, "--seed", "1", "-q"]))
        _one_line_error(runner.invoke(app, ["member", "rational 2,2,1", text, "--seed", "1", "-q"]))


def test_member_python_api(marker):
    from neuroalg.geometry.membership.decompose import decompose
    from neuroalg.geometry.membership.member import member
    from neuroalg.spec import parse_spec

    for text in payloads(marker):
        with pytest.raises(SpecError):
            member("mlp 2,2,1 x^3", text, seed=1)
        with pytest.raises(SpecError):
            decompose(parse_spec("rational 2,2,1"), text, seed=1)


def test_solve_file(marker, tmp_path):
    runner = CliRunner()
    for i, text in enumerate(payloads(marker)):
        system = tmp_path / f"system{i}.txt"
        system.write_text(f"x^2 - 1\n{text}\n")
        _one_line_error(runner.invoke(app, ["solve", str(system), "--seed", "1", "-q"]))


def test_specs_of_equations_dim_and_verify(marker, tmp_path):
    runner = CliRunner()
    for text in payloads(marker):
        spec = f"mlp 2,2,1 {text}"
        _one_line_error(runner.invoke(app, ["equations", spec, "--degree", "2", "-q"]))
        _one_line_error(runner.invoke(app, ["dim", spec, "-q"]))
        record = tmp_path / "record.json"
        record.write_text(json.dumps({"spec": spec, "dimension": 4, "seed": 1}))
        _one_line_error(runner.invoke(app, ["verify", str(record)]))


def test_data_files_hold_numbers_only(marker, tmp_path):
    runner = CliRunner()
    for text in payloads(marker):
        data = tmp_path / "data.json"
        data.write_text(json.dumps({"X": [[text, 1.0]], "Y": [[1.0]]}))
        _one_line_error(runner.invoke(app, ["critical", "mlp 2,1,1 x^2", "--metric", "data",
                                            "--data", str(data), "-q"]))


def test_no_evaluation_primitives_in_the_source():
    """The library never calls eval/exec/sympify/pickle (user text goes through formula.py)."""
    banned = re.compile(r"(?<![\w.])(eval|exec|compile|__import__)\s*\(|sympify\s*\(|parse_expr"
                        r"|\bpickle\b|\bmarshal\b|\bshelve\b")
    hits = [f"{p.relative_to(SRC)}:{i}: {line.strip()}"
            for p in SRC.rglob("*.py") for i, line in enumerate(p.read_text().splitlines(), 1)
            if banned.search(line.split("#")[0]) and "re.compile" not in line]
    assert not hits, hits
