"""Packaging: the declared floors of pyproject.toml are real.

The slow test builds a fresh virtualenv holding exactly the floor version of every runtime
dependency and of setuptools, installs neuroalg into it without build isolation (so the floor
setuptools builds it), and runs a smoke subset of the suite there. It needs the package index.
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def floors() -> list[str]:
    """'name==floor' for every runtime dependency and the build backend."""
    data = _pyproject()
    reqs = data["project"]["dependencies"] + data["build-system"]["requires"]
    out = []
    for req in reqs:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-\[\]]+)\s*>=\s*([0-9.]+)\s*(,\s*<\s*[0-9.]+\s*)?", req)
        assert m, f"every dependency declares a floor with '>=': {req!r}"
        out.append(f"{m.group(1)}=={m.group(2)}")
    return out


def test_every_dependency_has_a_floor_and_the_license_file_exists():
    names = [f.split("==")[0] for f in floors()]
    assert "python-flint" in names and "setuptools" in names
    data = _pyproject()
    assert data["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    low = re.fullmatch(r">=\s*3\.(\d+).*", data["project"]["requires-python"].split("#")[0].strip())
    assert low and sys.version_info >= (3, int(low.group(1)))


@pytest.mark.slow
def test_floor_versions_install_build_and_pass_a_smoke_suite(tmp_path):
    venv = tmp_path / "floor"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    pip = [py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + [*floors(), "wheel", "pytest>=8", "hypothesis>=6.100"], check=True)
    subprocess.run(pip + ["--no-build-isolation", "--no-deps", str(ROOT)], check=True)
    smoke = ["tests/test_spec.py", "tests/test_formula.py", "tests/linalg", "tests/cli/test_geometry.py",
             "tests/test_cli_errors.py", "tests/geometry/witness/test_realizable.py",
             "tests/geometry/dimension/test_dimension.py"]
    # old releases meet the newest transitive ones here (sympy 1.12 with mpmath 1.4 ...): their
    # DeprecationWarnings are not ours, so they are not errors in this test
    run = subprocess.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                          "-W", "ignore::DeprecationWarning",
                          "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"), *smoke],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    cli = subprocess.run([str(venv / "bin" / "neuroalg"), "dim", "mlp 3,2,1 x^2", "--seed", "1",
                          "--json"], capture_output=True, text=True)
    assert cli.returncode == 0 and '"dimension": 5' in cli.stdout, cli.stderr
