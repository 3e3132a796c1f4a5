"""Acceptance measurements of the atlas (issue: atlas sweeps, store, cluster backend, report).

Parts (each one run of at most ~10 minutes on the 2-core machine; results in
benchmarks/results/atlas.<part>.json, summary in benchmarks/results/atlas.md):

  recompute   recompute rows of the reference tables ../shared/reference/mfa_pnns (Dao,
              Rodriguez) and compare with ``dimension_computed``; ``--files 2_1`` takes every
              row, ``--sample N`` a deterministic sample (the N labels with the smallest SHA-256);
              rows predicted to take more than ``--max-predicted`` seconds (default 3: the
              very wide networks, widths 200-1200) are left out and counted
  frontier    minimal filling architectures, d0=2, dL=1, r=2, depths 2..7, widths <= 8,
              with every immediate predecessor verified; compared with the table's is_minimal
  resume      kill -9 in the middle of a sweep, rerun, compare the export with an uninterrupted
              run; serial, process-pool and Dask LocalCluster exports compared
  timeout     a task over its time limit: time from the start to the recorded timeout
  budget      (3,80,80,80,80,3) with x^6 under a 4 GiB memory budget
  wide        a sample of the rows that ``recompute`` leaves out, under the time limit and the
              default memory budget: what happens to them
  throughput  architectures per second on a sample of the 2_1 reference set (default 600
              architectures, predicted <= --max-predicted s): serial vs process pool vs Dask
              LocalCluster (2 workers)
  calibrate   predicted against measured time and memory, task by task, on one supervised
              child with single-threaded BLAS: a sample of the 2_1 reference set (--sample,
              default 150), a sample of the region mlp d0=3 dL=1 depth<=4 width<=6 r=2 and a
              ladder of larger certified tasks (milliseconds to ~10 s); the CPU time of the
              child's main thread (/proc/PID/schedstat) is recorded beside the wall time, so
              that the fit of neuroalg.atlas.plan's coefficients does not depend on the load

Run: .venv/bin/python benchmarks/atlas.py PART [...]; ``summary`` rewrites atlas.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import neuroalg
from neuroalg.atlas.export import export
from neuroalg.atlas.importer import import_csv, read_rows
from neuroalg.atlas.store import Store
from neuroalg.atlas.sweep import sweep

RESULTS = Path(__file__).parent / "results"
SHARED = Path(os.environ.get("NEUROALG_SHARED", Path(__file__).resolve().parents[2] / "shared"))
REFERENCE = SHARED / "reference" / "mfa_pnns"


def machine() -> dict:
    return dict(python=platform.python_version(), neuroalg=neuroalg.__version__,
                cpus=len(os.sched_getaffinity(0)), platform=platform.platform(),
                load_average_at_end=[round(x, 2) for x in os.getloadavg()])


def save(part: str, data: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    data = dict(part=part, machine=machine(), **data)
    (RESULTS / f"atlas.{part}.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(json.dumps({k: v for k, v in data.items() if k not in ("disagreements", "rows")},
                     indent=1)[:4000])


def sample(labels, n: int | None) -> list[str]:
    labels = sorted(set(labels))
    if n is None or n >= len(labels):
        return labels
    return sorted(sorted(labels, key=lambda s: hashlib.sha256(s.encode()).hexdigest())[:n])


def _int(x):
    try:
        v = float(x)
        return int(v) if v == int(v) else None
    except ValueError:
        return None


# --- recompute ------------------------------------------------------------------------------
def recompute(files, n_sample, workers, time_limit, db, max_predicted, only_slow=False,
              labels_file=None):
    from neuroalg.atlas.plan import predict

    out = {}
    with Store(db) as store:
        for name in files:
            path = REFERENCE / f"{name}_cleaned_architectures.csv"
            rows = read_rows(path)
            ref = {}
            for lab, row in rows:
                ref.setdefault(lab, row)
            labels = sample(ref, n_sample)
            slow = [lab for lab in labels if predict(lab).seconds > max_predicted]
            if labels_file:  # exactly these rows (e.g. the ones an earlier first pass left out)
                wanted = set(Path(labels_file).read_text().split("\n")) - {""}
                slow = labels = [lab for lab in labels if lab in wanted]
            labels = slow if only_slow else [lab for lab in labels if lab not in set(slow)]
            import_csv(path, store)
            t0 = time.perf_counter()
            res = sweep(f"reference {name}", store, labels=labels, backend="pool",
                        workers=workers, time_limit=time_limit, show_progress=True,
                        retry=only_slow)
            ours = {o.label: o for o in store.observations(method="exact") if o.label in ref}
            agree, dis, filling, filling_cert, statuses = 0, [], 0, 0, {}
            for lab in labels:
                o = ours[lab]
                statuses[o.status.value] = statuses.get(o.status.value, 0) + 1
                want = _int(ref[lab]["dimension_computed"])
                amb = o.detail.get("ambient")
                if want is not None and want == amb:
                    filling += 1
                    filling_cert += o.status.value == "certified"
                if o.value == want:
                    agree += 1
                else:
                    kind = ("reference below our proven lower bound" if o.lower is not None
                            and want is not None and want < o.lower else
                            "reference above our proven upper bound" if o.upper is not None
                            and want is not None and want > o.upper else "within our bounds")
                    dis.append(dict(label=lab, reference=ref[lab]["dimension_computed"],
                                    ours=o.value, lower=o.lower, upper=o.upper,
                                    status=o.status.value, seed=o.seed, primes=list(o.primes),
                                    kind=kind, detail=o.detail))
            out[name] = dict(rows_in_table=len(rows), distinct=len(ref), recomputed=len(labels),
                             left_out_predicted_slow=len(slow), max_predicted_seconds=max_predicted,
                             left_out_examples=slow[:10],
                             sampled=n_sample is not None and n_sample < len(ref), agree=agree,
                             n_disagreements=len(dis), disagreements=dis, statuses=statuses,
                             filling_rows=filling, filling_certified=filling_cert,
                             seconds=time.perf_counter() - t0, rate=res.rate,
                             new=res.n_new, workers=res.workers, time_limit=time_limit)
            print(name, {k: v for k, v in out[name].items() if k != "disagreements"})
    return out


# --- frontier -------------------------------------------------------------------------------
def frontier(max_depth, width, db):
    from neuroalg.atlas.frontier import frontier_search

    with Store(db) as store:
        res = frontier_search(f"mlp d0=2 dL=1 depth=2..{max_depth} width<={width} r=2", store,
                              verify=True, show_progress=True)
    ref = {}
    for lab, row in read_rows(REFERENCE / "2_1_cleaned_architectures.csv"):
        if row["is_minimal"] == "True" and int(row["h"]) <= max_depth:
            ref[lab] = row
    ours = set(res.minimal)
    d = res.to_dict()
    d.update(reference_minimal=sorted(ref), only_ours=sorted(ours - set(ref)),
             only_reference=sorted(set(ref) - ours),
             depth6=[m for m in res.minimal if len(m.split()[1].split(",")) == 7],
             check_2345461=dict(minimal="mlp 2,3,4,5,4,6,4,1 x^2" in ours,
                                unimodal=dict(zip(res.minimal, [u for x in res.depths for u in x.unimodal]))
                                .get("mlp 2,3,4,5,4,6,4,1 x^2")),
             width_bound=width)
    return d


# --- resume ---------------------------------------------------------------------------------
def resume(region, tmp):
    tmp = Path(tmp)
    db = tmp / "killed.sqlite"
    cmd = [sys.executable, "-c", "from neuroalg.cli import main; main()", "atlas", "run", region,
           "--db", str(db), "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    n = 0
    while n < 300:
        time.sleep(0.1)
        try:
            with Store(db) as s:
                n = s.status().n_observations
        except Exception:
            pass
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.5)
    orphans = [p for p in os.listdir("/proc") if p.isdigit() and _env_has(p, f"NEUROALG_ATLAS_PARENT={proc.pid}")]
    with Store(db) as s:
        before = s.status().n_observations
        r = sweep(region, s)
        export(s, tmp / "resumed.csv")
    hashes = {"resumed": _sha(tmp / "resumed.csv")}
    times = {}
    for backend in ("serial", "pool", "dask"):
        with Store(tmp / f"{backend}.sqlite") as s:
            t = time.perf_counter()
            sweep(region, s, backend=backend, workers=2)
            times[backend] = time.perf_counter() - t
            export(s, tmp / f"{backend}.csv")
        hashes[backend] = _sha(tmp / f"{backend}.csv")
    return dict(region=region, stored_at_kill=before, recomputed_after=r.n_new,
                already=r.n_already, total=r.n_architectures, orphans_after_kill=len(orphans),
                sha256=hashes, identical=len(set(hashes.values())) == 1, seconds=times)


def _env_has(pid, item):
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return item.encode() in f.read().split(b"\0")
    except OSError:
        return False


def _sha(p):
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


# --- timeout / budget -----------------------------------------------------------------------
def timeout_part():
    from neuroalg.atlas.plan import make_tasks
    from neuroalg.atlas.tasks import Supervisor

    out = []
    with Supervisor() as sup:
        sup.run(make_tasks(["mlp 2,2,1 x^2"])[0])  # child started
        for spec, limit in (("mlp 8,60,60,1 x^3", 1.0), ("mlp 8,60,60,1 x^3", 2.0),
                            ("mlp 10,60,60,1 x^3", 3.0)):
            (task,) = make_tasks([spec], time_limit=limit)
            t = time.monotonic()
            obs = sup.run(task)
            el = time.monotonic() - t
            out.append(dict(spec=spec, limit=limit, predicted_seconds=task.predicted_seconds,
                            status=obs.status.value, elapsed=el, overshoot=el - limit))
    return dict(runs=out, all_within_1s=all(r["status"] == "timeout" and r["overshoot"] < 1 for r in out))


def budget_part(db):
    spec = "mlp 3,80,80,80,80,3 x^6"
    with Store(db) as s:
        r = sweep(spec, s, labels=[neuroalg.atlas.label(spec)], memory_limit=4 * 2**30,
                  backend="pool", workers=1)
        (o,) = s.observations(labels=[neuroalg.atlas.label(spec)])
    from neuroalg.atlas.plan import predict

    est = predict(neuroalg.atlas.label(spec))
    return dict(spec=spec, memory_limit=4 * 2**30, status=o.status.value, detail=o.detail,
                predicted_memory_gib=est.memory / 2**30, predicted_seconds=est.seconds,
                seconds=r.seconds)


def throughput(n, db_dir, max_predicted):
    from neuroalg.atlas.plan import predict

    labels = sample({lab for lab, _ in read_rows(REFERENCE / "2_1_cleaned_architectures.csv")
                     if predict(lab).seconds <= max_predicted}, n)
    out = {}
    for backend in ("serial", "pool", "dask"):
        with Store(Path(db_dir) / f"tp-{backend}.sqlite") as s:
            r = sweep("2_1 sample", s, labels=labels, backend=backend, workers=2,
                      time_limit=120, show_progress=True)
        out[backend] = dict(seconds=r.seconds, architectures=r.n_new, rate=r.rate,
                            statuses=dict(r.by_status), workers=r.workers)
    return dict(sample=len(labels), max_predicted_seconds=max_predicted, results=out)


def wide(n, time_limit, min_predicted, db_dir):
    """A sample of the rows the recomputation leaves out (predicted > min_predicted s)."""
    from neuroalg.atlas.plan import predict

    ref = {}
    for lab, row in read_rows(REFERENCE / "2_1_cleaned_architectures.csv"):
        ref.setdefault(lab, row)
    slow = [lab for lab in ref if predict(lab).seconds > min_predicted]
    labels = sample(slow, n)
    with Store(Path(db_dir) / "wide.sqlite") as s:
        r = sweep("2_1 wide", s, labels=labels, backend="pool", workers=2, time_limit=time_limit,
                  show_progress=True)
        obs = {o.label: o for o in s.observations()}
    rows = []
    for lab in labels:
        o, est = obs[lab], predict(lab)
        rows.append(dict(label=lab, predicted_seconds=est.seconds,
                         predicted_memory_gib=est.memory / 2**30, status=o.status.value,
                         value=o.value, reference=ref[lab]["dimension_computed"],
                         agree=o.value == _int(ref[lab]["dimension_computed"]) if o.value is not None else None,
                         seconds=o.seconds, peak_memory_gib=None if o.peak_memory is None else o.peak_memory / 2**30))
    return dict(n_slow_rows=len(slow), sample=len(labels), time_limit=time_limit,
                memory_limit_gib=None, seconds=r.seconds, rows=rows)


# --- calibrate ------------------------------------------------------------------------------
#: Certified tasks from milliseconds to about ten seconds (Jacobian-, field- and row-bound).
LADDER = ("mlp 3,10,10,1 x^2", "mlp 4,20,20,1 x^2", "mlp 6,30,30,1 x^2", "mlp 8,30,30,1 x^3",
          "mlp 3,40,40,1 x^2", "mlp 2,100,100,1 x^2", "mlp 5,50,50,1 x^3", "mlp 8,45,45,1 x^3",
          "mlp 8,60,60,1 x^3", "mlp 10,60,60,1 x^3", "mlp 4,30,30,30,1 x^2", "mlp 3,300,1 x^2",
          "mlp 10,100,1 x^3", "mlp 6,200,1 x^3", "linear 3,20,4", "mlp 3,20,20,20,3 x^2",
          "mlp 3,60,60,1 x^2", "mlp 4,80,40,1 x^2", "mlp 6,40,40,1 x^3", "mlp 12,40,1 x^3",
          "mlp 4,20,20,20,20,1 x^2", "mlp 2,12,12,12,12,12,1 x^2")
#: Defective architectures of at most 40 parameters: the bounds differ after the first trial and
#: the exactly verified symmetry-field certificate (a symbolic expansion of Phi) is tried.
DEFECTIVE_SMALL = ("mlp 3,4,2,1 x^2", "mlp 3,5,2,1 x^2", "mlp 3,6,2,1 x^2", "mlp 3,4,2,1,1 x^2",
                   "mlp 3,5,2,1,1 x^2", "mlp 3,3,4,2,1 x^2", "mlp 2,3,2,1,1 x^2",
                   "mlp 2,4,2,1,1 x^2", "mlp 4,3,2,1 x^2", "mlp 4,4,2,1 x^2")


def _rss(pid: int) -> int:
    """Resident memory of ``pid`` (bytes, /proc/PID/status)."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))


