"""Benchmark: start-up cost of the ``neuroalg`` command (CPU seconds of the whole process).

Target (issue 17): ``neuroalg --help`` and a small ``dim`` answer in under 0.3 CPU-s. Each
command runs ``--repeat`` times, interleaved with baselines in the same run (this machine is
shared and noisy): ``python -c pass`` (the interpreter alone), ``import typer, rich.console``
(what any typer CLI pays), ``import numpy`` and the floor of a typer CLI computing with numpy: a
typer app with the 8 parameters of ``neuroalg dim`` that imports numpy and returns. CPU = user +
system time of the child, from ``os.wait4``. Reported: the median and the minimum, the ratios
against the baselines, the load average and the typer version.

Bytecode: an installed package carries compiled bytecode, but this work tree runs with
``PYTHONDONTWRITEBYTECODE=1`` and has none, so every neuroalg module would be compiled on every
run (0.1-0.3 CPU-s that no user pays twice). The children therefore read and write bytecode
under a fresh ``PYTHONPYCACHEPREFIX`` (one untimed warm-up run per command); one row runs the
small ``dim`` with neuroalg's own bytecode removed from that cache, to show what compiling costs.

``--alt-path DIR`` adds rows for the floor and the targets with ``DIR`` first on the path (e.g.
``pip install --target DIR typer==0.29.2``, to compare typer releases in the same run).

Run: PYTHONPATH=src .venv/bin/python benchmarks/startup.py [--repeat 15] [--alt-path DIR];
results: benchmarks/results/startup.*
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from _measure import environment, load

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
NEUROALG = [sys.executable, "-m", "neuroalg"]
SMALL_DIM = "neuroalg dim 'mlp 3,3,3,3 x^2'"
#: the floor: a typer app with the 8 parameters of ``neuroalg dim`` that imports numpy and returns
FLOOR = ("import typer, numpy\napp = typer.Typer()\n@app.command()\n"
         "def dim(spec: str, as_json: bool = typer.Option(False, '--json'), seed: int = None,\n"
         "        numerical: bool = False, projective: bool = False, error_target: float = 1e-12,\n"
         "        force: bool = False, quiet: bool = False):\n    pass\napp()")
FLOOR_NAME = "floor: typer app, dim's 8 parameters, numpy"
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import numpy": [sys.executable, "-c", "import numpy"],
    "import typer, rich": [sys.executable, "-c", "import typer, rich.console"],
    FLOOR_NAME: [sys.executable, "-c", FLOOR, "mlp 3,3,3,3 x^2"],
    "neuroalg --help": [*NEUROALG, "--help"],
    "neuroalg --version": [*NEUROALG, "--version"],
    "neuroalg dim --help": [*NEUROALG, "dim", "--help"],
    SMALL_DIM: [*NEUROALG, "dim", "mlp 3,3,3,3 x^2"],
    "neuroalg dim 'mlp 2,3,1 x^2' --json": [*NEUROALG, "dim", "mlp 2,3,1 x^2", "--json"],
    "neuroalg error (bad spec)": [*NEUROALG, "dim", "mlp 2,0,1 x^2"],
    "neuroalg error (missing file)": [*NEUROALG, "verify", "/no/such.json"],
}
#: the issue-17 targets: these commands under 0.3 CPU-s
TARGETS = ("neuroalg --help", SMALL_DIM)
COLD = f"{SMALL_DIM}, neuroalg compiled on every run (no bytecode)"


def cpu_seconds(argv: list[str], env: dict[str, str]) -> float:
    pid = os.fork()
    if pid == 0:  # child: silence output, exec the command
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execve(argv[0], argv, env)
    _, status, usage = os.wait4(pid, 0)
    assert os.WIFEXITED(status), argv
    return usage.ru_utime + usage.ru_stime


def environments(cache: Path, alt_path: str | None) -> dict[str, dict[str, str]]:
    """The child environments: ``warm`` (bytecode cached under ``cache``), ``cold`` (the same
    cache without neuroalg's bytecode, never written) and ``alt`` (warm, ``alt_path`` first)."""
    warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    warm["PYTHONPYCACHEPREFIX"] = str(cache / "warm")
    path = [p for p in (os.environ.get("PYTHONPATH") or "").split(os.pathsep) if p]
    envs = {"warm": warm, "cold": {**warm, "PYTHONPYCACHEPREFIX": str(cache / "cold"),
                                   "PYTHONDONTWRITEBYTECODE": "1"}}
    if alt_path:
        envs["alt"] = {**warm, "PYTHONPATH": os.pathsep.join([alt_path, *path])}
    return envs


def runs(alt_path: str | None) -> dict[str, tuple[list[str], str]]:
    """name -> (argv, environment name)."""
    out = {name: (argv, "warm") for name, argv in COMMANDS.items()}
    out[COLD] = (COMMANDS[SMALL_DIM], "cold")
    if alt_path:
        tag = f"typer {_typer(alt_path)} from --alt-path"
        for name in (FLOOR_NAME, *TARGETS):
            out[f"{name} ({tag})"] = (COMMANDS[name], "alt")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--alt-path", help="a directory put first on the path for extra rows")
    args = parser.parse_args()
    env = environment()
    todo = runs(args.alt_path)
    with tempfile.TemporaryDirectory() as tmp:
        envs = environments(Path(tmp), args.alt_path)
        for argv, kind in todo.values():  # warm-up: compile every module once (untimed)
            cpu_seconds(argv, envs["warm" if kind == "cold" else kind])
        package = Path(__import__("neuroalg").__file__).resolve().parent
        shutil.copytree(Path(tmp) / "warm", Path(tmp) / "cold")
        shutil.rmtree(Path(tmp) / "cold" / package.relative_to(package.anchor))
        times: dict[str, list[float]] = {name: [] for name in todo}
        for _ in range(args.repeat):
            for name, (argv, kind) in todo.items():
                times[name].append(cpu_seconds(argv, envs[kind]))
    med = {name: statistics.median(v) for name, v in times.items()}
    base, typer_base, floor = med["python -c pass"], med["import typer, rich"], med[FLOOR_NAME]
    rows = [{"command": name, "median_cpu_s": round(m, 4), "min_cpu_s": round(min(times[name]), 4),
             "max_cpu_s": round(max(times[name]), 4), "vs_python": round(m / base, 2),
             "vs_typer_rich": round(m / typer_base, 2), "minus_floor_s": round(m - floor, 4),
             "target": name in TARGETS, "under_0.3s": m < 0.3} for name, m in med.items()]
    record = {**env, "load_average_end": load(), "repeat": args.repeat, "typer": _typer(),
              "alt_path": args.alt_path, "rows": rows, "cpu_s": times,
              "note": "BLAS threads do not matter here (no computation above a few milliseconds)"}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(record, indent=1) + "\n")
    lines = ["# Start-up CPU of the neuroalg command", "",
             f"{record['date']}, load average {record['load_average_start']} (start) / "
             f"{record['load_average_end']} (end) on {record['cores']} cores, median and minimum "
             f"of {args.repeat} interleaved runs (user + system CPU of the child process), typer "
             f"{record['typer']}, bytecode cached (see the last rows for the cost of compiling). "
             "Targets (issue 17): `--help` and a small `dim` under 0.3 CPU-s. The floor is what a "
             "typer app with the 8 parameters of `neuroalg dim` that imports numpy pays to start, "
             "parse and return.", "",
             "| command | median CPU s | min | max | vs python | vs typer+rich | minus floor | < 0.3 s |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['command']}{' (target)' if r['target'] else ''} | {r['median_cpu_s']} | "
              f"{r['min_cpu_s']} | {r['max_cpu_s']} | {r['vs_python']} | {r['vs_typer_rich']} | "
              f"{r['minus_floor_s']:+.3f} | {'yes' if r['under_0.3s'] else 'NO'} |" for r in rows]
    (RESULTS / "startup.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _typer(path: str | None = None) -> str:
    from importlib.metadata import distributions

    found = [d.version for d in distributions(name="typer", path=[path] if path else sys.path)]
    return found[0] if found else "?"


if __name__ == "__main__":
    main()
