"""Benchmark: `neuroalg equations` (interpolation over GF(p)) against Singular's elimination.

For each architecture and degree bound K, in the same run:
- ours: `neuroalg.geometry.equations.equations(spec, degree=K)` — dim I_d for d <= K (proven
  upper bound by a rank mod p; certified with exactly verified generators when the number of
  monomials is at most --max-generators);
- Singular 4.3 (Debian package `singular`, installed here with --no-install-recommends if
  missing; never needed by the library): `minbase(eliminate(<y - Phi(theta)>, prod theta))`, and
  the number of minimal generators of each degree <= K (equal to dim I_d at the lowest degree
  where I is nonzero).
Each side gets --timeout seconds per case (default 600, the issue's 10 minutes).

Run:  .venv/bin/python benchmarks/equations.py [--only "mlp 3,3,3 x^2:4" ...]
Writes benchmarks/results/equations.{json,md}; with --only, the named cases are rerun and replace
their rows (each row records its date).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from neuroalg.geometry.equations import equations
from neuroalg.polymap import expand

RESULTS = Path(__file__).parent / "results"
CASES = [("mlp 3,2,1 x^2", 3), ("mlp 2,2,2 x^3", 3), ("linear 3,2,3", 3), ("mlp 2,2,1 x^3+x^2", 3),
         ("mlp 3,3,2 x^2", 3), ("mlp 3,3,3 x^2", 3), ("mlp 3,3,3 x^2", 4)]


def ensure_singular() -> str | None:
    if not shutil.which("Singular") and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "singular"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return shutil.which("Singular")


def singular_script(spec: str, degree: int) -> str:
    phi = expand(spec)
    ts = [f"t{i}" for i in range(phi.n_params)]
    ys = [f"y{i}" for i in range(phi.n_coordinates)]

    def poly(p):
        terms = []
        for a, c in p.items():
            mono = "*".join(f"{t}^{e}" for t, e in zip(ts, a) if e) or "1"
            terms.append(f"({c.numerator}/{c.denominator})*{mono}")
        return "+".join(terms) or "0"

    gens = ",".join(f"{y}-({poly(p)})" for y, p in zip(ys, phi.polys))
    return (f"ring r = 0, ({','.join(ts + ys)}), dp;\n"
            f"ideal I = {gens};\n"
            f"ideal G = minbase(eliminate(I, {'*'.join(ts)}));\n"
            f"int i; for (i = 1; i <= ncols(G); i++) {{ if (G[i] != 0) {{ print(\"DEG \" + string(deg(G[i]))); }} }}\n"
            "quit;\n")


def run_singular(binary: str, spec: str, degree: int, timeout: float):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.sing"
        path.write_text(singular_script(spec, degree))
        clock = time.perf_counter()
        try:
            out = subprocess.run([binary, "-q", str(path)], capture_output=True, text=True,
                                 timeout=timeout).stdout
        except subprocess.TimeoutExpired:
            return None, timeout
        seconds = time.perf_counter() - clock
    degs = [int(d) for d in re.findall(r"DEG (\d+)", out)]
    return [sum(1 for d in degs if d == k) for k in range(1, degree + 1)], seconds


def _ours(spec, degree, queue):
    res = equations(spec, degree=degree, seed=0, structural=False)  # interpolation only
    queue.put(([p.upper for p in res.parts], all(p.is_certified for p in res.parts)))


def run_ours(spec: str, degree: int, timeout: float):
    queue = mp.get_context("fork").Queue()
    proc = mp.get_context("fork").Process(target=_ours, args=(spec, degree, queue))
    clock = time.perf_counter()
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None, None, timeout
    counts, certified = queue.get()
    return counts, certified, time.perf_counter() - clock


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--only", nargs="*", default=None, help="cases SPEC:K to rerun")
    args = parser.parse_args()
    binary = ensure_singular()
    cases = CASES
    old = {}
    if args.only:
        cases = [(c.rsplit(":", 1)[0], int(c.rsplit(":", 1)[1])) for c in args.only]
        previous = RESULTS / "equations.json"
        if previous.exists():
            old = {(r["spec"], r["degree"]): r for r in json.loads(previous.read_text())["rows"]}
    rows = []
    for spec, degree in cases:
        counts, certified, ours = run_ours(spec, degree, args.timeout)
        row = {"spec": spec, "degree": degree, "ours": counts, "ours_certified": certified,
               "ours_seconds": round(ours, 2), "date": time.strftime("%Y-%m-%d %H:%M")}
        if binary:
            sing, secs = run_singular(binary, spec, degree, args.timeout)
            row.update({"singular_min_generators": sing, "singular_seconds": round(secs, 2),
                        "singular_over_ours": round(secs / ours, 2)})
        rows.append(row)
        print(json.dumps(row), flush=True)
    if old:
        old.update({(r["spec"], r["degree"]): r for r in rows})
        rows = [old[k] for k in dict.fromkeys([*((s, d) for s, d in CASES), *old]) if k in old]
    RESULTS.mkdir(exist_ok=True)
    meta = {"machine": "2 cores (shared), 24 GiB", "singular": binary,
            "date": time.strftime("%Y-%m-%d"), "timeout_seconds": args.timeout,
            "note": "ours: dim I_d for d = 1..K (upper bounds; 'certified' when generators "
                    "verified); Singular: minimal generators of each degree; None = timeout"}
    (RESULTS / "equations.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    lines = ["# Equations benchmark: interpolation over GF(p) vs Singular elimination", "",
             json.dumps(meta), "",
             "| spec | K | ours dim I_d | certified | ours s | Singular min. generators | Singular s | ratio |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['spec']} | {r['degree']} | {r['ours']} | {r['ours_certified']} | "
                     f"{r['ours_seconds']} | {r.get('singular_min_generators')} | "
                     f"{r.get('singular_seconds')} | {r.get('singular_over_ours')} |")
    (RESULTS / "equations.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
