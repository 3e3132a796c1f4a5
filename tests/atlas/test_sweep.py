import csv
import os
import signal
import subprocess
import sys
import time

import pytest

from neuroalg.atlas.export import export
from neuroalg.atlas.store import Store
from neuroalg.atlas.sweep import sweep

REGION = "mlp d0=2 dL=1 depth<=4 width<=4 r=2"


def _export(store, path):
    export(store, path)
    return path.read_bytes()


def test_sweep_agrees_with_reference(tmp_path, reference):
    with Store(tmp_path / "a.sqlite") as s:
        res = sweep(REGION, s, backend="serial")
        assert res.n_new == res.n_architectures == 1 + 4 + 16 + 64
        got = {o.label: o for o in s.observations()}
    n = 0
    with open(reference / "2_1_cleaned_architectures.csv", newline="") as f:
        for row in csv.DictReader(f):
            widths = row["architecture"].strip("[]").replace(" ", "")
            lab = f"mlp {widths} x^{row['exponent']}"
            if lab in got:
                assert got[lab].value == int(float(row["dimension_computed"])), lab
                n += 1
    assert n >= 10  # the reference rows inside the region


def test_rerun_is_idempotent_and_backends_agree(tmp_path):
    exports = []
    for backend in ("serial", "pool"):
        with Store(tmp_path / f"{backend}.sqlite") as s:
            sweep(REGION, s, backend=backend, workers=2)
            again = sweep(REGION, s, backend=backend)
            assert again.n_new == 0 and again.n_already == again.n_architectures
            exports.append(_export(s, tmp_path / f"{backend}.csv"))
    assert exports[0] == exports[1]


@pytest.mark.slow
def test_dask_local_cluster_agrees(tmp_path):
    pytest.importorskip("distributed")
    region = "mlp d0=2 dL=1 depth<=3 width<=5 r=2"
    out = []
    for backend in ("serial", "dask"):
        with Store(tmp_path / f"{backend}.sqlite") as s:
            res = sweep(region, s, backend=backend, workers=2)
            assert res.n_new == 1 + 5 + 25
            out.append(_export(s, tmp_path / f"{backend}.csv"))
    assert out[0] == out[1]


def _children_of(pid):
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/environ", "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            continue
        if f"NEUROALG_ATLAS_PARENT={pid}".encode() in env:
            found.append(int(d))
    return found


