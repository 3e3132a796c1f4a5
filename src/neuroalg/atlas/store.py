"""The results store: an embedded SQLite database of observations.

* WAL journal (readers never block the writer), one writer: workers hand their observations to
  the process that owns the :class:`Store`, which writes them in batched ``BEGIN IMMEDIATE``
  transactions. A batch is all or nothing, so a killed run loses at most the batch in flight.
* Idempotent: an observation is keyed by (label, invariant, method, library version, seed);
  adding an existing key changes nothing, except that ``replace_retryable=True`` lets a value
  replace an earlier timeout, skipped_budget or failed record of the same key.
* Versioned schema: ``PRAGMA user_version`` holds the schema version and :data:`MIGRATIONS`
  upgrades older files step by step (inside one transaction). Version 2 adds the predicted
  seconds and memory of each task beside the measured ones.
* Read-only opening (``Store(path, readonly=True)``, used by status, query, export and report)
  never creates or changes a file: a missing database is an error naming the path, an older
  schema is read as it is (the columns it lacks read as None).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from ..errors import SpecError
from ..results import Certainty, Result
from .calibration import Ratios, ratios
from .labels import describe
from .observation import RETRYABLE, Observation, Status, dumps, weakest

#: Statements taking a schema from version i - 1 to version i.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE architectures (
            label TEXT PRIMARY KEY, family TEXT NOT NULL, widths TEXT, depth INTEGER,
            d0 INTEGER, dL INTEGER, activation TEXT, bias INTEGER NOT NULL,
            n_params INTEGER NOT NULL, ambient INTEGER, expected INTEGER)""",
        """CREATE TABLE observations (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL REFERENCES architectures(label),
            invariant TEXT NOT NULL, method TEXT NOT NULL, version TEXT NOT NULL,
            seed INTEGER NOT NULL,            -- -1: no seed
            status TEXT NOT NULL, value INTEGER, lower INTEGER, upper INTEGER,
            primes TEXT NOT NULL, seconds REAL, peak_memory INTEGER,
            derived_from TEXT NOT NULL, source TEXT NOT NULL, detail TEXT NOT NULL,
            UNIQUE (label, invariant, method, version, seed))""",
        "CREATE INDEX observations_status ON observations(status)",
    ),
    2: (
        "ALTER TABLE observations ADD COLUMN predicted_seconds REAL",
        "ALTER TABLE observations ADD COLUMN predicted_memory INTEGER",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)
_COLUMNS = ("label", "invariant", "method", "version", "seed", "status", "value", "lower", "upper",
            "primes", "seconds", "peak_memory", "derived_from", "source", "detail",
            "predicted_seconds", "predicted_memory")


def _connect(path: str, timeout: float, readonly: bool) -> sqlite3.Connection:
    """Open ``path``; never creates a file when ``readonly``. Errors name the path."""
    if path == ":memory:":
        return sqlite3.connect(path, timeout=timeout, isolation_level=None)
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise SpecError(f"atlas database '{p}' is a folder; give a file name")
    if readonly and not p.exists():
        raise SpecError(f"atlas database '{p}' does not exist")
    if not folder.is_dir():
        raise SpecError(f"atlas database '{p}': folder '{folder}' does not exist; create it first")
    # mode=rw (not ro): an ro connection leaves -wal/-shm files behind; query_only keeps it
    # read-only, and the last connection to close removes them
    uri = p.resolve().as_uri() + ("?mode=rw" if readonly else "?mode=rwc")
    try:
        return sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    except sqlite3.OperationalError as exc:
        raise SpecError(f"cannot open atlas database '{p}' ({exc})") from None


def _row(obs: Observation) -> tuple:
    return (obs.label, obs.invariant, obs.method, obs.version, -1 if obs.seed is None else obs.seed,
            obs.status.value, obs.value, obs.lower, obs.upper, json.dumps(list(obs.primes)),
            obs.seconds, obs.peak_memory, json.dumps(list(obs.derived_from)), obs.source,
            dumps(obs.detail), obs.predicted_seconds, obs.predicted_memory)


