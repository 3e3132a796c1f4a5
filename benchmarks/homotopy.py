"""Benchmark: neuroalg's total-degree solver against PHCpack's blackbox solver, same systems, same run.

Systems: katsura-n (2^n solutions), cyclic-n (70, 156, 924) and neurovariety witness systems
(A Phi(theta) = b, C theta = c at random complex b, c: the systems `neuroalg degree` solves).
For each: number of nonsingular solutions and wall time of `neuroalg.homotopy.solve` (tracking
only, and Krawczyk certification separately) and of `phc -b` (PHCpack 2.4, Debian package
`phcpack`, installed here if missing; never needed by the library). PHCpack's blackbox uses a
polyhedral homotopy (mixed volume paths) and reports solutions with zero coordinates in a
separate block (stable mixed volume): its count is the sum of the regular solutions of all blocks.

Run:  .venv/bin/python benchmarks/homotopy.py [--quick]
Writes benchmarks/results/homotopy.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from neuroalg.geometry.witness.systems import image_system, witness_system
from neuroalg.homotopy import cyclic, katsura, krawczyk_certify, solve
from neuroalg.polymap import expand

RESULTS = Path(__file__).parent / "results"


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


def run_phc(phc: str, system, timeout: float):
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in.txt", Path(tmp) / "out.txt"
        inp.write_text(phc_text(system))
        clock = time.perf_counter()
        try:
            subprocess.run([phc, "-b", str(inp), str(out)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=timeout, check=False, cwd=tmp)
        except subprocess.TimeoutExpired:
            return None, None, timeout
        seconds = time.perf_counter() - clock
        text = out.read_text() if out.exists() else ""
    regular = [int(m) for m in re.findall(r"Number of regular solutions\s*:\s*(\d+)", text)]
    singular = [int(m) for m in re.findall(r"Number of singular solutions\s*:\s*(\d+)", text)]
    return sum(regular), sum(singular), seconds


def neuro_system(spec: str, seed: int):
    from neuroalg.geometry import dimension

    rng = np.random.default_rng(seed)
    phi = expand(spec)
    dim = dimension(spec, seed=seed).dimension
    system, a_mat, c_mat = witness_system(phi, dim, rng)
    theta = rng.standard_normal(phi.n_params) + 1j * rng.standard_normal(phi.n_params)
    f = image_system(phi).evaluate(theta[None])[0][0]
    p0 = np.concatenate([a_mat.astype(float) @ f, c_mat.astype(float) @ theta])
    return system.with_parameters(p0)


def cases(quick: bool):
    out = [("katsura-5", katsura(5), 32), ("katsura-7", katsura(7), 128),
           ("katsura-9", katsura(9), 512), ("katsura-10", katsura(10), 1024),
           ("cyclic-5", cyclic(5), 70), ("cyclic-6", cyclic(6), 156),
           ("witness cnn k=3,2 s=1,1 x^2", neuro_system("cnn k=3,2 s=1,1 x^2", 0), 36),
           ("witness linear 3,2,3", neuro_system("linear 3,2,3", 0), 24)]
    if not quick:
        out += [("katsura-11", katsura(11), 2048), ("cyclic-7", cyclic(7), 924)]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the largest systems")
    parser.add_argument("--timeout", type=float, default=900.0, help="per PHCpack run (s)")
    args = parser.parse_args()
    phc = ensure_phc()
    if phc is None:
        print("PHCpack (phc) is not available and could not be installed; ours only", file=sys.stderr)
    rows = []
    for name, system, known in cases(args.quick):
        clock = time.perf_counter()
        res = solve(system, seed=0, certify=False)
        ours = time.perf_counter() - clock
        clock = time.perf_counter()
        n_cert = krawczyk_certify(system, res.solutions).n_certified
        cert = time.perf_counter() - clock
        row = {"system": name, "known": known, "paths": res.n_paths, "ours": res.n_solutions,
               "ours_failed": res.n_failed, "ours_seconds": round(ours, 3),
               "certified": n_cert, "certify_seconds": round(cert, 3)}
        if phc:
            n_reg, n_sing, secs = run_phc(phc, system, args.timeout)
            row.update({"phc": n_reg, "phc_singular": n_sing, "phc_seconds": round(secs, 3),
                        "phc_over_ours": round(secs / ours, 2)})
        rows.append(row)
        print(json.dumps(row), flush=True)
    RESULTS.mkdir(exist_ok=True)
    meta = {"machine": "2 cores (shared), 24 GiB", "phc": phc, "date": time.strftime("%Y-%m-%d"),
            "note": "time ratio = PHCpack wall time / neuroalg tracking wall time, same run"}
    (RESULTS / "homotopy.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    head = ("| system | known | our paths | ours | ours s | certified | cert s | PHCpack | PHC s "
            "| PHC s / ours s |\n|---|---|---|---|---|---|---|---|---|---|\n")
    body = "".join(
        f"| {r['system']} | {r['known']} | {r['paths']} | {r['ours']} | {r['ours_seconds']} | "
        f"{r['certified']} | {r['certify_seconds']} | {r.get('phc', '-')} | {r.get('phc_seconds', '-')} "
        f"| {r.get('phc_over_ours', '-')} |\n" for r in rows)
    (RESULTS / "homotopy.md").write_text(
        "# Homotopy benchmark: neuroalg total-degree solver vs PHCpack `phc -b`\n\n"
        + json.dumps(meta) + "\n\n" + head + body)


if __name__ == "__main__":
    main()
