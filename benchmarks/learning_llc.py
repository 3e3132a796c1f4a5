"""Benchmark: calibration of the SGLD local-learning-coefficient estimator against exact values.

Cases (``neuroalg.learning.calibration.default_cases``): reduced-rank regression (linear networks)
with Aoyagi–Watanabe values, one-input monomial networks with Newton-polyhedron values, regular
tanh points and a generic (constant-rank) point of mlp 2,2,1 x^2. Each case: 8 independent data
sets of n = 1000 Gaussian inputs with unit noise, default estimator settings (4 chains x 5000
SGLD steps after 1000 burn-in, gamma = 1, batch 256, beta = 1/log n).

Then (also alone with the argument ``strata``) the coefficient at points of each stratum of
mlp 2,2,1 x^2, linear 2,2,2 and mlp 1,2,1 x^3: exact value or proven bracket, and SGLD.

Run: .venv/bin/python benchmarks/learning_llc.py [strata]
Results: benchmarks/results/learning_llc_calibration.{csv,json,md}, learning_llc_strata.{json,md}
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

from neuroalg.learning.calibration import calibrate, strata_table

OUT = Path(__file__).parent / "results"


def main() -> None:
    cal = calibrate(n_seeds=8, n_samples=1000, seed=2024,
                    show_progress=lambda m: print(m, file=sys.stderr, flush=True))
    OUT.mkdir(exist_ok=True)
    (OUT / "learning_llc_calibration.csv").write_text(cal.to_csv())
    data = cal.to_dict()
    data["machine"] = f"{platform.machine()}, {platform.python_version()}"
    (OUT / "learning_llc_calibration.json").write_text(json.dumps(data, indent=1))
    lines = ["# SGLD local learning coefficient: calibration against exact values", "",
             cal.headline(), "",
             "| case | exact | source | mean +- s.e. | spread | bias | rel. bias | R-hat max | ESS min |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in cal.rows:
        lines.append(f"| {r.case.name} | {float(r.case.exact):.4g} | {r.case.source} | "
                     f"{r.mean:.3f} +- {r.std_error:.3f} | {r.spread:.3f} | {r.bias:+.3f} | "
                     f"{r.relative_bias:+.0%} | {r.rhat_max:.3f} | {r.ess_min:.0f} |")
    lines += ["", f"settings: {cal.settings}; seed {cal.seed}; {cal.seconds:.0f} s on {data['machine']}", ""]
    (OUT / "learning_llc_calibration.md").write_text("\n".join(lines))
    print("\n".join(lines))
    strata_report()


def strata_report() -> None:
    """The coefficient at a point against the stratum it lies on (polynomial networks)."""
    lines = ["# Learning coefficient by stratum (exact value or proven bracket, and SGLD)", "",
             "Random rational points (entries +-k/4) on each stratum; n = 1000, 4 seeds per point, "
             "default estimator settings.", "",
             "| network | point kind | strata through the point | Fisher rank / generic | "
             "lambda (theorem) | SGLD mean +- s.e. |", "|---|---|---|---|---|---|"]
    tables = []
    for spec in ("mlp 2,2,1 x^2", "linear 2,2,2", "mlp 1,2,1 x^3"):
        t = strata_table(spec, n_seeds=4, seed=7, show_progress=lambda m: print(m, file=sys.stderr, flush=True))
        tables.append(t.to_dict())
        for r in t.rows:
            lam = (f"{r.exact:.4g} ({r.method})" if r.exact is not None
                   else f"[{r.lower:.4g}, {r.upper:.4g}] ({r.method})")
            lines.append(f"| {spec} | {r.kind} | {'; '.join(r.strata) or 'none'} | "
                         f"{r.fisher_rank}/{r.generic_rank} | {lam} | {r.mean:.3f} +- {r.std_error:.3f} |")
    (OUT / "learning_llc_strata.json").write_text(json.dumps(tables, indent=1))
    (OUT / "learning_llc_strata.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    if "strata" in sys.argv[1:]:
        strata_report()
    else:
        main()
