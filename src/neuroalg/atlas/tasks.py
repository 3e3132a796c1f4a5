"""Tasks: one invariant of one architecture, computed in a supervised child process.

A :class:`Supervisor` owns one long-lived child process (``python -m neuroalg.atlas._child``) and
feeds it tasks one at a time over a pipe (one JSON line each way), so the start-up cost is paid
once, not per task. The child first imports the library and computes one tiny dimension (lazy
imports, caches), then says it is ready; only then is a task sent. Every task runs under

* a hard **time limit**, counted from the moment the task is handed to the ready child (the
  child's start-up never counts): when it passes, the child is killed (SIGKILL) and the task is
  recorded as ``timeout``; a fresh child serves the next task. A task that finishes never costs
  a restart;
* a **memory budget**: a task whose predicted memory exceeds it is not started
  (``skipped_budget``, with the prediction); a started task runs under ``RLIMIT_AS`` = current
  address space + budget, so an under-predicted task fails with a MemoryError (``failed``) in the
  child instead of bringing down the worker.

No orphans: the child asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``)
and exits when its input pipe closes. Peak memory is the child's peak resident set during the
task (``VmHWM`` after resetting it through ``/proc/self/clear_refs``): the interpreter and the
library (:data:`neuroalg.atlas.plan.BASE_MEMORY`) plus the task's data. So that it depends
less on earlier tasks, the heap is trimmed after each task (``malloc_trim``); what the
allocators still keep makes the resting footprint grow from about 52 to 105 MiB over a long
sweep. (Fixing ``MALLOC_MMAP_THRESHOLD_`` as well made the peaks of large tasks 10% lower but
the tasks 20-40% slower: not done.)
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import NeuroalgError
from .observation import Observation, Status, dumps

METHODS = ("exact", "numerical")
#: Seconds a new child may take to import the library and say it is ready.
STARTUP_SECONDS = 120.0
#: The tiny task a new child computes before it says it is ready (lazy imports, caches).
WARM_UP = "mlp 2,2,1 x^2"


class WorkerError(NeuroalgError, RuntimeError):
    """A task process could not be started (not the fault of any task)."""


@dataclass(frozen=True)
class Task:
    """Compute ``invariant`` of ``label`` with ``method`` and ``seed`` within the limits.

    ``time_limit`` in seconds, ``memory_limit`` and ``predicted_memory`` in bytes (None: no limit
    / unknown), ``predicted_seconds`` from :mod:`neuroalg.atlas.plan`.
    """

    label: str
    seed: int
    invariant: str = "dimension"
    method: str = "exact"
    time_limit: float | None = None
    memory_limit: int | None = None
    predicted_memory: int | None = None
    predicted_seconds: float | None = None

    def observation(self, status, **kw) -> Observation:
        """An observation of this task (carrying its predictions) with ``status``."""
        return Observation(label=self.label, invariant=self.invariant, method=self.method,
                           status=status, seed=self.seed, predicted_seconds=self.predicted_seconds,
                           predicted_memory=self.predicted_memory, **kw)


def compute(task: Task) -> Observation:
    """Run ``task`` in this process (no limits): the dimension and its evidence."""
    from ..geometry import dimension

    if task.invariant != "dimension":
        raise ValueError(f"unknown invariant {task.invariant!r}")
    r = dimension(task.label, seed=task.seed, method=task.method, force=True)
    detail: dict[str, Any] = dict(params=r.params, ambient=r.ambient, expected=r.expected, ranks=list(r.ranks),
                                  rows=r.rows, symmetry_rank=r.symmetry_rank,
                                  error_bound=None if r.error_bound is None else float(f"{r.error_bound:.3e}"))
    if r.gap is not None:
        detail["gap"] = float(f"{r.gap:.3e}")
    if r.certificate is not None:
        detail["certificate"] = r.certificate.get("kind")
    if r.theory:  # theorems of the family checked against the value (1/x networks)
        detail["theory"] = [dict(kind=t.kind, value=t.value, agrees=t.agrees) for t in r.theory]
    return task.observation(r.certainty.value, value=r.dimension, lower=r.lower, upper=r.upper,
                            primes=r.primes, seconds=r.seconds, detail=detail)


def skipped(task: Task) -> Observation:
    """The record of a task not started because its predicted memory exceeds the budget."""
    return task.observation(Status.SKIPPED_BUDGET, detail=dict(
        predicted_memory=task.predicted_memory, memory_limit=task.memory_limit))


def is_over_budget(task: Task) -> bool:
    return (task.memory_limit is not None and task.predicted_memory is not None
            and task.predicted_memory > task.memory_limit)


# --- the child ------------------------------------------------------------------------------
def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    parent = os.environ.get("NEUROALG_ATLAS_PARENT")
    if parent and os.getppid() != int(parent):
        os._exit(0)  # the parent died before prctl took effect


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _trim_heap() -> None:
    """Give freed heap memory back to the system (glibc), so that the next task's peak resident
    memory does not include what earlier tasks left behind."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _write(out, obj) -> None:
    out.write((dumps(obj) + "\n").encode())
    out.flush()


