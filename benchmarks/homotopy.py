"""Benchmark: neuroalg's solver against PHCpack's blackbox solver, interleaved in one run.

Systems: katsura-n (2^n solutions), cyclic-n (70, 156, 924) and neurovariety witness systems
(A Phi(theta) = b, C theta = c at random complex b, c: the systems `neuroalg degree` solves).
`neuroalg.homotopy.solve` picks its start system by the smallest root bound (total degree,
multi-homogeneous or polyhedral) and says which; PHCpack 2.4 (`phc -b`, Debian package `phcpack`,
installed here if missing; never needed by the library) runs its blackbox (root counts, then a
polyhedral homotopy). PHCpack reports solutions with zero coordinates in a separate block (stable
mixed volume): its count is the sum of the regular solutions of all blocks.

Protocol (the machine is shared and noisy): every measurement runs in its own child process
(Python imports, the compiled tracker's load and a warm-up solve excluded from ours), the
competitors alternate within each repetition (order rotated), ``--repeat`` repetitions (default
3); each row reports the min and median of CPU seconds (user + system of the process doing the
work: ours from getrusage(SELF) around the solve, PHCpack from wait4 on `phc`) and wall seconds,
and the ratios PHC/ours of the medians of this run only. BLAS runs single-threaded on both sides
(OPENBLAS/OMP/MKL_NUM_THREADS=1); the load average is recorded before and after every system.
Ours also records minor page faults (ru_minflt) and kernel time (ru_stime) of the solve. With
``--before SRC`` (e.g. the main branch's src/), the same solve from that source tree runs
interleaved as a third competitor: the tracker before this change, for page faults and speed-ups
measured in the same run.

Memory section: ``neuroalg critical "mlp 3,1,3 x^1"`` (monodromy: many small batches, where
allocation churn showed as page faults and kernel time), ours and ``--before`` interleaved, CPU,
kernel time, minor page faults and peak RSS of the whole command from wait4.

Run:  .venv/bin/python benchmarks/homotopy.py [--quick] [--repeat 3] [--before /path/to/src]
Writes benchmarks/results/homotopy.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
THREADS = {k: "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}

CASES = [("katsura-5", 32), ("katsura-7", 128), ("katsura-9", 512), ("katsura-10", 1024),
         ("cyclic-5", 70), ("cyclic-6", 156),
         ("witness cnn k=3,2 s=1,1 x^2", 36), ("witness linear 3,2,3", 24)]
LARGE = [("katsura-11", 2048), ("cyclic-7", 924)]

# The child: build the system, warm up, solve once under getrusage, print one JSON line.
CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from homotopy import build_system
from neuroalg.homotopy import katsura, solve
name, mode = sys.argv[1], sys.argv[2]
system = build_system(name)
try:  # the compiled tracker, loaded once per process (~0.6 CPU-s), like an import
    from neuroalg.homotopy.tracker import load_compiled
    load_compiled()
except ImportError:  # code from before it existed
    pass
solve(katsura(3), seed=1, certify=False)  # warm-up: imports, allocator, caches
r0, c0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
res = solve(system, seed=0, certify=False)
wall = time.perf_counter() - c0
r1 = resource.getrusage(resource.RUSAGE_SELF)
out = {"solutions": res.n_solutions, "paths": res.n_paths, "failed": res.n_failed,
       "method": res.method, "wall": wall,
       "cpu": (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime),
       "stime": r1.ru_stime - r0.ru_stime, "minflt": r1.ru_minflt - r0.ru_minflt,
       "maxrss_mb": r1.ru_maxrss / 1024}
try:
    from threadpoolctl import threadpool_info
    out["blas_threads"] = sorted({i.get("num_threads") for i in threadpool_info()})
except ImportError:
    pass
if mode == "after":
    out["root_bounds"] = {k: res.details.get(k) for k in
                          ("bezout_number", "multihomogeneous_bezout_number", "mixed_volume",
                           "start_system", "root_bound")}
    from neuroalg.homotopy import krawczyk_certify
    c0 = time.perf_counter()
    out["certified"] = krawczyk_certify(system, res.solutions).n_certified
    out["certify_wall"] = time.perf_counter() - c0
print(json.dumps(out))
"""


