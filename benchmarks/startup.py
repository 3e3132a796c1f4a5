"""Benchmark: start-up cost of the ``neuroalg`` command (CPU seconds of the whole process).

Target (issue 17): ``neuroalg --help`` and a small ``dim`` answer in under 0.3 CPU-s. Each
command runs ``--repeat`` times, interleaved with baselines in the same run (this machine is
shared and noisy): ``python -c pass`` (the interpreter alone), ``import typer, rich.console``
(what any typer CLI pays) and the floor of a typer CLI computing with numpy: a typer app with the
8 parameters of ``neuroalg dim`` that imports numpy and returns (typer >= 0.2x converts every
command-line value through a pydantic TypeAdapter). CPU = user +
system time of the child, from ``os.wait4``. Reported: the median and the minimum, the ratios
against the baselines, the load average and the BLAS thread count. The commands run as
``python -m neuroalg`` with this interpreter, so ``PYTHONPATH=src`` measures a work tree.

Run: .venv/bin/python benchmarks/startup.py [--repeat 15]; results: benchmarks/results/startup.*
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

from _measure import environment, load

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
NEUROALG = [sys.executable, "-m", "neuroalg"]
#: the floor: a typer app with the 8 parameters of ``neuroalg dim`` that imports numpy and
#: returns (typer converts each value through a pydantic TypeAdapter)
FLOOR = ("import typer, numpy\napp = typer.Typer()\n@app.command()\n"
         "def dim(spec: str, as_json: bool = typer.Option(False, '--json'), seed: int = None,\n"
         "        numerical: bool = False, projective: bool = False, error_target: float = 1e-12,\n"
         "        force: bool = False, quiet: bool = False):\n    pass\napp()")
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import typer, rich": [sys.executable, "-c", "import typer, rich.console"],
    "floor: typer app, dim's 8 parameters, numpy": [sys.executable, "-c", FLOOR, "mlp 3,3,3,3 x^2"],
    "neuroalg --help": [*NEUROALG, "--help"],
    "neuroalg --version": [*NEUROALG, "--version"],
    "neuroalg dim --help": [*NEUROALG, "dim", "--help"],
    "neuroalg dim 'mlp 3,3,3,3 x^2'": [*NEUROALG, "dim", "mlp 3,3,3,3 x^2"],
    "neuroalg dim 'mlp 2,3,1 x^2' --json": [*NEUROALG, "dim", "mlp 2,3,1 x^2", "--json"],
    "neuroalg error (bad spec)": [*NEUROALG, "dim", "mlp 2,0,1 x^2"],
    "neuroalg error (missing file)": [*NEUROALG, "verify", "/no/such.json"],
}
#: the issue-17 targets: these commands under 0.3 CPU-s
TARGETS = ("neuroalg --help", "neuroalg dim 'mlp 3,3,3,3 x^2'")


def cpu_seconds(argv: list[str]) -> float:
    pid = os.fork()
    if pid == 0:  # child: silence output, exec the command
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execv(argv[0], argv)
    _, status, usage = os.wait4(pid, 0)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    env = environment()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.repeat):
        for name, argv in COMMANDS.items():
            times[name].append(cpu_seconds(argv))
    med = {name: statistics.median(v) for name, v in times.items()}
    base, typer_base, floor = (med["python -c pass"], med["import typer, rich"],
                               med["floor: typer app, dim's 8 parameters, numpy"])
    rows = [{"command": name, "median_cpu_s": round(m, 4), "min_cpu_s": round(min(times[name]), 4),
             "max_cpu_s": round(max(times[name]), 4), "vs_python": round(m / base, 2),
             "vs_typer_rich": round(m / typer_base, 2), "minus_floor_s": round(m - floor, 4),
             "target": name in TARGETS, "under_0.3s": m < 0.3} for name, m in med.items()]
    record = {**env, "load_average_end": load(), "repeat": args.repeat, "rows": rows,
              "note": "BLAS threads do not matter here (no computation above a few microseconds)"}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(record, indent=1) + "\n")
    lines = ["# Start-up CPU of the neuroalg command", "",
             f"{record['date']}, load average {record['load_average_start']} (start) / "
             f"{record['load_average_end']} (end) on {record['cores']} cores, median and minimum "
             f"of {args.repeat} interleaved runs (user + system CPU of the child process). Targets "
             "(issue 17): `--help` and a small `dim` under 0.3 CPU-s. The floor is what a typer "
             "app with the 8 parameters of `neuroalg dim` that imports numpy pays to start, parse "
             f"and return (typer {_typer()} converts every command-line value through a pydantic "
             "TypeAdapter).", "",
             "| command | median CPU s | min | max | vs python | vs typer+rich | minus floor | < 0.3 s |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['command']}{' (target)' if r['target'] else ''} | {r['median_cpu_s']} | "
              f"{r['min_cpu_s']} | {r['max_cpu_s']} | {r['vs_python']} | {r['vs_typer_rich']} | "
              f"{r['minus_floor_s']:+.3f} | {'yes' if r['under_0.3s'] else 'NO'} |" for r in rows]
    (RESULTS / "startup.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _typer() -> str:
    from importlib.metadata import version

    return version("typer")


if __name__ == "__main__":
    main()
