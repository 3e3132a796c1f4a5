"""How well the predictions of :mod:`neuroalg.atlas.plan` match what the tasks measured.

Every computed observation records its predicted seconds and memory beside the measured ones
(:attr:`~neuroalg.atlas.observation.Observation.time_ratio` and ``memory_ratio``: measured over
predicted). :class:`Ratios` summarizes such ratios over many tasks; ``atlas status``, the HTML
report (with timings) and ``atlas run --dry-run`` show them.

The summary has the median and the 10th and 90th percentiles of the per-task ratios (how far a
single task may be off) and the ratio of the totals (sum measured over sum predicted: how far the
time of a whole sweep is off, dominated by its longest tasks). A dry run multiplies its predicted
total by the stored total ratio when enough tasks were measured (:data:`MIN_TASKS`).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Measured tasks needed before a stored ratio corrects a dry run's prediction.
MIN_TASKS = 20


@dataclass(frozen=True)
class Ratios:
    """Measured over predicted, over ``n`` tasks (None when there are none).

    Attributes
    ----------
    what : str
        "time" or "memory".
    n : int
        Tasks with both a measurement and a prediction.
    median, low, high : float or None
        Median, 10th and 90th percentile of the per-task ratios.
    total : float or None
        Sum of the measured values over the sum of the predicted ones.
    """

    what: str
    n: int
    median: float | None = None
    low: float | None = None
    high: float | None = None
    total: float | None = None

    def __str__(self) -> str:
        if not self.n:
            return f"{self.what} measured/predicted: no task measured yet"
        return (f"{self.what} measured/predicted: median {self.median:.2g}x (10%-90%: "
                f"{self.low:.2g}x-{self.high:.2g}x), total {self.total:.2g}x, "
                f"{self.n} task{'s' if self.n != 1 else ''}")

    def to_dict(self) -> dict:
        return dict(what=self.what, n=self.n, median=self.median, low=self.low, high=self.high,
                    total=self.total)


def ratios(what: str, pairs) -> Ratios:
    """:class:`Ratios` of ``(measured, predicted)`` pairs; pairs with a missing or non-positive
    value are left out.

    >>> print(ratios("time", [(2.0, 1.0), (1.0, 1.0), (0.5, 1.0)]))
    time measured/predicted: median 1x (10%-90%: 0.6x-1.8x), total 1.2x, 3 tasks
    """
    pairs = [(float(m), float(p)) for m, p in pairs if m is not None and p and p > 0 and m > 0]
    if not pairs:
        return Ratios(what, 0)
    xs = sorted(m / p for m, p in pairs)
    return Ratios(what, len(xs), median=_quantile(xs, 0.5), low=_quantile(xs, 0.1),
                  high=_quantile(xs, 0.9),
                  total=sum(m for m, _ in pairs) / sum(p for _, p in pairs))


def _quantile(xs: list[float], q: float) -> float:
    """The ``q`` quantile of the sorted ``xs`` (linear interpolation)."""
    pos = q * (len(xs) - 1)
    i = int(pos)
    j = min(i + 1, len(xs) - 1)
    return xs[i] + (xs[j] - xs[i]) * (pos - i)
