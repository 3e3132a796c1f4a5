"""Frontier search: the minimal filling architectures of a region, by monotonicity.

Setting. Fix d0, dL, the activation and the depth L; hidden widths d = (d1, ..., d(L-1)) are
ordered componentwise. An architecture is *filling* if its neurovariety is its whole ambient
space (dim = ambient), and *minimal filling* if it is filling and no immediate predecessor
(one hidden width lowered by one) is (Dao, Rodriguez, arXiv 2605.09609).

Monotonicity. If d <= d' then dim(d) <= dim(d'): giving the extra units zero outgoing weights
embeds the smaller network's function set in the larger one's (any activation, with or without
biases). So filling is upward closed, non-filling downward closed, and the minimal filling
architectures are the minimal elements of an up-set.

Search ("staircase"). For each prefix p = (d1, ..., d(L-2)), let f(p) be
the least last width making (p, f(p)) filling (infinity if none in the box). f is
non-increasing, so f(p) <= U = min_i f(p - e_i): (p, U) is filling by implication, and f(p) is
found by walking down from U - 1 until a computed architecture is not filling (or by bisection
when U is infinite). (p, f(p)) is minimal iff f(p) < f(p - e_i) for every i. Prefixes are
processed by levels of equal sum d1 + ... + d(L-2): a prefix needs only the previous level, so
the architectures a level asks about are computed in parallel, round by round. Only the walk's
steps are computed; values taken from monotonicity are stored as ``implied`` observations naming
the architecture they rest on: filling (dim = ambient, proven if the source is) for (p, U), and
"not filling" (dim <= dim(source) < ambient) for the predecessors of each minimal architecture.
``verify=True`` computes every immediate predecessor of each minimal architecture instead.

Box. Widths range over the region's bounds. For monomial networks without biases, the layer-i
activations are forms of degree r^i in d0 variables, a space of dimension
N_i = C(d0 + r^i - 1, r^i); a width d_i > N_i gives the same function set as d_i = N_i (a
linear combination of d_i vectors of an N_i-dimensional space is one of at most N_i of them),
so such an architecture is never minimal and widths are capped at N_i. Minimality is relative
to the box only through its lower bounds (1 unless the region says otherwise); an architecture
with a width above the region's bound is not found.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

from .._version import __version__
from ..errors import SpecError
from ..progress import progress_bar
from ..random import check_seed
from .backends import LocalPool, default_workers
from .labels import label as canonical_label
from .observation import Observation, Status
from .plan import default_memory_limit, make_tasks
from .region import parse_region
from .tasks import is_over_budget, skipped

INF = math.inf


def is_unimodal(widths) -> bool:
    """Whether widths rise (weakly) to a maximum and then fall (weakly).

    >>> is_unimodal((2, 3, 3, 4, 4, 2, 1)), is_unimodal((2, 3, 4, 5, 4, 6, 4, 1))
    (True, False)
    """
    w = list(widths)
    k = 0
    while k + 1 < len(w) and w[k + 1] >= w[k]:
        k += 1
    return all(w[i + 1] <= w[i] for i in range(k, len(w) - 1))


@dataclass(frozen=True)
class DepthFrontier:
    """Minimal filling architectures of one depth, and the cost of finding them."""

    depth: int
    ambient: int
    minimal: tuple[str, ...]
    unimodal: tuple[bool, ...]
    n_box: int
    n_computed: int
    n_implied: int
    n_monte_carlo: int  # decisions resting on a Monte Carlo (not certified) value
    undecided: tuple[str, ...]  # timeouts, failures, skipped: treated as not filling
    verified: bool
    violations: tuple[str, ...] = ()  # verify mode: a predecessor that turned out filling
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return dict(depth=self.depth, ambient=self.ambient, minimal=list(self.minimal),
                    unimodal=list(self.unimodal), n_box=self.n_box, n_computed=self.n_computed,
                    n_implied=self.n_implied, n_monte_carlo=self.n_monte_carlo,
                    undecided=list(self.undecided), verified=self.verified,
                    violations=list(self.violations), seconds=self.seconds)


@dataclass(frozen=True)
class FrontierResult:
    """The minimal filling architectures of a region, depth by depth."""

    region: str
    depths: tuple[DepthFrontier, ...]
    seed: int
    seconds: float

    @property
    def minimal(self) -> tuple[str, ...]:
        return tuple(m for d in self.depths for m in d.minimal)

    def headline(self) -> str:
        n = len(self.minimal)
        sure = all(not d.undecided and not d.violations for d in self.depths)
        mc = sum(d.n_monte_carlo for d in self.depths)
        how = "certified" if sure and mc == 0 else (
            f"{mc} decisions Monte Carlo" if sure else "incomplete: undecided architectures")
        return f"{n} minimal filling architecture{'s' if n != 1 else ''} ({how})"

    def lines(self) -> list[str]:
        out = [f"region {self.region}; seed {self.seed}; {self.seconds:.1f} s"]
        for d in self.depths:
            out.append(f"depth {d.depth} (ambient {d.ambient}): {len(d.minimal)} minimal; "
                       f"{d.n_computed} computed, {d.n_implied} implied of {d.n_box} in the box"
                       + ("; predecessors verified" if d.verified else "")
                       + f"; {d.seconds:.1f} s")
            for m, u in zip(d.minimal, d.unimodal):
                out.append(f"  {m}" + ("" if u else "  (not unimodal)"))
            out += [f"  undecided: {u}" for u in d.undecided]
            out += [f"  VIOLATION: {v}" for v in d.violations]
        return out

    def __str__(self) -> str:
        return "\n".join([self.headline()] + ["  " + x for x in self.lines()])

    def __rich__(self):
        return str(self)

    def to_dict(self) -> dict:
        return dict(region=self.region, seed=self.seed, seconds=self.seconds,
                    minimal=list(self.minimal), depths=[d.to_dict() for d in self.depths])


def _spec(region, widths) -> str:
    s = f"{region.family} {','.join(map(str, widths))}"
    if region.activations and len(widths) > 2:
        s += f" {region.activations[0]}"
    return canonical_label(s + (" bias" if region.bias else ""))


def _cap(region, d0: int, k: int) -> float:
    """N_k = C(d0 + r^k - 1, r^k) for monomial activations without biases, else infinity."""
    if region.bias or region.family != "mlp":
        return INF
    act = region.activations[0]
    if act == "x":
        r = 1
    elif act.startswith("x^") and act[2:].isdigit():
        r = int(act[2:])
    else:
        return INF
    D = r ** k
    return math.comb(d0 + D - 1, D)


class _Oracle:
    """Filling decisions: stored observation, else computed in a supervised child."""

    def __init__(self, store, pool, *, seed, method, time_limit, memory_limit, ambient):
        self.store, self.pool, self.ambient = store, pool, ambient
        self.seed, self.method = seed, method
        self.time_limit, self.memory_limit = time_limit, memory_limit
        self.cache: dict[str, Observation] = {}
        self.pending: list[Observation] = []
        self.n_computed = self.n_implied = 0
        self.mc: set[str] = set()
        self.undecided: list[str] = []

    def prefetch(self, labels) -> None:
        """Observe ``labels`` (from the store, else computed in parallel on the pool)."""
        todo = []
        for lab in dict.fromkeys(labels):
            if lab in self.cache:
                continue
            (task,) = make_tasks([lab], seed=self.seed, method=self.method,
                                 time_limit=self.time_limit, memory_limit=self.memory_limit)
            obs = self.store.get(lab, "dimension", self.method, __version__, task.seed)
            if obs is not None:
                self.cache[lab] = obs
            elif is_over_budget(task):
                self._computed(skipped(task))
            else:
                todo.append(task)
        for obs in self.pool.run(todo):
            self._computed(obs)

    def _computed(self, obs: Observation) -> None:
        """Keep a computed observation and store it at once (a kill loses no finished task)."""
        self.cache[obs.label] = obs
        self.store.add([obs])
        self.n_computed += 1

    def observe(self, lab: str) -> Observation:
        if lab not in self.cache:
            self.prefetch([lab])
        return self.cache[lab]

    def filling(self, lab: str) -> bool:
        obs = self.observe(lab)
        if obs.lower is not None and obs.lower >= self.ambient:
            return True
        if obs.status.has_value:
            if obs.upper is None or obs.upper >= self.ambient:
                self.mc.add(lab)  # non-filling rests on a Monte Carlo value
            return False
        self.undecided.append(f"{lab} ({obs.status.value})")
        return False

    def imply(self, lab: str, source: str, *, filling: bool) -> None:
        if lab in self.cache:
            return
        src = self.cache[source]
        if filling:
            obs = Observation(label=lab, invariant="dimension", method="monotonicity",
                              status=Status.IMPLIED, value=self.ambient, lower=src.lower,
                              upper=self.ambient, derived_from=(source,),
                              detail=dict(rule="d >= source, source filling: dim = ambient",
                                          source_status=src.status.value))
        else:
            obs = Observation(label=lab, invariant="dimension", method="monotonicity",
                              status=Status.IMPLIED, upper=src.upper if src.upper is not None
                              and src.upper < self.ambient else None, derived_from=(source,),
                              detail=dict(rule="d <= source, source not filling: dim <= "
                                          f"dim(source) = {src.value} < ambient {self.ambient}",
                                          filling=False, source_status=src.status.value))
        self.cache[lab] = obs
        if self.store.get(lab, "dimension", "monotonicity", __version__, None) is None:
            self.pending.append(obs)
            self.n_implied += 1

    def flush(self) -> None:
        self.store.add(self.pending)
        self.pending = []


def frontier_search(region, store, *, seed: int = 0, verify: bool = False, method: str = "exact",
                    workers: int | None = None, time_limit: float | None = 600.0,
                    memory_limit: int | None = None, show_progress: bool = False) -> FrontierResult:
    """Minimal filling architectures of ``region`` (one d0, dL and activation; every depth of the
    region searched separately). See the module docstring for the method.

    Parameters
    ----------
    region : str or Region
        E.g. ``"mlp d0=2 dL=1 depth=2..6 width<=8 r=2"``.
    store : Store
        Computed and implied observations are stored (and reused: a search resumes).
    seed : int, default=0
        Sweep seed (task seeds as in :func:`neuroalg.atlas.sweep`, so results are shared).
    verify : bool, default=False
        Compute every immediate predecessor of each minimal architecture.
    workers : int or None
        Supervised worker processes (default: the usable cores); the result does not depend
        on it (prefixes are processed level by level, see the module docstring).
    """
    region = parse_region(region)
    checked, _ = check_seed(seed)
    if checked is None:
        raise SpecError("a frontier search needs an integer seed (task seeds derive from it)")
    seed = checked
    if len(region.d0) != 1 or len(region.dL) != 1 or len(region.activations) > 1:
        raise SpecError("a frontier search needs one d0, one dL and one activation; got "
                        f"'{region}'")
    workers = workers or default_workers()
    if memory_limit is None:
        memory_limit = default_memory_limit(workers)
    t0 = time.perf_counter()
    d0, dL = region.d0[0], region.dL[0]
    out = []
    with LocalPool(workers) as pool:
        for L in region.depth:
            out.append(_search_depth(region, store, pool, L, d0, dL, seed=seed, verify=verify,
                                     method=method, time_limit=time_limit,
                                     memory_limit=memory_limit, show_progress=show_progress))
    return FrontierResult(region=str(region), depths=tuple(out), seed=seed,
                          seconds=time.perf_counter() - t0)


def _walk(p, U, last, lab_of):
    """The least filling last width after prefix p, as a generator: yields the labels to
    decide, receives whether they fill, returns (least width or INF, computed non-filling
    witness (p, least - 1) or None)."""
    if U == INF:  # no predecessor bound: is the top of the box filling? then bisect
        if not (yield lab_of(p + (last.stop - 1,))):
            return INF, None
        lo, hi = last.start, last.stop - 1
        if (yield lab_of(p + (lo,))):
            return lo, None
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if (yield lab_of(p + (mid,))):
                hi = mid
            else:
                lo = mid
        return hi, p + (lo,)
    c = int(U)  # (p, U) fills by monotonicity: walk down
    while c - 1 >= last.start:
        if (yield lab_of(p + (c - 1,))):
            c -= 1
        else:
            return c, p + (c - 1,)
    return c, None


def _search_depth(region, store, pool, L, d0, dL, *, seed, verify, method, time_limit,
                  memory_limit, show_progress) -> DepthFrontier:
    t0 = time.perf_counter()
    n = L - 1
    ranges = []
    for k in range(1, L):
        r = region.hidden_range(k)
        hi = min(r.stop - 1, _cap(region, d0, k))
        ranges.append(range(r.start, int(hi) + 1))
    lab_of = lambda mid: _spec(region, (d0, *mid, dL))  # noqa: E731
    ambient = _ambient(region, d0, dL, L)
    oracle = _Oracle(store, pool, seed=seed, method=method, time_limit=time_limit,
                     memory_limit=memory_limit, ambient=ambient)
    n_box = math.prod(len(r) for r in ranges)
    minimal: list[tuple[int, ...]]  # (hidden widths..., least filling last width)
    if n == 0 or n_box == 0:
        minimal = []
        if n == 0 and oracle.filling(lab_of(())):
            minimal = [()]
        oracle.flush()
        return _depth_result(L, ambient, minimal, lab_of, n_box or 1, oracle, verify, [], t0)
    last = ranges[-1]
    f: dict[tuple, float] = {}  # least filling last width per prefix
    witness: dict[tuple, tuple] = {}  # computed non-filling (prefix, f - 1) per prefix
    minimal = []
    prefixes = sorted(itertools.product(*ranges[:-1]), key=lambda p: (sum(p), p))
    levels = [list(g) for _, g in itertools.groupby(prefixes, key=sum)]
    with progress_bar(len(prefixes), f"frontier depth {L}", enabled=show_progress) as advance:
        for level in levels:  # a prefix depends only on the previous level: run a level at once
            info, active = {}, {}
            for p in level:
                preds = [p[:i] + (p[i] - 1,) + p[i + 1:] for i in range(n - 1)
                         if p[i] > ranges[i].start]
                U, src = INF, None
                for q in preds:
                    if f[q] < U:
                        U, src = f[q], q
                info[p] = (preds, U, src)
                if U <= last.start:
                    f[p] = U
                    assert src is not None  # U is finite: a predecessor set it
                    oracle.imply(lab_of(p + (int(U),)), lab_of(src + (int(U),)), filling=True)
                    advance()
                    continue
                gen = _walk(p, U, last, lab_of)
                active[p] = (gen, next(gen))
            while active:
                oracle.prefetch(lab for _, lab in active.values())
                still = {}
                for p, (gen, lab) in active.items():
                    try:
                        still[p] = (gen, gen.send(oracle.filling(lab)))
                    except StopIteration as stop:
                        c, w = stop.value
                        f[p] = c
                        if w is not None:
                            witness[p] = w
                        _, U, src = info[p]
                        if c == U < INF:
                            assert src is not None  # U is finite: a predecessor set it
                            oracle.imply(lab_of(p + (c,)), lab_of(src + (c,)), filling=True)
                        advance()
                active = still
            for p in level:
                preds = info[p][0]
                if f[p] < INF and all(f[q] > f[p] for q in preds):
                    minimal.append(p + (int(f[p]),))
    minimal.sort()
    violations = []
    preds_of = {m: [m[:i] + (m[i] - 1,) + m[i + 1:] for i in range(n) if m[i] - 1 >= ranges[i].start]
                for m in minimal}
    if verify:
        oracle.prefetch(lab_of(q) for m in minimal for q in preds_of[m])
    for m in minimal:
        for q in preds_of[m]:
            lq = lab_of(q)
            if verify:
                if oracle.filling(lq):
                    violations.append(f"{lq} is filling, below {lab_of(m)}")
            elif lq not in oracle.cache:
                # q <= (q[:-1], f(q[:-1]) - 1), computed not filling
                w = witness.get(q[:-1])
                if w is not None and all(a <= b for a, b in zip(q, w)):
                    oracle.imply(lq, lab_of(w), filling=False)
    oracle.flush()
    return _depth_result(L, ambient, minimal, lab_of, n_box, oracle, verify, violations, t0)


def _ambient(region, d0, dL, L) -> int | None:
    from ..spec import parse_spec

    return parse_spec(_spec(region, (d0, *([1] * (L - 1)), dL))).ambient_dimension


def _depth_result(L, ambient, minimal, lab_of, n_box, oracle, verify, violations, t0):
    labs = [lab_of(m) for m in minimal]
    widths = [tuple(map(int, lab.split()[1].split(","))) for lab in labs]
    return DepthFrontier(depth=L, ambient=ambient, minimal=tuple(labs),
                         unimodal=tuple(is_unimodal(w) for w in widths), n_box=n_box,
                         n_computed=oracle.n_computed, n_implied=oracle.n_implied,
                         n_monte_carlo=len(oracle.mc), undecided=tuple(oracle.undecided),
                         verified=verify, violations=tuple(violations),
                         seconds=time.perf_counter() - t0)
