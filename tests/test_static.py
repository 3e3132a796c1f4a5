"""Static checks of the package, run by the test suite (hence by CI): mypy, ruff and the import
contracts of import-linter, each configured in pyproject.toml. The tools come from the test
extra and are taken from the bin directory of the running interpreter (the project's venv)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(tool: str, *args: str) -> subprocess.CompletedProcess:
    exe = BIN / tool
    if not exe.exists():
        pytest.skip(f"{tool} is not installed next to {sys.executable} (pip install -e '.[test]')")
    env = dict(os.environ)
    # this checkout's sources, not whichever copy of neuroalg the environment has installed
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    return subprocess.run([str(exe), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)


def _report(proc: subprocess.CompletedProcess) -> str:
    return f"exit code {proc.returncode}\n{proc.stdout}\n{proc.stderr}"


def test_mypy():
    proc = _run("mypy", "src/neuroalg")
    assert proc.returncode == 0, _report(proc)


def test_ruff():
    proc = _run("ruff", "check", "src", "tests", "benchmarks")
    assert proc.returncode == 0, _report(proc)


def test_import_contracts():
    """The layers of docs/architecture.md, the engine's independence and geometry's inner layers
    (``[tool.importlinter]`` in pyproject.toml)."""
    proc = _run("lint-imports")
    assert proc.returncode == 0, _report(proc)
