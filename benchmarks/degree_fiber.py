"""Benchmark: `neuroalg degree` and `neuroalg fiber` against Macaulay2's elimination, same run.

Cases (issue 18): degree of mlp 4,2,1 x^2, cnn k=2,2,2 s=2,2,1 x^2, attention l=1 d=2 a=2 t=2
out=1 and linear 4,2,4 (by theorem, and by the witness set as a cross-check); fiber of
mlp 3,3,1 x^4 and mlp 4,2,1 x^3. For each, in the same run:

- ours: the library call in a fresh Python process (``--seeds`` seeds; CPU seconds of the call,
  its wall time, and the process's wall time including imports), OPENBLAS_NUM_THREADS=1;
- optionally the code before this work (``--before DIR``: a source tree, e.g.
  ``git archive 637f595 src | tar -x -C DIR``), same calls, ``--timeout`` seconds each;
- Macaulay2 1.21 (Debian package ``macaulay2``, installed here with --no-install-recommends if
  missing; never needed by the library), from the same exact polynomials (``polymap.expand``):
  degree = ``degree ker map(R, S, Phi)`` over QQ and over ZZ/32003; fiber = ``degree`` of the
  zero-dimensional ideal Phi(theta) - Phi(theta0), <r_j, w_j> = <r_j, w_j(theta0)> (the gauge
  slice through a random integer point theta0). Recorded: M2's own cpuTime of that line and the
  wall time of the whole M2 process.

Ratios are ours (median CPU of the call) over M2's kernel time and over M2's process CPU time.
Counts must agree. Run:
    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/degree_fiber.py [--before DIR] [--seeds 3]
        [--only SPEC ...]
Writes benchmarks/results/degree_fiber.{json,md}; with --only, the named specs are rerun and
replace their rows (a row keeps its earlier "before" measurement when not rerun with --before).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

from neuroalg.geometry.witness.fiber import gauge_matrix
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec

RESULTS = Path(__file__).parent / "results"
SRC = Path(__file__).parents[1] / "src"
CASES = [("degree", "mlp 4,2,1 x^2", {}), ("degree", "mlp 4,2,1 x^2", {"method": "witness"}),
         ("degree", "cnn k=2,2,2 s=2,2,1 x^2", {}),
         ("degree", "attention l=1 d=2 a=2 t=2 out=1", {}), ("degree", "linear 4,2,4", {}),
         ("degree", "linear 4,2,4", {"method": "witness"}),
         ("fiber", "mlp 3,3,1 x^4", {}), ("fiber", "mlp 4,2,1 x^3", {})]
RUNNER = """
import json, sys, time
from neuroalg.geometry.witness.{kind} import {kind} as f
kwargs = json.loads(sys.argv[2])
cpu, wall = time.process_time(), time.perf_counter()
r = f(sys.argv[1], seed=int(sys.argv[3]), **kwargs)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
d = r.to_dict()
print("RESULT " + json.dumps({{"value": d["value"], "status": d["status"], "cpu": cpu, "wall": wall,
                              "evidence": {{k: d.get(k) for k in ("trace_residual", "coincidence",
                                                                  "degree", "n_images", "method")}}}}))
