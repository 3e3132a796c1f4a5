"""One stored fact about one architecture: an :class:`Observation` and its :class:`Status`.

An observation is keyed by (label, invariant, method, library version, seed); storing the same key
twice is a no-op (see :mod:`neuroalg.atlas.store`). ``seed`` is ``None`` for observations that used
no randomness (implied, imported, skipped).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field, replace
from typing import Any

from .._version import __version__
from ..results import Certainty


class Status(str, enum.Enum):
    """How an observation was obtained (a closed set).

    certified      : proven value (lower bound == upper bound).
    monte_carlo    : proven lower bound; the value holds except with a small probability
                     (Schwartz–Zippel bound in ``detail['error_bound']``, when known).
    numerical      : floating-point rank read off a singular-value gap; no proof.
    implied        : derived from other observations (``derived_from``), e.g. by monotonicity
                     of the dimension in the widths; the bounds it states are proven if its
                     sources are.
    timeout        : stopped at the per-task time limit; no value.
    skipped_budget : not started: the predicted memory (``detail['predicted_memory']``)
                     exceeds the memory budget; no value.
    failed         : the computation raised or its process died (``detail['error']``).
    """

    CERTIFIED = "certified"
    MONTE_CARLO = "monte_carlo"
    NUMERICAL = "numerical"
    IMPLIED = "implied"
    TIMEOUT = "timeout"
    SKIPPED_BUDGET = "skipped_budget"
    FAILED = "failed"

    @property
    def certainty(self) -> Certainty:
        """The library's :class:`~neuroalg.results.Certainty` of this status: implied values are
        as sure as the numerical ones at worst (their sources may be anything computed);
        timeouts and skips decided nothing."""
        return {Status.CERTIFIED: Certainty.CERTIFIED, Status.MONTE_CARLO: Certainty.MONTE_CARLO,
                Status.NUMERICAL: Certainty.NUMERICAL, Status.IMPLIED: Certainty.NUMERICAL,
                Status.TIMEOUT: Certainty.UNDECIDED, Status.SKIPPED_BUDGET: Certainty.UNDECIDED,
                Status.FAILED: Certainty.FAILED}[self]

    @property
    def has_value(self) -> bool:
        return self in (Status.CERTIFIED, Status.MONTE_CARLO, Status.NUMERICAL, Status.IMPLIED)


#: Statuses that a later run may replace (``retry``): nothing was learned.
RETRYABLE = (Status.TIMEOUT, Status.SKIPPED_BUDGET, Status.FAILED)


@dataclass(frozen=True)
class Observation:
    """The value of one invariant of one architecture, with its provenance.

    ``value`` is the reported value (None if none), ``lower``/``upper`` proven bounds (None if
    unknown), ``primes`` the primes of the modular ranks, ``seconds`` and ``peak_memory`` (bytes,
    peak resident memory of the computing process) describe the run, ``predicted_seconds`` and
    ``predicted_memory`` are what :func:`neuroalg.atlas.plan.predict` expected before it
    (None when nothing was predicted, e.g. imported or implied observations),
    ``derived_from`` lists the labels an implied value rests on, ``detail`` holds
    family-specific evidence (JSON-ready).
    """

    label: str
    invariant: str
    method: str
    status: Status
    value: int | None = None
    lower: int | None = None
    upper: int | None = None
    seed: int | None = None
    primes: tuple[int, ...] = ()
    seconds: float | None = None
    peak_memory: int | None = None
    predicted_seconds: float | None = None
    predicted_memory: int | None = None
    derived_from: tuple[str, ...] = ()
    source: str = "neuroalg"
    version: str = __version__
    detail: dict = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "status", Status(self.status))
        object.__setattr__(self, "primes", tuple(int(p) for p in self.primes))
        object.__setattr__(self, "derived_from", tuple(self.derived_from))

    @property
    def key(self) -> tuple:
        return (self.label, self.invariant, self.method, self.version, self.seed)

    def headline(self) -> str:
        s = self.status.value
        if self.value is not None:
            bounds = "" if self.lower == self.upper == self.value else f", bounds [{self.lower}, {self.upper}]"
            return f"{self.invariant}({self.label}) = {self.value} ({s}{bounds})"
        return f"{self.invariant}({self.label}): {s}"

    def __str__(self) -> str:
        return self.headline()

    def to_dict(self, *, timings: bool = True) -> dict:
        d: dict[str, Any] = dict(
            label=self.label, invariant=self.invariant, method=self.method,
            version=self.version, seed=self.seed, status=self.status.value, value=self.value,
            lower=self.lower, upper=self.upper, primes=list(self.primes),
            derived_from=list(self.derived_from), source=self.source,
            detail=self.detail)
        if timings:
            d.update(seconds=self.seconds, peak_memory=self.peak_memory,
                     predicted_seconds=self.predicted_seconds,
                     predicted_memory=self.predicted_memory,
                     time_ratio=self.time_ratio, memory_ratio=self.memory_ratio)
        return d

    @property
    def time_ratio(self) -> float | None:
        """Measured over predicted seconds (None unless both are known and positive)."""
        return _ratio(self.seconds, self.predicted_seconds)

    @property
    def memory_ratio(self) -> float | None:
        """Measured peak over predicted memory (None unless both are known and positive)."""
        return _ratio(self.peak_memory, self.predicted_memory)

    @classmethod
    def from_dict(cls, d: dict) -> "Observation":
        """The observation of a :meth:`to_dict` (derived keys such as ratios are ignored)."""
        keys = cls.__dataclass_fields__
        return cls(**{k: v for k, v in d.items() if k in keys})

    def with_(self, **changes) -> "Observation":
        return replace(self, **changes)


def _ratio(measured, predicted) -> float | None:
    if measured is None or not predicted or predicted <= 0:
        return None
    return measured / predicted


def dumps(obj) -> str:
    """Canonical JSON (sorted keys, no spaces): byte-identical for equal data."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))


def weakest(statuses) -> Certainty:
    """The least sure :class:`~neuroalg.results.Certainty` among atlas statuses (their values or
    :class:`Status` members): the ``status`` of an atlas operation's result (a sweep, a query, an
    import, a store summary). Nothing stored is nothing unsure: ``certified``."""
    order = list(Certainty)
    found = [Status(s).certainty for s in statuses]
    return max(found, key=order.index) if found else Certainty.CERTIFIED
