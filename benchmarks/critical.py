"""Benchmark: `neuroalg critical` on the seed papers' examples, and PHCpack on the same systems.

For each case: the count of ``critical_points`` as the command runs it (with its completeness
evidence: two independent runs, their union, a fresh-target homotopy) beside its independent value
(a theorem, or the published count), CPU and wall seconds; and one run alone (``check=False``)
with its paths and paths per second. Side by side, PHCpack's blackbox solver
(``phc -b``, Debian package ``phcpack``, installed by ``homotopy.ensure_phc`` when missing; never
needed by the library) on the *same* square critical system (the parameter method's gauge system
at its base parameters): PHCpack solves it from scratch (polyhedral homotopy: every isolated
solution, all preimages on the gauge of every critical point, plus whatever isolated solutions
off the regular part exist); its count here is the number of distinct images of its regular
solutions that pass the same unrandomized critical conditions.

Times are wall seconds on the shared 2-core machine; the load average is recorded with each row
(other engineers' jobs run at the same time) and CPU seconds (process time of this process,
which runs single-threaded numpy) are the load-independent measure.

Run:  OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/critical.py [--quick] [--only SUBSTRING] [--no-phc]
Writes benchmarks/results/critical.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from homotopy import ensure_phc, phc_text  # noqa: E402
from neuroalg.geometry.witness.critical import _param, critical_points  # noqa: E402
from neuroalg.geometry.witness.degree import generic_dimension  # noqa: E402
from neuroalg.geometry.witness.metrics import check_data, metric_matrix  # noqa: E402
from neuroalg.geometry.witness.points import n_distinct  # noqa: E402
from neuroalg.polymap import expand  # noqa: E402
from neuroalg.spec import parse_spec  # noqa: E402

RESULTS = Path(__file__).parent / "results"

#: (spec, metric, independent value, source, limit in seconds from issue 18)
CASES = [
    ("mlp 3,2,1 x^2", "generic", 13, "symmetric rank <= 2: dual of the Veronese surface (DHOST 5.2, 5.8)", 60),
    ("attention l=1 d=2 a=2 t=2 out=1", "generic", 14, "Marchetti-Connelly-Breiding-Kohn", 60),
    ("mlp 2,2,1 x^3", "generic", 1, "V fills the binary cubics", 60),
    ("linear 3,2,4", "unit", 3, "Eckart-Young C(3,2)", 60),
    ("cnn k=2,2 s=2,1 x", "data", 6, "generic ED degree of Segre P1xP1 (KMST)", 60),
    ("cnn k=3,2 s=2,1 x", "data", 10, "generic ED degree of Segre P2xP1 (KMST)", 60),
    ("cnn k=3,2 x^2", "data", 79, "Segre-Veronese P2xP1 O(2,1) generic ED degree (SMK formula)", 60),
    ("mlp 2,1,1 x^4", "generic", 10, "Veronese nu_4(P1): 3d - 2", 60),
    ("cnn k=2,2,2 x^2", "data", 404, "Segre-Veronese P1xP1xP1 O(4,2,1) generic ED degree (SMK formula)", 600),
]
QUICK_SKIP = {"cnn k=2,2,2 x^2"}


def _timed(func, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    out = func(*args, **kwargs)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def gauge_system(spec: str, metric: str, seed: int):
    """The parameter method's square system at its base parameters, as `critical` builds it."""
    arch = parse_spec(spec)
    rng = np.random.default_rng(seed)
    dim, _ = generic_dimension(arch, seed)
    phi = expand(arch)
    data = check_data(arch, None, rng, None) if metric == "data" else None
    q = metric_matrix(phi, metric, rng, data)
    solved = _param(arch, phi, dim, q, rng, 8, None)
    return solved


def _phc_solutions(text: str, n: int) -> np.ndarray:
    """The solution vectors of a `phc -b` output file."""
    sols = []
    for block in text.split("the solution for t :")[1:]:
        values = re.findall(r"^\s*v(\d+)\s*:\s*(\S+)\s+(\S+)", block.split("==")[0], flags=re.M)
        vec = np.zeros(n, dtype=np.complex128)
        for idx, re_part, im_part in values:
            vec[int(idx)] = complex(float(re_part.replace("E", "e")), float(im_part.replace("E", "e")))
        if len(values) == n:
            sols.append(vec)
    return np.array(sols).reshape(-1, n)


