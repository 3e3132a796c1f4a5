"""Import of reference result tables: the minimal-filling-architecture CSV files of Dao and
Rodriguez (columns h, exponent, architecture, num_parameters, dimension_computed,
ambient_dimension, is_full_dimension, is_minimal, is_unimodal, expected_dimension, defect).

Each row becomes an observation of the monomial MLP ``mlp d0,...,dL x^r`` with method
``reference:mfa_pnns``, version ``external`` and no seed (the tables record none), and ``source``
the file name. ``dimension_computed`` is the rank of a Jacobian over a finite field, a proven
lower bound if the computation was right: a row whose value reaches the ambient dimension is
stored as ``certified`` (lower = upper = ambient), the others as ``monte_carlo`` (lower bound
only, no error bound known). Integers written as floats ("3.0") are read as integers; a
non-numeric value ("Timeout") is stored as ``timeout`` or ``failed``. The table's other columns
are kept in ``detail``; where its parameter count or ambient dimension disagrees with neuroalg's,
the row is reported in the result (and still imported).

References: K. Dao, J. I. Rodriguez, Minimal filling architectures of polynomial neural networks,
arXiv 2605.09609; data: github.com/daokevin06/MFA_PNNs, data/processed/*_cleaned_architectures.csv.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from typing import Any, ClassVar

from ..errors import SpecError
from ..results import Certainty, Result
from .labels import describe, label
from .observation import Observation, Status, weakest

METHOD = "reference:mfa_pnns"
VERSION = "external"


@dataclass(frozen=True)
class ImportResult(Result):
    """Rows read, observations stored, rows skipped and disagreements in the table's columns."""

    files: tuple[str, ...]
    n_rows: int
    n_new: int
    by_status: tuple[tuple[str, int], ...]
    bad_rows: tuple[str, ...]
    mismatches: tuple[str, ...]
    #: rows repeating an architecture already read, and those among them with another value
    n_duplicates: int = 0
    conflicts: tuple[str, ...] = ()

    headline_key: ClassVar[str] = "n_new"
    method_name: ClassVar[str] = METHOD

    @property
    def status(self) -> Certainty:
        """The least sure status among the imported observations."""
        return weakest(s for s, n in self.by_status if n)

    def headline(self) -> str:
        return (f"imported {self.n_rows} rows from {len(self.files)} file"
                f"{'s' if len(self.files) != 1 else ''}: {self.n_new} new observations")

    def __str__(self) -> str:
        lines = [self.headline()] + [f"  {k:<14} {v}" for k, v in self.by_status]
        lines += [f"  unreadable: {b}" for b in self.bad_rows[:20]]
        lines += [f"  mismatch: {m}" for m in self.mismatches[:20]]
        lines.append(f"  duplicates     {self.n_duplicates} rows ({len(self.conflicts)} with another value)")
        lines += [f"  conflict: {c}" for c in self.conflicts[:20]]
        return "\n".join(lines)

    def __rich__(self):
        return str(self)

    def payload(self) -> dict:
        return dict(files=list(self.files), n_rows=self.n_rows, n_new=self.n_new,
                    by_status=dict(self.by_status), bad_rows=list(self.bad_rows),
                    mismatches=list(self.mismatches), n_duplicates=self.n_duplicates,
                    conflicts=list(self.conflicts))


def _int(text: str | None) -> int | None:
    """An integer written as '3' or '3.0'; None if not an integer."""
    if text is None:  # a missing column
        return None
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return int(v) if v == int(v) else None


def read_rows(path) -> list[tuple[str, dict]]:
    """``(label, row)`` for each row of a reference CSV file."""
    out = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            widths = [w.strip() for w in row["architecture"].strip().strip("[]").split(",")]
            r = _int(row["exponent"])
            if r is None or not all(w.isdigit() for w in widths):
                raise SpecError(f"{path}: bad row {row}: architecture or exponent unreadable")
            out.append((label(f"mlp {','.join(widths)} x^{r}"), row))
    return out


def observation_of(lab: str, row: dict, source: str) -> tuple[Observation, str | None]:
    """The observation of one row and, if any, a note on disagreeing columns."""
    d = describe(lab)
    value = _int(row["dimension_computed"])
    detail = {k: row[k] for k in ("h", "num_parameters", "ambient_dimension", "is_full_dimension",
                                  "is_minimal", "is_unimodal", "expected_dimension", "defect")
              if k in row}
    note = None
    if _int(row.get("num_parameters")) not in (None, d["n_params"]) or \
            _int(row.get("ambient_dimension")) not in (None, d["ambient"]):
        note = (f"{lab}: table has {row.get('num_parameters')} parameters, ambient "
                f"{row.get('ambient_dimension')}; neuroalg {d['n_params']}, {d['ambient']}")
    common: dict[str, Any] = dict(label=lab, invariant="dimension", method=METHOD, version=VERSION,
                                  seed=None, source=source, detail=detail)
    raw = row["dimension_computed"].strip()
    if value is None:
        status = Status.TIMEOUT if "timeout" in raw.lower() else Status.FAILED
        return Observation(status=status, detail=dict(detail, raw=raw), **{
            k: v for k, v in common.items() if k != "detail"}), note
    if value == d["ambient"]:
        return Observation(status=Status.CERTIFIED, value=value, lower=value, upper=value,
                           **common), note
    return Observation(status=Status.MONTE_CARLO, value=value, lower=value, upper=None,
                       **common), note


def import_csv(paths, store) -> ImportResult:
    """Import reference CSV files into ``store`` (idempotent: a row already stored is kept)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [os.fspath(p) for p in paths]
    obs, bad, notes, conflicts = [], [], [], []
    n_rows, n_dup = 0, 0
    first: dict[str, str] = {}  # label -> its first dimension_computed
    for path in paths:
        if not os.path.isfile(path):
            raise SpecError(f"no such file: {path}")
        source = "mfa_pnns/" + os.path.basename(path)
        for lab, row in read_rows(path):
            n_rows += 1
            o, note = observation_of(lab, row, source)
            if lab in first:
                n_dup += 1
                a, b = _int(first[lab]), _int(row["dimension_computed"])
                if a != b or (a is None and first[lab].strip() != row["dimension_computed"].strip()):
                    conflicts.append(f"{lab}: {first[lab]} and {row['dimension_computed']}")
                continue
            first[lab] = row["dimension_computed"]
            obs.append(o)
            if note:
                notes.append(note)
            if o.status in (Status.FAILED, Status.TIMEOUT):
                bad.append(f"{lab}: dimension_computed={row['dimension_computed']!r}")
    n_new = 0
    for i in range(0, len(obs), 5000):
        n_new += store.add(obs[i:i + 5000])
    counts: dict[str, int] = {}
    for o in obs:  # distinct architectures
        counts[o.status.value] = counts.get(o.status.value, 0) + 1
    order = [s.value for s in Status]
    return ImportResult(files=tuple(paths), n_rows=n_rows, n_new=n_new,
                        by_status=tuple((s, counts[s]) for s in order if s in counts),
                        bad_rows=tuple(bad), mismatches=tuple(notes), n_duplicates=n_dup,
                        conflicts=tuple(conflicts))