def _cpu_ns(pid: int) -> int:
    """CPU time of the main thread of ``pid`` (nanoseconds, /proc/PID/schedstat)."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


def calibrate(n, time_limit):
    from neuroalg import parse_spec
    from neuroalg.atlas.plan import make_tasks
    from neuroalg.atlas.region import parse_region
    from neuroalg.atlas.tasks import Supervisor

    ref = sample({lab for lab, _ in read_rows(REFERENCE / "2_1_cleaned_architectures.csv")
                  if parse_spec(lab).n_params <= 3000}, n)
    d3 = sample(parse_region("mlp d0=3 dL=1 depth<=4 width<=6 r=2").labels(), max(n // 3, 1))
    labels = list(dict.fromkeys([*ref, *d3, *LADDER, *DEFECTIVE_SMALL]))
    rows = []
    with Supervisor(blas_threads=1) as sup:
        for task in make_tasks(labels, time_limit=time_limit):
            if sup.pid is None:
                sup._start()
            c0, rss = _cpu_ns(sup.pid), _rss(sup.pid)
            obs = sup.run(task)
            cpu = None if sup.pid is None else (_cpu_ns(sup.pid) - c0) / 1e9
            arch = parse_spec(task.label)
            rows.append(dict(
                label=task.label, group="ladder" if task.label in LADDER else "defective"
                if task.label in DEFECTIVE_SMALL else "d0=3" if task.label in d3 else "2_1",
                P=arch.n_params, A=arch.ambient_dimension,
                S=arch.n_symmetry_fields, status=obs.status.value, rows=obs.detail.get("rows"),
                certificate=obs.detail.get("certificate"), trials=len(obs.primes),
                seconds=obs.seconds, cpu_seconds=cpu, peak_memory=obs.peak_memory,
                base_memory=sup.base_memory, memory_before=rss, predicted_seconds=task.predicted_seconds,
                predicted_memory=task.predicted_memory))
            print(f"{task.label:28s} {obs.status.value:12s} {obs.seconds or 0:8.3f} s "
                  f"(predicted {task.predicted_seconds:8.3f}) {(obs.peak_memory or 0) / 2**20:7.1f} "
                  f"MiB (predicted {task.predicted_memory / 2**20:7.1f})", flush=True)
    return dict(n_tasks=len(rows), time_limit=time_limit, ratios=_ratio_summary(rows),
                fit=_fit(rows), rows=rows)


def _fit(rows) -> dict:
    """Coefficients of the prediction model refitted on these measurements (to compare with
    neuroalg.atlas.plan): time = TIME_COEFFICIENTS . cost_terms, non-negative least squares of
    the relative error on the certified tasks (CPU time); memory growth (peak minus the
    resident memory before the task) = JACOBIAN_BYTES * entries + FIELD_BYTES * entries, on
    the tasks that grew by more than 5 MiB."""
    import numpy as np
    from scipy.optimize import nnls

    from neuroalg import parse_spec
    from neuroalg.atlas.plan import TIME_COEFFICIENTS, cost_terms

    keys = list(TIME_COEFFICIENTS)
    cert = [r for r in rows if r["status"] == "certified" and r["cpu_seconds"]]
    terms = [cost_terms(parse_spec(r["label"])) for r in cert]
    X = np.array([[t[k] for k in keys] for t in terms])
    y = np.array([r["cpu_seconds"] for r in cert])
    coef, _ = nnls(X / y[:, None], np.ones(len(y)))
    grown = [(t, r["peak_memory"] - r["memory_before"]) for t, r in zip(terms, cert)
             if r["peak_memory"] and r["peak_memory"] - r["memory_before"] > 5 * 2**20]
    M = np.array([[t["jacobian_entries"], t["field_entries"]] for t, _ in grown])
    g = np.array([x for _, x in grown], dtype=float)
    mem, _ = nnls(M / g[:, None], np.ones(len(g)))
    return dict(time_coefficients=dict(zip(keys, coef.tolist())), n_time=len(y),
                jacobian_bytes=mem[0], field_bytes=mem[1], n_memory=len(g),
                memory_before_mib=[min(r["memory_before"] for r in rows) / 2**20,
                                   max(r["memory_before"] for r in rows) / 2**20])


def _ratio_summary(rows) -> dict:
    """Measured over predicted time (CPU and wall) and memory, for the tasks certified at the
    first trial (no certificate search) and for the others."""
    import statistics

    def stats(xs):
        xs = sorted(x for x in xs if x)
        if not xs:
            return None
        return dict(n=len(xs), median=statistics.median(xs), min=xs[0], max=xs[-1],
                    within_2x=sum(0.5 <= x <= 2 for x in xs) / len(xs),
                    within_3x=sum(1 / 3 <= x <= 3 for x in xs) / len(xs))

    out = {}
    first = [r for r in rows if r["status"] == "certified" and r["certificate"] is None]
    other = [r for r in rows if r not in first and r["status"] != "timeout"]
    for name, rs in (("first_trial_certified", first), ("certificate_search_or_monte_carlo", other)):
        out[name] = dict(
            cpu=stats(r["cpu_seconds"] / r["predicted_seconds"] for r in rs if r["cpu_seconds"]),
            wall=stats(r["seconds"] / r["predicted_seconds"] for r in rs),
            memory=stats(r["peak_memory"] / r["predicted_memory"] for r in rs if r["peak_memory"]),
            total_cpu_over_predicted=sum(r["cpu_seconds"] or 0 for r in rs)
            / max(sum(r["predicted_seconds"] for r in rs), 1e-12))
    return out


# --- summary --------------------------------------------------------------------------------
def summary():
    parts = {p.stem.split(".", 1)[1]: json.loads(p.read_text())
             for p in sorted(RESULTS.glob("atlas.*.json"))}
    L = ["# Atlas acceptance measurements", "",
         "Produced by `benchmarks/atlas.py` (see its docstring); raw data in `atlas.<part>.json`.", ""]
    if "recompute" in parts:
        L += ["## Recomputation of the reference tables (mfa_pnns, Dao & Rodriguez)", "",
              "| table | rows (distinct) | recomputed | left out (predicted slow) | agree | disagree "
              "| filling rows certified | statuses | time | arch/s |",
              "|---|---|---|---|---|---|---|---|---|---|"]
        for name, d in sorted(parts["recompute"]["tables"].items()):
            L.append(f"| {name} | {d['rows_in_table']} ({d['distinct']}) | {d['recomputed']}"
                     f"{' (sample)' if d['sampled'] else ''} | {d['left_out_predicted_slow']} "
                     f"(> {d['max_predicted_seconds']:g} s) | {d['agree']} | "
                     f"{d['n_disagreements']} | {d['filling_certified']}/{d['filling_rows']} | "
                     f"{d['statuses']} | {d['seconds']:.0f} s | {d['rate']:.1f} |")
        L.append("")
        for name, d in sorted(parts["recompute"]["tables"].items()):
            if d.get("slow_rows"):
                x = d["slow_rows"]
                L.append(f"- {name}: the {x['recomputed']} rows predicted over "
                         f"{x['max_predicted_seconds']:g} s, recomputed separately (time limit "
                         f"{x['time_limit']:g} s): agree {x['agree']}, disagree "
                         f"{x['n_disagreements']}, filling rows certified "
                         f"{x['filling_certified']}/{x['filling_rows']}, statuses {x['statuses']}, "
                         f"{x['seconds']:.0f} s")
            if d.get("runs"):
                L.append(f"- {name}: " + d["runs_note"] + "; runs: " + ", ".join(
                    f"{r['wall_seconds']:.0f} s (exit {r['exit_code']})" for r in d["runs"]))
            elif d.get("runs_note"):
                L.append(f"- {name}: " + d["runs_note"])
            if d.get("slow_rows", {}).get("note"):
                L.append(f"- {name}: " + d["slow_rows"]["note"])
            if d.get("statuses_note"):
                L.append(f"- {name} statuses: " + d["statuses_note"])
            for x in d["disagreements"][:20]:
                L.append(f"- {name} `{x['label']}`: reference {x['reference']}, neuroalg "
                         f"{x['ours']} ({x['status']}, bounds [{x['lower']}, {x['upper']}], "
                         f"seed {x['seed']}, primes {x['primes']}): {x['kind']}")
        L.append("")
    if "frontier" in parts:
        f = parts["frontier"]
        L += ["## Frontier: minimal filling architectures, d0=2, dL=1, r=2", "",
              f"Region `{f['region']}`, every immediate predecessor verified; {f['seconds']:.0f} s.", "",
              "| depth | ambient | minimal | computed | implied | box | Monte Carlo decisions | time |",
              "|---|---|---|---|---|---|---|---|"]
        for d in f["depths"]:
            L.append(f"| {d['depth']} | {d['ambient']} | {len(d['minimal'])} | {d['n_computed']} | "
                     f"{d['n_implied']} | {d['n_box']} | {d['n_monte_carlo']} | {d['seconds']:.1f} s |")
        L += ["", f"- depth 6: {f['depth6']}",
              f"- (2,3,4,5,4,6,4,1): minimal filling {f['check_2345461']['minimal']}, unimodal "
              f"{f['check_2345461']['unimodal']}",
              f"- agreement with the table's is_minimal (depth <= {max(d['depth'] for d in f['depths'])}): "
              f"only ours {f['only_ours']}, only the table's {f['only_reference']}", ""]
    if "resume" in parts:
        r = parts["resume"]
        L += ["## Resume after kill -9; backends", "",
              f"Region `{r['region']}` ({r['total']} architectures): killed with "
              f"{r['stored_at_kill']} stored, {r['orphans_after_kill']} orphaned processes; the "
              f"rerun computed {r['recomputed_after']} and skipped {r['already']}. Exports "
              f"identical (resumed, serial, pool, Dask): **{r['identical']}** "
              f"(sha256 {sorted(set(r['sha256'].values()))}). Times: "
              + ", ".join(f"{k} {v:.1f} s" for k, v in r["seconds"].items()), ""]
    if "timeout" in parts:
        L += ["## Time limit", ""]
        for x in parts["timeout"]["runs"]:
            L.append(f"- `{x['spec']}` (predicted {x['predicted_seconds']:.1f} s), limit "
                     f"{x['limit']} s: {x['status']} after {x['elapsed']:.2f} s "
                     f"(overshoot {x['overshoot']:.2f} s)")
        L.append("")
    if "budget" in parts:
        b = parts["budget"]
        L += ["## Memory budget", "",
              f"`{b['spec']}` under {b['memory_limit'] / 2**30:.0f} GiB: **{b['status']}**, "
              f"predicted memory {b['predicted_memory_gib']:.2f} GiB (predicted time "
              f"{b['predicted_seconds']:.0f} s); no worker started or crashed.", ""]
    if "wide" in parts:
        w = parts["wide"]
        L += [f"## Rows left out of the recomputation: sample of {w['sample']} of the "
              f"{w['n_slow_rows']} rows of 2_1 predicted over 3 s (time limit {w['time_limit']:g} s, "
              "default memory budget)", "",
              "| architecture | predicted | status | neuroalg | reference | time | peak memory |",
              "|---|---|---|---|---|---|---|"]
        for x in w["rows"]:
            pk = "-" if x["peak_memory_gib"] is None else f"{x['peak_memory_gib']:.2f} GiB"
            L.append(f"| `{x['label']}` | {x['predicted_seconds']:.0f} s, {x['predicted_memory_gib']:.1f} GiB | "
                     f"{x['status']} | {x['value']} | {x['reference']} | "
                     f"{0 if x['seconds'] is None else x['seconds']:.1f} s | {pk} |")
        L.append("")
    if "throughput" in parts:
        t = parts["throughput"]
        L += ["## Throughput (2_1 reference set, deterministic sample of "
              f"{t['sample']} architectures predicted <= {t['max_predicted_seconds']:g} s, "
              "2 workers)", "", "| backend | seconds | arch/s |",
              "|---|---|---|"]
        for k, v in t["results"].items():
            L.append(f"| {k} | {v['seconds']:.1f} | {v['rate']:.1f} |")
        L.append("")
    if "calibrate" in parts:
        c = parts["calibrate"]
        L += ["## Predictions against measurements (calibrate)", "",
              f"{c['n_tasks']} tasks on one supervised child (single-threaded BLAS), time limit "
              f"{c['time_limit']:g} s. Ratio measured/predicted of the CPU time of the task "
              "process (the wall time depends on the load of the shared machine) and of the "
              "peak resident memory:", "",
              "| tasks | n | CPU time: median | within 2x | within 3x | total | memory: median | within 2x |",
              "|---|---|---|---|---|---|---|---|"]
        for name, d in c["ratios"].items():
            t, m = d["cpu"], d["memory"]
            if t is None or m is None:
                continue
            L.append(f"| {name.replace('_', ' ')} | {t['n']} | {t['median']:.2f} | "
                     f"{t['within_2x']:.0%} | {t['within_3x']:.0%} | "
                     f"{d['total_cpu_over_predicted']:.2f} | {m['median']:.2f} | "
                     f"{m['within_2x']:.0%} |")
        f = c["fit"]
        L += ["", "Refitted on these measurements (compare with `neuroalg.atlas.plan`): "
              + ", ".join(f"{k} {v:.3g}" for k, v in f["time_coefficients"].items())
              + f"; {f['jacobian_bytes']:.1f} bytes per Jacobian entry, {f['field_bytes']:.1f} "
              f"per field entry; resident memory of the child before a task "
              f"{f['memory_before_mib'][0]:.0f}-{f['memory_before_mib'][1]:.0f} MiB.", ""]
    (RESULTS / "atlas.md").write_text("\n".join(L))
    print("\n".join(L))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("parts", nargs="+", choices=("recompute", "frontier", "resume", "timeout",
                                                  "budget", "throughput", "wide", "calibrate",
                                                  "summary"))
    ap.add_argument("--files", default="2_1,2_2,2_3")
    ap.add_argument("--sample", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--max-predicted", type=float, default=3.0,
                    help="recompute: leave out rows predicted to take longer (seconds)")
    ap.add_argument("--max-depth", type=int, default=7)
    ap.add_argument("--width", type=int, default=8)
    ap.add_argument("--db", default=None, help="store to use (default: a temporary one)")
    ap.add_argument("--labels-file", default=None,
                    help="recompute --only-slow: exactly the labels listed (one per line)")
    ap.add_argument("--only-slow", action="store_true",
                    help="recompute: only the rows predicted over --max-predicted, recorded "
                         "beside the table's first pass")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = a.db or os.path.join(tmp, "bench.sqlite")
        for part in a.parts:
            if part == "recompute" and a.only_slow:  # the rows a first pass left out
                prev = RESULTS / "atlas.recompute.json"
                tables = json.loads(prev.read_text())["tables"]
                for name, d in recompute(a.files.split(","), a.sample, a.workers, a.time_limit,
                                         db, a.max_predicted, only_slow=True,
                                         labels_file=a.labels_file).items():
                    tables[name]["slow_rows"] = d
                save("recompute", dict(tables=tables))
            elif part == "recompute":
                prev = RESULTS / "atlas.recompute.json"
                tables = json.loads(prev.read_text())["tables"] if prev.exists() else {}
                tables.update(recompute(a.files.split(","), a.sample, a.workers, a.time_limit, db,
                                        a.max_predicted))
                save("recompute", dict(tables=tables))
            elif part == "frontier":
                save("frontier", frontier(a.max_depth, a.width, db))
            elif part == "resume":
                save("resume", resume("mlp d0=2 dL=1 depth<=5 width<=6 r=2", tmp))
            elif part == "timeout":
                save("timeout", timeout_part())
            elif part == "budget":
                save("budget", budget_part(db))
            elif part == "throughput":
                save("throughput", throughput(a.sample or 600, tmp, a.max_predicted))
            elif part == "wide":
                save("wide", wide(a.sample or 6, a.time_limit, a.max_predicted, tmp))
            elif part == "calibrate":
                save("calibrate", calibrate(a.sample or 150, a.time_limit))
            elif part == "summary":
                summary()


if __name__ == "__main__":
    main()
