"""Checkpoints: a round trip, atomic replacement, and other problems refused."""

import json

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.geometry.witness.checkpoint import Checkpoint, fingerprint, stored_seed

PROBLEM = {"spec": "linear 2,1,2", "metric": "generic", "seed": 3, "fingerprint": "abc"}


def test_round_trip_and_seed(tmp_path):
    path = tmp_path / "run.json"
    cp = Checkpoint.open(path, PROBLEM)
    assert cp.load() is None and stored_seed(path) is None
    sols = np.array([[1 + 2j, -0.5j], [3.0, 1e-300 + 0j]])
    cp.save(sols, 4, (1, 2, 2, 2))
    loaded, loops, history = cp.load()
    np.testing.assert_array_equal(loaded, sols)
    assert (loops, history) == (4, (1, 2, 2, 2)) and stored_seed(path) == 3
    assert not (tmp_path / "run.json.tmp").exists()  # written aside, then renamed


def test_other_problems_and_damage_are_refused(tmp_path):
    path = tmp_path / "run.json"
    Checkpoint.open(path, PROBLEM).save(np.ones((1, 2)), 1, (1,))
    with pytest.raises(SpecError, match=r"another problem \(metric, seed differ\)"):
        Checkpoint.open(path, {**PROBLEM, "metric": "unit", "seed": 4}).load()
    data = json.loads(path.read_text())
    data["solutions"] = [[1, 2]]
    path.write_text(json.dumps(data))
    with pytest.raises(SpecError, match="damaged"):
        Checkpoint.open(path, PROBLEM).load()


def test_fingerprint_depends_on_every_bit():
    a = np.array([1.0, 2.0])
    assert fingerprint(a) == fingerprint(a.copy()) != fingerprint(np.array([1.0, np.nextafter(2.0, 3)]))
    assert len(fingerprint(a, np.zeros(3))) == 64
