"""What the paths gave: per-path status and the collection of distinct solutions."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ..results import Certainty, Result


class PathStatus(str, enum.Enum):
    """Where a path ended.

    NONSINGULAR: a finite solution at which Newton converges quadratically and the Jacobian is
    well conditioned (condition number below ``max_condition``), or an ill-conditioned endpoint
    of winding number 1 that Krawczyk's test proves to be an isolated nonsingular zero (when
    certifying). SINGULAR: a finite solution reached by the endgame (winding number > 1) or
    with an ill-conditioned Jacobian.
    AT_INFINITY: the homogenizing coordinate vanished (the path diverged). FAILED: the tracker
    or the endgame gave up; the path is counted, never dropped."""

    NONSINGULAR = "nonsingular"
    SINGULAR = "singular"
    AT_INFINITY = "at_infinity"
    FAILED = "failed"


def unique_points(points, *, rtol: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """Cluster points closer than rtol (1 + |x|); returns representatives and the label of each."""
    points = np.asarray(points, dtype=np.complex128)
    if len(points) == 0:
        return points, np.zeros(0, dtype=np.int64)
    scale = 1 + np.max(np.abs(points))
    real = np.hstack([points.real, points.imag]) / scale
    pairs = cKDTree(real).query_pairs(rtol, output_type="ndarray")
    n = len(points)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    first = np.unique(labels, return_index=True)[1]
    order = np.argsort(first)
    relabel = np.empty_like(order)
    relabel[order] = np.arange(len(order))
    return points[first[order]], relabel[labels]


def is_real_point(x, *, rtol: float = 1e-8) -> np.ndarray:
    x = np.atleast_2d(x)
    return np.max(np.abs(x.imag), axis=1) <= rtol * (1 + np.max(np.abs(x), axis=1))


@dataclass(frozen=True)
class SolveResult(Result):
    """Solutions of a square system, with the fate of every path.

    ``solutions`` are the distinct nonsingular finite solutions; ``singular`` the distinct
    singular ones (with their multiplicity estimate = winding number). ``variables`` names the
    coordinates; ``certified[i]`` says whether Krawczyk's test proved that a unique solution lies
    near ``solutions[i]`` (None when certification was skipped). The text rendering lists the
    first ``SHOWN`` solutions; ``to_dict()`` lists all, each coordinate as ``[re, im]``."""

    SHOWN = 50
    headline_key = "n_solutions"

    @property
    def status(self) -> Certainty:
        """numerical: each listed solution may be certified (Krawczyk), but that every isolated
        solution was reached holds with probability one (gamma trick), not by proof."""
        return Certainty.NUMERICAL

    solutions: np.ndarray
    singular: np.ndarray
    path_status: tuple[PathStatus, ...]
    n_certified: int | None
    method: str
    seed: int
    seconds: float
    details: dict = field(default_factory=dict)
    variables: tuple[str, ...] = ()
    certified: np.ndarray | None = None

    @property
    def n_paths(self) -> int:
        return len(self.path_status)

    def _count(self, status: PathStatus) -> int:
        return sum(s is status for s in self.path_status)

    @property
    def n_solutions(self) -> int:
        return len(self.solutions)

    @property
    def n_real(self) -> int:
        return int(is_real_point(self.solutions).sum()) if len(self.solutions) else 0

    @property
    def n_failed(self) -> int:
        return self._count(PathStatus.FAILED)

    @property
    def n_at_infinity(self) -> int:
        return self._count(PathStatus.AT_INFINITY)

    def real_solutions(self) -> np.ndarray:
        if not len(self.solutions):
            return self.solutions.real
        return self.solutions[is_real_point(self.solutions)].real

    def headline(self) -> str:
        k = self.n_solutions
        return f"{k} nonsingular solution{'s' if k != 1 else ''}"

    def lines(self) -> list[tuple[str, str]]:
        out = [("paths", f"{self.n_paths} tracked ({self.method})"),
               ("nonsingular", f"{self.n_solutions} distinct ({self.n_real} real)")]
        if len(self.singular):
            out.append(("singular", f"{len(self.singular)} distinct"))
        if self.n_at_infinity:
            out.append(("at infinity", f"{self.n_at_infinity} paths"))
        out.append(("failed", f"{self.n_failed} paths"))
        if self.n_certified is not None:
            out.append(("certified", f"{self.n_certified} of {self.n_solutions} distinct and "
                                     "nonsingular (Krawczyk, interval arithmetic)"))
        out += [(k.replace("_", " "), str(v)) for k, v in self.details.items()]
        out += [("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]
        return out

    def block(self) -> list[str]:
        table = self.table()
        return ["solutions:"] + table if table else []

    def _names(self) -> list[str]:
        n = self.solutions.shape[1] if self.solutions.ndim == 2 else 0
        return list(self.variables) if len(self.variables) == n else [f"x{i + 1}" for i in range(n)]

    def table(self) -> list[str]:
        """The solutions as text rows: index, real?, certified?, then each coordinate."""
        if not len(self.solutions):
            return []
        real = is_real_point(self.solutions)
        rows = [["#", "real", "certified", *self._names()]]
        for i, x in enumerate(self.solutions[:self.SHOWN]):
            cert = "-" if self.certified is None else ("yes" if self.certified[i] else "no")
            rows.append([str(i + 1), "yes" if real[i] else "no", cert,
                         *(_complex_text(v, real[i]) for v in x)])
        widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]))]
        text = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in rows]
        if len(self.solutions) > self.SHOWN:
            text.append(f"... {len(self.solutions) - self.SHOWN} more solutions (all are in --json)")
        return text

    def payload(self) -> dict:
        counts = {s.value: self._count(s) for s in PathStatus}
        return {"n_solutions": self.n_solutions, "n_real": self.n_real,
                "n_singular": len(self.singular), "n_paths": self.n_paths, "paths": counts,
                "n_certified": self.n_certified, "method": self.method, "seed": self.seed,
                "seconds": round(self.seconds, 4), **self.details,
                "variables": self._names(),
                "solutions": [[[float(v.real), float(v.imag)] for v in x] for x in self.solutions],
                "solutions_real": [bool(r) for r in is_real_point(self.solutions)]
                if len(self.solutions) else [],
                "solutions_certified": None if self.certified is None
                else [bool(c) for c in self.certified],
                "singular_solutions": [[[float(v.real), float(v.imag)] for v in x]
                                       for x in self.singular]}


def _complex_text(z: complex, real: bool) -> str:
    if real:
        return f"{z.real:.10g}"
    return f"{z.real:.10g}{'+' if z.imag >= 0 else '-'}{abs(z.imag):.10g}i"