def _obs(row) -> Observation:
    d = dict(zip(_COLUMNS, row))
    d["seed"] = None if d["seed"] == -1 else d["seed"]
    d["primes"] = tuple(json.loads(d["primes"]))
    d["derived_from"] = tuple(json.loads(d["derived_from"]))
    d["detail"] = json.loads(d["detail"])
    return Observation(**d)


@dataclass(frozen=True)
class StoreStatus(Result):
    """What a store holds: counts of architectures and observations by status and method, and
    how the measured time and memory of the computed tasks compare with their predictions
    (:class:`~neuroalg.atlas.calibration.Ratios`)."""

    path: str
    schema_version: int
    n_architectures: int
    n_observations: int
    by_status: tuple[tuple[str, int], ...]
    by_method: tuple[tuple[str, int], ...]
    time_ratios: Ratios = field(default_factory=lambda: Ratios("time", 0))
    memory_ratios: Ratios = field(default_factory=lambda: Ratios("memory", 0))
    time_ratios_by_status: tuple[tuple[str, Ratios], ...] = ()

    headline_key: ClassVar[str] = "n_observations"
    method_name: ClassVar[str] = "atlas store summary"

    @property
    def status(self) -> Certainty:
        """The least sure status among the stored observations."""
        return weakest(s for s, n in self.by_status if n)

    def calibration_lines(self) -> list[str]:
        """How the predictions did: time and memory over all computed tasks, time by status."""
        return ([str(self.time_ratios), str(self.memory_ratios)]
                + [f"{st}: {r}" for st, r in self.time_ratios_by_status])

    def headline(self) -> str:
        return (f"atlas {self.path}: {self.n_observations} observations of "
                f"{self.n_architectures} architectures (schema v{self.schema_version})")

    def __str__(self) -> str:
        lines = [self.headline()]
        lines += [f"  {k:<16} {v}" for k, v in self.by_status]
        lines += [f"  method {k}: {v}" for k, v in self.by_method]
        lines += [f"  {x}" for x in self.calibration_lines()]
        return "\n".join(lines)

    def __rich__(self):
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        t = Table(title=self.headline(), title_justify="left", box=None)
        t.add_column("status / method", style="cyan")
        t.add_column("observations", justify="right")
        for k, v in self.by_status:
            t.add_row(k, str(v))
        for k, v in self.by_method:
            t.add_row(f"method {k}", str(v))
        return Group(t, *(Text(x) for x in self.calibration_lines()))

    def payload(self) -> dict:
        return dict(path=self.path, schema_version=self.schema_version,
                    n_architectures=self.n_architectures, n_observations=self.n_observations,
                    by_status=dict(self.by_status), by_method=dict(self.by_method),
                    time_ratios=self.time_ratios.to_dict(),
                    memory_ratios=self.memory_ratios.to_dict(),
                    time_ratios_by_status={st: r.to_dict() for st, r in self.time_ratios_by_status})


