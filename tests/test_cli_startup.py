"""Start-up of the ``neuroalg`` command: what a small command imports (benchmarks/startup.py
measures the CPU seconds; these tests pin down the import graph that makes them small)."""

import subprocess
import sys

import pytest
from typer.main import get_command

import neuroalg.cli
from neuroalg.cli import COMMANDS, MODULES

#: what a small ``dim`` or ``--help`` must not load: engines it does not use (0.05-0.7 CPU-s
#: each), pydantic (typer >= 0.29 converts every option through it: pyproject pins typer < 0.29),
#: and the command modules of other groups (typer builds every registered command on each run)
HEAVY = ("scipy", "sympy", "flint", "numba", "psutil", "highspy", "matplotlib", "pydantic",
         "neuroalg.homotopy", "neuroalg.tropical", "neuroalg.polymap", "neuroalg.geometry.witness",
         *(f"neuroalg.cli.{m}" for m in MODULES if m != "geometry"))


def _loaded(argv: list[str]) -> tuple[str, list[str]]:
    """stdout of ``neuroalg argv`` in a fresh interpreter, and the modules of HEAVY it loaded."""
    code = ("import atexit, sys\n"
            f"atexit.register(lambda: print('LOADED', *[m for m in {HEAVY!r} if m in sys.modules]))\n"
            f"sys.argv = ['neuroalg', *{argv!r}]\n"
            "from neuroalg.cli import main\nmain()")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    out, _, loaded = run.stdout.rpartition("LOADED")
    return out, loaded.split()


def _why(loaded: list[str]) -> str:
    from importlib.metadata import version

    hint = (f" (typer {version('typer')} imports pydantic: pyproject.toml asks for typer < 0.29)"
            if "pydantic" in loaded else "")
    return f"loaded {loaded}{hint}"


def test_small_dim_loads_only_its_command_module_and_no_engine():
    out, loaded = _loaded(["dim", "mlp 3,3,3,3 x^2", "--seed", "0"])
    assert out.startswith("dim = 21 (certified)"), out
    assert loaded == [], _why(loaded)


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["dim", "--help"]])
def test_help_and_version_load_no_engine_and_no_numpy(argv):
    out, loaded = _loaded(argv)
    assert "neuroalg" in out
    assert [m for m in loaded if not m.startswith("neuroalg.cli.")] == [], _why(loaded)
    out, numpy = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv = ['neuroalg', *sys.argv[1:]]\n"
         "from neuroalg.cli import main\ntry:\n    main()\nfinally:\n"
         "    print('NUMPY', 'numpy' in sys.modules)", *argv],
        capture_output=True, text=True).stdout.rpartition("NUMPY")[::2]
    assert numpy.split() == ["False"], out


def test_commands_table_names_every_command_and_its_module():
    """:data:`neuroalg.cli.COMMANDS` (read before any command module is imported) against the
    commands that the modules register."""
    group = get_command(neuroalg.cli.app)
    found = {}
    for name, command in group.commands.items():
        callback = command.callback or next(iter(command.commands.values())).callback  # a group
        found[name] = callback.__module__.rpartition(".")[2]
    assert found == COMMANDS
    assert set(MODULES) == set(COMMANDS.values())
