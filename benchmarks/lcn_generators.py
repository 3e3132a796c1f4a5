"""Structural LCN generators against interpolation on every 2- and 3-layer linear CNN with
filter sizes 2..4 and strides <= 3 (s_l <= k_l; the last stride does not matter for one output
and is 1; filters of size 1 are scalars and give the same varieties as smaller networks).

For each architecture: its blocks (layers joined by stride 1; several strides > 1 go to the
recursive generators of ``geometry/equations/lcn_generators.py``, one inner stride to the
two-layer Sylvester/resultant families, none: the variety fills), the interpolated ideal
``equations(spec, degree=d)`` in every degree d <= 3 whose monomial count stays <= MAX_MONOMIALS
(what interpolation reaches here), and per degree whether the structural generators span the
interpolated I_d (their rank reaches the proven upper bound of dim I_d: "yes"; an exact rank below
the verified forms: "no"; else "undecided"), with the structural claim (ideal / set / vanishing).

Run: .venv/bin/python benchmarks/lcn_generators.py [quick]
Results: benchmarks/results/lcn_generators.{json,md}
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from itertools import product
from math import comb
from pathlib import Path

from neuroalg.geometry.dimension.dimension import dimension
from neuroalg.geometry.equations import equations
from neuroalg.geometry.equations.lcn_generators import blocks, n_inner_strides
from neuroalg.polymap import expand
from neuroalg.spec import parse_spec

RESULTS = Path(__file__).parent / "results"
MAX_MONOMIALS = 1500


def cases(quick: bool = False):
    layer = [(k, s) for k in (2, 3, 4) for s in (1, 2, 3) if s <= k]
    for n_layers in (2, 3):
        for inner in product(layer, repeat=n_layers - 1):
            for k_last in (2, 3, 4):
                ks = [k for k, _ in inner] + [k_last]
                ss = [s for _, s in inner] + [1]
                if quick and (n_layers == 2 or sum(s > 1 for s in ss) < 2 or k_last != 2):
                    continue
                yield f"cnn k={','.join(map(str, ks))} s={','.join(map(str, ss))} x"


def run(spec: str) -> dict:
    arch = parse_spec(spec)
    m = expand(arch).n_coordinates
    degree = max([d for d in range(1, 4) if comb(m + d - 1, d) <= MAX_MONOMIALS], default=0)
    a, t = blocks(arch.filters, arch.strides)
    inner = n_inner_strides(arch)
    row = {"spec": spec, "blocks": list(a), "exponents": list(t), "coordinates": m,
           "route": {0: "fills", 1: "one inner stride"}.get(inner, "recursive"),
           "dimension": dimension(arch, seed=0).dimension, "degree": degree}
    if not degree:
        return row | {"parts": [], "note": "beyond the interpolation limit"}
    clock, cpu = time.perf_counter(), time.process_time()
    res = equations(arch, degree=degree, seed=0)
    spans = {x.degree: x for x in res.structural_span}
    row |= {"seconds": round(time.perf_counter() - clock, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),
            "claim": res.structural_claim,
            "set_off_locus": any("lie in V (proven" in n for n in res.notes),
            "n_structural": sum(f.n_generators for f in res.structural),
            "families": [f.summary() for f in res.structural],
            "parts": [{"degree": p.degree, "lower": p.lower, "upper": p.upper,
                       "certified": p.is_certified,
                       "spans": (spans[p.degree].verdict if p.degree in spans else
                                 ("-" if not p.upper else "no generators"))}
                      for p in res.parts]}
    return row


def _cell(p: dict) -> str:
    dim = str(p["upper"]) if p["certified"] else f"[{p['lower']},{p['upper']}]"
    return f"{dim} {p['spans']}" if p["upper"] else "0"


def main(quick: bool = False) -> None:
    RESULTS.mkdir(exist_ok=True)
    load0 = [round(v, 2) for v in os.getloadavg()]
    rows = []
    for spec in cases(quick):
        rows.append(run(spec))
        print(rows[-1]["spec"], rows[-1].get("parts"), file=sys.stderr, flush=True)
    meta = {"machine": f"{platform.machine()}, Python {platform.python_version()}",
            "load_start": load0, "load_end": [round(v, 2) for v in os.getloadavg()],
            "max_monomials": MAX_MONOMIALS,
            "cpu_seconds": round(sum(r.get("cpu_seconds", 0) for r in rows), 1)}
    (RESULTS / "lcn_generators.json").write_text(json.dumps({**meta, "rows": rows}, indent=1))
    recursive = [r for r in rows if r["route"] == "recursive"]

    def spans_all(r):
        return all(p["spans"] in ("yes", "-") for p in r["parts"])

    md = ["# LCN structural generators vs interpolation", "",
          f"{len(rows)} architectures (2 and 3 layers, filters 2..4, strides <= 3); interpolation "
          f"in every degree d <= 3 with at most {MAX_MONOMIALS} monomials. Cells: dim I_d "
          "(certified, or [lower, upper]) and whether the structural generators span it "
          "(yes: rank = proven upper bound; undecided; no generators; '0': I_d = 0).", "",
          f"Recursive route (several strides > 1): {len(recursive)} architectures, structural "
          f"generators span every interpolated I_d in {sum(map(spans_all, recursive))}. "
          f"All routes: {sum(map(spans_all, rows))} of {len(rows)}. Set-theoretic cut-out off the "
          "degenerate locus proven (no listing cut, no minor beyond 6x6; column 'off': yes) in "
          f"{sum(bool(r.get('set_off_locus')) for r in recursive)} of the {len(recursive)} "
          "recursive ones; generation of I(V) unproven for all of them.", "",
          f"CPU {meta['cpu_seconds']} s; load average {load0} (start), {meta['load_end']} "
          f"(end); {meta['machine']}.", "",
          "| architecture | blocks a; T | route | coords | dim | claim | I_1 | I_2 | I_3 | s |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        cells = [_cell(p) for p in r.get("parts", [])] + ["-"] * (3 - len(r.get("parts", [])))
        md.append(f"| {r['spec']} | {tuple(r['blocks'])}; {tuple(r['exponents'])} | {r['route']} | "
                  f"{r['coordinates']} | {r['dimension']} | {r.get('claim') or '-'} | "
                  f"{'yes' if r.get('set_off_locus') else '-'} | "
                  + " | ".join(cells) + f" | {r.get('seconds', '-')} |")
    (RESULTS / "lcn_generators.md").write_text("\n".join(md) + "\n")


if __name__ == "__main__":
    main(quick="quick" in sys.argv[1:])