def build_system(name: str):
    """'katsura-N', 'cyclic-N' or 'witness SPEC' (the witness system of `neuroalg degree` at
    seed 0, with random complex targets); public API only, so older trees build it too."""
    import numpy as np

    from neuroalg.homotopy import cyclic, katsura

    if not name.startswith("witness "):
        family, n = name.split("-")
        return (katsura if family == "katsura" else cyclic)(int(n))
    from neuroalg.geometry import dimension
    from neuroalg.geometry.witness.systems import image_system, witness_system
    from neuroalg.polymap import expand

    spec = name[len("witness "):]
    rng = np.random.default_rng(0)
    phi = expand(spec)
    dim = dimension(spec, seed=0).dimension
    system, a_mat, c_mat = witness_system(phi, dim, rng)
    theta = rng.standard_normal(phi.n_params) + 1j * rng.standard_normal(phi.n_params)
    f = image_system(phi).evaluate(theta[None])[0][0]
    return system.with_parameters(np.concatenate([a_mat.astype(float) @ f,
                                                  c_mat.astype(float) @ theta]))


def ensure_phc() -> str | None:
    if shutil.which("phc"):
        return shutil.which("phc")
    if shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "phcpack"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return shutil.which("phc")


def phc_text(system) -> str:
    def coef(c):
        c = complex(c)
        return f"{c.real:+.17g}" if c.imag == 0 else f"+({c.real:.17g}{c.imag:+.17g}*i)"

    names = [f"v{j}" for j in range(system.n_vars)]
    lines = [str(system.n_eqs)]
    for i in range(system.n_eqs):
        terms = []
        for a, q, c in zip(system.exponents, system.equation, system.coefficients[:, 0]):
            if q == i and c != 0:
                mono = "*".join(f"{names[j]}^{e}" if e > 1 else names[j] for j, e in enumerate(a) if e)
                terms.append(coef(c) + (f"*{mono}" if mono else ""))
        lines.append(" ".join(terms) + ";")
    return "\n".join(lines) + "\n"


def _env(src: Path) -> dict:
    return {**os.environ, **THREADS, "PYTHONPATH": str(src)}


