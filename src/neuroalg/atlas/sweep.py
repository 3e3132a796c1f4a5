"""Sweeps: compute an invariant for every architecture of a region, resumably.

:func:`sweep` lists the region's labels, drops those whose observation (same invariant, method,
library version and per-task seed) is already in the store, records tasks predicted over the
memory budget as ``skipped_budget``, runs the rest on a backend (longest predicted first) and
stores each observation as soon as its task finishes (one ``BEGIN IMMEDIATE`` transaction
each, whatever the backend). Killed at any point (even ``kill -9``), it loses at most the tasks
that were running; run again with the same arguments, it recomputes only what is missing.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from typing import ClassVar, cast

from .._version import __version__
from ..errors import SpecError
from ..progress import progress_bar
from ..random import check_seed
from ..results import Certainty, Result
from .backends import default_workers, run_tasks
from .observation import Status, weakest
from .plan import Plan, default_memory_limit, make_tasks, predict_search
from .region import parse_region
from .tasks import METHODS, is_over_budget, skipped


@dataclass(frozen=True)
class SweepResult(Result):
    """What a sweep did: architectures in the region, already stored, newly stored by status."""

    region: str
    n_architectures: int
    n_already: int
    n_new: int
    by_status: tuple[tuple[str, int], ...]
    backend: str
    workers: int
    seed: int
    seconds: float

    headline_key: ClassVar[str] = "n_new"
    method_name: ClassVar[str] = "atlas sweep (dimension of every architecture of a region)"

    @property
    def status(self) -> Certainty:
        """The least sure status among the observations this sweep stored."""
        return weakest(s for s, n in self.by_status if n)

    @property
    def spec(self) -> str:
        return self.region

    @property
    def rate(self) -> float:
        """Architectures computed per second."""
        return self.n_new / self.seconds if self.seconds > 0 else 0.0

    def headline(self) -> str:
        return (f"sweep of {self.n_architectures} architectures: {self.n_new} new, "
                f"{self.n_already} already in the store")

    def lines(self) -> list[tuple[str, str]]:
        rows = [("region", self.region)]
        rows += [(k, str(v)) for k, v in self.by_status]
        rows += [("backend", f"{self.backend} ({self.workers} workers)"), ("seed", str(self.seed)),
                 ("time", f"{self.seconds:.2f} s ({self.rate:.1f} architectures/s)")]
        return rows

    def __str__(self) -> str:
        return "\n".join([self.headline()] + [f"  {k:<14} {v}" for k, v in self.lines()])

    def __rich__(self):
        from rich.table import Table

        t = Table(title=self.headline(), title_justify="left", show_header=False, box=None)
        t.add_column(style="cyan")
        t.add_column()
        for k, v in self.lines():
            t.add_row(k, v)
        return t

    def payload(self) -> dict:
        return dict(region=self.region, n_architectures=self.n_architectures,
                    n_already=self.n_already, n_new=self.n_new, by_status=dict(self.by_status),
                    backend=self.backend, workers=self.workers, rate=self.rate)


def sweep(region, store, *, seed: int = 0, method: str = "exact", backend: str = "pool",
          workers: int | None = None, scheduler: str | None = None,
          time_limit: float | None = 600.0, memory_limit: int | None = None,
          retry: bool = False, labels=None, dry_run: bool = False,
          show_progress: bool = False) -> SweepResult | Plan:
    """Compute the dimension of every architecture of ``region`` into ``store``.

    Parameters
    ----------
    region : str or Region
        See :mod:`neuroalg.atlas.region` (``"mlp d0=2 dL=1 depth<=5 width<=6 r=2"``).
    store : Store
    seed : int, default=0
        Sweep seed; task seeds are derived from it and the label (recorded per observation).
    method : {"exact", "numerical"}
    backend : {"serial", "pool", "dask"}, default="pool"
    workers : int or None
        Worker processes (default: the usable cores).
    scheduler : str or None
        Address of a running Dask scheduler (backend "dask"); None starts a LocalCluster.
    time_limit : float or None, default=600
        Hard limit in seconds per task (timeout recorded when it passes).
    memory_limit : int or None
        Memory budget per task in bytes (default: half the RAM shared among the workers).
    retry : bool, default=False
        Also rerun tasks stored as timeout, skipped_budget or failed (replacing them).
    labels : iterable of str or None
        Compute these labels instead of the region's (the region then only names the sweep).
    dry_run : bool, default=False
        Compute nothing; return the :class:`~neuroalg.atlas.plan.Plan`.
    """
    if method not in METHODS:
        raise SpecError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    checked, _ = check_seed(seed)
    if checked is None:
        raise SpecError("a sweep needs an integer seed (so that it can be resumed)")
    seed = checked
    if time_limit is not None and time_limit <= 0:
        raise SpecError(f"time limit must be positive; got {time_limit}")
    t0 = time.perf_counter()
    region = parse_region(region) if labels is None else region
    labels = tuple(region.labels()) if labels is None else tuple(labels)
    workers = 1 if backend == "serial" else (workers or default_workers())
    if memory_limit is None:
        memory_limit = default_memory_limit(workers)
    tasks = make_tasks(labels, seed=seed, method=method, time_limit=time_limit,
                       memory_limit=memory_limit)
    done = store.done("dimension", method, __version__, retry=retry)
    todo = [t for t in tasks if (t.label, t.seed) not in done]
    over = [t for t in todo if is_over_budget(t)]
    # longest predicted first (balances the workers; results do not depend on the order)
    todo = sorted((t for t in todo if not is_over_budget(t)),
                  key=lambda t: (-(t.predicted_seconds or 0.0), t.label))
    if dry_run:
        heavy = sorted(todo + over, key=lambda t: (-(t.predicted_seconds or 0.0), t.label))[:5]
        # make_tasks gives every task its predicted seconds and memory
        return Plan(region=str(region), n_architectures=len(labels),
                    n_already=len(tasks) - len(todo) - len(over), n_over_budget=len(over),
                    n_to_run=len(todo), predicted_seconds=sum(cast(float, t.predicted_seconds) for t in todo),
                    search_seconds=sum(predict_search(t.label) for t in todo),
                    workers=workers, memory_limit=memory_limit,
                    heaviest=tuple((t.label, cast(float, t.predicted_seconds), cast(int, t.predicted_memory))
                                   for t in heavy),
                    calibration=store.ratios(method=method)[0])
    counts: Counter = Counter()
    n_new = store.add([skipped(t) for t in over], replace_retryable=retry)
    counts.update(Status.SKIPPED_BUDGET.value for _ in over)
    with progress_bar(len(todo), f"atlas {backend}", enabled=show_progress) as advance:
        with closing(run_tasks(todo, backend=backend, workers=workers,
                               scheduler=scheduler)) as results:
            for obs in results:
                n_new += store.add([obs], replace_retryable=retry)  # stored as it finishes
                counts[obs.status.value] += 1
                advance()
    order = [s.value for s in Status]
    return SweepResult(region=str(region), n_architectures=len(labels),
                       n_already=len(tasks) - len(todo) - len(over), n_new=n_new,
                       by_status=tuple((s, counts[s]) for s in order if counts[s]),
                       backend=backend, workers=workers, seed=seed,
                       seconds=time.perf_counter() - t0)
