"""Benchmark: time to a certified dimension, as a ratio to one float64 LU of a P x P matrix.

One float64 LU of P x P (``scipy.linalg.lu_factor``) is the physical yardstick of a rank. BLAS
runs on one thread on both sides (set before numpy is imported; recorded). For each
architecture, ``neuroalg.dimension`` (a fresh seed each repetition) and the LU of a random
P x P matrix (in place, no copy timed) run interleaved, at least 3 times each, after one warm-up
call in the same process
(numba's compiled kernels loaded: ``--cold`` reports the first call of a fresh process, which
pays for importing numba and loading its compiled code, ~0.7 CPU-s). Reported: CPU and wall
seconds (min, median) and the ratios ours / LU of the minima and of the medians, the load
average and the BLAS threads. Targets (issue 17): ``mlp 10,50,50,40,1 x^2`` (P = 5,040) within
1.3x, P ~ 1,000 and P ~ 20,000 within 1.5x, P = 20,000 under 4 GiB (peak resident memory, VmHWM,
of a fresh process computing the dimension alone).

Also, same run: where the time goes for the two issue-17 specs (the Jacobian, the symmetry
fields and their rank, the Jacobian's rank with its target, each interleaved with the LU); the
rank of the first trial's Jacobian by the three implementations of the elimination (numpy small
steps, numba small steps in the Python recursion, the whole recursion compiled; equal ranks
asserted); and the modular rank methods on random n x n matrices (FLINT ``nmod_mat`` against
the BLAS elimination), which sets ``"auto"``.

Run: .venv/bin/python benchmarks/dimension.py [--large] [--cold] [--fresh-only]; results:
benchmarks/results/dimension.*
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from _measure import single_thread_blas

single_thread_blas()

import numpy as np  # noqa: E402
import scipy.linalg  # noqa: E402

import neuroalg  # noqa: E402
from _measure import environment, interleave, load, ratio  # noqa: E402
from neuroalg.fields import GF  # noqa: E402
from neuroalg.geometry.jacobian import sketched_jacobian  # noqa: E402
from neuroalg.linalg import modular, rank_lower_bound_mod, rank_mod  # noqa: E402

RESULTS = Path(__file__).parent / "results"
#: (spec, repetitions): the issue-17 family (10, w, w, w', 1) x^2 at P ~ 1,000 and 5,000, the
#: equi-width (d, d, d) x^2 family (P = 2 d^2, certified dimension 2 d^2 - d)
SPECS = [("mlp 10,20,20,16,1 x^2", 7), ("mlp 10,50,50,40,1 x^2", 3),
         ("mlp 7,7,7 x^2", 7), ("mlp 16,16,16 x^2", 7), ("mlp 22,22,22 x^2", 7),
         ("mlp 32,32,32 x^2", 5), ("mlp 50,50,50 x^2", 3)]
#: P ~ 20,000: the equi-width family (the deep family (10, 100, 100, 90, 1) x^2, P = 20,090,
#: is not certified: its symmetry-field matrix (20,090 x 4,295) is over MAX_FIELD_ENTRIES and
#: the closed forms stop above the dimension, so it ends Monte Carlo)
LARGE = [("mlp 100,100,100 x^2", 3)]
TARGETS = {"mlp 10,20,20,16,1 x^2": 1.5, "mlp 10,50,50,40,1 x^2": 1.3, "mlp 100,100,100 x^2": 1.5}


def dimension_vs_lu(spec: str, repeats: int) -> dict:
    first = neuroalg.dimension(spec, seed=0)  # warm-up: lazy imports, compiled kernels
    P = first.params
    a = np.asfortranarray(np.random.default_rng(0).standard_normal((P, P)))  # LAPACK's order
    seeds = iter(range(1, repeats + 1))
    results = []

    def ours():
        results.append(neuroalg.dimension(spec, seed=next(seeds)))

    # in place (Fortran order, so LAPACK needs no copy): the LU's cost does not depend on the
    # entries, and no copy is timed or held
    rec = interleave({"ours": ours, "lu": lambda: scipy.linalg.lu_factor(a, overwrite_a=True)},
                        repeats)
    assert {(r.dimension, r.is_certified) for r in results} == {(first.dimension, True)}, spec
    row = {"spec": spec, "P": P, "rows": first.rows, "dimension": first.dimension,
           "certified": first.is_certified, "certificate": (first.certificate or {}).get("kind"),
           "repeats": repeats, "ours": rec["ours"], "lu": rec["lu"],
           "load_average": rec["load_average"], "ratio": ratio(rec, "ours", "lu"),
           "target": TARGETS.get(spec)}
    print(f"{spec:26s} P={P:>6} dim {first.dimension}: ours {rec['ours']['cpu_min']:.3f} s CPU, "
          f"LU {rec['lu']['cpu_min']:.3f} s; ratio (CPU min) {row['ratio']['cpu_min']:.2f}, "
          f"(CPU median) {row['ratio']['cpu_median']:.2f}, load {load()}", flush=True)
    return row


def _trial(spec: str):
    """The architecture, the first trial's field, Jacobian (float64, as ``dimension`` builds
    it) and rank target, at a fixed seed."""
    arch = neuroalg.parse_spec(spec)
    res = neuroalg.dimension(arch, seed=0)
    f = GF(res.primes[0])
    rng = np.random.default_rng(0)
    theta = arch.random_params(rng, f)
    jac = sketched_jacobian(arch, theta, res.rows, f, rng, dtype=np.float64)
    return arch, res, f, theta, jac


def kernels(spec: str, repeats: int) -> dict:
    """Rank of one trial's Jacobian (with the target ``dimension`` gives) by the three
    implementations of the elimination: numpy small steps, numba small steps in the Python
    recursion, the whole recursion compiled (numba + dgemm); equal ranks asserted."""
    _, res, f, _, jac = _trial(spec)
    target = res.rows - 2
    ranks = {}

    def run(name, compiled, whole):
        def go():
            modular.WHOLE_COMPILED_PRIME = 2**22 if whole else 0
            try:
                ranks[name] = rank_mod(jac.copy(), f.p, method="blas", compiled=compiled, target=target)
            finally:
                modular.WHOLE_COMPILED_PRIME = 2**22
        return go

    rec = interleave({"numpy": run("numpy", False, False), "numba_steps": run("numba_steps", True, False),
                      "numba_whole": run("numba_whole", True, True)}, repeats)
    assert len(set(ranks.values())) == 1, (spec, ranks)
    return {"spec": spec, "shape": list(jac.shape), "rank": ranks["numba_whole"],
            **{k: rec[k] for k in ("numpy", "numba_steps", "numba_whole")},
            "ratio_numpy": ratio(rec, "numpy", "numba_whole"),
            "ratio_steps": ratio(rec, "numba_steps", "numba_whole"), "load_average": rec["load_average"]}


def phases(spec: str, repeats: int) -> dict:
    """Where the time of ``dimension`` goes, interleaved with the LU: the Jacobian (float64,
    block by block), the symmetry fields and their rank, the Jacobian's rank with the target."""
    arch, res, f, theta, jac = _trial(spec)
    P = arch.n_params
    a = np.asfortranarray(np.random.default_rng(0).standard_normal((P, P)))
    rng = np.random.default_rng(1)
    runs = {
        "jacobian": lambda: sketched_jacobian(arch, theta, res.rows, f, rng, dtype=np.float64),
        "symmetry": lambda: rank_lower_bound_mod(arch.symmetry_fields(theta, f), f.p, rng),
        "rank": lambda: rank_mod(jac.copy(), f.p, overwrite=True, target=res.rows - 2),
        "lu": lambda: scipy.linalg.lu_factor(a, overwrite_a=True)}
    rec = interleave(runs, repeats)
    return {"spec": spec, "P": P, **{k: rec[k] for k in runs}, "load_average": rec["load_average"],
            **{f"{k}_over_lu": ratio(rec, k, "lu") for k in ("jacobian", "symmetry", "rank")}}


