import os
import time

import pytest

from neuroalg.atlas.plan import make_tasks, predict, task_seed
from neuroalg.atlas.tasks import Supervisor, Task

SLOW = "mlp 8,60,60,1 x^3"  # a ~4141 x 4140 Jacobian: several seconds


def test_prediction_of_the_slow_case_is_seconds():
    assert predict(SLOW).seconds > 2


def test_timeout_stops_within_the_limit_plus_one_second():
    with Supervisor() as sup:
        first = sup.run(Task("mlp 2,2,1 x^2", seed=1))
        pid = sup.pid
        t0 = time.monotonic()
        obs = sup.run(Task(SLOW, seed=1, time_limit=1.0))
        elapsed = time.monotonic() - t0
        assert obs.status.value == "timeout" and obs.value is None
        assert 1.0 <= elapsed < 2.0
        assert not os.path.exists(f"/proc/{pid}") or _is_zombie_free(pid)
        after = sup.run(Task("mlp 2,2,1 x^2", seed=1))  # a fresh child serves the next task
    assert first.status.value == after.status.value == "certified"
    assert first.value == after.value == 3  # the ambient dimension C(3, 2) of binary quadrics


def test_time_limit_starts_when_the_task_starts():
    # a limit far below the child's start-up (interpreter, imports, warm-up): tasks of a few
    # milliseconds must still finish, in one child that is never restarted
    limit = 0.1
    tasks = [Task(f"mlp 2,{w},1 x^2", seed=w, time_limit=limit) for w in range(1, 9)]
    with Supervisor() as sup:
        obs = [sup.run(t) for t in tasks]
        assert sup.startup_seconds > limit  # the premise: start-up alone exceeds the limit
        assert sup.n_started == 1  # no restart for tasks that finish
    assert [o.status.value for o in obs] == ["certified"] * len(tasks)
    assert max(o.seconds for o in obs) < limit / 2  # measured in the child: well under


def test_a_task_over_the_limit_is_a_timeout_on_a_fresh_child():
    with Supervisor() as sup:
        t0 = time.monotonic()
        obs = sup.run(Task(SLOW, seed=1, time_limit=0.5))
        elapsed = time.monotonic() - t0
        startup = sup.startup_seconds
    assert obs.status.value == "timeout" and obs.detail == {"time_limit": 0.5}
    assert 0.5 <= obs.seconds < 1.0  # counted from the hand-over, not from the start-up
    assert elapsed >= startup + 0.5


def test_pool_sweep_under_a_limit_below_the_start_up(tmp_path):
    from neuroalg.atlas.store import Store
    from neuroalg.atlas.sweep import sweep

    labels = [f"mlp 2,{a},{b},1 x^2" for a in (1, 2, 3) for b in (1, 2, 3)]
    with Store(tmp_path / "a.sqlite") as s:
        res = sweep("tiny", s, labels=labels, time_limit=0.1, backend="pool", workers=2)
        obs = s.observations()
    assert dict(res.by_status) == {"certified": 9}
    assert all(o.seconds < 0.05 for o in obs), max((o.seconds, o.label) for o in obs)


def _is_zombie_free(pid):
    with open(f"/proc/{pid}/status") as f:
        return "State:\tZ" not in f.read()


def test_over_budget_is_skipped_with_the_prediction():
    (task,) = make_tasks(["mlp 3,80,80,80,80,3 x^6"], memory_limit=2**30)
    # 19,680 parameters, 320 rescaling fields, ambient 3 C(1298, 2): a 19,680 x 320 field
    # matrix and a (19,360 + 2) x 19,680 Jacobian, 21 and 8 bytes an entry, over 72 MiB
    assert task.predicted_memory == 72 * 2**20 + 8 * 19362 * 19680 + 21 * 19680 * 320
    with Supervisor() as sup:
        obs = sup.run(task)
        assert sup.n_started == 0  # never started a process for it
    assert obs.status.value == "skipped_budget"
    assert obs.detail["predicted_memory"] == task.predicted_memory > obs.detail["memory_limit"]


def test_memory_limit_at_run_time_fails_the_task_not_the_worker():
    with Supervisor() as sup:
        obs = sup.run(Task(SLOW, seed=1, memory_limit=50 * 2**20, time_limit=30))
        assert obs.status.value == "failed" and "memory" in obs.detail["error"].lower()
        ok = sup.run(Task("mlp 2,3,1 x^2", seed=2))
    assert ok.value == 3 and ok.peak_memory > 0


def test_task_seed_depends_on_label_and_seed_only():
    a = task_seed(0, "mlp 2,3,1 x^2")
    assert a == task_seed(0, "mlp 2,3,1 x^2") and 0 <= a < 2**63
    assert len({a, task_seed(1, "mlp 2,3,1 x^2"), task_seed(0, "mlp 2,2,1 x^2")}) == 3


@pytest.mark.parametrize("seed", [0, 3])
def test_results_reproduce_with_the_recorded_seed(seed):
    from neuroalg import dimension

    (task,) = make_tasks(["mlp 2,3,3,1 x^2"], seed=seed)
    with Supervisor() as sup:
        obs = sup.run(task)
    direct = dimension("mlp 2,3,3,1 x^2", seed=obs.seed)
    assert (obs.value, obs.lower, obs.upper, obs.primes) == (
        direct.dimension, direct.lower, direct.upper, direct.primes)
