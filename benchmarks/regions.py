"""Benchmark: exact linear-region counting against two LP baselines, and its scaling.

Five parts, each in one run on this machine (shared and loaded: ratios only between runs of the
same round-robin, see ``_measure.py``):

1. **Baselines.** Ours (``count_regions``: layerwise cell splitting, generators by Qhull, LPs
   where needed; timed for the activation regions alone, the count both baselines produce, and
   for all three notions) against
   - **neighbour exploration** (written here): start from the pattern of the domain's centre,
     and for every region found (Chebyshev LP on its pattern's walls, inradius > rtol) queue the
     N patterns that differ in one neuron; one LP per new pattern. Regions sharing a facet
     differ in exactly one neuron for networks in general position, so this reaches every
     region; the counts are asserted equal.
   - **brute force** (``count_by_patterns``): one LP per pattern, all 2^N, where 2^N <= 2^16
     (counts asserted equal); beyond that it is not run, and no ratio against it is claimed.
   Ours and the baselines run interleaved, 3 times each (CPU and wall seconds, min and median).
   Target (issue 17): >= 10x the neighbour exploration on networks with >= 1,000 regions.
2. **Scaling.** Regions per second of the splitting for growing widths, box and whole space.
3. **Largest network counted exactly within 10 minutes** (target: >= 1e5 regions).
4. **Symmetry reduction.** Permutation-invariant networks counted on the fundamental domain
   against the full count, same run: all three notions must agree; time ratio.
5. **Hoffman constants.** Branch and bound over bases: bases evaluated (LP-free for r <= 4,
   LPs beyond) and time against the ``sum_{3<=k<=n} C(m, k)`` LPs of the former exact method
   (every row set of size 3..n; sizes 1, 2 in closed form); the proven interval with no
   evaluation budget; sampling radii of small networks.

Random networks 'relu n0,...,nL' with standard normal weights and biases, seed 0.
Run: .venv/bin/python benchmarks/regions.py [--quick] [--parts 1,4]; results:
benchmarks/results/regions.* (``--parts`` reruns some parts and keeps the others' stored results;
every part records its date, the load average and the BLAS threads).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import platform
import resource
import time
from collections import deque
from pathlib import Path

import numpy as np

import neuroalg
from _measure import blas_threads, interleave, load, ratio
from neuroalg.tropical import ReLUNetwork, count_regions
from neuroalg.tropical._lp import LPCounter, chebyshev
from neuroalg.tropical.cells import RTOL, activation_cells, count_by_patterns, make_domain, pattern_cell
from neuroalg.tropical.network import normalize_neurons

RESULTS = Path(__file__).parent / "results"
BOX = (-1.0, 1.0)
BRUTE_FORCE_MAX_NEURONS = 16


def split(spec, box, method="auto"):
    c, t = time.process_time(), time.perf_counter()
    r = count_regions(spec, seed=0, box=box, n_samples=0, method=method, certify=False)
    dt, cpu = time.perf_counter() - t, time.process_time() - c
    return {"spec": spec, "domain": "box [-1,1]^n0" if box else "R^n0", "method": method,
            "activation_regions": r.activation_regions, "linear_regions": r.linear_regions,
            "distinct_maps": r.distinct_maps, "n_lp": r.n_lp, "seconds": dt, "cpu_seconds": cpu,
            "regions_per_second": r.activation_regions / dt}


def neighbour_exploration(net: ReLUNetwork, dom, *, rtol: float = RTOL, counter=None) -> int:
    """Baseline: breadth-first search over activation patterns by single-neuron flips, one
    Chebyshev LP per new pattern (see the module docstring); returns the number of regions."""
    n = net.n_hidden
    start = net.patterns(dom.centre[None, :])[0].astype(np.uint8)
    seen, queue, found = {start.tobytes()}, deque([start]), 0
    while queue:
        s = queue.popleft()
        walls = pattern_cell(net, dom, s)
        if walls is None or not chebyshev(*walls, counter=counter)[0] > rtol:
            continue
        found += 1
        for i in range(n):
            flip = s.copy()
            flip[i] ^= 1
            key = flip.tobytes()
            if key not in seen:
                seen.add(key)
                queue.append(flip)
    return found


def part1(quick):
    """Ours against neighbour exploration (and brute force up to 2^16 patterns), interleaved."""
    # (relu 4,24,24,1 on the box, 31,368 regions, would cost the neighbour exploration ~1.5
    # million LPs per repetition: left out)
    cases = [("relu 2,8,8,1", None), ("relu 2,8,8,1", BOX), ("relu 3,6,6,1", None),
             ("relu 2,12,12,1", None), ("relu 3,20,20,1", BOX), ("relu 2,40,40,1", None),
             ("relu 3,20,20,1", None)]
    if quick:
        cases = cases[:2]
    rows = []
    for spec, box in cases:
        widths = tuple(int(w) for w in spec.split()[1].split(","))
        net, _ = normalize_neurons(ReLUNetwork.random(widths, seed=0))  # what count_regions uses
        dom = make_domain(net, box)
        counts: dict[str, int] = {}
        lps: dict[str, int] = {}

        def activation_only():
            c = LPCounter()
            counts["ours"], lps["ours"] = len(activation_cells(net, dom, counter=c)), c.n

        def full():
            r = count_regions(spec, seed=0, box=box, n_samples=0, certify=False)
            counts["ours_all_notions"], lps["ours_all_notions"] = r.activation_regions, r.n_lp

        def neighbours():
            c = LPCounter()
            counts["neighbours"], lps["neighbours"] = neighbour_exploration(net, dom, counter=c), c.n

        def brute():
            c = LPCounter()
            counts["brute_force"], lps["brute_force"] = count_by_patterns(net, dom, counter=c), c.n

        runs = {"ours": activation_only, "ours_all_notions": full, "neighbours": neighbours}
        if net.n_hidden <= BRUTE_FORCE_MAX_NEURONS:
            runs["brute_force"] = brute
        rec = interleave(runs, repeats=3)
        assert len(set(counts.values())) == 1, (spec, box, counts)
        row = {"spec": spec, "domain": "box [-1,1]^n0" if box else "R^n0", "neurons": net.n_hidden,
               "activation_regions": counts["ours"], "lps": lps, "times": rec,
               "vs_neighbours": ratio(rec, "neighbours", "ours"),
               "vs_neighbours_all_notions": ratio(rec, "neighbours", "ours_all_notions")}
        if "brute_force" in runs:
            row["vs_brute_force"] = ratio(rec, "brute_force", "ours")
        rows.append(row)
        print(f"{spec:16s} {row['domain']:14s} {counts['ours']:7d} regions: ours "
              f"{rec['ours']['cpu_min']:.3f} s ({lps['ours']} LPs), neighbours "
              f"{rec['neighbours']['cpu_min']:.2f} s ({lps['neighbours']} LPs): "
              f"{row['vs_neighbours']['cpu_min']:.1f}x"
              + (f"; brute force {row['vs_brute_force']['cpu_min']:.0f}x" if "vs_brute_force" in row else ""),
              flush=True)
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
    out = ["# Exact region counting vs neighbour exploration and brute force (interleaved, same run)", "",
           "Ours: activation regions by cell splitting (the count both baselines give), and "
           "``count_regions`` with all three notions. Neighbour exploration: BFS over single-neuron "
           "flips, one Chebyshev LP per new pattern. Brute force: one LP per pattern (all 2^N), run "
           f"only where N <= {BRUTE_FORCE_MAX_NEURONS}. Counts asserted equal. Times: CPU seconds, "
           "min (median) of 3 interleaved runs; ratios = baseline / ours from the same round-robin.",
           "", "| network | domain | N | regions | ours (s) | ours, 3 notions (s) | neighbours (s) | "
           "brute force (s) | LPs ours / neighbours / brute | neighbours / ours (min, median) | "
           "neighbours / ours 3 notions | brute / ours | load |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]

    def t(rec, name):
        return f"{rec[name]['cpu_min']:.3f} ({rec[name]['cpu_median']:.3f})" if name in rec else "not run"

    for r in res["baseline"]:
        rec, lp = r["times"], r["lps"]
        brute = f"{r['vs_brute_force']['cpu_min']:.1f}" if "vs_brute_force" in r else "—"
        out.append(f"| {r['spec']} | {r['domain']} | {r['neurons']} | {r['activation_regions']} | "
                   f"{t(rec, 'ours')} | {t(rec, 'ours_all_notions')} | {t(rec, 'neighbours')} | "
                   f"{t(rec, 'brute_force')} | {lp['ours']} / {lp['neighbours']} / "
                   f"{lp.get('brute_force', '—')} | {r['vs_neighbours']['cpu_min']:.1f}, "
                   f"{r['vs_neighbours']['cpu_median']:.1f} | "
                   f"{r['vs_neighbours_all_notions']['cpu_min']:.1f} | {brute} | "
                   f"{rec['load_average']['start'][0]}-{rec['load_average']['end'][0]} |")
    out += ["", "# Scaling (regions per CPU second; all three notions)", "",
            "| network | domain | activation | linear | distinct maps | LPs | CPU s | wall s | regions/CPU-s |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in res["scaling"] + res["largest"]:
        out.append(f"| {r['spec']} | {r['domain']} | {r['activation_regions']} | {r['linear_regions']} | "
                   f"{r['distinct_maps']} | {r['n_lp']} | {r['cpu_seconds']:.1f} | {r['seconds']:.1f} | "
                   f"{r['activation_regions'] / r['cpu_seconds']:.0f} |")
    out += ["", "# Largest networks counted exactly (target >= 1e5 regions within 10 minutes)", ""]
    for r in res["largest"]:
        out.append(f"- {r['spec']} on {r['domain']}: {r['activation_regions']} activation regions, "
                   f"{r['linear_regions']} linear regions, {r['distinct_maps']} maps in "
                   f"{r['cpu_seconds']:.0f} CPU-s ({r['seconds']:.0f} s wall, peak RSS "
                   f"{r['peak_rss_gib']:.2f} GiB)")
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
        cpu = f", {info['cpu_seconds']:.0f} CPU-s" if "cpu_seconds" in info else ""
        blas = (", BLAS " + ", ".join(f"{b.get('library')} {b.get('num_threads')} threads" for b in info["blas"])
                if info.get("blas") else "")
        out.append(f"- {part}: run {info['date']}, load average {info['load']}, {info['seconds']:.0f} s"
                   f"{cpu}{blas}")
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
        t, c = time.perf_counter(), time.process_time()
        start_load = ", ".join(f"{v:.1f}" for v in load())
        res[name] = fn(args.quick)
        runs[name] = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                      "load": f"{start_load} (start) / " + ", ".join(f"{v:.1f}" for v in load()) + " (end)",
                      "seconds": time.perf_counter() - t, "cpu_seconds": time.process_time() - c,
                      "blas": blas_threads()}
    if {1, 2, 3} <= set(parts):
        runs.pop("parts 1-3", None)  # the record of an older run of these parts
    if not args.quick:
        write(res)
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