def run_ours(name: str, src: Path, mode: str, timeout: float) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, name, mode, str(Path(__file__).parent)],
                          capture_output=True,
                          text=True, env=_env(src), timeout=timeout, check=False)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_phc(phc: str, text: str, timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in.txt", Path(tmp) / "out.txt"
        inp.write_text(text)
        clock = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # child: quiet, single-threaded, exec phc
            os.chdir(tmp)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execve(phc, [phc, "-b", str(inp), str(out)], {**os.environ, **THREADS})
        deadline = clock + timeout
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.perf_counter() > deadline:
                os.kill(pid, 9)
                os.wait4(pid, 0)
                return {"error": "timeout"}
            time.sleep(0.02)
        wall = time.perf_counter() - clock
        text_out = out.read_text() if out.exists() else ""
    regular = [int(m) for m in re.findall(r"Number of regular solutions\s*:\s*(\d+)", text_out)]
    singular = [int(m) for m in re.findall(r"Number of singular solutions\s*:\s*(\d+)", text_out)]
    return {"solutions": sum(regular), "singular": sum(singular), "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime, "output": text_out}


CRITICAL = ["critical", "mlp 3,1,3 x^1", "--seed", "1", "--json"]


def run_command(argv: list[str], src: Path, timeout: float) -> dict:
    """Run a neuroalg command from the tree ``src``; rusage of the whole process (wait4)."""
    clock = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        out = os.open(os.path.join(tempfile.gettempdir(), f"neuroalg-bench-{os.getpid()}.json"),
                      os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        os.dup2(devnull, 2)
        exe = str(Path(sys.executable).parent / "neuroalg")
        os.execve(exe, [exe, *argv], _env(src))
    deadline = clock + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() > deadline:
            os.kill(pid, 9)
            os.wait4(pid, 0)
            return {"error": "timeout"}
        time.sleep(0.05)
    path = Path(tempfile.gettempdir()) / f"neuroalg-bench-{pid}.json"
    try:
        value = json.loads(path.read_text()).get("value")
    except (OSError, ValueError):
        value = None
    path.unlink(missing_ok=True)
    return {"value": value, "wall": time.perf_counter() - clock,
            "cpu": usage.ru_utime + usage.ru_stime, "stime": usage.ru_stime,
            "minflt": usage.ru_minflt, "maxrss_mb": usage.ru_maxrss / 1024}


def memory_rows(args) -> list[dict]:
    competitors = ["ours"] + (["before"] if args.before else [])
    runs: dict[str, list[dict]] = {c: [] for c in competitors}
    load = [os.getloadavg()]
    for rep in range(args.repeat):
        order = competitors[rep % len(competitors):] + competitors[:rep % len(competitors)]
        for who in order:
            runs[who].append(run_command(CRITICAL, ROOT / "src" if who == "ours" else args.before,
                                         args.timeout))
    load.append(os.getloadavg())
    row: dict = {"command": "neuroalg " + " ".join(CRITICAL[:2]), "load_before_after": load}
    for who, rs in runs.items():
        good = [r for r in rs if "error" not in r]
        row[who] = {"n": len(good), "value": sorted({str(r["value"]) for r in good}),
                    **{k: summarize(good, k) for k in ("cpu", "wall", "stime", "minflt",
                                                       "maxrss_mb")}}
    if args.before and row["ours"]["cpu"] and row["before"]["cpu"]:
        row["before_over_ours_cpu"] = round(row["before"]["cpu"]["median"]
                                            / row["ours"]["cpu"]["median"], 2)
    print(json.dumps(row), flush=True)
    return [row]


def summarize(runs: list[dict], key: str) -> dict:
    vals = [r[key] for r in runs if key in r]
    if not vals:
        return {}
    return {"min": round(min(vals), 3), "median": round(statistics.median(vals), 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the largest systems")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900.0, help="per run (s)")
    parser.add_argument("--before", type=Path, default=None,
                        help="a src/ tree to run as the 'before' competitor")
    parser.add_argument("--only", default=None, help="system names separated by semicolons")
    parser.add_argument("--no-memory", action="store_true", help="skip the critical command")
    parser.add_argument("--merge", nargs="+", type=Path, default=None,
                        help="write the results from the JSON lines printed by earlier runs "
                             "(e.g. parts run in parallel), in the order of CASES")
    args = parser.parse_args()
    if args.merge:
        merged = [json.loads(line) for f in args.merge for line in f.read_text().splitlines()
                  if line.startswith("{")]
        order = [name for name, _ in CASES + LARGE]
        rows = sorted((r for r in merged if "system" in r), key=lambda r: order.index(r["system"]))
        args.before = args.before or "see rows"
        write(rows, [r for r in merged if "command" in r], args, shutil.which("phc"))
        return
    phc = ensure_phc()
    if phc is None:
        print("PHCpack (phc) is not available and could not be installed; ours only",
              file=sys.stderr)
    cases = CASES + ([] if args.quick else LARGE)
    if args.only:
        wanted = set(args.only.split(";"))
        cases = [c for c in cases if c[0] in wanted]
    competitors = ["ours"] + (["phc"] if phc else []) + (["before"] if args.before else [])
    rows = []
    for name, known in cases:
        text = phc_text(build_system(name)) if phc else ""
        load = [os.getloadavg()]
        runs: dict[str, list[dict]] = {c: [] for c in competitors}
        for rep in range(args.repeat):
            order = competitors[rep % len(competitors):] + competitors[:rep % len(competitors)]
            for who in order:
                if who == "phc":
                    assert phc is not None
                    runs[who].append(run_phc(phc, text, args.timeout))
                else:
                    src = ROOT / "src" if who == "ours" else args.before
                    runs[who].append(run_ours(name, src, "after" if who == "ours" else "before",
                                              args.timeout))
        load.append(os.getloadavg())
        row: dict = {"system": name, "known": known, "load_before_after": load}
        for who, rs in runs.items():
            good = [r for r in rs if "error" not in r]
            entry = {"n": len(good), "cpu_s": summarize(good, "cpu"), "wall_s": summarize(good, "wall")}
            if good:
                entry["solutions"] = sorted({r["solutions"] for r in good})
            if who != "phc" and good:
                entry.update({"paths": good[0]["paths"], "failed": max(r["failed"] for r in good),
                              "method": good[0]["method"], "minflt": summarize(good, "minflt"),
                              "stime_s": summarize(good, "stime"),
                              "maxrss_mb": summarize(good, "maxrss_mb")})
            if who == "ours" and good:
                entry["blas_threads"] = good[0].get("blas_threads")
                entry["root_bounds"] = good[0]["root_bounds"]
                entry["certified"] = good[0]["certified"]
                entry["certify_wall_s"] = summarize(good, "certify_wall")
            if who == "phc" and good:
                entry["singular"] = sorted({r["singular"] for r in good})
            errors = [r["error"] for r in rs if "error" in r]
            if errors:
                entry["errors"] = errors
            row[who] = entry
        ours_cpu = row["ours"]["cpu_s"].get("median")
        for who in ("phc", "before"):
            other = row.get(who, {}).get("cpu_s", {}).get("median")
            if ours_cpu and other:
                row[f"{who}_over_ours_cpu"] = round(other / ours_cpu, 2)
                row[f"{who}_over_ours_wall"] = round(
                    row[who]["wall_s"]["median"] / row["ours"]["wall_s"]["median"], 2)
        counts = {who: row[who].get("solutions") for who in runs}
        row["counts_equal"] = all(v == [known] for v in counts.values())
        rows.append(row)
        print(json.dumps(row), flush=True)
    memory = [] if args.no_memory else memory_rows(args)
    write(rows, memory, args, phc)


def write(rows, memory, args, phc):
    RESULTS.mkdir(exist_ok=True)
    meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{os.cpu_count()} cores (shared)",
            "phc": phc, "repeat": args.repeat, "before": str(args.before) if args.before else None,
            "blas_threads": ", ".join(f"{k}={v}" for k, v in THREADS.items()),
            "parts": [str(f) for f in args.merge] if getattr(args, "merge", None) else None,
            "blas_threads_ours": sorted({str(r["ours"].get("blas_threads")) for r in rows}),
            "note": "CPU = user + system seconds of the solving process; ratios = PHC (or before) "
                    "median / ours median, this run only; ours excludes certification "
                    "(timed separately), PHCpack does not certify"}
    (RESULTS / "homotopy.json").write_text(
        json.dumps({"meta": meta, "rows": rows, "memory": memory}, indent=1) + "\n")
    lines = ["# Homotopy benchmark: neuroalg `solve` vs PHCpack `phc -b` (interleaved)", "",
             "```", json.dumps(meta, indent=1), "```", "",
             "| system | known | start system (root bound) | ours paths | ours | certified | PHCpack "
             "| ours CPU s min/med | PHC CPU s min/med | PHC/ours CPU | PHC/ours wall "
             "| ours page faults | ours kernel s | load (1 min) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        o, p = r["ours"], r.get("phc", {})
        rb = o.get("root_bounds") or {}
        lines.append(
            f"| {r['system']} | {r['known']} | {rb.get('start_system')} ({rb.get('root_bound')}) "
            f"| {o.get('paths')} | {_c(o)} | {o.get('certified')} | {_c(p)} "
            f"| {_mm(o['cpu_s'])} | {_mm(p.get('cpu_s', {}))} | {r.get('phc_over_ours_cpu', '-')} "
            f"| {r.get('phc_over_ours_wall', '-')} | {o.get('minflt', {}).get('median', '-')} "
            f"| {o.get('stime_s', {}).get('median', '-')} "
            f"| {r['load_before_after'][0][0]:.1f} -> {r['load_before_after'][1][0]:.1f} |")
    if any("before" in r for r in rows):
        lines += ["", "## Before this change (same run, `--before` source tree)", "",
                  "| system | before: start system | paths | solutions | CPU s min/med "
                  "| page faults | kernel s | before/ours CPU | before/ours wall |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for r in rows:
            b = r.get("before")
            if not b:
                continue
            lines.append(f"| {r['system']} | {b.get('method')} | {b.get('paths')} | {_c(b)} "
                         f"| {_mm(b['cpu_s'])} | {b.get('minflt', {}).get('median', '-')} "
                         f"| {b.get('stime_s', {}).get('median', '-')} "
                         f"| {r.get('before_over_ours_cpu', '-')} "
                         f"| {r.get('before_over_ours_wall', '-')} |")
    if memory:
        lines += ["", "## Memory: a monodromy workload (whole command, wait4)", "",
                  "| command | tree | value | CPU s min/med | kernel s med | minor faults med "
                  "| peak RSS MB | before/ours CPU |", "|---|---|---|---|---|---|---|---|"]
        for m in memory:
            for who in ("ours", "before"):
                e = m.get(who)
                if e:
                    lines.append(f"| {m['command']} | {who} | {'/'.join(e['value'])} "
                                 f"| {_mm(e['cpu'])} | {e['stime'].get('median')} "
                                 f"| {e['minflt'].get('median')} | {e['maxrss_mb'].get('median')} "
                                 f"| {m.get('before_over_ours_cpu', '-') if who == 'ours' else ''} |")
    (RESULTS / "homotopy.md").write_text("\n".join(lines) + "\n")


def _c(entry) -> str:
    s = entry.get("solutions")
    return "-" if not s else "/".join(map(str, s))


def _mm(d) -> str:
    return f"{d['min']} / {d['median']}" if d else "-"


if __name__ == "__main__":
    main()
