"""Benchmark: `neuroalg critical` on the seed papers' examples, and PHCpack on the same systems.

For each case, once: the count of ``critical_points`` as the command runs it (with its
completeness evidence: two independent runs, their union, a fresh-target homotopy) beside its
independent value (a theorem, or the published count). Then, interleaved for ``--repeat``
rounds (PHCpack, ours, ours alone on the system, order rotated per round):

- **one run**: ``critical_points(check=False)``, the whole command in-process (dimension,
  expansion, gauge, solver, verification, Krawczyk certification, real target);
- **solver**: the parameter method alone (``critical._param``): gauge, square system, the solver
  that ``auto`` picks (homotopy or monodromy, with its root bound), verification and Krawczyk
  certification: the work PHCpack does on the same system, plus certification;
- **PHCpack**: ``phc -b`` (Debian package ``phcpack``, installed here if missing; never needed by
  the library) on the *same* square system (the solver's gauge system at its base parameters):
  its count is the number of distinct images of its nonsingular solutions (inverse condition
  number >= 1e-8, PHCpack's own singularity threshold) that pass the same unrandomized critical
  conditions; valid singular ones (on positive-dimensional solution sets of the gauge system,
  where PHCpack's endpoints are accurate to ~1e-7 only) are reported apart, as ours are never
  counted. CPU seconds of ``phc`` from wait4, as in benchmarks/homotopy.py.

Ours: the compiled tracker loaded before timing (numba's load, ~0.6 CPU-s, is paid once per
process, like an import; in a command it loads once numpy tracking has cost that much). CPU
seconds of this process (BLAS single-threaded: OPENBLAS/OMP/MKL_NUM_THREADS=1, set before numpy
is imported) and wall seconds; min and median over the rounds; ratios PHC / ours of
the minima (the least disturbed runs) and of the medians, this run only; the load average before
and after each case (the machine is shared by several engineers: wall times are noisy, CPU
times much less so).

Run:  .venv/bin/python benchmarks/critical.py [--repeat 3] [--only SUBSTRING] [--no-phc]
Writes benchmarks/results/critical.{json,md} (critical_<only>.* with --only).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import environment, load, single_thread_blas  # noqa: E402

single_thread_blas()

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from homotopy import ensure_phc, phc_text, run_phc  # noqa: E402
from neuroalg.geometry.expected import expected_critical  # noqa: E402
from neuroalg.geometry.witness.critical import _param, critical_points  # noqa: E402
from neuroalg.geometry.witness.degenerate import projected_rank  # noqa: E402
from neuroalg.geometry.witness.degree import generic_dimension  # noqa: E402
from neuroalg.geometry.witness.metrics import check_data, metric_matrix  # noqa: E402
from neuroalg.geometry.witness.points import n_distinct  # noqa: E402
from neuroalg.homotopy.tracker import load_compiled  # noqa: E402
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
SEED = 1


def _timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall


def _stats(values) -> dict:
    return {"min": round(min(values), 3), "median": round(statistics.median(values), 3),
            "all": [round(v, 3) for v in values]} if values else {}


#: PHCpack's singularity threshold on the inverse condition number (its root refiner calls a
#: solution singular below it); its singular endpoints are not counted, as ours are not
PHC_SINGULAR_RCO = 1e-8


def _phc_solutions(text: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The solution vectors of a `phc -b` output file and their inverse condition numbers."""
    sols, rcos = [], []
    for block in text.split("the solution for t :")[1:]:
        head, _, tail = block.partition("==")
        values = re.findall(r"^\s*v(\d+)\s*:\s*(\S+)\s+(\S+)", head, flags=re.M)
        rco = re.search(r"rco :\s*(\S+)", tail)
        vec = np.zeros(n, dtype=np.complex128)
        for idx, re_part, im_part in values:
            vec[int(idx)] = complex(float(re_part.replace("E", "e")), float(im_part.replace("E", "e")))
        if len(values) == n and rco is not None:
            sols.append(vec)
            rcos.append(float(rco.group(1).replace("E", "e")))
    return np.array(sols).reshape(-1, n), np.array(rcos)


