"""Checkpoints of a long monodromy run: the solutions found so far, to resume from.

The file is JSON: ``problem`` (spec, metric, seed and a fingerprint of the square system and its
base parameters: a SHA-256 of their binary values), ``loops``, ``history`` and ``solutions``
(each coordinate as [re, im]). A run with the same spec, metric and seed rebuilds the same system
(every random choice flows from the seed), checks the fingerprint and continues the monodromy
from the stored solutions; a file written for another problem is refused, never mixed in.
The file is replaced atomically after every round (write to ``FILE.tmp``, then rename).
:func:`check_checkpoint_path` writes that ``FILE.tmp`` once before any work, so a location that
cannot be written fails at once, not after the first round.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import SpecError
from ...options import check_keys, check_output_path, load_json

KEYS = ("problem", "loops", "history", "solutions")


def fingerprint(*arrays) -> str:
    """SHA-256 of the binary values of ``arrays`` (the system's coefficients, the base point)."""
    digest = hashlib.sha256()
    for a in arrays:
        digest.update(np.ascontiguousarray(a).tobytes())
    return digest.hexdigest()


def stored_seed(path) -> int | None:
    """The seed recorded in an existing checkpoint (None when there is no file yet)."""
    if path is None or not Path(path).exists():
        return None
    data = check_keys(load_json(path, "--checkpoint"), "--checkpoint", required=KEYS)
    seed = data["problem"].get("seed") if isinstance(data["problem"], dict) else None
    if not isinstance(seed, int) or seed < 0:
        raise SpecError("--checkpoint: the file records no seed; it was not written by critical")
    return seed


def _temporary(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


def _cannot_write(path: Path, exc: OSError) -> SpecError:
    why = exc.strerror or type(exc).__name__
    where = "" if exc.filename in (None, str(path)) else f" ('{exc.filename}')"
    return SpecError(f"--checkpoint: cannot write '{path}': {why}{where}")


def check_checkpoint_path(path) -> Path:
    """A checkpoint file that can be written: :func:`~neuroalg.options.check_output_path`, then
    its ``FILE.tmp`` is created and removed (as the run will write it), so that file systems
    ``os.access`` misjudges (``/sys`` and ``/proc`` for root, read-only mounts) fail before any
    work with a message naming ``--checkpoint`` and the file."""
    p = check_output_path(path, "--checkpoint")
    tmp = _temporary(p)
    existed = tmp.exists()
    try:
        with open(tmp, "a"):
            pass
        if not existed:
            tmp.unlink()
    except OSError as exc:
        raise _cannot_write(p, exc) from None
    return p


@dataclass(frozen=True)
class Checkpoint:
    path: Path
    problem: dict  # spec, metric, seed, fingerprint

    @classmethod
    def open(cls, path, problem: dict) -> "Checkpoint":
        return cls(check_checkpoint_path(path), dict(problem))

    def load(self):
        """(solutions (K, n), loops, history) stored for this problem, or None without a file."""
        if not self.path.exists():
            return None
        data = check_keys(load_json(self.path, "--checkpoint"), "--checkpoint", required=KEYS)
        if data["problem"] != self.problem:
            differ = sorted(k for k in set(data["problem"]) | set(self.problem)
                            if data["problem"].get(k) != self.problem.get(k))
            raise SpecError(f"--checkpoint: '{self.path}' belongs to another problem ({', '.join(differ)} "
                            "differ); give another file or the same spec, metric and seed")
        try:
            sols = np.array([[complex(re, im) for re, im in row] for row in data["solutions"]],
                            dtype=np.complex128)
            history = tuple(int(h) for h in data["history"])
            loops = int(data["loops"])
        except (TypeError, ValueError):
            raise SpecError(f"--checkpoint: '{self.path}' is damaged (solutions must be lists "
                            "of [re, im] pairs)") from None
        if not len(sols):
            return None
        return sols, loops, history

    def save(self, solutions, loops: int, history) -> None:
        data = {"problem": self.problem, "loops": int(loops), "history": [int(h) for h in history],
                "solutions": [[[float(v.real), float(v.imag)] for v in row] for row in solutions]}
        tmp = _temporary(self.path)
        try:
            tmp.write_text(json.dumps(data, allow_nan=False))
            os.replace(tmp, self.path)
        except OSError as exc:  # e.g. the disk filled up during the run
            raise _cannot_write(self.path, exc) from None
