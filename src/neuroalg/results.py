"""The result protocol every invariant follows: one status vocabulary, a headline value, provenance.

A result is a frozen dataclass deriving from :class:`Result`. It says

* what it found: :meth:`Result.payload` (its named fields, JSON-ready; the keys users script
  against, such as ``dimension``, ``degree`` or ``n_critical``), and which of them is the
  headline (``headline_key``);
* how sure it is: :attr:`Result.status`, one :class:`Certainty`;
* how it was obtained: ``spec``, ``method``, ``seed``, ``seconds`` and the library ``version``.

``to_dict()`` is the payload plus ``value`` (the headline), ``status`` and the provenance keys
(None where a result has no such field), so every ``--json`` output carries them; ``__str__`` and
``__rich__`` come from ``headline()`` and ``lines()`` (:class:`~neuroalg.report.Report`).
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar

from ._version import __version__
from .report import Report

PROVENANCE = ("spec", "method", "seed", "seconds", "version")


class Certainty(str, enum.Enum):
    """How sure a result is (the ``status`` of every result).

    certified   : proven by the computation (exact arithmetic, a theorem applied to exactly
                  verified data, interval arithmetic); the result says how.
    monte_carlo : proven bounds and a value that holds except with a stated probability
                  (Schwartz–Zippel over random points and primes).
    numerical   : floating point without proof; the result gives its evidence (singular-value
                  gap, residuals, trace test, stagnation of monodromy, confidence bands).
    undecided   : the computation could not decide; what was proven is stated (e.g. bounds).
    failed      : no answer (the method broke down); the result says why.
    """

    CERTIFIED = "certified"
    MONTE_CARLO = "monte_carlo"
    NUMERICAL = "numerical"
    UNDECIDED = "undecided"
    FAILED = "failed"

    def __str__(self) -> str:  # "numerical", not "Certainty.NUMERICAL", in text and f-strings
        return self.value


class Result(Report):
    """Mixin for result dataclasses; subclasses define ``headline_key``, :attr:`status`,
    :meth:`payload`, ``headline()`` and ``lines()``."""

    #: the payload key whose value is the headline number (copied to ``value``)
    headline_key: ClassVar[str] = "value"
    #: how the result is computed, when the result has no ``method`` field of its own
    method_name: ClassVar[str | None] = None

    @property
    def status(self) -> Certainty:
        raise NotImplementedError

    def payload(self) -> dict[str, Any]:
        raise NotImplementedError

    @property
    def value(self) -> Any:
        return self.payload().get(self.headline_key)

    def to_dict(self) -> dict[str, Any]:
        data = self.payload()
        assert "status" not in data and "value" not in data, "reserved keys of the protocol"
        out = {**data, "value": data.get(self.headline_key), "status": self.status.value}
        for key in PROVENANCE:
            if key not in out:
                out[key] = {"version": __version__,
                            "method": getattr(self, "method", None) or self.method_name}.get(
                                key, getattr(self, key, None))
        return out