class Problem:
    """The inputs of the parameter method for one case, built once (seed ``SEED``)."""

    def __init__(self, spec: str, metric: str):
        self.arch = parse_spec(spec)
        rng = np.random.default_rng(SEED)
        self.dim, certified = generic_dimension(self.arch, SEED)
        self.phi = expand(self.arch)
        data = check_data(self.arch, None, rng, None) if metric == "data" else None
        self.q = metric_matrix(self.phi, metric, rng, data)
        theorem = expected_critical(self.arch, metric,
                                    n_samples=None if data is None else len(data["X"]),
                                    n_coordinates=self.phi.n_coordinates,
                                    dimension=self.dim if certified else None,
                                    projected_dimension=None if data is None else
                                    projected_rank(self.phi, data, rng))
        self.target = None if theorem is None else theorem.value

    def solve(self):
        """The parameter method with the solver ``auto`` picks (the same system every call)."""
        return _param(self.arch, self.phi, self.dim, self.q, np.random.default_rng(SEED), 2, None,
                      target=self.target)


def phc_count(phc: str, solved, timeout: float) -> dict:
    system = solved.system.with_parameters(solved.w0)
    res = run_phc(phc, phc_text(system), timeout)
    if "error" in res:
        return res
    z, rco = _phc_solutions(res.pop("output"), system.n_vars)
    valid = solved.is_valid(z, solved.w0) if len(z) else np.zeros(0, dtype=bool)
    regular = valid & (rco >= PHC_SINGULAR_RCO)
    return {**res, "count": n_distinct(solved.functions(z[regular])) if regular.any() else 0,
            "valid_solutions": int(regular.sum()),
            "valid_singular_not_counted": int((valid & ~regular).sum())}


def run_case(spec, metric, value, source, limit, phc, repeat, timeout) -> dict:
    row: dict = {"spec": spec, "metric": metric, "value": value, "source": source, "limit": limit,
                 "load_start": load()}
    full, cpu, wall = _timed(lambda: critical_points(spec, metric=metric, seed=SEED))
    ev = full.evidence
    row["full"] = {"count": full.n_critical, "status": full.status.value,
                   "agrees": full.n_critical == value,
                   "theorem": None if ev.theorem is None else ev.theorem.value,
                   "runs": [ev.first_run, ev.second_run],
                   "fresh_target": [ev.n_fresh_distinct, ev.n_fresh_paths],
                   "solver": full.solver.get("solver"), "cpu_s": round(cpu, 3), "wall_s": round(wall, 3)}
    problem = Problem(spec, metric)
    system_for_phc = None  # the solver's system, from its first call
    competitors = ["phc", "one_run", "solver"] if phc else ["one_run", "solver"]
    times: dict = {c: {"cpu": [], "wall": []} for c in competitors}
    counts: dict = {c: set() for c in competitors}
    extra: dict = {}
    for rep in range(repeat):
        order = competitors[rep % len(competitors):] + competitors[:rep % len(competitors)]
        for who in order:
            if who == "one_run":
                res, cpu, wall = _timed(lambda: critical_points(spec, metric=metric, seed=SEED,
                                                                check=False))
                counts[who].add(res.n_critical)
            elif who == "solver":
                solved, cpu, wall = _timed(problem.solve)
                system_for_phc = system_for_phc or solved
                counts[who].add(solved.n_critical)
                mono = solved.mono
                extra = {"solver": mono.details.get("solver"),
                         "start_system": mono.details.get("start_system"),
                         "root_bound": mono.details.get("root_bound"),
                         "paths": mono.n_paths, "failed": mono.n_failed,
                         "paths_per_second": round(mono.n_paths / max(mono.seconds, 1e-9), 1),
                         "system": f"{solved.system.n_vars} unknowns, Bezout "
                                   f"{solved.system.bezout_number}",
                         **{k: mono.details[k] for k in ("nonsingular", "singular", "at_infinity")
                            if k in mono.details}}
            else:
                system_for_phc = system_for_phc or problem.solve()  # not timed
                res = phc_count(phc, system_for_phc, timeout)
                if "error" in res:
                    extra["phc_error"] = res["error"]
                    continue
                cpu, wall = res["cpu"], res["wall"]
                counts[who].add(res["count"])
                extra["phc_valid_solutions"] = res["valid_solutions"]
                extra["phc_valid_singular_not_counted"] = res["valid_singular_not_counted"]
            times[who]["cpu"].append(cpu)
            times[who]["wall"].append(wall)
    for who in competitors:
        row[who] = {"count": sorted(counts[who]), "cpu_s": _stats(times[who]["cpu"]),
                    "wall_s": _stats(times[who]["wall"])}
    row["solver"].update(extra)
    if phc and times["phc"]["cpu"]:
        for base in ("one_run", "solver"):
            for kind in ("cpu", "wall"):
                for agg in ("min", "median"):
                    row[f"phc_over_{base}_{kind}_{agg}"] = round(
                        row["phc"][f"{kind}_s"][agg] / max(row[base][f"{kind}_s"][agg], 1e-9), 2)
    row["load_end"] = load()
    return row


