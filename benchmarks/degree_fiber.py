"""Benchmark: `neuroalg degree` and `neuroalg fiber` against Macaulay2's elimination, same run.

Cases (issue 18): degree of mlp 4,2,1 x^2, cnn k=2,2,2 s=2,2,1 x^2, attention l=1 d=2 a=2 t=2
out=1 and linear 4,2,4 (by theorem, and by the witness set as a cross-check); fiber of
mlp 3,3,1 x^4 and mlp 4,2,1 x^3 (by Kruskal's criterion, and by monodromy as a cross-check).
For each case and seed, interleaved (ours, start, M2 over QQ, M2 over ZZ/32003, next seed):

- ours: the library call in a fresh Python process (``--seeds`` seeds; CPU seconds of the call,
  its wall time, and the process's CPU time including imports), OPENBLAS_NUM_THREADS=1 (the
  child's BLAS thread count is recorded by threadpoolctl);
- optionally the code at the start of this work (``--start DIR``: a source tree, e.g.
  ``git archive 986b81e src | tar -x -C DIR``), same calls and seeds (method "monodromy" is
  that code's default for fibers);
- optionally the code before issue 18 (``--before DIR``, e.g. commit 637f595), seed 1 only,
  ``--timeout`` seconds each;
- Macaulay2 1.21 (Debian package ``macaulay2``, installed here with --no-install-recommends if
  missing; never needed by the library), from the same exact polynomials (``polymap.expand``):
  degree = ``degree ker map(R, S, Phi)`` over QQ and over ZZ/32003; fiber = ``degree`` of the
  zero-dimensional ideal Phi(theta) - Phi(theta0), <r_j, w_j> = <r_j, w_j(theta0)> (the gauge
  slice through a random integer point theta0). Recorded: M2's own cpuTime of that line and the
  wall time of the whole M2 process.

Ratios, all from the same run: ours (median CPU of the call over the seeds) over M2's median
kernel time over QQ (the exact elimination) and over the faster of QQ and ZZ/32003, and over the
start code's median. Counts must agree. Run:
    OPENBLAS_NUM_THREADS=1 nice .venv/bin/python benchmarks/degree_fiber.py [--start DIR]
        [--before DIR] [--seeds 3] [--only SPEC ...]
Writes benchmarks/results/degree_fiber.{json,md}; with --only, the named specs are rerun and
replace their rows. A row keeps its earlier "before" measurement when not rerun with --before.
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
         ("fiber", "mlp 3,3,1 x^4", {}), ("fiber", "mlp 3,3,1 x^4", {"method": "monodromy"}),
         ("fiber", "mlp 4,2,1 x^3", {}), ("fiber", "mlp 4,2,1 x^3", {"method": "monodromy"})]
RUNNER = """
import json, sys, time
from neuroalg.geometry.witness.{kind} import {kind} as f
kwargs = json.loads(sys.argv[2])
cpu, wall = time.process_time(), time.perf_counter()
r = f(sys.argv[1], seed=int(sys.argv[3]), **kwargs)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
d = r.to_dict()
try:
    from threadpoolctl import threadpool_info
    blas = [i.get("num_threads") for i in threadpool_info() if i.get("user_api") == "blas"]
except ImportError:
    blas = None
print("RESULT " + json.dumps({{"value": d["value"], "status": d["status"], "cpu": cpu, "wall": wall,
                              "blas_threads": blas,
                              "evidence": {{k: d.get(k) for k in ("trace_residual", "coincidence",
                                                                  "degree", "n_images", "method",
                                                                  "paths", "rounds", "loops",
                                                                  "arrivals")}}}}))
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