class Store:
    """An atlas database file (created and migrated on open, unless ``readonly``).

    Parameters
    ----------
    path : str or os.PathLike
        The SQLite file (``":memory:"`` for a throw-away store).
    timeout : float, default=60
        Seconds to wait for another writer's lock.
    readonly : bool, default=False
        Only read: the file must exist and is neither created, migrated nor written to.

    Raises
    ------
    SpecError
        The file does not exist (``readonly``), its folder does not exist, or it is not an
        atlas database.
    """

    def __init__(self, path, *, timeout: float = 60.0, readonly: bool = False):
        self.path = os.fspath(path)
        self.readonly = readonly
        self._db = _connect(self.path, timeout, readonly)
        try:
            if readonly:
                self._db.execute("PRAGMA query_only=ON")
                self._check_readable()
            else:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute("PRAGMA foreign_keys=ON")
                self.migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise SpecError(f"'{self.path}' is not an atlas database ({exc})") from None
        except BaseException:
            self._db.close()
            raise
        have = {r[1] for r in self._db.execute("PRAGMA table_info(observations)")}
        self._select = ",".join(c if c in have else f"NULL AS {c}" for c in _COLUMNS)

    def _check_readable(self) -> None:
        v = self.schema_version
        if v > SCHEMA_VERSION:
            raise SpecError(f"'{self.path}' has atlas schema v{v}, newer than this neuroalg "
                            f"(v{SCHEMA_VERSION}): upgrade neuroalg")
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if v < 1 or not {"architectures", "observations"} <= tables:
            raise SpecError(f"'{self.path}' is not an atlas database (no atlas tables)")

    # --- schema ------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply the missing migrations in one transaction."""
        if self.schema_version == SCHEMA_VERSION:
            return
        if self.readonly:
            raise SpecError(f"'{self.path}' was opened read-only: it cannot be migrated")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            current = self.schema_version
            if current > SCHEMA_VERSION:
                raise SpecError(f"{self.path} has schema v{current}, newer than this neuroalg "
                                   f"(v{SCHEMA_VERSION}): upgrade neuroalg")
            for v in range(current + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS[v]:
                    self._db.execute(stmt)
                self._db.execute(f"PRAGMA user_version = {v}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- writing -----------------------------------------------------------------------------
    def add(self, observations, *, replace_retryable: bool = False) -> int:
        """Insert observations in one ``BEGIN IMMEDIATE`` transaction; returns how many were new
        (or replaced a retryable record). Existing keys are left alone."""
        if self.readonly:
            raise SpecError(f"'{self.path}' was opened read-only")
        observations = list(observations)
        if not observations:
            return 0
        arch_rows, seen = [], set()
        for o in observations:
            if o.label not in seen:
                seen.add(o.label)
                if self._db.execute("SELECT 1 FROM architectures WHERE label=?", (o.label,)).fetchone() is None:
                    d = describe(o.label)
                    arch_rows.append((d["label"], d["family"], d["widths"], d["depth"], d["d0"],
                                      d["dL"], d["activation"], int(d["bias"]), d["n_params"],
                                      d["ambient"], d["expected"]))
        sql = f"INSERT INTO observations ({','.join(_COLUMNS)}) VALUES ({','.join('?' * len(_COLUMNS))})"
        if replace_retryable:
            sets = ",".join(f"{c}=excluded.{c}" for c in _COLUMNS[5:])
            retry = ",".join(f"'{s.value}'" for s in RETRYABLE)
            sql += (f" ON CONFLICT(label, invariant, method, version, seed) DO UPDATE SET {sets}"
                    f" WHERE observations.status IN ({retry})")
        else:
            sql += " ON CONFLICT DO NOTHING"
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany("INSERT OR IGNORE INTO architectures VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                                 arch_rows)
            before = self._db.total_changes
            self._db.executemany(sql, [_row(o) for o in observations])
            n = self._db.total_changes - before
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return n

    # --- reading -----------------------------------------------------------------------------
    def done(self, invariant: str, method: str, version: str, *, retry: bool = False) -> dict:
        """``{(label, seed): status}`` of the stored observations with this key prefix (without
        the retryable ones if ``retry``)."""
        rows = self._db.execute("SELECT label, seed, status FROM observations WHERE invariant=? "
                                "AND method=? AND version=?", (invariant, method, version))
        skip = {s.value for s in RETRYABLE} if retry else set()
        return {(lab, None if s == -1 else s): st for lab, s, st in rows if st not in skip}

    def get(self, label: str, invariant: str, method: str, version: str,
            seed: int | None) -> Observation | None:
        """The observation with this key, if stored."""
        row = self._db.execute(
            f"SELECT {self._select} FROM observations WHERE label=? AND invariant=? AND "
            "method=? AND version=? AND seed=?",
            (label, invariant, method, version, -1 if seed is None else seed)).fetchone()
        return None if row is None else _obs(row)

    def observations(self, *, labels=None, invariant: str | None = None,
                     status: str | None = None, method: str | None = None) -> list[Observation]:
        """Stored observations, ordered by their key (label, invariant, method, version, seed)."""
        where, args = [], []
        for col, val in (("invariant", invariant), ("status", status), ("method", method)):
            if val is not None:
                where.append(f"{col}=?")
                args.append(val)
        sql = f"SELECT {self._select} FROM observations"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY label, invariant, method, version, seed"
        out = [_obs(r) for r in self._db.execute(sql, args)]
        if labels is not None:
            keep = set(labels)
            out = [o for o in out if o.label in keep]
        return out

    def architectures(self) -> dict[str, dict]:
        """``{label: describe(label)}`` for every architecture with an observation."""
        cols = ("label", "family", "widths", "depth", "d0", "dL", "activation", "bias",
                "n_params", "ambient", "expected")
        out = {}
        for r in self._db.execute(f"SELECT {','.join(cols)} FROM architectures ORDER BY label"):
            d = dict(zip(cols, r))
            d["bias"] = bool(d["bias"])
            out[d["label"]] = d
        return out

    def status(self) -> StoreStatus:
        by_status = Counter(dict(self._db.execute(
            "SELECT status, COUNT(*) FROM observations GROUP BY status")))
        by_method = self._db.execute("SELECT method, COUNT(*) FROM observations GROUP BY method "
                                     "ORDER BY method").fetchall()
        order = [s.value for s in Status]
        time_r, memory_r = self.ratios()
        computed = (Status.CERTIFIED, Status.MONTE_CARLO, Status.NUMERICAL)
        by_st = tuple((st.value, self.ratios(status=st.value)[0]) for st in computed
                      if by_status[st.value])
        return StoreStatus(
            path=self.path, schema_version=self.schema_version,
            n_architectures=self._db.execute("SELECT COUNT(*) FROM architectures").fetchone()[0],
            n_observations=sum(by_status.values()),
            by_status=tuple((s, by_status[s]) for s in order if by_status[s]),
            by_method=tuple((m, n) for m, n in by_method), time_ratios=time_r,
            memory_ratios=memory_r, time_ratios_by_status=by_st)

    def ratios(self, *, method: str | None = None,
               status: str | None = None) -> tuple[Ratios, Ratios]:
        """Measured over predicted time and memory of the finished tasks (those with a value:
        a timeout's time is the limit, not a measurement), optionally of one method or
        status."""
        if "predicted_seconds" not in self._select.split(","):
            return Ratios("time", 0), Ratios("memory", 0)  # an older schema: no predictions
        sql = ("SELECT seconds, predicted_seconds, peak_memory, predicted_memory FROM observations"
               " WHERE predicted_seconds IS NOT NULL AND status IN (?,?,?)")
        args = [Status.CERTIFIED.value, Status.MONTE_CARLO.value, Status.NUMERICAL.value]
        for col, val in (("method", method), ("status", status)):
            if val is not None:
                sql += f" AND {col}=?"
                args.append(val)
        rows = self._db.execute(sql, args).fetchall()
        return (ratios("time", ((r[0], r[1]) for r in rows)),
                ratios("memory", ((r[2], r[3]) for r in rows)))


def open_store(db: str, *, write: bool):
    """The store at ``db`` for a command: ``write`` checks the folder first (the file is created
    if missing); otherwise the file must exist and is only read (never created). Errors are
    :class:`~neuroalg.errors.SpecError` naming ``--db``."""
    from ..options import check_input_path, check_output_path
    from .store import Store

    if write:
        check_output_path(db, "--db")
        return Store(db)
    check_input_path(db, "--db")
    try:
        return Store(db, readonly=True)
    except SpecError as exc:
        raise SpecError(f"--db: {exc}") from None