def _fmt(s: dict) -> str:
    return f"{s['min']} / {s['median']}" if s else "-"


def table(rows) -> str:
    head = ("| case | metric | independent value | count (status) | evidence | solver (root bound) "
            "| one run: count, CPU s, wall s (min / median) | solver: count, CPU s, wall s, paths, "
            "paths/s | PHCpack: count, CPU s, wall s | PHC / one run: CPU, wall (min) "
            "| PHC / solver: CPU, wall (min) | limit s | load |\n|" + "---|" * 13 + "\n")
    body = []
    for r in rows:
        f, o, s, p = r["full"], r["one_run"], r["solver"], r.get("phc", {})
        runs = f"runs {f['runs'][0]}, {f['runs'][1]}; fresh {f['fresh_target'][0]}/{f['fresh_target'][1]}"
        body.append(
            f"| {r['spec']} | {r['metric']} | {r['value']} ({r['source']}) | {f['count']} "
            f"({f['status']}) | {runs} | {s.get('solver')} {s.get('start_system')} "
            f"({s.get('root_bound')}) | {o['count']}, {_fmt(o['cpu_s'])}, {_fmt(o['wall_s'])} "
            f"| {s['count']}, {_fmt(s['cpu_s'])}, {_fmt(s['wall_s'])}, {s.get('paths')}, "
            f"{s.get('paths_per_second')} | {p.get('count', '-')}, {_fmt(p.get('cpu_s', {}))}, "
            f"{_fmt(p.get('wall_s', {}))} | {r.get('phc_over_one_run_cpu_min', '-')}, "
            f"{r.get('phc_over_one_run_wall_min', '-')} | {r.get('phc_over_solver_cpu_min', '-')}, "
            f"{r.get('phc_over_solver_wall_min', '-')} | {r['limit']} "
            f"| {r['load_start'][0]} -> {r['load_end'][0]} |\n")
    return head + "".join(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="run the cases whose spec contains this")
    parser.add_argument("--no-phc", action="store_true", help="skip PHCpack")
    parser.add_argument("--timeout", type=float, default=1800.0, help="per PHCpack run (s)")
    args = parser.parse_args()
    phc = None if args.no_phc else ensure_phc()
    meta = {**environment(), "phc": phc, "repeat": args.repeat, "seed": SEED,
            "note": "one run = critical_points(check=False), the whole command in-process; solver "
                    "= the parameter method alone (gauge, square system, the solver auto picks, "
                    "verification, Krawczyk certification); PHCpack = phc -b on the same square "
                    "system (CPU from wait4), count = distinct valid images of its nonsingular "
                    "solutions; ratios = PHC / ours, "
                    "this run only"}
    critical_points("linear 2,1,2", seed=0, check=False)  # imports and first calls, not timed
    meta["compiled_tracker"] = load_compiled()  # numba's load (~0.6 CPU-s once), not timed
    rows = []
    for spec, metric, value, source, limit in CASES:
        if args.only not in spec:
            continue
        rows.append(run_case(spec, metric, value, source, limit, phc, args.repeat, args.timeout))
        print(json.dumps(rows[-1]), flush=True)
    meta["load_average_end"] = load()
    RESULTS.mkdir(exist_ok=True)
    name = "critical" if not args.only else f"critical_{re.sub(r'[^a-z0-9]+', '_', args.only)}"
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    (RESULTS / f"{name}.md").write_text("# Critical points benchmark (issue 18)\n\n```\n"
                                        + json.dumps(meta, indent=1) + "\n```\n\n" + table(rows))


if __name__ == "__main__":
    main()