def _child_main() -> None:
    _die_with_parent()
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr, not into the protocol
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    compute(Task(WARM_UP, seed=0))  # imports and caches: never part of a task's time
    _trim_heap()
    _write(out, dict(ready=os.getpid(), memory=(_status_kib("VmRSS") or 0) * 1024))
    for line in sys.stdin.buffer:
        task = Task(**json.loads(line))
        if task.memory_limit is not None:
            base = (_status_kib("VmSize") or 0) * 1024
            soft = base + task.memory_limit
            resource.setrlimit(resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY
                                                    else min(soft, hard), hard))
        _reset_peak()
        t0 = time.perf_counter()
        try:
            obs = compute(task)
        except MemoryError:
            obs = task.observation(Status.FAILED, detail=dict(
                error="MemoryError: exceeded the memory budget at run time",
                memory_limit=task.memory_limit, predicted_memory=task.predicted_memory))
        except Exception as exc:  # recorded, the child carries on
            obs = task.observation(Status.FAILED, detail=dict(error=f"{type(exc).__name__}: {exc}"))
        finally:
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        seconds = time.perf_counter() - t0
        peak = _status_kib("VmHWM")
        obs = obs.with_(seconds=seconds, peak_memory=None if peak is None else peak * 1024)
        _write(out, obs.to_dict())
        _trim_heap()


# --- the parent -----------------------------------------------------------------------------
class Supervisor:
    """Runs tasks one at a time in a child process under hard time and memory limits.

    Parameters
    ----------
    blas_threads : int or None
        Threads of the child's BLAS (None: the library default); 1 when several supervisors
        share the cores.

    Attributes
    ----------
    n_started : int
        Child processes started so far (one, unless tasks timed out or killed their child).
    startup_seconds : float or None
        How long the last child took from its start to ready (imports and warm-up); never
        counted in a task's time.
    base_memory : int or None
        Resident memory of the last child when it became ready (bytes).
    """

    def __init__(self, *, blas_threads: int | None = None):
        self.blas_threads = blas_threads
        self._proc: subprocess.Popen | None = None
        self._buf = b""
        self.n_started = 0
        self.startup_seconds: float | None = None
        self.base_memory: int | None = None

    def _start(self) -> None:
        """Start a child and wait until it is ready (raises :class:`WorkerError` if it is not
        within :data:`STARTUP_SECONDS`)."""
        env = dict(os.environ, NEUROALG_ATLAS_PARENT=str(os.getpid()), MALLOC_ARENA_MAX="2")
        if self.blas_threads:
            for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
                env[k] = str(self.blas_threads)
        t0 = time.monotonic()
        self._proc = subprocess.Popen([sys.executable, "-m", "neuroalg.atlas._child"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                      close_fds=True)
        self._buf = b""
        self.n_started += 1
        line = self._readline(t0 + STARTUP_SECONDS)
        if not line:
            self.kill()
            why = "did not become ready" if line is None else "exited"
            raise WorkerError(f"an atlas task process {why} within {STARTUP_SECONDS:.0f} s of "
                              f"its start (python -m neuroalg.atlas._child)")
        self.startup_seconds = time.monotonic() - t0
        self.base_memory = json.loads(line).get("memory")

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    def _send(self, task: Task) -> float:
        """Hand ``task`` to a ready child (starting one if needed); returns the time it was
        handed over (``time.monotonic()``), from which its time limit counts."""
        line = (json.dumps(asdict(task)) + "\n").encode()
        for attempt in range(2):
            if self._proc is None or self._proc.poll() is not None:
                self._reap()
                self._start()
            assert self._proc is not None and self._proc.stdin is not None  # _start() opens the pipes
            try:
                t0 = time.monotonic()
                self._proc.stdin.write(line)
                self._proc.stdin.flush()
                return t0
            except BrokenPipeError:
                self._reap()
        raise WorkerError("an atlas task process closed its input right after starting")

    def _readline(self, deadline: float | None) -> bytes | None:
        """One line from the child; None at the deadline; b"" if the child died."""
        assert self._proc is not None and self._proc.stdout is not None  # a child is running (_send)
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buf:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b""
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        return line

    def run(self, task: Task) -> Observation:
        """Run one task; always returns an observation (never raises for the task's sake).

        The time limit counts from the moment the task is handed to a ready child."""
        if is_over_budget(task):
            return skipped(task)
        t0 = self._send(task)
        deadline = None if task.time_limit is None else t0 + task.time_limit
        line = self._readline(deadline)
        if line is None:
            self.kill()
            return task.observation(Status.TIMEOUT, seconds=time.monotonic() - t0,
                                    detail=dict(time_limit=task.time_limit))
        if line == b"":
            code = self._reap()
            why = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            return task.observation(Status.FAILED, seconds=time.monotonic() - t0,
                                    detail=dict(error=f"worker process died ({why})"))
        return Observation.from_dict(json.loads(line))

    def _reap(self) -> int | None:
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        for f in (proc.stdin, proc.stdout):
            assert f is not None  # _start() opens both pipes
            try:
                f.close()
            except OSError:
                pass
        try:
            return proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()

    def kill(self) -> None:
        """Stop the child now (SIGKILL) and reap it."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
        self._reap()

    def close(self) -> None:
        """Let the child exit (end of input), killing it if it does not within 5 s."""
        self._reap()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