def measure_floor(spec: str = "mlp 4,2,1 x^3", repeats: int = 3) -> dict:
    """The cost of one batch of paths (the unit of every round) on the fiber system of ``spec``:
    CPU seconds (min of ``repeats``) of tracking 1 and 96 random samples to one slice, with the
    tracker steps the batch took."""
    from neuroalg.geometry.dimension.dimension import dimension
    from neuroalg.geometry.witness.fiber import rescaling_gauge
    from neuroalg.geometry.witness.preimages import STEPS, SliceMap, random_points, track_segments
    from neuroalg.polymap import random_rational

    arch = parse_spec(spec)
    rng = np.random.default_rng(0)
    dim = dimension(arch, seed=0).dimension
    phi = expand(arch)
    system = SliceMap(rescaling_gauge(arch, rng).restrict(phi),
                      random_rational(rng, (dim, phi.n_coordinates)))
    target = system.map(random_points(rng, (1, system.n_vars)))[0]
    out: dict = {"spec": spec}
    for n in (1, 96):
        z = random_points(rng, (n, system.n_vars))
        best, steps = float("inf"), 0
        for _ in range(repeats):
            cpu = time.process_time()
            moved = track_segments(system, z, system.map(z), target, max_steps=STEPS,
                                   max_correction=1e-2)
            best, steps = min(best, time.process_time() - cpu), moved.n_steps
        out[f"batch_{n}_cpu"], out[f"batch_{n}_steps"] = round(best, 4), steps
        out[f"batch_{n}_cpu_per_step"] = round(best / max(steps, 1), 5)
    return out


def _median(runs: list[dict], key: str = "cpu") -> float | None:
    done = [r[key] for r in runs if key in r]
    return round(statistics.median(done), 4) if done else None


def _ratio(num: float | None, den: float | None) -> float | None:
    return round(num / max(den, 1e-4), 3) if num is not None and den is not None else None


