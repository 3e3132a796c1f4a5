"""Checkpoints: a round trip, atomic replacement, and other problems refused."""

import json
from pathlib import Path

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


def test_unwritable_location_fails_before_any_work(tmp_path, monkeypatch):
    """os.access says yes for root even on /sys or /proc, so the check writes FILE.tmp itself:
    a location where it cannot be created fails at once, naming --checkpoint and the file."""
    from neuroalg.geometry.witness import checkpoint as cp_module
    from neuroalg.geometry.witness.checkpoint import check_checkpoint_path

    monkeypatch.setattr(cp_module.os, "access", lambda *a, **k: True)  # as root sees it
    (tmp_path / "c.json.tmp").mkdir()  # FILE.tmp cannot be written (for root too)
    with pytest.raises(SpecError, match=r"--checkpoint: cannot write '.*c\.json'"):
        check_checkpoint_path(tmp_path / "c.json")
    if Path("/proc/self").is_dir():  # a pseudo file system: no new files, whoever asks
        with pytest.raises(SpecError, match=r"--checkpoint: cannot write '/proc/c\.json'"):
            check_checkpoint_path("/proc/c.json")
    ok = check_checkpoint_path(tmp_path / "d.json")
    assert ok == tmp_path / "d.json" and sorted(p.name for p in tmp_path.iterdir()) == ["c.json.tmp"]


def test_critical_validates_the_checkpoint_before_the_dimension(tmp_path, monkeypatch):
    from neuroalg.geometry.witness import critical

    def no_work(*args, **kwargs):
        raise AssertionError("the run started before the checkpoint was validated")

    monkeypatch.setattr(critical, "generic_dimension", no_work)
    (tmp_path / "c.json.tmp").mkdir()
    with pytest.raises(SpecError, match="--checkpoint: cannot write"):
        critical.critical_points("mlp 2,1,1 x^3", seed=1, checkpoint=tmp_path / "c.json")


def test_a_failed_save_names_the_checkpoint(tmp_path):
    path = tmp_path / "run.json"
    cp = Checkpoint.open(path, PROBLEM)
    (tmp_path / "run.json.tmp").mkdir()  # e.g. the disk filled up after the check
    with pytest.raises(SpecError, match=r"--checkpoint: cannot write '.*run\.json'"):
        cp.save(np.ones((1, 2)), 1, (1,))
