"""Queries: the stored observations of a region, filtered by status, method or filling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..results import Certainty, Result
from .export import rows as export_rows
from .observation import weakest


@dataclass(frozen=True)
class QueryResult(Result):
    """Observations matching a query (export rows without timings)."""

    query: str
    rows: tuple[dict, ...]

    headline_key: ClassVar[str] = "n_rows"
    method_name: ClassVar[str] = "atlas query"

    @property
    def status(self) -> Certainty:
        """The least sure status among the observations returned."""
        return weakest(r["status"] for r in self.rows)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def headline(self) -> str:
        return f"{self.n_rows} observation{'s' if self.n_rows != 1 else ''} ({self.query})"

    def __str__(self) -> str:
        lines = [self.headline()]
        for r in self.rows:
            lines.append(f"  {r['label']:<32} {r['status']:<14} {_val(r)}  ambient {r['ambient']}  "
                         f"{r['method']}")
        return "\n".join(lines)

    def __rich__(self):
        from rich.table import Table

        t = Table(title=self.headline(), title_justify="left")
        for c in ("architecture", "#params", "ambient", "expected", "dimension", "status", "method"):
            t.add_column(c, justify="left" if c in ("architecture", "status", "method") else "right")
        for r in self.rows:
            t.add_row(r["label"], str(r["n_params"]), str(r["ambient"]), str(r["expected"]),
                      _val(r), r["status"], r["method"])
        return t

    def payload(self) -> dict:
        return dict(query=self.query, n_rows=self.n_rows, rows=list(self.rows))


def _val(r) -> str:
    if r["value"] is not None and r["lower"] == r["upper"] == r["value"]:
        return str(r["value"])
    if r["value"] is not None:
        return f"{r['value']} in [{r['lower']}, {r['upper']}]"
    if r["upper"] is not None:
        return f"<= {r['upper']}"
    return "-"


def is_filling(row) -> bool | None:
    """True if proven filling (lower bound = ambient), False if the value or an upper bound is
    below the ambient dimension, None if unknown."""
    amb = row["ambient"]
    if amb is None:
        return None
    if row["lower"] is not None and row["lower"] >= amb:
        return True
    if row["value"] is not None and row["value"] < amb:
        return False
    if row["upper"] is not None and row["upper"] < amb:
        return False
    return None


def query(store, region=None, *, status: str | None = None, method: str | None = None,
          filling: bool | None = None, limit: int | None = None) -> QueryResult:
    """Observations of ``region`` (all if None) with the given status/method/filling."""
    out = []
    for r in export_rows(store, region=region):
        if status is not None and r["status"] != status:
            continue
        if method is not None and r["method"] != method:
            continue
        if filling is not None and is_filling(r) is not filling:
            continue
        out.append(r)
        if limit is not None and len(out) >= limit:
            break
    desc = [str(region) if region is not None else "all"]
    desc += [f"{k}={v}" for k, v in (("status", status), ("method", method), ("filling", filling))
             if v is not None]
    return QueryResult(query=", ".join(desc), rows=tuple(out))


@dataclass(frozen=True)
class Comparison(Result):
    """Architectures observed by two methods: how many agree, and each disagreement with the
    evidence of both sides."""

    method: str
    other: str
    n_common: int
    n_agree: int
    disagreements: tuple[dict, ...]

    headline_key: ClassVar[str] = "n_disagree"
    method_name: ClassVar[str] = "atlas comparison of two methods"

    @property
    def status(self) -> Certainty:
        """The least sure status among the compared observations."""
        return weakest(d[side]["status"] for d in self.disagreements for side in ("a", "b"))

    def headline(self) -> str:
        return (f"{self.method} vs {self.other}: {self.n_common} architectures in common, "
                f"{self.n_agree} agree, {len(self.disagreements)} disagree")

    def __str__(self) -> str:
        lines = [self.headline()]
        for d in self.disagreements:
            a, b = d["a"], d["b"]
            lines.append(f"  {d['label']}: {a['value']} ({a['status']}, bounds [{a['lower']}, "
                         f"{a['upper']}], seed {a['seed']}, primes {a['primes']}) vs {b['value']} "
                         f"({b['status']}, {b['source']})")
        return "\n".join(lines)

    def __rich__(self):
        return str(self)

    def payload(self) -> dict:
        return dict(method=self.method, other=self.other, n_common=self.n_common,
                    n_agree=self.n_agree, n_disagree=len(self.disagreements),
                    disagreements=list(self.disagreements))


def compare(store, method: str = "exact", other: str = "reference:mfa_pnns", *,
            region=None) -> Comparison:
    """Compare the dimension values of two methods on the architectures both observed (the
    first observation of each label per method, in key order)."""
    first: dict[str, dict] = {}
    second: dict[str, dict] = {}
    for r in export_rows(store, region=region):
        if r["invariant"] != "dimension":
            continue
        if r["method"] == method:
            first.setdefault(r["label"], r)
        elif r["method"] == other:
            second.setdefault(r["label"], r)
    common = sorted(set(first) & set(second))
    dis = tuple(dict(label=lab, a=first[lab], b=second[lab]) for lab in common
                if first[lab]["value"] != second[lab]["value"])
    return Comparison(method=method, other=other, n_common=len(common),
                      n_agree=len(common) - len(dis), disagreements=dis)