def run_case(kind: str, spec: str, kwargs: dict, args, m2: str | None) -> dict:
    """One row: for each seed, ours, the start code, M2 over QQ and over ZZ/32003, in turn."""
    row: dict = {"invariant": kind, "spec": spec, "options": kwargs, "load_before": os.getloadavg()[0]}
    ours, start, m2_runs = [], [], {"QQ": [], "ZZ/32003": []}
    start_kwargs = (kwargs if args.start_options else
                    {k: v for k, v in kwargs.items() if not (k == "method" and v == "monodromy")})
    for seed in range(args.seeds):
        ours.append(run_python(SRC, kind, spec, kwargs, seed, args.timeout))
        if args.start is not None:
            start.append(run_python(args.start, kind, spec, start_kwargs, seed, args.timeout))
        if m2:
            for field in m2_runs:
                script = (m2_degree_script(spec, field) if kind == "degree" else
                          m2_fiber_script(spec, field, seed))
                m2_runs[field].append(run_m2(m2, script, args.timeout))
    row["ours"], row["start"], row["m2"] = ours, start, m2_runs
    done = [r for r in ours if "cpu" in r]
    row["ours_value"] = sorted({r["value"] for r in done})
    row["ours_status"] = sorted({r["status"] for r in done})
    row["ours_cpu_median"] = _median(ours)
    row["ours_cpu_max"] = round(max(r["cpu"] for r in done), 4) if done else None
    row["ours_process_cpu_median"] = _median(ours, "process_cpu")
    row["blas_threads"] = sorted({str(r.get("blas_threads")) for r in done})
    if start:
        row["start_value"] = sorted({r["value"] for r in start if "value" in r})
        row["start_cpu_median"] = _median(start)
        row["ratio_to_start"] = _ratio(row["ours_cpu_median"], row["start_cpu_median"])
    if m2:
        qq, zp = _median(m2_runs["QQ"]), _median(m2_runs["ZZ/32003"])
        row["m2_value"] = sorted({r["value"] for rs in m2_runs.values() for r in rs if "value" in r})
        row["m2_kernel_qq_median"], row["m2_kernel_zp_median"] = qq, zp
        row["m2_process_cpu_median"] = _median(m2_runs["QQ"], "process_cpu")
        row["ratio_to_m2_qq"] = _ratio(row["ours_cpu_median"], qq)
        row["ratio_to_m2_fastest"] = _ratio(row["ours_cpu_median"],
                                            min(v for v in (qq, zp) if v is not None) if (qq or zp) else None)
        row["counts_agree"] = row["ours_value"] == row["m2_value"]
    if args.before is not None and not kwargs:
        row["before"] = run_python(args.before, kind, spec, {}, 1, args.timeout)
    row["load_after"] = os.getloadavg()[0]
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--start", type=Path, default=None, help="source tree of the code at the start")
    parser.add_argument("--start-commit", default=None, help="the commit of --start (recorded)")
    parser.add_argument("--start-options", action="store_true",
                        help="call the start code with the same options (by default method "
                             "'monodromy' is dropped: 986b81e had no method option, monodromy was "
                             "its default)")
    parser.add_argument("--before", type=Path, default=None, help="source tree of the code before issue 18")
    parser.add_argument("--timeout", type=float, default=960.0)
    parser.add_argument("--only", nargs="*", default=None, help="specs to run")
    parser.add_argument("--markdown-only", action="store_true",
                        help="rewrite the table from degree_fiber.json without running anything")
    args = parser.parse_args()
    if args.markdown_only:
        data = json.loads((RESULTS / "degree_fiber.json").read_text())
        write_markdown(data["rows"], data["meta"])
        return
    m2 = ensure_m2()
    rows = []
    for kind, spec, kwargs in CASES:
        if args.only and spec not in args.only:
            continue
        rows.append(run_case(kind, spec, kwargs, args, m2))
        print(json.dumps({k: v for k, v in rows[-1].items() if k not in ("ours", "start", "m2")}),
              flush=True)
    RESULTS.mkdir(exist_ok=True)
    previous = RESULTS / "degree_fiber.json"

    def key(r):
        return r["invariant"], r["spec"], json.dumps(r["options"], sort_keys=True)

    old = {key(r): r for r in json.loads(previous.read_text())["rows"]} if previous.exists() else {}
    for r in rows:  # keep the earlier measurement of the code before issue 18
        if "before" not in r and "before" in old.get(key(r), {}):
            r["before"] = old[key(r)]["before"]
    if args.only:
        old.update({key(r): r for r in rows})
        order = [(k, sp, json.dumps(o, sort_keys=True)) for k, sp, o in CASES]
        rows = [old[k] for k in order if k in old]
    floor = measure_floor()
    meta = {"machine": "2 cores shared by ~5-8 sessions", "date": time.strftime("%Y-%m-%d %H:%M"),
            "python": sys.version.split()[0], "m2": m2, "seeds": args.seeds,
            "openblas_threads_env": os.environ.get("OPENBLAS_NUM_THREADS"),
            "start": str(args.start) if args.start else None, "start_commit": args.start_commit,
            "start_options": args.start_options,
            "before": str(args.before) if args.before else None,
            "load_average_end": os.getloadavg()[0], "floor": floor,
            "note": "ours: CPU seconds of the library call in a fresh process (median over seeds; "
                    "imports excluded, see ours_process_cpu_median); M2: its cpuTime of the "
                    "elimination line (kernel; median over the same seeds, interleaved); ratios "
                    "from this run only"}
    name = "degree_fiber"
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    write_markdown(rows, meta)


