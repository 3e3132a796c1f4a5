"""Planning a sweep: per-task seeds, cost and memory predictions.

* **Seeds.** The seed of a task is a pure function of the sweep seed and the label
  (:func:`task_seed`), so the result of a task never depends on the backend, the number of
  workers or the enumeration order.
* **Predictions** reuse :func:`neuroalg.geometry.budget.rank_estimate`: the dimension of an
  architecture with P parameters and ambient dimension A builds a (min(P, A) + 2) x P Jacobian
  and eliminates it mod p (memory 1.6 x 8 bytes an entry, (2/3) n m min(n, m) flops at 1.5e10
  flop/s), once for certified results, more often for Monte Carlo ones (two trials predicted).
  It also takes the rank of the P x S matrix of the S known symmetry fields, which dominates
  for wide networks of small ambient dimension: memory :data:`SYMMETRY_BYTES` per entry
  (measured: ``mlp 2,6,305,305,305,1,1 x^2``, 173 million entries, exceeded a 5.9 GiB
  address-space budget, so at least 36 bytes an entry), the larger of the two estimates counts.
"""

from __future__ import annotations

import hashlib

import numpy as np

from dataclasses import dataclass

from ..geometry.budget import Estimate, physical_memory, rank_estimate
from ..geometry.composition import MAX_FIELD_ENTRIES
from ..spec import parse_spec
from .tasks import Task

#: Seconds per task beyond the rank estimate (process, Python and reverse-pass overheads):
#: the intercept measured on certified rows of the 2_1 reference set (benchmarks/atlas.py).
OVERHEAD_SECONDS = 6e-3
#: Trials the time estimate assumes; a Monte Carlo result may take up to this many times more.
MC_FACTOR = 4
#: Bytes per entry of the symmetry-field matrix while its rank is computed (see above).
SYMMETRY_BYTES = 40


def task_seed(seed: int, label: str) -> int:
    """63-bit seed of the task for ``label`` in a sweep with seed ``seed``.

    >>> task_seed(0, "mlp 2,3,1 x^2") == task_seed(0, "mlp 2,3,1 x^2")
    True
    """
    words = np.frombuffer(hashlib.sha256(label.encode()).digest(), dtype=np.uint32)
    ss = np.random.SeedSequence([int(seed) & 0xFFFFFFFF, int(seed) >> 32, *map(int, words)])
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))


def predict(label: str) -> Estimate:
    """Predicted peak memory (bytes, the Jacobian and its elimination) and seconds."""
    arch = parse_spec(label)
    P, A = arch.n_params, arch.ambient_dimension
    rows = (P if A is None else min(P, A)) + 2
    est = rank_estimate(rows, P, 2)
    S = n_symmetry_fields(arch)
    if P * S > MAX_FIELD_ENTRIES:  # dimension() does not build this field matrix
        return Estimate(est.memory, est.seconds + OVERHEAD_SECONDS)
    sym = rank_estimate(P, S, 2)
    return Estimate(max(est.memory, SYMMETRY_BYTES * P * S), est.seconds + sym.seconds + OVERHEAD_SECONDS)


def n_symmetry_fields(arch) -> int:
    """Number of known symmetry fields (columns of ``arch.symmetry_fields``): the
    architecture's own count where it has one, else the hidden widths (neuron rescalings)."""
    count = getattr(arch, "_n_symmetries", None)
    n = count() if callable(count) else sum(getattr(arch, "widths", (0, 0))[1:-1])
    acts = getattr(arch, "activations", ())
    widths = getattr(arch, "widths", ())
    for l, act in enumerate(acts, start=1):  # orthogonal fields of x^2 feeding a width-1 layer
        if getattr(act, "monomial_power", None) == 2 and widths[l + 1] == 1:
            n += widths[l] * (widths[l] - 1) // 2
    return n


def default_memory_limit(workers: int) -> int:
    """Half the physical memory shared among the workers."""
    return int(0.5 * physical_memory() / max(1, workers))


def make_tasks(labels, *, seed: int = 0, method: str = "exact", time_limit: float | None = 600.0,
               memory_limit: int | None = None) -> list[Task]:
    """Tasks for ``labels`` (in the given order) with their predictions and limits."""
    tasks = []
    for lab in labels:
        est = predict(lab)
        tasks.append(Task(label=lab, seed=task_seed(seed, lab), method=method,
                          time_limit=time_limit, memory_limit=memory_limit,
                          predicted_memory=est.memory, predicted_seconds=est.seconds))
    return tasks


@dataclass(frozen=True)
class Plan:
    """What a sweep would do (``neuroalg atlas run --dry-run``): tasks to run, already stored,
    over the memory budget, and the predicted cost."""

    region: str
    n_architectures: int
    n_already: int
    n_over_budget: int
    n_to_run: int
    predicted_seconds: float
    workers: int
    memory_limit: int
    heaviest: tuple[tuple[str, float, int], ...]  # (label, seconds, bytes)

    def headline(self) -> str:
        return (f"plan for {self.n_architectures} architectures: {self.n_to_run} to compute, "
                f"{self.n_already} already stored, {self.n_over_budget} over the memory budget")

    def lines(self) -> list[str]:
        out = [f"region {self.region}",
               f"predicted {self.predicted_seconds:.0f} s of work, about "
               f"{self.predicted_seconds / self.workers:.0f} s on {self.workers} workers if the "
               f"results are certified, up to {MC_FACTOR}x more if they are Monte Carlo "
               f"(8 trials instead of 2)",
               f"memory budget {self.memory_limit / 2**30:.1f} GiB per task"]
        out += [f"  {lab}: ~{sec:.1f} s, ~{mem / 2**30:.2f} GiB" for lab, sec, mem in self.heaviest]
        return out

    def __str__(self) -> str:
        return "\n".join([self.headline()] + ["  " + x for x in self.lines()])

    def __rich__(self):
        return str(self)

    def to_dict(self) -> dict:
        return dict(region=self.region, n_architectures=self.n_architectures,
                    n_already=self.n_already, n_over_budget=self.n_over_budget,
                    n_to_run=self.n_to_run, predicted_seconds=self.predicted_seconds,
                    workers=self.workers, memory_limit=self.memory_limit,
                    heaviest=[dict(label=a, seconds=b, memory=c) for a, b, c in self.heaviest])