"""


def ensure_m2() -> str | None:
    if not shutil.which("M2") and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "macaulay2"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return shutil.which("M2")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_python(src: Path, kind: str, spec: str, kwargs: dict, seed: int, timeout: float):
    env = dict(os.environ, PYTHONPATH=str(src), OPENBLAS_NUM_THREADS="1")
    clock, cpu = time.perf_counter(), _children_cpu()
    try:
        out = subprocess.run([sys.executable, "-c", RUNNER.format(kind=kind), spec, json.dumps(kwargs),
                              str(seed)], capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    found = re.search(r"RESULT (.*)", out.stdout)
    if not found:
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:]}
    res = json.loads(found.group(1))
    res["process_wall"], res["process_cpu"] = time.perf_counter() - clock, _children_cpu() - cpu
    return res


def _poly(poly: dict, names: list[str]) -> str:
    terms = []
    for a, c in poly.items():
        mono = "*".join(f"{t}^{e}" for t, e in zip(names, a) if e) or "1"
        terms.append(f"({c.numerator}/{c.denominator})*{mono}")
    return "+".join(terms) or "0"


def m2_degree_script(spec: str, field: str) -> str:
    phi = expand(spec)
    ts = [f"t{i}" for i in range(phi.n_params)]
    return (f"R = {field}[{','.join(ts)}];\nS = {field}[y_0..y_{phi.n_coordinates - 1}];\n"
            f"f = map(R, S, {{{','.join(_poly(p, ts) for p in phi.polys)}}});\n"
            "t = cpuTime(); d = degree ker f; t = cpuTime() - t;\n"
            'print("RESULT " | toString d | " CPU " | toString t); exit 0\n')


def m2_fiber_script(spec: str, field: str, seed: int = 0) -> str:
    arch = parse_spec(spec)
    phi = expand(arch)
    rng = np.random.default_rng(seed)
    ts = [f"t{i}" for i in range(phi.n_params)]
    theta0 = [Fraction(int(v)) for v in rng.integers(-9, 10, phi.n_params)]

    def value(poly):
        return sum((c * np.prod([t ** e for t, e in zip(theta0, a)], dtype=object)
                    for a, c in poly.items()), Fraction(0))

    eqs = [f"({_poly(p, ts)}) - ({value(p)})" for p in phi.polys]
    for row in gauge_matrix(arch, rng):
        level = sum((Fraction(r) * t for r, t in zip(row, theta0)), Fraction(0))
        eqs.append("+".join(f"({Fraction(r)})*{t}" for r, t in zip(row, ts) if r) + f" - ({level})")
    return (f"R = {field}[{','.join(ts)}];\nI = ideal({','.join(eqs)});\n"
            "t = cpuTime(); d = degree I; t = cpuTime() - t;\n"
            'print("RESULT " | toString d | " CPU " | toString t); exit 0\n')


def run_m2(binary: str, script: str, timeout: float):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.m2"
        path.write_text(script)
        clock, cpu = time.perf_counter(), _children_cpu()
        try:
            out = subprocess.run([binary, "--script", str(path)], capture_output=True, text=True,
                                 timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"timeout": timeout}
        wall, cpu = time.perf_counter() - clock, _children_cpu() - cpu
    found = re.search(r"RESULT (\d+) CPU ([0-9.e-]+)", out.stdout)
    if not found:
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:]}
    return {"value": int(found.group(1)), "cpu": float(found.group(2)), "process_wall": wall,
            "process_cpu": cpu}


def ratio(row: dict, key: str) -> str:
    if (row.get("ours") or [{}])[0].get("evidence", {}).get("method") == "theorem":
        return "by theorem"
    return str(row.get(key))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--before", type=Path, default=None, help="source tree of the old code")
    parser.add_argument("--timeout", type=float, default=960.0)
    parser.add_argument("--only", nargs="*", default=None, help="specs to run")
    args = parser.parse_args()
    m2 = ensure_m2()
    rows = []
    for kind, spec, kwargs in CASES:
        if args.only and spec not in args.only:
            continue
        row: dict = {"invariant": kind, "spec": spec, "options": kwargs,
                     "load_before": os.getloadavg()[0]}
        runs = [run_python(SRC, kind, spec, kwargs, seed, args.timeout) for seed in range(args.seeds)]
        row["ours"] = runs
        done = [r for r in runs if "cpu" in r]
        if done:
            row["ours_value"] = sorted({r["value"] for r in done})
            row["ours_cpu_median"] = round(statistics.median(r["cpu"] for r in done), 3)
            row["ours_cpu_max"] = round(max(r["cpu"] for r in done), 3)
            row["ours_process_cpu_median"] = round(statistics.median(r["process_cpu"] for r in done), 3)
        if args.before is not None and not kwargs:
            old = run_python(args.before, kind, spec, {}, 1, args.timeout)
            row["before"] = old
        if m2:
            script = (m2_degree_script if kind == "degree" else m2_fiber_script)
            row["m2"] = {field: run_m2(m2, script(spec, field), args.timeout)
                         for field in ("QQ", "ZZ/32003")}
            best = [r for r in row["m2"].values() if "cpu" in r]
            if best and done:
                kernel = min(r["cpu"] for r in best)
                process = min(r["process_cpu"] for r in best)
                row["m2_value"] = sorted({r["value"] for r in best})
                row["ratio_to_m2_kernel"] = round(row["ours_cpu_median"] / max(kernel, 1e-3), 1)
                row["ratio_to_m2_process"] = round(row["ours_cpu_median"] / process, 2)
                row["counts_agree"] = row["ours_value"] == row["m2_value"]
        row["load_after"] = os.getloadavg()[0]
        rows.append(row)
        print(json.dumps(row), flush=True)
    RESULTS.mkdir(exist_ok=True)
    previous = RESULTS / "degree_fiber.json"
    if args.only and previous.exists():
        def key(r):
            return r["invariant"], r["spec"], json.dumps(r["options"], sort_keys=True)

        old = {key(r): r for r in json.loads(previous.read_text())["rows"]}
        for r in rows:
            if "before" not in r and "before" in old.get(key(r), {}):
                r["before"] = old[key(r)]["before"]
        old.update({key(r): r for r in rows})
        order = [(k, sp, json.dumps(o, sort_keys=True)) for k, sp, o in CASES]
        rows = [old[k] for k in order if k in old] + [r for k, r in old.items() if k not in order]
    meta = {"machine": "2 cores shared by ~8 sessions, 24 GiB", "date": time.strftime("%Y-%m-%d %H:%M"),
            "python": sys.version.split()[0], "m2": m2, "seeds": args.seeds,
            "openblas_threads": 1, "before": str(args.before) if args.before else None,
            "note": "ours: CPU seconds of the library call in a fresh process (median over seeds); "
                    "M2: its cpuTime of the elimination line (kernel) and the CPU time of the "
                    "whole M2 process (process, start-up included; ours with imports: "
                    "ours_process_cpu_median); ratios = ours call CPU / M2"}
    name = "degree_fiber"
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    lines = ["# degree and fiber: neuroalg vs Macaulay2 elimination (issue 18)", "", json.dumps(meta), "",
             "| invariant | spec | options | ours value | ours CPU s (median, max) | before | "
             "M2 value | M2 kernel s (QQ, ZZ/32003) | M2 process CPU s | ours / M2 kernel | "
             "ours / M2 process | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        before = r.get("before", {})
        before_txt = ("-" if not before else f"> {before['timeout']:.0f} (timeout)" if "timeout" in before
                      else f"{before.get('value')} in {before.get('cpu', 0):.1f}")
        m2r = r.get("m2", {})
        kern = ", ".join(f"{m2r[k]['cpu']:.3f}" if "cpu" in m2r.get(k, {}) else "-" for k in ("QQ", "ZZ/32003"))
        proc = min((v["process_cpu"] for v in m2r.values() if "process_cpu" in v), default=None)
        lines.append(f"| {r['invariant']} | {r['spec']} | {r['options'] or ''} | {r.get('ours_value')} | "
                     f"{r.get('ours_cpu_median')}, {r.get('ours_cpu_max')} | {before_txt} | "
                     f"{r.get('m2_value')} | {kern} | {'-' if proc is None else f'{proc:.2f}'} | "
                     f"{ratio(r, 'ratio_to_m2_kernel')} | {ratio(r, 'ratio_to_m2_process')} | "
                     f"{r['load_before']:.1f} |")
    lines += ["", "ours: median and max over the seeds of the CPU seconds of the library call (a fresh "
              "process each; imports excluded, see ours_process_cpu_median in the JSON). before: the "
              "same call (seed 1) on the code before issue 18 (commit 637f595), CPU seconds, "
              f"timeout {args.timeout:.0f} s of wall time. Rows without options use the default "
              "method: linear networks and (n, h, 1) x^2 by theorem (certified), the others by the "
              "witness set (numerical, trace test) or, for fibers, monodromy until the full fibers "
              "stop growing (numerical, coincidence bound). M2 process: CPU seconds of the whole "
              "M2 run (start-up included); M2 kernel: its cpuTime of the elimination line."]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