def write_markdown(rows: list[dict], meta: dict) -> None:
    """benchmarks/results/degree_fiber.md from the rows and meta of the JSON."""
    floor = meta["floor"]
    lines = ["# degree and fiber: neuroalg vs Macaulay2 elimination (issue 18)", "", json.dumps(meta), "",
             "| invariant | spec | options | ours value (status) | ours CPU s (median, max) | "
             "start CPU s (value) | before | M2 value | M2 kernel s QQ, ZZ/p (median) | "
             "ours / M2 QQ | ours / M2 fastest | ours / start | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        before = r.get("before", {})
        before_txt = ("-" if not before else f"> {before['timeout']:.0f} (timeout)" if "timeout" in before
                      else f"{before.get('value')} in {before.get('cpu', 0):.1f}")
        start_txt = (f"{r['start_cpu_median']} ({', '.join(map(str, r['start_value']))})"
                     if r.get("start_cpu_median") is not None else "-")
        lines.append(f"| {r['invariant']} | {r['spec']} | {r['options'] or ''} | "
                     f"{', '.join(map(str, r.get('ours_value', [])))} ({', '.join(r.get('ours_status', []))}) | "
                     f"{r.get('ours_cpu_median')}, {r.get('ours_cpu_max')} | {start_txt} | {before_txt} | "
                     f"{', '.join(map(str, r.get('m2_value', [])))} | {r.get('m2_kernel_qq_median')}, "
                     f"{r.get('m2_kernel_zp_median')} | {r.get('ratio_to_m2_qq')} | "
                     f"{r.get('ratio_to_m2_fastest')} | {r.get('ratio_to_start', '-')} | "
                     f"{r['load_before']:.1f} |")
    lines += ["", "ours: median and max over the seeds of the CPU seconds of the library call (a fresh "
              "process each; imports excluded, see ours_process_cpu_median in the JSON), "
              "OPENBLAS_NUM_THREADS=1 (threads recorded per run in the JSON). start: the same calls on "
              f"the code at the start of this work ({meta.get('start_commit') or meta.get('start')}; "
              f"{'same options' if meta.get('start_options') else 'method monodromy dropped'}), "
              "same seeds and run. before: the same call "
              "(seed 1) on the code before issue 18 (commit 637f595), CPU seconds, from an earlier run. "
              "M2: Macaulay2's cpuTime of `degree ker map` (degree) or of `degree` of the fiber ideal on "
              "the gauge slice through a random integer point (fiber), median over the seeds, "
              "interleaved with ours. Rows without options use the default method: linear networks "
              "and (n, h, 1) x^2 by theorem, shallow fibers by Kruskal's criterion verified mod p "
              "(certified), the others by the witness set (numerical, trace test); method monodromy: "
              "the fiber by monodromy (numerical, coincidence bound).", "",
              f"Floor of the numerical rows (same run, `measure_floor`, fiber system of {floor['spec']}): "
              f"one batch of 1 path costs {floor['batch_1_cpu']} CPU s ({floor['batch_1_steps']} "
              f"tracker steps, {1000 * floor['batch_1_cpu_per_step']:.2f} ms each), of 96 paths "
              f"{floor['batch_96_cpu']} s ({floor['batch_96_steps']} steps, "
              f"{1000 * floor['batch_96_cpu_per_step']:.2f} ms each): Python and numpy overhead per "
              "step (5 evaluations and batched linear solves), which grows slowly with the batch "
              "(96 times the paths for about twice the cost per step). Every round of the "
              "explorer is one such batch and the trace test or the fiber evidence needs at "
              "least one (degree) or two (fiber: the second route to a fiber is the second "
              "batch) rounds, so a numerical row cannot cost less than one or two batches, "
              "whatever the number of paths."]
    over = [f"{r['spec']} {r['options'] or ''} ({r['ratio_to_m2_qq']}x)".replace("  ", " ")
            for r in rows if (r.get("ratio_to_m2_qq") or 0) > 2]
    if over:
        lines += ["", "Above 2x Macaulay2's kernel over QQ in this run: " + "; ".join(over) + ". "
                  "Each is one or two batches of the floor above plus the fixed work (dimension, "
                  "gauge, Krawczyk's test or the linear ansatz), where Macaulay2's Groebner bases of "
                  "these small ideals take 10-20 milliseconds; the default method of each "
                  "fiber row (Kruskal's criterion) answers the same question, certified, below "
                  "Macaulay2's time."]
    (RESULTS / "degree_fiber.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
