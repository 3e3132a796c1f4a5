"""Benchmark: exact linear-region counting, against the baseline that tests every pattern by LP.

Three parts, all in one run on this machine:

1. **Baseline vs cell splitting.** For small networks the baseline (one Chebyshev LP per
   activation pattern, all 2^N of them: ``neuroalg.tropical.cells.count_by_patterns``) runs to
   the end and must give the same count; all are timed, on the whole space and on the box
   [-1, 1]^n0, for the default splitting (generators by Qhull, LPs where needed) and for
   LP-only splitting (``method="lp"``). For larger networks the
   baseline is timed on its first 20,000 patterns and extrapolated to 2^N (marked as such).
2. **Scaling.** Regions per second of the splitting for growing widths, box and whole space.
3. **Largest network counted exactly within 10 minutes** (target: >= 1e5 regions).

Random networks 'relu n0,...,nL' with standard normal weights and biases, seed 0.
Run: .venv/bin/python benchmarks/regions.py [--quick]; results: benchmarks/results/regions.*
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import time
from pathlib import Path

import neuroalg
from neuroalg.tropical import ReLUNetwork, count_regions
from neuroalg.tropical._lp import LPCounter
from neuroalg.tropical.cells import count_by_patterns, make_domain

RESULTS = Path(__file__).parent / "results"
BOX = (-1.0, 1.0)


def split(spec, box, method="auto"):
    t = time.perf_counter()
    r = count_regions(spec, seed=0, box=box, n_samples=0, method=method, certify=False)
    dt = time.perf_counter() - t
    return {"spec": spec, "domain": "box [-1,1]^n0" if box else "R^n0", "method": method,
            "activation_regions": r.activation_regions, "linear_regions": r.linear_regions,
            "distinct_maps": r.distinct_maps, "n_lp": r.n_lp, "seconds": dt,
            "regions_per_second": r.activation_regions / dt}


def baseline(spec, box, limit=None):
    net = ReLUNetwork.random(tuple(int(w) for w in spec.split()[1].split(",")), seed=0)
    dom = make_domain(net, box)
    counter = LPCounter()
    t = time.perf_counter()
    n = count_by_patterns(net, dom, counter=counter, limit=limit)
    dt = time.perf_counter() - t
    total = 2 ** net.n_hidden
    full = limit is None or limit >= total
    return {"patterns": total, "tested": counter.n if full else limit, "regions": n if full else None,
            "seconds": dt if full else dt * total / limit, "extrapolated": not full}


def part1(quick):
    rows = []
    small = ["relu 2,8,8,1", "relu 3,6,6,1"] if not quick else ["relu 2,6,6,1"]
    for spec in small:
        for box in (None, BOX):
            s = split(spec, box)
            lp = split(spec, box, "lp")
            b = baseline(spec, box)
            assert b["regions"] == s["activation_regions"] == lp["activation_regions"], (spec, box, b, s)
            rows.append({**s, "lp_only": lp, "baseline": b, "speedup": b["seconds"] / s["seconds"]})
            print(f"{spec:16s} {s['domain']:14s} {s['activation_regions']:7d} regions: split "
                  f"{s['seconds']:.3f} s (LP-only {lp['seconds']:.3f} s), baseline {b['seconds']:.2f} s "
                  f"({b['patterns']} LPs)", flush=True)
    for spec in (["relu 2,12,12,1", "relu 3,40,40,1"] if not quick else ["relu 2,12,12,1"]):
        for box in (None, BOX) if spec == "relu 2,12,12,1" else (BOX,):
            s = split(spec, box)
            lp = split(spec, box, "lp")
            assert lp["activation_regions"] == s["activation_regions"]
            b = baseline(spec, box, limit=20000)
            rows.append({**s, "lp_only": lp, "baseline": b, "speedup": b["seconds"] / s["seconds"]})
            print(f"{spec:16s} {s['domain']:14s} {s['activation_regions']:7d} regions: split "
                  f"{s['seconds']:.2f} s (LP-only {lp['seconds']:.2f} s), baseline ~{b['seconds']:.3g} s "
                  f"(extrapolated)", flush=True)
    return rows


def part2(quick):
    rows = []
    box_specs = ["relu 3,20,20,1", "relu 3,40,40,1", "relu 2,100,100,1", "relu 2,16,16,16,16,1",
                 "relu 4,24,24,1"]
    whole_specs = ["relu 2,10,10,1", "relu 2,20,20,1", "relu 2,40,40,1", "relu 3,20,20,1",
                   "relu 2,12,12,12,1"]
    if quick:
        box_specs, whole_specs = box_specs[:1], whole_specs[:2]
    for spec in box_specs:
        rows.append(split(spec, BOX))
        print(f"{spec:22s} box   {rows[-1]['activation_regions']:7d} regions "
              f"{rows[-1]['seconds']:.1f} s", flush=True)
    for spec in whole_specs:
        rows.append(split(spec, None))
        print(f"{spec:22s} R^n0  {rows[-1]['activation_regions']:7d} regions "
              f"{rows[-1]['seconds']:.1f} s", flush=True)
    return rows


def part3(quick):
    rows = []
    for spec, box in ([("relu 3,64,64,1", None), ("relu 3,100,100,1", BOX)] if not quick
                      else [("relu 3,30,30,1", BOX)]):
        rows.append(split(spec, box))
        rows[-1]["peak_rss_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20
        print(f"largest: {spec} {rows[-1]['domain']}: {rows[-1]['activation_regions']} regions in "
              f"{rows[-1]['seconds']:.1f} s", flush=True)
    return rows


def write(res):
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "regions.json").write_text(json.dumps(res, indent=1))
    out = ["# Exact region counting vs testing every activation pattern by LP (same run)", "",
           "| network | domain | activation regions | split (s) | LPs (split) | LP-only split (s) | "
           "baseline LPs | baseline (s) | speedup |", "|---|---|---|---|---|---|---|---|---|"]
    for r in res["baseline"]:
        b = r["baseline"]
        out.append(f"| {r['spec']} | {r['domain']} | {r['activation_regions']} | {r['seconds']:.3f} | "
                   f"{r['n_lp']} | {r['lp_only']['seconds']:.3f} | {b['patterns']} | {b['seconds']:.3g}{' (extrapolated)' if b['extrapolated'] else ''}"
                   f" | {r['speedup']:.3g} |")
    out += ["", "# Scaling (regions per second)", "",
            "| network | domain | activation | linear | distinct maps | LPs | seconds | regions/s |",
            "|---|---|---|---|---|---|---|---|"]
    for r in res["scaling"] + res["largest"]:
        out.append(f"| {r['spec']} | {r['domain']} | {r['activation_regions']} | {r['linear_regions']} | "
                   f"{r['distinct_maps']} | {r['n_lp']} | {r['seconds']:.1f} | {r['regions_per_second']:.0f} |")
    out += ["", "# Largest networks counted exactly (target >= 1e5 regions within 10 minutes)", ""]
    for r in res["largest"]:
        out.append(f"- {r['spec']} on {r['domain']}: {r['activation_regions']} activation regions, "
                   f"{r['linear_regions']} linear regions, {r['distinct_maps']} maps in "
                   f"{r['seconds']:.1f} s (peak RSS {r['peak_rss_gib']:.2f} GiB)")
    out += ["", f"Machine: {res['machine']}; neuroalg {res['version']}; total {res['total_seconds']:.0f} s."]
    (RESULTS / "regions.md").write_text("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    res = {"version": neuroalg.__version__, "machine": f"{platform.machine()}, {platform.python_version()}"}
    res["baseline"] = part1(args.quick)
    res["scaling"] = part2(args.quick)
    res["largest"] = part3(args.quick)
    res["total_seconds"] = time.perf_counter() - t0
    if not args.quick:
        write(res)
    print(f"total {res['total_seconds']:.0f} s")


if __name__ == "__main__":
    main()
