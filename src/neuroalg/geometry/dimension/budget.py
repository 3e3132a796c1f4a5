"""Up-front cost estimates: refuse computations that would exceed the machine."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import BudgetError

#: Effective throughput of the modular elimination (flop/s of the equivalent LU), measured by
#: benchmarks/dimension.py on 2 cores: P = 5,000 in ~5 s, P = 20,000 in ~150 s (so ~1.7e10 and
#: ~3.5e10); the estimate uses the slower figure.
FLOPS = 1.5e10
MAX_SECONDS = 3600.0
SMALL = 1 << 28  #: predicted memory below which the available memory is not queried (256 MiB)


def available_memory() -> int:
    """Memory available to a new computation now, in bytes (``psutil``: free plus reclaimable
    caches, what the kernel can hand out without swapping), not the machine's total RAM, which
    other processes may be using."""
    import psutil

    return int(psutil.virtual_memory().available)


@dataclass(frozen=True)
class Estimate:
    """Predicted peak memory (bytes) and time (seconds) of a rank computation."""

    memory: int
    seconds: float

    def __str__(self) -> str:
        return f"~{self.memory / 2**30:.1f} GiB and ~{self.seconds:.0f} s"


def rank_estimate(rows: int, cols: int, trials: int = 1) -> Estimate:
    """Cost of building a rows x cols Jacobian and computing its rank mod p ``trials`` times.

    Memory: the Jacobian (8 bytes an entry, converted to float64 in place for the elimination)
    plus temporaries of a few column blocks: 1.6 * 8 bytes per entry (measured 1.36 at
    P = 20,000). Time: (2/3) n m min(n, m) flops at :data:`FLOPS`, plus building the rows.
    """
    n = max(rows, 0) * max(cols, 0)
    memory = int(1.6 * 8 * n)
    flops = 2 / 3 * rows * cols * min(rows, cols)
    return Estimate(memory, trials * (flops / FLOPS + 2e-7 * n))


def check_budget(what: str, est: Estimate, *, force: bool, memory_limit: int | None = None) -> None:
    """Raise :class:`BudgetError` if ``est`` exceeds the memory limit (default 75% of the
    available memory) or one hour, unless ``force``."""
    if force or (memory_limit is None and est.memory < SMALL and est.seconds < MAX_SECONDS):
        return  # small enough for any machine: no need to ask for the available memory
    limit = memory_limit if memory_limit is not None else int(0.75 * available_memory())
    if est.memory > limit or est.seconds > MAX_SECONDS:
        raise BudgetError(f"{what}: predicted {est}, over the budget ({limit / 2**30:.1f} GiB, "
                          f"{MAX_SECONDS:.0f} s); pass --force (force=True) to run anyway")
