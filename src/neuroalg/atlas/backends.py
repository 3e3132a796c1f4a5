"""Where tasks run: serially, on a local pool of supervised processes, or on Dask.

Every backend runs each task in a :class:`~neuroalg.atlas.tasks.Supervisor` child process (hard
time limit, memory budget) and yields one observation per task, in completion order. Results do
not depend on the backend: each task carries its own seed.

* ``serial``: one supervised child, tasks in order.
* ``pool`` (default): ``workers`` supervised children fed from one queue by threads of the
  calling process (the threads only wait on pipes; the work happens in the children).
* ``dask``: one Dask future per task on a Dask distributed cluster, either an existing
  scheduler (``scheduler="tcp://host:8786"``) or a LocalCluster of ``workers`` single-threaded
  processes; each thread of a Dask worker keeps one supervised child. Each observation is
  yielded as soon as its future finishes (never held back for other tasks), so the caller can
  store it at once. At most ``2 * workers`` tasks are submitted ahead (more as they finish), so
  the scheduler never holds a large backlog.
"""

from __future__ import annotations

import atexit
import os
import queue
import threading

from ..errors import SpecError
from .tasks import Supervisor

BACKENDS = ("serial", "pool", "dask")


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run_tasks(tasks, *, backend: str = "pool", workers: int | None = None,
              scheduler: str | None = None, stop: threading.Event | None = None):
    """Yield an observation for each task (completion order)."""
    if backend not in BACKENDS:
        raise SpecError(f"unknown backend '{backend}'; allowed: {', '.join(BACKENDS)}")
    tasks = list(tasks)
    workers = workers or default_workers()
    if workers < 1:
        raise SpecError(f"workers must be a positive integer; got {workers}")
    if not tasks:
        return
    if backend == "serial":
        yield from _serial(tasks)
    elif backend == "pool":
        yield from _pool(tasks, workers, stop)
    else:
        yield from _dask(tasks, workers, scheduler)


def _serial(tasks):
    with Supervisor() as sup:
        for task in tasks:
            yield sup.run(task)


_DONE = object()


def _pool(tasks, workers: int, stop):
    todo: queue.Queue = queue.Queue()
    for t in tasks:
        todo.put(t)
    results: queue.Queue = queue.Queue()
    stop = stop or threading.Event()
    n = min(workers, len(tasks))
    sups = [Supervisor(blas_threads=1 if n > 1 else None) for _ in range(n)]

    def work(sup):
        try:
            with sup:
                while not stop.is_set():
                    try:
                        task = todo.get_nowait()
                    except queue.Empty:
                        break
                    results.put(sup.run(task))
        except BaseException as exc:  # surfaced in the caller
            results.put(exc)
        finally:
            results.put(_DONE)

    threads = [threading.Thread(target=work, args=(sup,), daemon=True) for sup in sups]
    for th in threads:
        th.start()
    live, finished = n, False
    try:
        while live:
            item = results.get()
            if item is _DONE:
                live -= 1
            elif isinstance(item, BaseException):
                raise item
            else:
                yield item
        finished = True
    finally:
        stop.set()
        if not finished:  # interrupted: stop the running tasks now
            for sup in sups:
                sup.kill()
        for th in threads:
            th.join()


class LocalPool:
    """``workers`` supervised children kept across calls: ``run(tasks)`` runs a batch in
    parallel and yields each observation as soon as its task finishes (used by the frontier
    search, which asks for one batch per round)."""

    def __init__(self, workers: int):
        from concurrent.futures import ThreadPoolExecutor

        self._sups: queue.Queue = queue.Queue()
        self.sups = [Supervisor(blas_threads=1 if workers > 1 else None) for _ in range(workers)]
        for sup in self.sups:
            self._sups.put(sup)
        self._ex = ThreadPoolExecutor(max_workers=workers)

    def _run(self, task):
        sup = self._sups.get()
        try:
            return sup.run(task)
        finally:
            self._sups.put(sup)

    def run(self, tasks):
        """Yield an observation for each task, in completion order."""
        from concurrent.futures import as_completed

        futures = [self._ex.submit(self._run, t) for t in tasks]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        finally:
            for fut in futures:
                fut.cancel()

    def close(self) -> None:
        # the children were started by the executor's threads: close them there (a child dies
        # with the thread that started it), then stop the threads
        list(self._ex.map(lambda _: self._close_one(), range(len(self.sups))))
        self._ex.shutdown(wait=True)
        for sup in self.sups:
            sup.kill()

    def _close_one(self):
        sup = self._sups.get()
        sup.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --- Dask -----------------------------------------------------------------------------------
_WORKER_SUPERVISORS = threading.local()


def _run_on_worker(task):
    """Run one task on a Dask worker with the supervised child of the calling thread (started
    on first use, closed when the worker exits)."""
    sup = getattr(_WORKER_SUPERVISORS, "sup", None)
    if sup is None:
        sup = Supervisor(blas_threads=1)
        atexit.register(sup.close)  # the worker's child goes when the worker does
        _WORKER_SUPERVISORS.sup = sup
    return sup.run(task).to_dict()


def _dask(tasks, workers: int, scheduler: str | None):
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise SpecError("the dask backend needs dask.distributed: pip install 'neuroalg[dask]'") from None
    from .observation import Observation

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        import dask

        with dask.config.set({"distributed.worker.daemon": False}):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=50)
        client = Client(cluster)
    try:
        ahead = 2 * max(workers, sum(client.nthreads().values()))
        todo = iter(tasks)
        running = as_completed([client.submit(_run_on_worker, t, pure=False)
                                for t in _take(todo, ahead)])
        for fut in running:
            yield Observation.from_dict(fut.result())
            for t in _take(todo, 1):
                running.add(client.submit(_run_on_worker, t, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _take(it, n: int) -> list:
    out = []
    for x in it:
        out.append(x)
        if len(out) == n:
            break
    return out
