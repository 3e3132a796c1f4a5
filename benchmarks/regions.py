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
4. **Symmetry reduction.** Permutation-invariant networks counted on the fundamental domain
   against the full count, same run: all three notions must agree; time ratio.
5. **Hoffman constants.** Branch and bound over bases: bases evaluated (LP-free for r <= 4,
   LPs beyond) and time against the ``sum_{3<=k<=n} C(m, k)`` LPs of the former exact method
   (every row set of size 3..n; sizes 1, 2 in closed form); the proven interval with no
   evaluation budget; sampling radii of small networks.

Random networks 'relu n0,...,nL' with standard normal weights and biases, seed 0.
Run: .venv/bin/python benchmarks/regions.py [--quick] [--parts 4,5]; results:
benchmarks/results/regions.* (``--parts`` reruns some parts and keeps the others' stored results;
every part records its date and the machine's load average).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
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


def part4(quick):
    import numpy as np

    from neuroalg.tropical.symmetry import count_regions_symmetric

    def with_pairs(n, beta, c):
        pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
        W1 = np.vstack([np.eye(n) - 0.3 * np.ones((n, n))] + [np.eye(n)[i] - np.eye(n)[j] for i, j in pairs])
        b1 = np.concatenate([np.full(n, 0.2), np.full(len(pairs), beta)])
        W2 = np.concatenate([np.ones(n), np.full(len(pairs), c)])[None, :]
        return ReLUNetwork.from_layers([(W1, b1), (W2, [0.0])])

    def equivariant(n, depth, seed):
        rng = np.random.default_rng(seed)
        layers = []
        for _ in range(depth):
            lam, gam, b = rng.standard_normal(3)
            layers.append((lam * np.eye(n) + gam * np.ones((n, n)), np.full(n, b)))
        return ReLUNetwork.from_layers(layers + [(np.ones((1, n)), [0.0])])

    cases = [("DeepSets + ReLU(x_i - x_j + 0.5), weight 0, n=4", with_pairs(4, 0.5, 0.0), None),
             ("DeepSets + ReLU(x_i - x_j + 0.5), weight 0, n=4", with_pairs(4, 0.5, 0.0), BOX),
             ("DeepSets + ReLU(x_i - x_j + 0.4), weight 1/4, n=4", with_pairs(4, 0.4, 0.25), None),
             ("equivariant depth 3, n=4, seed 0", equivariant(4, 3, 0), None),
             ("DeepSets + ReLU(x_i - x_j + 0.5), weight 0, n=5", with_pairs(5, 0.5, 0.0), None)]
    if quick:
        cases = cases[:1]
    rows = []
    notions = ("activation_regions", "linear_regions", "distinct_maps")
    for name, net, box in cases:
        t = time.perf_counter()
        red = count_regions_symmetric(net, box=box, n_samples=0)
        t_red = time.perf_counter() - t
        t = time.perf_counter()
        full = count_regions(net, box=box, n_samples=0, certify=False)
        t_full = time.perf_counter() - t
        rows.append({"network": name, "domain": "box [-1,1]^n0" if box else "R^n0",
                     "reduced": [getattr(red, k) for k in notions],
                     "full": [getattr(full, k) for k in notions],
                     "cells_in_domain": red.symmetry["cells_in_domain"],
                     "merge_edges": red.symmetry["merge_edges"], "seconds_reduced": t_red,
                     "seconds_full": t_full, "speedup": t_full / t_red})
        print(f"{name} {rows[-1]['domain']}: reduced {rows[-1]['reduced']} in {t_red:.1f} s, "
              f"full {rows[-1]['full']} in {t_full:.1f} s", flush=True)
    return rows


def part5(quick):
    import numpy as np

    from neuroalg.tropical import tropical_expression
    from neuroalg.tropical.hoffman import hoffman_constant

    rows = []
    shapes = [(30, 3), (100, 3), (200, 3), (40, 4), (60, 4), (12, 5), (20, 5), (12, 6)]
    for m, n in shapes[:2] if quick else shapes:
        A = np.random.default_rng(0).standard_normal((m, n))
        t = time.perf_counter()
        h = hoffman_constant(A)
        dt = time.perf_counter() - t
        t = time.perf_counter()
        b = hoffman_constant(A, max_lp=0)
        db = time.perf_counter() - t
        rows.append({"kind": "matrix", "shape": [m, n], "H": h.value, "exact": h.is_exact,
                     "H_upper": h.upper, "n_check_lp": h.n_check_lp,
                     "n_bases": h.n_bases, "n_evaluated": h.n_evaluated, "n_lp": h.n_lp, "seconds": dt,
                     "lp_all_sets": sum(math.comb(m, k) for k in range(3, n + 1)),
                     "no_lp_lower": b.lower, "no_lp_upper": b.upper, "no_lp_seconds": db})
        print(f"Hoffman {m}x{n}: H = {h.value:.6g} ({h.n_evaluated} bases evaluated, {h.n_lp} LPs, {dt:.2f} s; "
              f"no LP: [{b.lower:.4g}, {b.upper:.4g}])", flush=True)
    for spec in ["relu 2,6,1", "relu 3,5,1", "relu 2,4,4,1", "relu 3,8,1"][:1 if quick else 4]:
        net = ReLUNetwork.random(tuple(int(w) for w in spec.split()[1].split(",")), seed=0)
        t = time.perf_counter()
        R = tropical_expression(net, radius=True).radius   # exact expression of the network
        rows.append({"kind": "radius", "spec": spec, "radius": R.radius,
                     "closure_radius": R.closure_radius, "proven": R.is_proven,
                     "n_pieces": R.n_pieces, "n_empty": R.n_empty, "n_lp": R.n_lp,
                     "seconds": time.perf_counter() - t})
        print(f"radius {spec}: R = {R.radius:.4g} (closure {R.closure_radius:.4g}, "
              f"{R.n_pieces} pieces, proven {R.is_proven})", flush=True)
    return rows


def section(title, columns):
    """A markdown section heading and table header."""
    return ["", f"# {title}", "", "| " + " | ".join(columns) + " |", "|---" * len(columns) + "|"]


def write(res):
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "regions.json").write_text(json.dumps(res, indent=1))
    out = ["# Exact region counting vs testing every activation pattern by LP (same run)", "",
           "| network | domain | activation regions | split (s) | LPs (split) | LP-only split (s) | "
           "baseline LPs | baseline (s) | speedup |", "|---|---|---|---|---|---|---|---|---|"]
    for r in res["baseline"]:
        b = r["baseline"]
        out.append(f"| {r['spec']} | {r['domain']} | {r['activation_regions']} | {r['seconds']:.3f} | "
                   f"{r['n_lp']} | {r['lp_only']['seconds']:.3f} | {b['patterns']} | {b['seconds']:.3g}"
                   f"{' (extrapolated)' if b['extrapolated'] else ''}"
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
    if res.get("symmetry"):
        out += section("Symmetry reduction vs full count (same run)",
                       ["network", "domain", "reduced (act, lin, maps)", "full (act, lin, maps)",
                        "cells in D", "merge edges", "reduced (s)", "full (s)", "speedup"])
        for r in res["symmetry"]:
            out.append(f"| {r['network']} | {r['domain']} | {tuple(r['reduced'])} | {tuple(r['full'])} | "
                       f"{r['cells_in_domain']} | {r['merge_edges']} | {r['seconds_reduced']:.2f} | "
                       f"{r['seconds_full']:.2f} | {r['speedup']:.1f} |")
    if res.get("hoffman"):
        out += section("Hoffman constants (branch and bound over bases)",
                       ["A (standard normal, seed 0)", "H", "bases", "evaluated", "LPs", "s",
                        "LPs of the former method (all row sets of size 3..n)",
                        "max_lp=0: [lower, upper]", "max_lp=0 s"])
        for r in res["hoffman"]:
            if r["kind"] == "matrix":
                out.append(f"| {r['shape'][0]}x{r['shape'][1]} | {r['H']:.6g}{'' if r['exact'] else ' (bounds)'} | "
                           f"{r['n_bases']} | {r['n_evaluated']} | {r['n_lp']} | {r['seconds']:.2f} | "
                           f"{r['lp_all_sets']} | "
                           f"[{r['no_lp_lower']:.4g}, {r['no_lp_upper']:.4g}] | {r['no_lp_seconds']:.2f} |")
        out += ["", "H: the proven lower bound; exact = proven bounds agree to 1e-9 relative "
                    "(a few verification LPs, not counted in LPs).", ""]
        out += [f"- sampling radius of {r['spec']} (seed 0, exact F ⊘ G of the float weights): "
                f"R = {r['radius']:.4g}, {'proven' if r['proven'] else 'NOT proven'} "
                f"(closure radius {r['closure_radius']:.4g}; {r['n_pieces']} pieces with a verified "
                f"interior point, {r['n_empty']} verified empty; {r['n_lp']} LPs; tropicalization "
                f"included, {r['seconds']:.1f} s)" for r in res["hoffman"] if r["kind"] == "radius"]
        if any(r["kind"] == "radius" for r in res["hoffman"]):
            out.append("- (the former Hoffman-constant radius, which reached only the closures of "
                       "the regions: 110.7, 3446, 1.005e+04, 6740 for the same networks)")
    out += ["", f"Machine: {res['machine']}; neuroalg {res['version']}."]
    for part, info in res.get("runs", {}).items():
        out.append(f"- {part}: run {info['date']}, load average {info['load']}, {info['seconds']:.0f} s")
    (RESULTS / "regions.md").write_text("\n".join(out) + "\n")


PARTS = {1: ("baseline", part1), 2: ("scaling", part2), 3: ("largest", part3),
         4: ("symmetry", part4), 5: ("hoffman", part5)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    ap.add_argument("--parts", default="1,2,3,4,5", help="parts to run, e.g. 4,5 (the stored "
                    "results of the others are kept)")
    args = ap.parse_args()
    parts = sorted({int(p) for p in args.parts.split(",")})
    t0 = time.perf_counter()
    stored = RESULTS / "regions.json"
    res = json.loads(stored.read_text()) if stored.exists() and len(parts) < len(PARTS) else {}
    res.update({"version": neuroalg.__version__,
                "machine": f"{platform.machine()}, {platform.python_version()}"})
    runs = res.setdefault("runs", {})
    if "baseline" in res and not runs:   # stored before runs were recorded
        runs["parts 1-3"] = {"date": "earlier run (see git log)", "load": "not recorded",
                             "seconds": res.get("total_seconds", 0)}
    for p in parts:
        name, fn = PARTS[p]
        t = time.perf_counter()
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        res[name] = fn(args.quick)
        runs[name] = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                      "load": f"{load} (start) / " + ", ".join(f"{v:.1f}" for v in os.getloadavg()) + " (end)",
                      "seconds": time.perf_counter() - t}
    if not args.quick:
        write(res)
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