@pytest.mark.slow
def test_resume_after_kill_9_is_byte_identical(tmp_path):
    region = "mlp d0=2 dL=1 depth<=5 width<=6 r=2"  # 1555 architectures
    db = tmp_path / "killed.sqlite"
    cmd = [sys.executable, "-c", "from neuroalg.cli import main; main()", "atlas", "run", region, "--db", str(db), "-q",
           "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    n = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if db.exists():
            try:
                with Store(db) as s:
                    n = s.status().n_observations
            except Exception:
                continue
            if n >= 100:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 100 <= n < 1555, n  # killed mid-sweep
    time.sleep(0.5)
    assert _children_of(proc.pid) == []  # no orphaned task processes
    with Store(db) as s:
        partial = s.status().n_observations
        res = sweep(region, s)
        assert res.n_already == partial and res.n_new == 1555 - partial
        resumed = _export(s, tmp_path / "resumed.csv")
    with Store(tmp_path / "whole.sqlite") as s:
        sweep(region, s, backend="serial")
        whole = _export(s, tmp_path / "whole.csv")
    assert resumed == whole


def test_dask_scheduler_address(tmp_path):
    distributed = pytest.importorskip("distributed")
    region = "mlp d0=2 dL=1 depth<=2 width<=4 r=2"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        with Store(tmp_path / "a.sqlite") as s:
            res = sweep(region, s, backend="dask", scheduler=cluster.scheduler_address)
            assert res.n_new == 1 + 4 and res.by_status[0][0] == "certified"


def test_statuses_recorded_and_retry(tmp_path):
    with Store(tmp_path / "a.sqlite") as s:
        res = sweep("slow", s, labels=["mlp 8,60,60,1 x^3"], time_limit=1.0, backend="serial")
        # stopped at the limit: the whole computation takes minutes (bound loose for loaded CI)
        assert dict(res.by_status) == {"timeout": 1} and res.seconds < 15
        res = sweep("tiny", s, labels=["mlp 2,3,1 x^2"], memory_limit=1, backend="serial")
        assert dict(res.by_status) == {"skipped_budget": 1}
        assert sweep("tiny", s, labels=["mlp 2,3,1 x^2"], backend="serial").n_already == 1
        res = sweep("tiny", s, labels=["mlp 2,3,1 x^2"], backend="serial", retry=True)
        assert res.n_new == 1 and dict(res.by_status) == {"certified": 1}
        got = {o.label: o for o in s.observations()}
    assert got["mlp 8,60,60,1 x^3"].status.value == "timeout"
    assert got["mlp 8,60,60,1 x^3"].detail == {"time_limit": 1.0}
    assert got["mlp 2,3,1 x^2"].value == 3  # binary quadrics fill: C(3, 2)


def test_dry_run_plans_without_computing(tmp_path):
    region = "mlp d0=2 dL=1 depth<=3 width<=3 r=2"
    with Store(tmp_path / "a.sqlite") as s:
        sweep("mlp d0=2 dL=1 depth<=2 width<=3 r=2", s, backend="serial")  # 4 stored
        plan = sweep(region, s, dry_run=True)
        assert (plan.n_architectures, plan.n_already, plan.n_to_run) == (13, 4, 9)
        assert s.status().n_observations == 4
        big = sweep("x", s, labels=["mlp 3,80,80,80,80,3 x^6"], memory_limit=2**30, dry_run=True)
        assert big.n_over_budget == 1 and big.heaviest[0][2] > 2**30


# --- kill -9 on every backend: the store holds exactly the finished tasks --------------------
KILL_REGION = "mlp d0=6 dL=1 depth=3 d1=20..39 d2=30 width<=40 r=2"
KILL_LABELS = [f"mlp 6,{w},30,1 x^2" for w in range(20, 40)]  # ~0.2-0.5 s each, certified
# Independent evidence of when a task finished: every Python process of the sweep (the sweep,
# Dask workers) logs each task its Supervisor gets back, with the time, outside the atlas code.
_FINISHED_HOOK = """
import os
if os.environ.get("ATLAS_FINISHED_LOG"):
    import json, time
    from neuroalg.atlas import tasks as _tasks
    _run = _tasks.Supervisor.run
    def _logged_run(self, task):
        obs = _run(self, task)
        with open(os.environ["ATLAS_FINISHED_LOG"], "a") as f:
            f.write(json.dumps([obs.label, obs.seed, time.time()]) + "\\n")
        return obs
    _tasks.Supervisor.run = _logged_run
"""


def _stored(db):
    with Store(db, readonly=True) as s:
        return {(o.label, o.seed): o for o in s.observations()}


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["pool", "dask"])
def test_kill_9_loses_only_the_tasks_in_flight(tmp_path, backend, monkeypatch):
    if backend == "dask":
        pytest.importorskip("distributed")
    import importlib
    import json
    import sqlite3

    S = importlib.import_module("neuroalg.atlas.sweep")  # the module (the package exports sweep())
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_FINISHED_HOOK)
    db, log = tmp_path / "a.sqlite", tmp_path / "finished.jsonl"
    env = dict(os.environ, ATLAS_FINISHED_LOG=str(log),
               PYTHONPATH=os.pathsep.join([str(hook), *sys.path]))
    cmd = [sys.executable, "-c", "from neuroalg.cli import main; main()", "atlas", "run",
           KILL_REGION, "--db", str(db), "--backend", backend, "--workers", "2", "-q"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120  # kill when 6 tasks finished (not when some are stored)
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
        if log.exists() and len(log.read_text().splitlines()) >= 6:
            break
    killed_at = time.time()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = _stored(db)
    assert {lab for lab, _ in stored} <= set(KILL_LABELS)
    finished = {(lab, seed): t for lab, seed, t in map(json.loads, log.read_text().splitlines())}
    assert set(stored) <= set(finished)  # only finished tasks are stored
    lost = {k: killed_at - t for k, t in finished.items() if k not in stored}
    # lost: only the tasks in flight (finished a moment ago, their result not yet written)
    assert all(age < 0.25 for age in lost.values()), lost
    assert 4 <= len(stored) < len(KILL_LABELS), len(stored)  # killed mid-sweep
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for o in stored.values():  # fully written rows
        assert o.status.value == "certified" and o.value == o.lower == o.upper is not None
        assert len(o.primes) >= 1 and o.detail["params"] > 0
        assert o.seconds > 0 and o.peak_memory > 0 and o.predicted_seconds > 0

    ran = []
    run_tasks = S.run_tasks

    def recording(tasks, **kw):
        tasks = list(tasks)
        ran.extend((t.label, t.seed) for t in tasks)
        return run_tasks(tasks, **kw)

    monkeypatch.setattr(S, "run_tasks", recording)
    with Store(db) as s:
        res = S.sweep(KILL_REGION, s, backend=backend, workers=2)
    assert not set(ran) & set(stored)  # nothing stored is recomputed
    assert res.n_already == len(stored) and res.n_new == len(KILL_LABELS) - len(stored)
    after = _stored(db)
    assert {k: after[k] for k in stored} == stored  # stored rows untouched (same timings)


def test_dry_run_corrects_its_prediction_with_the_stored_ratio(tmp_path):
    from neuroalg.atlas.calibration import MIN_TASKS

    with Store(tmp_path / "a.sqlite") as s:
        plan = sweep("mlp d0=2 dL=1 depth<=4 width<=4 r=2", s, dry_run=True)
        assert plan.calibration.n == 0 and plan.corrected_seconds is None
        assert plan.search_seconds > plan.predicted_seconds > 0  # all of at most 40 parameters
        res = sweep("mlp d0=2 dL=1 depth<=3 width<=4 r=2", s, backend="serial")
        assert res.n_new == 21 >= MIN_TASKS
        plan = sweep("mlp d0=2 dL=1 depth<=4 width<=4 r=2", s, dry_run=True)
        measured = [o for o in s.observations()]
    total = sum(o.seconds for o in measured) / sum(o.predicted_seconds for o in measured)
    assert plan.n_to_run == 64 and plan.calibration.n == 21
    assert plan.calibration.total == pytest.approx(total)
    assert plan.corrected_seconds == pytest.approx(plan.predicted_seconds * total)
    assert "corrected estimate" in str(plan)


def test_deep_binary_rational_region_records_the_theory(tmp_path):
    """The deep 1/x region (hidden widths 2): every stored dimension is certified, equals the
    closed form of rational_theory and carries the filling classification, agreeing."""
    from neuroalg.geometry.dimension.rational_theory import rational_prediction
    from neuroalg.spec import parse_spec

    region = "rational d0=2..3 dL=1..2 depth=3..4 width=2"
    with Store(tmp_path / "r.sqlite") as s:
        res = sweep(region, s, backend="serial")
        assert res.n_new == res.n_architectures == 8
        obs = list(s.observations())
    for o in obs:
        arch = parse_spec(o.label)
        assert o.status.value == "certified" and o.value == rational_prediction(arch)[0]
        theory = {t["kind"]: t for t in o.detail["theory"]}
        assert theory["dimension"]["agrees"] is True and theory["filling"]["agrees"] is True
        fills = arch.widths[0] == 2 and arch.widths[-1] == 1  # L >= 3: fills iff dL = 1 (d0 = 2)
        assert (o.value == o.detail["ambient"]) == fills
