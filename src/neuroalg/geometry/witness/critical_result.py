"""What :func:`.critical.critical_points` returns: the count, its completeness evidence, the
counted complex points and the real critical points of a real target.

:class:`CriticalResult` prints the count with its status (``numerical`` when every evidence
agrees, ``undecided`` otherwise), the theorem beside it where one applies, how the square system
was solved, in the words of the method that formed it (gauge solutions or Lagrange solutions),
and the real critical points; ``--json`` adds the counted complex critical points
(``critical_points``: [re, im] pairs, with the target and the metric that make them checkable).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...results import Certainty, Result
from ..expected import Theorem
from .degenerate import Degenerate


@dataclass(frozen=True)
class CriticalPoint:
    """A real critical function: its loss, coordinates, whether real weights realize it
    (``realizable``: "yes", "no" or "undecided", decided by :mod:`.realizable` independently of
    the gauge slice, with ``reason``), those weights, and the Hessian index there (None without
    real weights)."""

    loss: float
    index: int | None
    function: tuple[float, ...]
    realizable: str = "undecided"
    reason: str = ""
    weights: tuple[float, ...] | None = None

    @property
    def kind(self) -> str:
        if self.realizable == "no":
            return "not in the real neuromanifold"
        if self.index is None:
            return "real weights undecided" if self.realizable != "yes" else "in the real neuromanifold"
        return "minimum" if self.index == 0 else f"saddle (index {self.index})"


@dataclass(frozen=True)
class Evidence:
    """Completeness evidence for a critical count; none of it is a proof.

    ``theorem``: the count a theorem gives (None where none applies). ``first_run`` and
    ``second_run``: the counts of two independent runs (other seed, start and random choices;
    None when not run); the reported count is the number of distinct critical points of both
    together (all verified at the same parameters). ``n_fresh_paths`` paths were tracked from the
    found solutions to a fresh random target; ``n_fresh_distinct`` distinct regular critical
    points were reached. ``stagnated``: monodromy stopped after closures without a new point
    (rather than on reaching the theorem's count). ``homotopy``: (paths, failed paths) when the
    first run solved the square system by a homotopy from a start system (None for monodromy):
    with no failed path every isolated nonsingular solution was reached (probability one, gamma
    trick), a complete count of the regular critical points on the gauge slice.

    Disagreements (status undecided): the theorem's count differs; the two runs differ from
    each other or from their union (also when a theorem applies and the union reaches its count:
    an independent run must find the same count); the fresh target reaches a different number;
    homotopy paths failed."""

    theorem: Theorem | None = None
    first_run: int | None = None
    second_run: int | None = None
    n_fresh_paths: int = 0
    n_fresh_distinct: int = 0
    stagnated: bool = True
    homotopy: tuple[int, int] | None = None

    def disagreements(self, n: int) -> list[str]:
        out = []
        if self.theorem is not None and self.theorem.value != n:
            out.append(f"the theorem gives {self.theorem.value}")
        if self.second_run is not None and not self.first_run == self.second_run == n:
            out.append(f"two independent runs found {self.first_run} and {self.second_run} "
                       f"({n} distinct together)")
        if self.n_fresh_paths and self.n_fresh_distinct != n:
            out.append(f"a fresh target reached {self.n_fresh_distinct} of {n}")
        if self.homotopy is not None and self.homotopy[1]:
            out.append(f"{self.homotopy[1]} of {self.homotopy[0]} homotopy paths failed")
        return out

    def agreements(self, n: int) -> list[str]:
        out = []
        if self.theorem is not None and self.theorem.value == n:
            out.append("equals the theorem's count")
        elif self.stagnated:
            out.append("monodromy stagnated")
        if self.homotopy is not None and not self.homotopy[1]:
            out.append(f"homotopy complete (all {self.homotopy[0]} paths accounted for)")
        if self.second_run is not None:
            out.append("two independent runs agree" if self.first_run == self.second_run == n else
                       f"union of two runs ({self.first_run} and {self.second_run})")
        if self.n_fresh_paths and self.n_fresh_distinct == n:
            out.append(f"fresh target {n}/{n} distinct")
        return out

    def to_dict(self) -> dict:
        return {"theorem": None if self.theorem is None else self.theorem.to_dict(),
                "first_run": self.first_run, "second_run": self.second_run,
                "fresh_target_paths": self.n_fresh_paths,
                "fresh_target_distinct": self.n_fresh_distinct, "stagnated": self.stagnated,
                "homotopy_paths": None if self.homotopy is None else self.homotopy[0],
                "homotopy_failed": None if self.homotopy is None else self.homotopy[1]}


@dataclass(frozen=True)
class CriticalResult(Result):
    """Number of complex critical points (regular part) and the real ones for a real target.

    What the solution counts mean depends on ``method``: for ``param`` the solutions are points
    z of the gauge slice (``n_solutions``, ``n_certified`` by Krawczyk), ``n_irregular``
    endpoints had rank J_psi < dim V (off the regular part) and ``n_rejected`` failed the
    unrandomized conditions (rank J = dim V, J^T (Q Phi - w) = 0); for ``implicit`` they are
    Lagrange solutions (y, lambda) in the span of V, ``n_irregular`` endpoints were not smooth
    points of V (a generator nonzero, or rank dG < codim V) and ``n_rejected`` failed the final
    check (smooth on V and the Lagrange conditions).

    ``critical_functions``: the counted critical points, as complex functions f in the ambient
    coordinates ``coordinates``, critical for ``f^T Q f - 2 w^T f`` on V (= |f - u|_Q^2 up to a
    constant, w = Q u) with ``target`` = w (complex, random) and ``metric_matrix`` = Q;
    ``critical_weights``: network parameters theta with Phi(theta) = f (parameter method and
    the degenerate regime; None for the implicit method, which never uses weights)."""

    spec: str
    metric: str
    n_critical: int
    dimension: int
    n_solutions: int
    n_loops: int
    n_paths: int
    n_failed: int
    history: tuple[int, ...]
    n_certified: int
    real_points: tuple[CriticalPoint, ...]
    n_target_failed: int
    seed: int
    seconds: float
    #: (subnetwork spec, critical points on its stratum; None: not computed)
    strata: tuple[tuple[str, int | None], ...] = ()
    coordinates: tuple[str, ...] = ()  # names of the function coordinates (monomials)
    #: monodromy solutions that failed the unrandomized critical conditions (not counted)
    n_rejected: int = 0
    #: path endpoints where the gauge-restricted Jacobian dropped rank (dropped, not counted)
    n_irregular: int = 0
    #: how the system was formed: the gauge (param) or the equations used (implicit)
    formulation: str = ""
    evidence: Evidence = field(default_factory=Evidence)
    method: str = "param"
    #: edges of the monodromy graph at the end
    n_edges: int = 0
    #: wall seconds of the main monodromy (paths per second = n_paths / tracking_seconds)
    tracking_seconds: float = 0.0
    #: the degenerate regime of a data metric (None when the metric is nondegenerate on V)
    degenerate: Degenerate | None = None
    #: how the square system was solved: {"solver": "homotopy" | "monodromy", "start_system",
    #: "root_bound", and for the homotopy the fate of its paths}
    solver: dict = field(default_factory=dict)
    #: seeds of the inner calls (derived from ``seed``), e.g. {"dimension": ...}
    child_seeds: dict = field(default_factory=dict)
    critical_functions: tuple[tuple[complex, ...], ...] = ()
    critical_weights: tuple[tuple[complex, ...], ...] | None = None
    target: tuple[complex, ...] = ()
    metric_matrix: tuple[tuple[float, ...], ...] = ()
    #: per stratum of ``strata``: the degenerate regime of the data metric there (None: the
    #: metric is nondegenerate on the stratum, its count is of the regular part)
    strata_degenerate: tuple[Degenerate | None, ...] = ()

    @property
    def n_real(self) -> int:
        return len(self.real_points)

    @property
    def name(self) -> str:
        return "learning degree" if self.metric == "data" else f"ED degree ({self.metric} metric)"

    def headline(self) -> str:
        if self.degenerate is not None:
            d = self.degenerate
            how = (f"{d.start_system} homotopy" if d.n_isolated is not None else "NOT COMPUTED")
            if d.undecided:
                how += f"; UNDECIDED: {'; '.join(d.undecided)}"
            return (f"{self.name}: the data metric is degenerate on V; {self.n_critical} isolated "
                    f"critical points off the zero-loss set ({how})")
        bad = self.evidence.disagreements(self.n_critical)
        if bad:
            return (f"{self.name} = {self.n_critical} (UNDECIDED: {'; '.join(bad)}; the count may "
                    "be incomplete)")
        return f"{self.name} = {self.n_critical} (numerical: {', '.join(self.evidence.agreements(self.n_critical))})"

    def lines(self) -> list[tuple[str, str]]:
        ev = self.evidence
        out = [("architecture", self.spec), ("dimension", str(self.dimension))]
        if self.degenerate is not None:
            return (out + self.degenerate.lines()
                    + [("independent runs", "none in the degenerate regime: the counts above "
                                            "come from one run")]
                    + self._points_line() + self._strata_lines()
                    + [("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")])
        if ev.theorem is not None:
            out.append(("expected by theorem", f"{ev.theorem.value} ({ev.theorem.statement}; "
                                               f"{ev.theorem.reference})"))
        out += [(f"{self.method} method", self.formulation),
                self._solver_line(),
                ("independent runs", "not run" if ev.second_run is None else
                 f"{ev.first_run} and {ev.second_run} critical points (other seed, start and "
                 f"random choices); {self.n_critical} distinct together"),
                ("fresh target", f"{ev.n_fresh_paths} paths of both runs to a random target, "
                                 f"{ev.n_fresh_distinct} distinct regular critical points"
                 if ev.n_fresh_paths else "not run"),
                *self._check_lines(),
                ("real target", f"{self.n_real} real critical point{'s' if self.n_real != 1 else ''}"
                                + (f", {self.n_target_failed} paths failed" if self.n_target_failed else ""))]
        for i, pt in enumerate(sorted(self.real_points, key=lambda q: q.loss)):
            out.append((f"  #{i + 1}", f"loss {pt.loss:.6g}, {pt.kind}"))
            names = self.coordinates or tuple(f"f{j + 1}" for j in range(len(pt.function)))
            out.append(("    f", ", ".join(f"{c} = {v:.6g}" for c, v in zip(names, pt.function))))
            out.append(("    real weights", pt.reason))
        out += self._points_line() + self._strata_lines()
        out += [("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]
        return out

    def _check_lines(self) -> list[tuple[str, str]]:
        """Certification and the points not counted, in the words of the method."""
        if self.method == "implicit":
            return [("certified", f"{self.n_certified} of {self.n_solutions} Lagrange solutions "
                                  "(y, lambda) (Krawczyk)"),
                    ("not counted", f"{self.n_irregular} path endpoints not smooth on V (a "
                                    "generator nonzero or rank dG < codim V), "
                                    f"{self.n_rejected} failing the final check (smooth on V, "
                                    "Q_s y - w_s = dH(y)^T lambda, H(y) = 0)")]
        return [("certified", f"{self.n_certified} of {self.n_solutions} parameter-space solutions "
                              "(Krawczyk)"),
                ("not counted", f"{self.n_irregular} path endpoints with rank J < dim V (off the "
                                f"regular part), {self.n_rejected} failing the unrandomized "
                                "conditions (rank J = dim V, J^T Q (Phi - u) = 0)")]

    def _points_line(self) -> list[tuple[str, str]]:
        n = len(self.critical_functions)
        if not n:
            return []
        what = "function" + ("s" if n != 1 else "") + (
            "" if self.critical_weights is None else " and weights")
        where = ("the data target" if self.degenerate is not None
                 else "a random complex target")
        return [("complex points", f"{n} critical {what} at {where}: in the JSON output "
                                   "(critical_points)")]

    def _strata_regimes(self) -> tuple[Degenerate | None, ...]:
        """``strata_degenerate``, None for each stratum it does not cover."""
        return self.strata_degenerate + (None,) * (len(self.strata) - len(self.strata_degenerate))

    def _strata_lines(self) -> list[tuple[str, str]]:
        out = []
        for (spec, n), deg in zip(self.strata, self._strata_regimes()):
            what = stratum_meaning(self.spec, spec)
            what = f"{what}: " if what else ""
            if deg is None:
                out.append(("stratum " + spec, f"{what}{n} critical points (regular part of the "
                                               "stratum)"))
                continue
            if deg.zero_loss_dimension is None:
                zero = "zero-loss set empty" + (
                    "" if deg.n_critical_values is None else
                    f", {deg.n_critical_values} critical values on its projection W")
            else:
                zero = f"zero-loss set of dimension {deg.zero_loss_dimension}" + (
                    "" if deg.zero_loss_degree is None else
                    f", degree {deg.zero_loss_degree}" if deg.is_trace_passed else
                    f", degree at least {deg.zero_loss_degree} (trace test failed)")
            count = ("isolated critical points NOT COMPUTED" if n is None else
                     f"{n} isolated critical points" + (
                         "" if deg.zero_loss_dimension is None else " off its zero-loss set")
                     + (f" ({deg.n_failed} of {deg.n_paths} paths failed: may be incomplete)"
                        if deg.n_failed else ""))
            out.append(("stratum " + spec, f"{what}{count} (the data metric is degenerate on it "
                                           f"too: fibers of dimension {deg.fiber_dimension}; "
                                           f"{zero})"))
        return out

    def _solver_line(self) -> tuple[str, str]:
        sv, ev = self.solver, self.evidence
        rate = (f" ({self.n_paths / self.tracking_seconds:.0f} paths/s)"
                if self.tracking_seconds > 0 else "")
        if sv.get("solver") == "homotopy":
            return ("homotopy", f"{sv['start_system']} start system: {self.n_paths} paths (root "
                                f"bound; Bezout {sv['bezout_number']}){rate}: {sv['nonsingular']} "
                                f"nonsingular, {sv['singular']} singular, {sv['at_infinity']} at "
                                f"infinity, {sv['failed']} failed"
                    + ("; all paths accounted for: every isolated nonsingular solution of the "
                       "square system (probability one)" if not sv["failed"] else
                       "; failed paths may have missed solutions"))
        bound = (f"; root bound of the square system {sv['root_bound']} ({sv['start_system']})"
                 if "root_bound" in sv else "")
        return ("monodromy", f"{self.n_loops} rounds on a graph of {self.n_edges} edges, "
                             f"{self.n_paths} paths, {self.n_failed} failed{rate}; critical points "
                             f"after each round {list(self.history)}"
                + ("" if ev.stagnated else " (stopped at the theorem's count)") + bound)

    headline_key = "n_critical"

    @property
    def status(self) -> Certainty:
        """numerical when every evidence agrees; undecided when any disagrees (or, with a
        degenerate data metric, when the isolated critical points were not computed, a path of
        their homotopy failed or the zero-loss witness set failed the trace test)."""
        if self.degenerate is not None:
            return Certainty.UNDECIDED if self.degenerate.undecided else Certainty.NUMERICAL
        return Certainty.UNDECIDED if self.evidence.disagreements(self.n_critical) else Certainty.NUMERICAL

    def payload(self) -> dict:
        return {"spec": self.spec, "metric": self.metric, "n_critical": self.n_critical,
                "dimension": self.dimension, "n_solutions": self.n_solutions,
                "rounds": self.n_loops, "edges": self.n_edges, "paths": self.n_paths, "failed_paths": self.n_failed,
                "history": list(self.history), "n_certified": self.n_certified,
                "n_rejected": self.n_rejected, "n_irregular": self.n_irregular,
                "formulation": self.formulation, "method": self.method,
                "solver": dict(self.solver), "evidence": self.evidence.to_dict(),
                "degenerate": None if self.degenerate is None else self.degenerate.to_dict(),
                "tracking_seconds": round(self.tracking_seconds, 4),
                "n_real": self.n_real,
                "coordinates": list(self.coordinates),
                "real_points": [{"loss": p.loss, "index": p.index, "type": p.kind,
                                 "function": list(p.function),
                                 "in_real_neuromanifold": p.realizable, "reason": p.reason,
                                 "weights": None if p.weights is None else list(p.weights)}
                                for p in sorted(self.real_points, key=lambda q: q.loss)],
                "strata": [{"spec": spec, "meaning": stratum_meaning(self.spec, spec), "n_critical": n,
                            "degenerate": None if deg is None else deg.to_dict()}
                           for (spec, n), deg in zip(self.strata, self._strata_regimes())],
                "critical_points": {
                    "convention": "critical points of f^T Q f - 2 w^T f on V (|f - u|_Q^2 up to a "
                                  "constant, w = Q u); complex numbers as [re, im]; functions in "
                                  "the coordinates of 'coordinates', weights theta with "
                                  "Phi(theta) = f (null for the implicit method)",
                    "target_w": _pairs(self.target),
                    "metric_matrix": [list(row) for row in self.metric_matrix],
                    "functions": [_pairs(f) for f in self.critical_functions],
                    "weights": (None if self.critical_weights is None else
                                [_pairs(t) for t in self.critical_weights])},
                "seed": self.seed, "child_seeds": dict(self.child_seeds), "seconds": round(self.seconds, 4)}


def stratum_meaning(spec: str, stratum: str) -> str:
    """What the stratum ``stratum`` (a smaller architecture from :func:`.critical.subnetworks`)
    is inside the neurovariety of ``spec``, in words ("" when neither is recognized).

    One-layer lightning attention: the functions with rank Q^T K <= a - 1; for d = a = 2 and
    out = 1 this is the singular locus of V (Henry, Marchetti, Kohn, *Geometry of lightning
    self-attention: identifiability and dimension*, ICLR 2025, arXiv:2408.17221, where the
    singular points of the one-layer model are characterized). MLPs: one neuron of a hidden
    layer removed (its outgoing weights zero)."""
    from ...arch import MLP, Attention
    from ...errors import SpecError
    from ...spec import parse_spec

    try:
        big, small = parse_spec(spec), parse_spec(stratum)
    except SpecError:
        return ""
    if isinstance(big, Attention) and isinstance(small, Attention):
        rank = f"rank Q^T K <= {small.a}, the key/query rank of the stratum"
        if big.layers == 1 and big.d == big.a == 2 and big.out == 1 and small.a == 1:
            return (f"the singular locus of V ({rank}; Henry-Marchetti-Kohn 2025, "
                    "arXiv:2408.17221)")
        return f"the functions with {rank}"
    if isinstance(big, MLP) and isinstance(small, MLP) and len(big.widths) == len(small.widths):
        layers = [i for i, (a, b) in enumerate(zip(big.widths, small.widths)) if a != b]
        if len(layers) == 1:
            return (f"one neuron of hidden layer {layers[0]} removed (its outgoing weights "
                    "zero)")
    return ""


def _pairs(values) -> list[list[float]]:
    """Complex numbers as [re, im] pairs (JSON)."""
    return [[float(complex(v).real), float(complex(v).imag)] for v in values]