def rank_methods(n: int, repeats: int = 3) -> dict:
    p = 1048573
    a = np.random.default_rng(n).integers(0, p, (n, n))
    ranks = {}

    def run(name, **kw):
        def go():
            ranks[name] = rank_mod(a, p, **kw)
        return go

    rec = interleave({"flint": run("flint", method="flint"),
                         "numpy": run("numpy", method="blas", compiled=False),
                         "numba": run("numba", method="blas", compiled=True)}, repeats)
    assert len(set(ranks.values())) == 1, ranks
    return {"n": n, **{k: rec[k] for k in ("flint", "numpy", "numba")},
            "load_average": rec["load_average"]}


#: Peak resident memory of the child (GiB): VmHWM, the high-water mark of its own address space.
#: Not ``ru_maxrss``: Linux carries that over from the process before ``exec``, i.e. the parent
#: forked with its matrices (a P = 20,000 run read 6.2 GiB where the child peaked at 3.2).
_PEAK = ("def peak():\n"
         "    for line in open('/proc/self/status'):\n"
         "        if line.startswith('VmHWM:'):\n"
         "            return int(line.split()[1]) / 2**20\n")


def child(spec: str, code: str) -> dict:
    """Run ``code`` (which prints one JSON line; ``peak()`` gives its peak memory in GiB) in a
    fresh process with one BLAS thread."""
    env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    import os

    out = subprocess.run([sys.executable, "-c", _PEAK + code], capture_output=True, text=True,
                         check=True, env={**os.environ, **env})
    return {"spec": spec, **json.loads(out.stdout.strip().splitlines()[-1])}


