"""Backends: the same observations whatever runs them, and bad options refused."""

import pytest

from neuroalg.atlas.backends import default_workers, run_tasks
from neuroalg.atlas.tasks import Task
from neuroalg.errors import SpecError

# binary quadrics: (2, 1, 1) x^2 gives the squares of linear forms (dimension 2), wider
# networks fill the 3-dimensional ambient space
TASKS = [Task("mlp 2,1,1 x^2", seed=1), Task("mlp 2,2,1 x^2", seed=2), Task("mlp 2,3,1 x^2", seed=3)]
WANT = {"mlp 2,1,1 x^2": 2, "mlp 2,2,1 x^2": 3, "mlp 2,3,1 x^2": 3}


def _values(obs):
    return {o.label: (o.value, o.status.value, o.seed) for o in obs}


def test_serial_and_pool_give_the_closed_form_values():
    serial = _values(run_tasks(TASKS, backend="serial"))
    pool = _values(run_tasks(TASKS, backend="pool", workers=2))
    assert serial == pool
    assert {k: v[0] for k, v in serial.items()} == WANT
    assert {v[1] for v in serial.values()} == {"certified"}


def test_bad_backend_and_workers():
    with pytest.raises(SpecError, match="unknown backend 'gpu'; allowed: serial, pool, dask"):
        list(run_tasks(TASKS, backend="gpu"))
    with pytest.raises(SpecError, match="workers must be a positive integer"):
        list(run_tasks(TASKS, backend="serial", workers=-1))
    assert list(run_tasks([], backend="pool")) == []
    assert default_workers() >= 1
