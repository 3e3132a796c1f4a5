"""Planning a sweep: per-task seeds, cost and memory predictions.

* **Seeds.** The seed of a task is a pure function of the sweep seed and the label
  (:func:`task_seed`), so the result of a task never depends on the backend, the number of
  workers or the enumeration order.
* **Time** (:func:`predict`, seconds of one core). The dimension of an architecture with P
  parameters, ambient dimension A and S known symmetry fields first takes the rank of the
  P x S field matrix (when it has at most ``MAX_FIELD_ENTRIES`` entries), then builds a sketched
  Jacobian of n = min(P - S, A) + 2 rows (n = min(P, A) + 2 without the fields) and eliminates
  it mod p. The prediction is linear in the quantities of :func:`cost_terms` (one task, n P
  Jacobian entries, the elimination flops of the n x P Jacobian and of the S x P transposed
  field matrix, each eliminated until its target (n - 2, S) in its first target + 8 columns
  (:func:`elimination_flops`), P S field entries, and L^2 P for the composition bounds of
  networks of depth L >= 3), with the
  coefficients :data:`TIME_COEFFICIENTS` fitted (relative least squares, non-negative) to the
  CPU time of 203 certified tasks, from 1 ms to 5 s: ``benchmarks/atlas.py calibrate``, results
  in ``benchmarks/results/atlas.calibrate.json`` and ``atlas.md``; then the elimination and
  field-matrix terms raised by hand (the fit's 2.8e-11 s/flop and 1.6e-8 s/entry underestimate
  the mid-sized quadratic networks with many orthogonal fields, ranked without numba in a task
  process). Measured over predicted in the run with these coefficients, for the 65 tasks whose
  bounds meet at the first trial: median 1.03, 82% within a factor 2, 95% within 3 (CPU time;
  the wall time also grows with the load of the machine).
  The tests hold small tasks to a factor 4 each and 2 for the median, and their peak memory
  to 2.
* **When the bounds differ** after the first trial (defective architectures), the dimension
  searches for certificates and runs up to 8 trials; :func:`predict_search` estimates that
  extra time: 7 more trials, and for at most 40 parameters the exactly verified
  symmetry-field certificate (a linear ansatz in P^2 unknowns, about P^5, and the symbolic
  expansion of Phi, the products of :func:`expansion_work`): from 0.4 s (``mlp 3,4,2,1 x^2``)
  to 16 s (``mlp 3,3,4,2,1 x^2``) of CPU measured. Which architectures are defective is what
  the sweep finds out, so a plan states both totals.
* **Memory** (:func:`predict`, peak resident bytes of the task process):
  :data:`BASE_MEMORY` (the interpreter and the library) plus :data:`JACOBIAN_BYTES` per
  Jacobian entry and :data:`FIELD_BYTES` per field-matrix entry, fitted on the same
  measurements (the growth of the resident memory during a task).
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

import numpy as np

from ..errors import SpecError
from ..geometry.dimension.budget import Estimate, available_memory
from ..geometry.dimension.composition import MAX_FIELD_ENTRIES
from ..linalg.modular import MIX_MARGIN
from ..spec import parse_spec
from .calibration import MIN_TASKS, Ratios
from .tasks import Task

#: Seconds per unit of each term of :func:`cost_terms` (see the module docstring).
TIME_COEFFICIENTS = {
    "tasks": 2.8e-3,               # process, Python and bookkeeping per task
    "jacobian_entries": 2.0e-8,    # reverse passes building the sketched Jacobian
    "elimination_flops": 5.0e-11,  # modular elimination (about 2e10 flop/s on one core)
    "field_entries": 8.0e-8,       # building the symmetry-field matrix
    "composition": 4.6e-7,         # composition bounds over the windows of deep networks
}
#: Resident memory of a task process at rest (bytes): 52 MiB when it starts, growing to about
#: 107 MiB over a long sweep (memory its allocator keeps); 72 MiB keeps small tasks within a
#: factor 1.5 either way.
BASE_MEMORY = 72 * 2**20
#: Peak bytes per Jacobian entry (float64 entries, built and eliminated in place).
JACOBIAN_BYTES = 8
#: Peak bytes per entry of the symmetry-field matrix while its rank is computed.
FIELD_BYTES = 21
#: Trials after the first when the bounds differ (dimension's default ``max_trials`` is 8).
EXTRA_TRIALS = 7
#: Seconds per P^5 and per product of the expansion (``symmetry_certificate``, P <= 40).
ANSATZ_SECONDS = 7.6e-8
EXPANSION_SECONDS = 1.3e-5
#: Largest number of parameters for which the symmetry-field certificate is tried.
SYMMETRY_CERTIFICATE_PARAMS = 40


def task_seed(seed: int, label: str) -> int:
    """63-bit seed of the task for ``label`` in a sweep with seed ``seed``.

    >>> task_seed(0, "mlp 2,3,1 x^2") == task_seed(0, "mlp 2,3,1 x^2")
    True
    """
    words = np.frombuffer(hashlib.sha256(label.encode()).digest(), dtype=np.uint32)
    ss = np.random.SeedSequence([int(seed) & 0xFFFFFFFF, int(seed) >> 32, *map(int, words)])
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))


def elimination_flops(m: int, n: int, target: int) -> float:
    """Flops of :func:`neuroalg.linalg.rank_mod` on an m x n matrix with a rank ``target``
    reached in the first ``target + MIX_MARGIN`` columns (an LU of m x k, k = min(n, target +
    MIX_MARGIN), r = min(m, k): 2 (m k r - (m + k) r^2 / 2 + r^3 / 3))."""
    k = min(n, target + MIX_MARGIN)
    r = min(m, k)
    return 2.0 * (m * k * r - (m + k) * r * r / 2 + r**3 / 3)


def cost_terms(arch) -> dict[str, float]:
    """The quantities the time and memory predictions are linear in (keys of
    :data:`TIME_COEFFICIENTS`)."""
    P, A = arch.n_params, arch.ambient_dimension
    S = arch.n_symmetry_fields
    fields = P * S <= MAX_FIELD_ENTRIES  # dimension() builds the field matrix
    n = max(min(P - S if fields else P, P if A is None else A), 1) + 2
    L = getattr(arch, "depth", 0)
    # the Jacobian (n x P, target n - 2) and the transposed field matrix (S x P, target S)
    flops = elimination_flops(n, P, n - 2) + (elimination_flops(S, P, S) if fields else 0.0)
    return {"tasks": 1.0, "jacobian_entries": float(n * P), "elimination_flops": flops,
            "field_entries": float(P * S) if fields else 0.0,
            "composition": float(L * L * P) if L >= 3 else 0.0}


def predict(label: str) -> Estimate:
    """Predicted peak memory (bytes, resident) and seconds (one core) of the dimension of
    ``label`` when its bounds meet at the first trial (see the module docstring)."""
    terms = cost_terms(parse_spec(label))
    seconds = sum(TIME_COEFFICIENTS[k] * v for k, v in terms.items())
    memory = (BASE_MEMORY + JACOBIAN_BYTES * terms["jacobian_entries"]
              + FIELD_BYTES * terms["field_entries"])
    return Estimate(int(memory), seconds)


def predict_search(label: str) -> float:
    """Predicted extra seconds when the bounds of ``label`` differ after the first trial:
    :data:`EXTRA_TRIALS` more trials and, for at most :data:`SYMMETRY_CERTIFICATE_PARAMS`
    parameters, the symmetry-field certificate."""
    arch = parse_spec(label)
    terms = cost_terms(arch)
    trial = sum(TIME_COEFFICIENTS[k] * terms[k] for k in ("jacobian_entries", "elimination_flops"))
    extra = EXTRA_TRIALS * trial
    P = arch.n_params
    if P <= SYMMETRY_CERTIFICATE_PARAMS:
        extra += ANSATZ_SECONDS * P**5 + EXPANSION_SECONDS * expansion_work(arch)
    return extra


def expansion_work(arch) -> float:
    """Products needed to expand Phi symbolically, layer by layer: a neuron whose input is a
    sum of m terms raised to the activation's degree r costs about m^r products and has at most
    C(m + r - 1, r) terms; the next layer's inputs are sums of d_l such neurons. 0 for
    architectures without layers of widths and activations.

    >>> from neuroalg import parse_spec
    >>> expansion_work(parse_spec("mlp 3,4,2,1 x^2"))  # 4 * 3^2 + 2 * (4 * 6)^2
    1188.0
    """
    widths, acts = getattr(arch, "widths", None), getattr(arch, "activations", None)
    if not widths or acts is None:
        return 0.0
    m, work = float(widths[0]), 0.0
    for l, act in enumerate(acts, start=1):
        r = max(getattr(act, "degree", 1), 1)
        work += widths[l] * m**r
        m = widths[l] * float(math.comb(int(min(m, 1e6)) + r - 1, r))
    return work


def default_memory_limit(workers: int) -> int:
    """Half the memory available now, shared among the workers."""
    return int(0.5 * available_memory() / max(1, workers))


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
    over the memory budget, and the predicted cost.

    ``predicted_seconds`` is the total if every bound meets at the first trial,
    ``search_seconds`` what comes on top if every architecture's bounds differ (see
    :func:`predict_search`); ``calibration`` is how the tasks already measured in the store
    compared with their predictions, and ``corrected_seconds`` the first total times their
    total ratio (None with fewer than :data:`~neuroalg.atlas.calibration.MIN_TASKS` tasks).
    """

    region: str
    n_architectures: int
    n_already: int
    n_over_budget: int
    n_to_run: int
    predicted_seconds: float
    search_seconds: float
    workers: int
    memory_limit: int
    heaviest: tuple[tuple[str, float, int], ...]  # (label, seconds, bytes)
    calibration: Ratios = field(default_factory=lambda: Ratios("time", 0))

    @property
    def corrected_seconds(self) -> float | None:
        c = self.calibration
        return None if c.n < MIN_TASKS or c.total is None else self.predicted_seconds * c.total

    def headline(self) -> str:
        return (f"plan for {self.n_architectures} architectures: {self.n_to_run} to compute, "
                f"{self.n_already} already stored, {self.n_over_budget} over the memory budget")

    def lines(self) -> list[str]:
        w = self.workers
        out = [f"region {self.region}",
               (f"predicted {_secs(self.predicted_seconds)} of work (about "
                f"{_secs(self.predicted_seconds / w)} on {w} worker{'s' if w != 1 else ''}) if "
                f"the bounds meet at the first trial"),
               (f"up to {_secs(self.search_seconds)} more (about "
                f"{_secs(self.search_seconds / w)} on {w}) if every architecture's bounds differ "
                f"(certificate search, up to 8 trials): how many do is what the sweep finds out")]
        if self.corrected_seconds is not None:
            c = self.calibration
            out.append(f"the {c.n} tasks measured in this store took {c.total:.2g}x their "
                       f"predicted time in all (median {c.median:.2g}x): corrected estimate "
                       f"{_secs(self.corrected_seconds)} (about "
                       f"{_secs(self.corrected_seconds / w)} on {w})")
        out.append(f"memory budget {self.memory_limit / 2**30:.1f} GiB per task")
        out += [f"  {lab}: ~{sec:.2g} s, ~{mem / 2**20:.0f} MiB" for lab, sec, mem in self.heaviest]
        return out

    def __str__(self) -> str:
        return "\n".join([self.headline()] + ["  " + x for x in self.lines()])

    def __rich__(self):
        return str(self)

    def to_dict(self) -> dict:
        return dict(region=self.region, n_architectures=self.n_architectures,
                    n_already=self.n_already, n_over_budget=self.n_over_budget,
                    n_to_run=self.n_to_run, predicted_seconds=self.predicted_seconds,
                    search_seconds=self.search_seconds, calibration=self.calibration.to_dict(),
                    corrected_seconds=self.corrected_seconds, workers=self.workers,
                    memory_limit=self.memory_limit,
                    heaviest=[dict(label=a, seconds=b, memory=c) for a, b, c in self.heaviest])


def _secs(s: float) -> str:
    """Seconds for people: 0.4 s, 12 s, 3.5 min, 2.1 h."""
    if s < 100:
        return f"{s:.2g} s"
    if s < 6000:
        return f"{s / 60:.2g} min"
    return f"{s / 3600:.2g} h"


_UNITS = {"": 1, "b": 1, "k": 2**10, "kb": 10**3, "kib": 2**10, "m": 2**20, "mb": 10**6,
          "mib": 2**20, "g": 2**30, "gb": 10**9, "gib": 2**30, "t": 2**40, "tb": 10**12, "tib": 2**40}


def parse_memory(text: str | None) -> int | None:
    """Bytes of a memory size such as ``2GiB``, ``500MB``, ``1073741824`` (None passes)."""
    if text is None:
        return None
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([a-zA-Z]*)\s*", text)
    if not m or m.group(2).lower() not in _UNITS:
        raise SpecError(f"bad memory size '{text}'; e.g. 2GiB, 512MiB, 4GB or a number of bytes")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])
