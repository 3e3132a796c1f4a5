"""The measurement protocol shared by the benchmarks.

This machine is shared and loaded, so a time means little alone: ours and the peer run
interleaved (ours, peer, ours, peer, ...) in the same process, at least 3 times each, and only
ratios from the same run are reported, of the minima (the least disturbed runs) and of the
medians. Every record carries CPU seconds (user + system of this process, all threads) and wall
seconds, the load average at the start and the end, and the BLAS thread count.

Import this module before numpy with ``single_thread_blas()`` called first when BLAS must run
on one thread (``benchmarks/dimension.py``: ours and one float64 LU on equal terms).
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

_BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_thread_blas() -> None:
    """Ask every BLAS for one thread (effective only before numpy is imported)."""
    assert "numpy" not in sys.modules, "call single_thread_blas() before importing numpy"
    for name in _BLAS_ENV:
        os.environ[name] = "1"


def blas_threads() -> list[dict]:
    """The BLAS libraries loaded and their thread counts (threadpoolctl when installed)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"env": {k: os.environ.get(k) for k in _BLAS_ENV}}]
    return [{"library": i.get("internal_api"), "num_threads": i.get("num_threads")}
            for i in threadpool_info() if i.get("user_api") == "blas"]


def load() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def environment() -> dict:
    import numpy as np

    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": platform.machine(), "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "blas": blas_threads(), "load_average_start": load()}


def timed(fn: Callable) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one call; its result is dropped."""
    c, w = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - c, time.perf_counter() - w


def interleave(runs: dict[str, Callable], repeats: int = 3) -> dict:
    """Run every entry of ``runs`` once per round, ``repeats`` rounds; return per entry its CPU
    and wall seconds (lists, min, median) and the load average around it. Results are dropped
    at once (an LU of P = 20,000 is 3 GiB): the callables keep what they need."""
    rec: dict[str, dict] = {name: {"cpu": [], "wall": []} for name in runs}
    start = load()
    for _ in range(repeats):
        for name, fn in runs.items():
            cpu, wall = timed(fn)
            rec[name]["cpu"].append(round(cpu, 5))
            rec[name]["wall"].append(round(wall, 5))
    for r in rec.values():
        for kind in ("cpu", "wall"):
            r[f"{kind}_min"] = min(r[kind])
            r[f"{kind}_median"] = statistics.median(r[kind])
    rec["load_average"] = {"start": start, "end": load()}
    return rec


def ratio(rec: dict, slow: str, fast: str) -> dict:
    """``slow / fast`` time ratios of two entries of one :func:`interleave` run."""
    return {k: round(rec[slow][k] / rec[fast][k], 3) if rec[fast][k] > 0 else None
            for k in ("cpu_min", "cpu_median", "wall_min", "wall_median")}