def run_phc(phc: str, solved, timeout: float):
    system = solved.system.with_parameters(solved.w0)
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in.txt", Path(tmp) / "out.txt"
        inp.write_text(phc_text(system))
        clock, children = time.perf_counter(), os.times()
        try:
            subprocess.run([phc, "-b", str(inp), str(out)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=timeout, check=False, cwd=tmp)
        except subprocess.TimeoutExpired:
            return None, None, timeout, None
        seconds = time.perf_counter() - clock
        after = os.times()
        cpu = after.children_user - children.children_user + after.children_system - children.children_system
        text = out.read_text() if out.exists() else ""
    z = _phc_solutions(text, system.n_vars)
    if len(z):
        z = z[solved.is_valid(z, solved.w0)]
    return n_distinct(solved.functions(z)), len(z), seconds, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip cnn k=2,2,2 x^2 (404)")
    parser.add_argument("--only", default="", help="run the cases whose spec contains this")
    parser.add_argument("--no-phc", action="store_true", help="skip PHCpack")
    parser.add_argument("--timeout", type=float, default=1200.0, help="per PHCpack run (s)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    phc = None if args.no_phc else ensure_phc()
    rows = []
    for spec, metric, value, source, limit in CASES:
        if (args.quick and spec in QUICK_SKIP) or args.only not in spec:
            continue
        load = os.getloadavg()[0]
        full, wall, cpu = _timed(critical_points, spec, metric=metric, seed=args.seed)
        res, wall_one, cpu_one = _timed(critical_points, spec, metric=metric, seed=args.seed,
                                        check=False)
        row = {"spec": spec, "metric": metric, "value": value, "source": source,
               "count": full.n_critical, "agrees": full.n_critical == value,
               "status": full.status.value,
               "theorem": None if full.evidence.theorem is None else full.evidence.theorem.value,
               "runs": [full.evidence.first_run, full.evidence.second_run],
               "fresh_target": [full.evidence.n_fresh_distinct, full.evidence.n_fresh_paths],
               "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "limit": limit,
               "one_run": {"count": res.n_critical, "seconds": round(wall_one, 2),
                           "cpu_seconds": round(cpu_one, 2), "paths": res.n_paths,
                           "loops": res.n_loops, "failed": res.n_failed,
                           "paths_per_second": round(res.n_paths / max(res.tracking_seconds, 1e-9), 1)},
               "load_average": round(load, 2)}
        if phc:
            solved = gauge_system(spec, metric, args.seed)
            count, n_valid, secs, phc_cpu = run_phc(phc, solved, args.timeout)
            row["phc"] = {"count": count, "valid_solutions": n_valid, "seconds": round(secs, 2),
                          "cpu_seconds": None if phc_cpu is None else round(phc_cpu, 2),
                          "cpu_ratio": None if phc_cpu is None else round(phc_cpu / max(cpu_one, 1e-9), 2),
                          "timeout": count is None,
                          "system": f"{solved.system.n_vars} unknowns, "
                                    f"Bezout {solved.system.bezout_number}",
                          "phc_over_ours": round(secs / wall_one, 2)}
        rows.append(row)
        print(json.dumps(row), flush=True)
    RESULTS.mkdir(exist_ok=True)
    meta = {"machine": "2 cores (shared by ~8 engineers)", "phc": phc,
            "date": time.strftime("%Y-%m-%d"), "seed": args.seed,
            "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
            "note": "count, seconds: critical_points with its default evidence (two runs, union, "
                    "fresh target); one run: check=False; cpu_seconds: process time; PHCpack: phc -b "
                    "on the same gauge system as one run, wall and CPU time (children), count = "
                    "distinct valid images; ratios = PHCpack / one run, same run"}
    name = "critical" if not args.only else f"critical_{re.sub(r'[^a-z0-9]+', '_', args.only)}"
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    head = ("| case | metric | independent value | count (status) | runs | s (CPU s) | limit "
            "| one run: count, s (CPU s), paths, paths/s | PHCpack count | PHCpack s (CPU s) "
            "| PHC / one run: wall (CPU) | load |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    body = "".join(
        f"| {r['spec']} | {r['metric']} | {r['value']} ({r['source']}) | {r['count']} ({r['status']}) | "
        f"{r['runs'][0]}, {r['runs'][1]} | {r['seconds']} ({r['cpu_seconds']}) | {r['limit']} | "
        f"{r['one_run']['count']}, {r['one_run']['seconds']} ({r['one_run']['cpu_seconds']}), "
        f"{r['one_run']['paths']}, {r['one_run']['paths_per_second']} | "
        f"{r.get('phc', {}).get('count', '-')} | {r.get('phc', {}).get('seconds', '-')} "
        f"({r.get('phc', {}).get('cpu_seconds', '-')}) | {r.get('phc', {}).get('phc_over_ours', '-')} "
        f"({r.get('phc', {}).get('cpu_ratio', '-')}) | {r['load_average']} |\n" for r in rows)
    (RESULTS / f"{name}.md").write_text(
        "# Critical points benchmark (issue 18)\n\n" + json.dumps(meta) + "\n\n" + head + body)


if __name__ == "__main__":
    main()
