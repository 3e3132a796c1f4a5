"""Benchmark: one-layer attention, the seed paper's examples (issue 14, items 1-2).

In the same run:
- equations of ``attention l=1 d=2 a=2 t=2 out=1`` (Henry-Marchetti-Kohn's hypersurface) up to
  degree 4 with the linear span first (the library), against the baseline of interpolating in
  all 20 coordinates (``_interpolate`` over every coordinate: 8,855 quartic monomials, upper
  bound only as ``max_generators`` = 6000, the route of the issue's 270 s);
- ``singular`` (strata, verdicts, boundary) on the issue's and the paper's sizes.
CPU seconds (process time) and wall seconds, with the load average, per case; the baseline
runs in a subprocess with ``--timeout`` seconds.

Run:  PYTHONPATH=src .venv/bin/python benchmarks/attention.py [--timeout 900]
Writes benchmarks/results/attention.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results"
PAPER = "attention l=1 d=2 a=2 t=2 out=1"
SINGULAR = [PAPER, "attention l=1 d=3 a=2 t=2", "attention l=1 d=2 a=2 t=2 out=2",
            "attention l=1 d=2 a=1 t=1 out=1"]


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)


def _ours():
    from neuroalg.geometry.equations import equations

    res = equations(PAPER, degree=4, seed=0)
    return {"dim_I": [p.upper for p in res.parts], "certified": res.status.value == "certified",
            "claim": res.structural_claim, "quartic": res.generators[-1]}


def _baseline(queue):
    from neuroalg.geometry.equations.equations import _interpolate
    from neuroalg.linalg import random_prime
    from neuroalg.polymap import expand

    phi, rng = expand(PAPER), np.random.default_rng(0)
    primes = [random_prime(30, rng) for _ in range(3)]
    cpu = time.process_time()
    out = []
    for d in range(1, 5):
        lower, upper, _, _ = _interpolate(phi, list(range(phi.n_coordinates)), d, primes, rng, 6000)
        out.append({"degree": d, "upper": upper, "lower": lower,
                    "cpu": round(time.process_time() - cpu, 2)})
        queue.put(out[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    meta = {"machine": f"{os.cpu_count()} cores (shared)", "date": time.strftime("%Y-%m-%d"),
            "load_before": os.getloadavg()}
    ours, wall, cpu = _timed(_ours)
    rows = {"equations_linear_span_first": {**ours, "wall": wall, "cpu": cpu}}
    print(json.dumps(rows), flush=True)
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=_baseline, args=(queue,))
    start = time.perf_counter()
    proc.start()
    proc.join(args.timeout)
    timed_out = proc.is_alive()
    if timed_out:
        proc.terminate()
        proc.join()
    base = []
    while not queue.empty():
        base.append(queue.get())
    rows["equations_all_coordinates"] = {"degrees": base, "timed_out": timed_out,
                                         "wall": round(time.perf_counter() - start, 2)}
    print(json.dumps(rows["equations_all_coordinates"]), flush=True)
    from neuroalg.geometry.witness.singular import singular

    for spec in SINGULAR:
        res, wall, cpu = _timed(lambda s=spec: singular(s, seed=0))
        rows[f"singular {spec}"] = {
            "dimension": res.dimension, "coordinates": res.ambient,
            "strata": {s.name: s.is_singular for s in res.strata}, "closed": res.boundary.is_closed,
            "all_real_points": res.boundary.is_all_real_points, "wall": wall, "cpu": cpu}
        print(json.dumps({spec: rows[f"singular {spec}"]}), flush=True)
    meta["load_after"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "attention.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    base_cpu = sum(r["cpu"] for r in base[-1:]) if base else None
    lines = ["# One-layer attention: equations (linear span first) and singular/boundary points", "",
             json.dumps(meta), "",
             "| case | result | CPU s | wall s |", "|---|---|---|---|",
             f"| equations {PAPER} -d 4 (linear span first) | dim I_d {ours['dim_I']}, certified "
             f"{ours['certified']}, claim {ours['claim']} | {rows['equations_linear_span_first']['cpu']} | "
             f"{rows['equations_linear_span_first']['wall']} |",
             f"| same, interpolation in all 20 coordinates (baseline) | "
             f"{[(r['degree'], r['upper'], r['lower']) for r in base]}"
             f"{' (timed out)' if timed_out else ''} | {base_cpu} | "
             f"{rows['equations_all_coordinates']['wall']} |"]
    for spec in SINGULAR:
        r = rows[f"singular {spec}"]
        lines.append(f"| singular {spec} | dim {r['dimension']}; {r['strata']}; closed {r['closed']}; "
                     f"M = V(R) {r['all_real_points']} | {r['cpu']} | {r['wall']} |")
    (RESULTS / "attention.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
