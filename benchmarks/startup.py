"""Benchmark: start-up cost of the ``neuroalg`` command (CPU seconds of the whole process).

Target (issue 12): ``neuroalg --help`` and a one-line input error answer in under 0.5 s of CPU.
Each command runs ``--repeat`` times, interleaved with two baselines in the same run (this
machine is shared and noisy): ``python -c pass`` (the interpreter alone) and
``python -c "import typer, rich.console"`` (what any typer CLI pays). CPU = user + system time
of the child, from ``os.wait4``. Reported: the median and the ratios against the baselines.

Run: .venv/bin/python benchmarks/startup.py [--repeat 15]; results: benchmarks/results/startup.*
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import typer, rich": [sys.executable, "-c", "import typer, rich.console"],
    "neuroalg --help": [str(BIN / "neuroalg"), "--help"],
    "neuroalg dim --help": [str(BIN / "neuroalg"), "dim", "--help"],
    "neuroalg error (bad spec)": [str(BIN / "neuroalg"), "dim", "mlp 2,0,1 x^2"],
    "neuroalg error (missing file)": [str(BIN / "neuroalg"), "verify", "/no/such.json"],
    "neuroalg --version": [str(BIN / "neuroalg"), "--version"],
}


def cpu_seconds(argv: list[str]) -> float:
    pid = os.fork()
    if pid == 0:  # child: silence output, exec the command
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execv(argv[0], argv)
    _, _, usage = os.wait4(pid, 0)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.repeat):
        for name, argv in COMMANDS.items():
            times[name].append(cpu_seconds(argv))
    med = {name: statistics.median(v) for name, v in times.items()}
    base, typer_base = med["python -c pass"], med["import typer, rich"]
    rows = [{"command": name, "median_cpu_s": round(m, 4), "max_cpu_s": round(max(times[name]), 4),
             "vs_python": round(m / base, 2), "vs_typer_rich": round(m / typer_base, 2),
             "under_0.5s": m < 0.5} for name, m in med.items()]
    record = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
              "load_average": os.getloadavg(), "repeat": args.repeat, "rows": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(record, indent=1) + "\n")
    lines = ["# Start-up CPU of the neuroalg command", "",
             f"{record['date']}, load average {record['load_average']}, median of "
             f"{args.repeat} interleaved runs (user + system CPU of the child process).", "",
             "| command | median CPU s | max | vs python | vs typer+rich | < 0.5 s |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r['command']} | {r['median_cpu_s']} | {r['max_cpu_s']} | {r['vs_python']} | "
              f"{r['vs_typer_rich']} | {'yes' if r['under_0.5s'] else 'NO'} |" for r in rows]
    (RESULTS / "startup.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