def cold(spec: str) -> dict:
    """The first call in a fresh process (lazy imports, numba loading) and one LU there."""
    return child(spec, (
        "import json, time, numpy as np, scipy.linalg, neuroalg\n"
        "c, w = time.process_time(), time.perf_counter()\n"
        f"r = neuroalg.dimension({spec!r}, seed=0)\n"
        "c, w = time.process_time() - c, time.perf_counter() - w\n"
        "a = np.asfortranarray(np.random.default_rng(0).standard_normal((r.params, r.params)))\n"
        "lc, lw = time.process_time(), time.perf_counter(); scipy.linalg.lu_factor(a, overwrite_a=True)\n"
        "lc, lw = time.process_time() - lc, time.perf_counter() - lw\n"
        "print(json.dumps({'P': r.params, 'dimension': r.dimension, 'certified': r.is_certified,"
        " 'cpu': c, 'wall': w, 'lu_cpu': lc, 'lu_wall': lw, 'ratio_cpu': c / lc,"
        " 'peak_rss_gib': peak()}))"))


def memory(spec: str) -> dict:
    """Peak RSS of a fresh process computing the dimension alone (no LU matrix)."""
    return child(spec, (
        "import json, time, neuroalg\n"
        f"c = time.process_time(); r = neuroalg.dimension({spec!r}, seed=0)\n"
        "print(json.dumps({'P': r.params, 'dimension': r.dimension, 'certified': r.is_certified,"
        " 'rows': r.rows, 'cpu': time.process_time() - c,"
        " 'peak_rss_gib': peak()}))"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--large", action="store_true", help="also P ~ 20,000 (minutes, ~3.5 GiB)")
    ap.add_argument("--cold", action="store_true", help="also the first call of a fresh process")
    ap.add_argument("--fresh-only", action="store_true",
                    help="only re-measure in fresh processes (the P ~ 20,000 peak memory and the "
                         "first calls), merged into the existing results")
    args = ap.parse_args()
    RESULTS.mkdir(exist_ok=True)
    if args.fresh_only:
        report = json.loads((RESULTS / "dimension.json").read_text())
        report["memory"] = [dict(memory(s), date=environment()["date"], load_average=load()) for s, _ in LARGE]
        report["cold"] = [cold(s) for s in ("mlp 10,20,20,16,1 x^2", "mlp 10,50,50,40,1 x^2")]
        (RESULTS / "dimension.json").write_text(json.dumps(report, indent=1) + "\n")
        (RESULTS / "dimension.md").write_text("\n".join(markdown(report)) + "\n")
        return
    report: dict = {"environment": environment(), "neuroalg": neuroalg.__version__}
    # warm means numba's kernels loaded (as after any matrix >= COMPILE_MIN_SIZE in a session)
    rank_mod(np.eye(2, dtype=np.int64), 3, method="blas", compiled=True)
    specs = SPECS + (LARGE if args.large else [])
    report["dimension_vs_lu"] = [dimension_vs_lu(s, r) for s, r in specs]
    report["phases"] = [phases(s, r) for s, r in (("mlp 10,20,20,16,1 x^2", 7), ("mlp 10,50,50,40,1 x^2", 3))]
    for ph in report["phases"]:
        print(ph["spec"], {k: ph[f"{k}_over_lu"]["cpu_min"] for k in ("jacobian", "symmetry", "rank")})
    report["kernels"] = [kernels(s, 3) for s in ("mlp 10,20,20,16,1 x^2", "mlp 10,50,50,40,1 x^2")]
    for k in report["kernels"]:
        print(f"Jacobian rank {k['shape']}: numpy / whole compiled {k['ratio_numpy']['cpu_min']:.2f}, "
              f"numba steps / whole compiled {k['ratio_steps']['cpu_min']:.2f}")
    report["rank_methods"] = [rank_methods(n) for n in (30, 100, 200, 400, 800, 1600)]
    if args.large:
        report["memory"] = [memory(s) for s, _ in LARGE]
        for m in report["memory"]:
            print(f"memory {m['spec']}: peak RSS {m['peak_rss_gib']:.2f} GiB", flush=True)
    if args.cold:
        report["cold"] = [cold(s) for s in ("mlp 10,20,20,16,1 x^2", "mlp 10,50,50,40,1 x^2")]
    report["environment"]["load_average_end"] = load()
    (RESULTS / "dimension.json").write_text(json.dumps(report, indent=1) + "\n")
    (RESULTS / "dimension.md").write_text("\n".join(markdown(report)) + "\n")


def markdown(report: dict) -> list[str]:
    env = report["environment"]
    blas = ", ".join(f"{b.get('library')} {b.get('num_threads')} thread(s)" for b in env["blas"])
    lines = ["# Time to certified dimension / one float64 LU of P x P (same run, interleaved)", "",
             f"{env['date']}, {env['cores']} cores, BLAS: {blas}; load average {env['load_average_start']}"
             f" (start) / {env.get('load_average_end')} (end). CPU = user + system seconds of this "
             "process; min and median over the repetitions; ratios only between runs of the same "
             "round-robin. Warm: one call of the same spec ran first in the process.", "",
             "| spec | P | rows | dim | certified by | reps | ours CPU min / med (s) | LU CPU min / med (s) "
             "| ratio CPU min | ratio CPU med | ratio wall min | target | load (start-end) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in report["dimension_vs_lu"]:
        o, u, q = r["ours"], r["lu"], r["ratio"]
        met = "" if r["target"] is None else (f"<= {r['target']} {'met' if q['cpu_min'] <= r['target'] else 'NOT met'}")
        lines.append(f"| {r['spec']} | {r['P']} | {r['rows']} | {r['dimension']} | "
                     f"{r['certificate'] or 'symmetry bound'} | {r['repeats']} | {o['cpu_min']:.4f} / "
                     f"{o['cpu_median']:.4f} | {u['cpu_min']:.4f} / {u['cpu_median']:.4f} | "
                     f"{q['cpu_min']:.2f} | {q['cpu_median']:.2f} | {q['wall_min']:.2f} | {met} | "
                     f"{r['load_average']['start'][0]}-{r['load_average']['end'][0]} |")
    lines += ["", "# Where the time goes (same run, interleaved with the LU; CPU min / median, s)", "",
              "| spec | P | Jacobian | symmetry fields + rank | Jacobian rank (target) | LU | "
              "Jacobian / LU | symmetry / LU | rank / LU |", "|---|---|---|---|---|---|---|---|---|"]
    for ph in report.get("phases", []):
        cells = " | ".join(f"{ph[k]['cpu_min']:.4f} / {ph[k]['cpu_median']:.4f}"
                           for k in ("jacobian", "symmetry", "rank", "lu"))
        lines.append(f"| {ph['spec']} | {ph['P']} | {cells} | "
                     + " | ".join(f"{ph[f'{k}_over_lu']['cpu_min']:.2f}" for k in ("jacobian", "symmetry", "rank"))
                     + " |")
    lines += ["", "# Rank of one trial's Jacobian (with the target) by the three implementations "
                  "(same run, equal ranks)", "",
              "| spec | Jacobian | rank | numpy steps (s) | numba steps, Python recursion (s) | "
              "whole compiled (s) | numpy / whole | steps / whole |", "|---|---|---|---|---|---|---|---|"]
    for k in report["kernels"]:
        lines.append(f"| {k['spec']} | {k['shape'][0]} x {k['shape'][1]} | {k['rank']} | "
                     f"{k['numpy']['cpu_min']:.4f} | {k['numba_steps']['cpu_min']:.4f} | "
                     f"{k['numba_whole']['cpu_min']:.4f} | {k['ratio_numpy']['cpu_min']:.2f} | "
                     f"{k['ratio_steps']['cpu_min']:.2f} |")
    lines += ["", "# Modular rank methods on random n x n (p = 1048573; same run, CPU min of 3)", "",
              "| n | flint (s) | BLAS + numpy kernels (s) | numba (whole compiled) (s) |", "|---|---|---|---|"]
    lines += [f"| {m['n']} | {m['flint']['cpu_min']:.4f} | {m['numpy']['cpu_min']:.4f} | "
              f"{m['numba']['cpu_min']:.4f} |" for m in report["rank_methods"]]
    for m in report.get("memory", []):
        lines += ["", f"{m['spec']} (P = {m['P']}, {m['rows']} rows): dimension {m['dimension']} "
                      f"(certified {m['certified']}), {m['cpu']:.0f} CPU-s in a fresh process, "
                      f"peak resident memory (VmHWM) {m['peak_rss_gib']:.2f} GiB (target < 4 GiB)"
                      + (f"; re-measured {m['date']}, load {m['load_average']}" if "date" in m else "")]
    if report.get("cold"):
        lines += ["", "# First call in a fresh process (numba import and compiled-code loading "
                      "included; the LU then runs warm in the same process)", "",
                  "| spec | P | ours CPU (s) | LU CPU (s) | ratio |", "|---|---|---|---|---|"]
        lines += [f"| {c['spec']} | {c['P']} | {c['cpu']:.3f} | {c['lu_cpu']:.3f} | {c['ratio_cpu']:.2f} |"
                  for c in report["cold"]]
    return lines


if __name__ == "__main__":
    main()
