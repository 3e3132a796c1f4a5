"""Critical points of the squared loss on a neurovariety: ED degree and learning degree.

The loss is |f - u|_Q^2 = (f - u)^T Q (f - u) for f = Phi(theta) in the ambient coordinates of
:func:`neuro.expand` (output k, input monomial x^e). Metrics:

- ``generic``: a random positive definite Q (the generic ED degree; Draisma–Horobeț–Ottaviani–
  Sturmfels–Thomas, *The Euclidean distance degree of an algebraic variety*, FoCM 16, 2016);
- ``unit``: Q = I on the monomial coefficients (for linear networks: the Frobenius norm, where
  the Eckart–Young theorem gives C(min(m, n), r) critical points);
- ``data``: Q = (1/N) sum_j V(x_j)^T V(x_j) with V(x) f = f(x) (the data-induced metric; its
  count is the learning degree of Kohn–Merkh–Montúfar–Trager for generic data).

The count is over the regular part: monodromy in (w, c) stays on the main component of
{theta : C theta = c, J^T (Q Phi - w) = 0} (theta with rank J = dim V), and the critical points
are counted as distinct images Phi(theta). For a real target (random, or from the data) the real
critical points get their loss and Hessian index: the Hessian of theta -> loss at a real
preimage has P - dim V zero eigenvalues along the fiber; the index is the number of negative
ones among the others (second derivatives by central differences: numerical).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

from ...errors import SpecError
from ...homotopy.certify import krawczyk_certify
from ...homotopy.monodromy import monodromy_solve, move
from ...homotopy.result import is_real_point, unique_points
from ...options import check_int, check_keys, check_matrix
from ...polymap import expand, random_rational
from ...progress import check_progress
from ...random import check_seed, child_seed
from ...results import Certainty, Result
from ...spec import parse_spec
from .degree import generic_dimension
from .gauge import Gauge, coordinate_gauge
from .systems import critical_system, image_system

METRICS = ("generic", "unit", "data")
#: monodromy loops tracked together in one batch, and the tracker settings of their paths: a
#: path over budget fails, which costs only its loop, and a path that jumps still ends at a
#: solution (every endpoint is Newton-refined and verified), so loops track loosely
#: (measured in benchmarks/critical.py)
LOOPS_PER_ROUND = 4
LOOP_TRACKING = {"max_steps": 200, "max_correction": 1e-2}


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
class CriticalResult(Result):
    """Number of complex critical points (regular part) and the real ones for a real target."""

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
    strata: tuple[tuple[str, int], ...] = ()  # (subnetwork spec, critical points on its stratum)
    coordinates: tuple[str, ...] = ()  # names of the function coordinates (monomials)
    #: monodromy solutions that failed the unrandomized critical conditions (not counted)
    n_rejected: int = 0
    #: seeds of the inner calls (derived from ``seed``), e.g. {"dimension": ...}
    child_seeds: dict = field(default_factory=dict)

    @property
    def n_real(self) -> int:
        return len(self.real_points)

    def headline(self) -> str:
        name = "learning degree" if self.metric == "data" else f"ED degree ({self.metric} metric)"
        return (f"{name} = {self.n_critical} (numerical: monodromy stagnated after "
                f"{self.n_loops} loops; no trace test for critical points)")

    def lines(self) -> list[tuple[str, str]]:
        out = [("architecture", self.spec), ("dimension", str(self.dimension)),
               ("monodromy", f"{self.n_loops} loops, {self.n_paths} paths, {self.n_failed} failed; "
                             f"solutions after each loop {list(self.history)}"),
               ("certified", f"{self.n_certified} of {self.n_solutions} parameter-space solutions "
                             "(Krawczyk)"),
               ("rejected", f"{self.n_rejected} solutions failing rank J = dim V or "
                            "J^T Q (Phi - u) = 0 (not counted)"),
               ("real target", f"{self.n_real} real critical point{'s' if self.n_real != 1 else ''}"
                               + (f", {self.n_target_failed} paths failed" if self.n_target_failed else ""))]
        for i, pt in enumerate(sorted(self.real_points, key=lambda q: q.loss)):
            out.append((f"  #{i + 1}", f"loss {pt.loss:.6g}, {pt.kind}"))
            names = self.coordinates or tuple(f"f{j + 1}" for j in range(len(pt.function)))
            out.append(("    f", ", ".join(f"{c} = {v:.6g}" for c, v in zip(names, pt.function))))
            out.append(("    real weights", pt.reason))
        out += [("stratum " + spec, f"{n} critical points (regular part of the stratum)")
                for spec, n in self.strata]
        out += [("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]
        return out

    headline_key = "n_critical"
    method_name = "monodromy on the critical system (stagnation; no trace test exists)"

    @property
    def status(self) -> Certainty:
        return Certainty.NUMERICAL

    def payload(self) -> dict:
        return {"spec": self.spec, "metric": self.metric, "n_critical": self.n_critical,
                "dimension": self.dimension, "n_solutions": self.n_solutions,
                "loops": self.n_loops, "paths": self.n_paths, "failed_paths": self.n_failed,
                "history": list(self.history), "n_certified": self.n_certified,
                "n_rejected": self.n_rejected,
                "n_real": self.n_real,
                "coordinates": list(self.coordinates),
                "real_points": [{"loss": p.loss, "index": p.index, "type": p.kind,
                                 "function": list(p.function),
                                 "in_real_neuromanifold": p.realizable, "reason": p.reason,
                                 "weights": None if p.weights is None else list(p.weights)}
                                for p in sorted(self.real_points, key=lambda q: q.loss)],
                "strata": [{"spec": spec, "n_critical": n} for spec, n in self.strata],
                "seed": self.seed, "child_seeds": dict(self.child_seeds), "seconds": round(self.seconds, 4)}


def metric_matrix(phi, metric: str, rng, data=None) -> np.ndarray:
    """Q (object array of Fractions) for ``metric`` on the coordinates of ``phi``."""
    m = phi.n_coordinates
    if metric == "unit":
        return np.array([[Fraction(int(i == j)) for j in range(m)] for i in range(m)], dtype=object)
    if metric == "generic":
        low = random_rational(rng, (m, m))
        return (low @ low.T) / m + np.diag([Fraction(1, 10)] * m)
    if metric == "data":
        x = np.asarray(data["X"], dtype=float)
        v = _evaluation_matrix(phi, x)
        return (v.T @ v) / Fraction(len(x))
    raise SpecError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")


def _evaluation_matrix(phi, x) -> np.ndarray:
    """V with (V f)[(j, k)] = f_k(x_j): rows per sample and output, exact Fractions."""
    n_out = 1 + max(k for k, _ in phi.keys)
    rows = np.empty((len(x) * n_out, phi.n_coordinates), dtype=object)
    rows[:] = Fraction(0)
    xq = [[Fraction(float(v)) for v in row] for row in x]
    for col, (k, exps) in enumerate(phi.keys):
        for j, xs in enumerate(xq):
            val = Fraction(1)
            for xi, e in zip(xs, exps):
                val *= xi**e
            rows[j * n_out + k, col] = val
    return rows


def check_data(arch, data, rng, n_samples: int | None):
    """Data {"X": (N, d0), "Y": (N, dL) optional}; drawn at random (seeded) when None."""
    d0, dl = int(np.prod(arch.input_shape)), int(np.prod(arch.output_shape))
    if data is None:
        n = 4 * arch.n_params if n_samples is None else check_int(n_samples, "n_samples", low=1)
        return {"X": rng.standard_normal((n, d0)), "Y": rng.standard_normal((n, dl))}
    check_keys(data, "data", required=("X",), optional=("Y",))
    x = check_matrix(data["X"], "data X", ndim=2, shape=(None, d0))
    if len(x) == 0:
        raise SpecError("data X must hold at least one sample")
    if "Y" not in data:
        return {"X": x, "Y": rng.standard_normal((len(x), dl))}
    y = check_matrix(data["Y"], "data Y", ndim=(1, 2))
    if y.ndim == 1 and dl == 1:
        y = y[:, None]
    if y.shape != (len(x), dl):
        raise SpecError(f"data Y must have shape ({len(x)}, {dl}) for {arch} (one row of {dl} "
                        f"outputs per sample of X); got {y.shape}")
    return {"X": x, "Y": y}


def critical_points(arch, *, metric: str = "generic", data=None, n_samples: int | None = None,
                    seed=None, stagnation: int = 8, strata: bool = False,
                    show_progress=False) -> CriticalResult:
    """Critical points of the squared loss |f - u|_Q^2 on the neurovariety V of ``arch``.

    Counts the complex critical points on the regular part of V for a generic target u: the
    Euclidean distance degree for the ``generic`` (random positive definite Q) and ``unit``
    (Q = I on the monomial coefficients) metrics, the learning degree for the ``data`` metric
    Q = (1/N) sum_j V(x_j)^T V(x_j). Solved in parameter space on a random gauge slice by
    monodromy, counted as distinct images Phi(theta). For a real target, lists the real
    critical functions with their loss, whether real weights realize them (decided without the
    gauge slice, see :mod:`.realizable`) and the Hessian index there.

    Parameters
    ----------
    arch : str or Architecture
        A polynomial architecture spec, e.g. ``"linear 3,2,4"``.
    metric : {"generic", "unit", "data"}, default="generic"
    data : dict or None, default=None
        ``{"X": [[...], ...], "Y": [[...], ...]}`` for ``metric="data"`` (random Gaussian data
        of ``n_samples`` points when None; Y random when omitted).
    n_samples : int or None, default=None
        Size of the random data (default 4 * #params).
    seed : int, numpy.random.Generator or None, default=None
        The one seed (None: fresh, recorded); inner calls get recorded child seeds.
    stagnation : int, default=8
        Loops without a new critical point before monodromy stops.
    strata : bool, default=False
        Also count critical points on each subnetwork stratum (MLPs: one neuron removed).
    show_progress : bool or callable(str), default=False

    Returns
    -------
    CriticalResult
        ``n_critical``, the monodromy evidence and the real critical points; ``status`` is
        ``"numerical"`` (no trace test exists for critical points: completeness rests on
        stagnation).

    References
    ----------
    Draisma, Horobeț, Ottaviani, Sturmfels, Thomas (2016), The Euclidean distance degree of an
    algebraic variety, Found. Comput. Math. 16, arXiv:1309.0049.
    Kohn, Merkh, Montúfar, Trager (2022), Geometry of linear convolutional networks, SIAM J.
    Appl. Algebra Geom. 6, arXiv:2108.01538 (the data-induced metric).

    Examples
    --------
    >>> critical_points("mlp 2,1,1 x^1", seed=0).n_critical  # V = all linear forms
    1
    """
    show_progress = check_progress(show_progress)
    clock = time.perf_counter()
    seed, rng = check_seed(seed)
    if metric not in METRICS:
        raise SpecError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    seeds = {"dimension": child_seed(rng)}
    dim, _ = generic_dimension(arch, seeds["dimension"])
    phi = expand(arch)
    data = check_data(arch, data, rng, n_samples) if metric == "data" else None
    q = metric_matrix(phi, metric, rng, data)
    main = _count(arch, phi, dim, q, rng, stagnation, show_progress)
    mono, qf = main.mono, q.astype(float)
    sols = mono.solutions
    phi_system, m = image_system(phi), phi.n_coordinates

    # real target
    if metric == "data":
        v = _evaluation_matrix(phi, data["X"]).astype(float)
        w_real = v.T @ data["Y"].reshape(-1) / len(data["X"])
        const = float(np.sum(data["Y"] ** 2) / len(data["X"]))
    else:
        u = rng.standard_normal(m)
        w_real, const = qf @ u, float(u @ qf @ u)
    z_real, ok = move(main.system, sols, main.w0, w_real)
    reals = _real_points(arch, phi, phi_system, main.gauge.embed(z_real[ok]), qf, w_real, const,
                         dim)
    counts: tuple[tuple[str, int], ...] = ()
    if strata:
        counts = tuple((str(sub), _count(sub, expand(sub),
                                         generic_dimension(sub, seeds.setdefault(f"dimension {sub}",
                                                                                 child_seed(rng)))[0],
                                         _restrict(q, phi, expand(sub)), rng, stagnation,
                                         None).n_critical)
                       for sub in subnetworks(arch))
    return CriticalResult(str(arch), metric, main.n_critical, dim, len(sols), mono.n_loops,
                          mono.n_paths, mono.n_failed, mono.history, main.n_certified, reals,
                          int((~ok).sum()), seed, time.perf_counter() - clock, counts,
                          tuple(phi.labels), child_seeds=seeds,
                          n_rejected=main.n_rejected)


@dataclass(frozen=True)
class _Count:
    """One monodromy solve of the critical system on a coordinate gauge (internal)."""

    system: object  # PolySystem in z with parameters w
    gauge: Gauge
    psi_system: object  # the restricted map psi(z) as an image system
    w0: np.ndarray
    mono: object  # MonodromyResult restricted to the verified solutions
    n_critical: int
    n_certified: int
    n_rejected: int
    n_irregular: int


def _count(arch, phi, dim, q, rng, stagnation, show_progress, *, target=None) -> _Count:
    """Monodromy on the critical system of psi = Phi restricted to a coordinate gauge
    (:func:`.gauge.coordinate_gauge`, :func:`.systems.critical_system`) from a constructed
    start pair (z0 random, w0 = Q psi(z0) - n with n normal to im J_psi(z0)), one parameter
    point per image psi(z) (monodromy acts on the critical points of V). Endpoints where
    J_psi drops rank are dropped (counted in ``n_irregular``); every kept solution is then
    checked against the unrandomized conditions with the full Jacobian of Phi (theta regular:
    rank J = dim V; J^T (Q Phi - w) = 0); failures are counted in ``n_rejected``, never in
    the count."""
    gauge = coordinate_gauge(arch, phi, dim, rng)
    psi = gauge.restrict(phi)
    system = critical_system(psi, q)
    qf = q.astype(float)
    psi_system, phi_system = image_system(psi), image_system(phi)
    z0 = (rng.standard_normal(dim) + 1j * rng.standard_normal(dim)) / np.sqrt(2)
    f0, jac0 = (a[0] for a in psi_system.evaluate(z0[None]))
    left = _null_space(jac0.T)  # n with J^T n = 0
    noise = rng.standard_normal(left.shape[1]) + 1j * rng.standard_normal(left.shape[1])
    w0 = qf @ f0 - left @ noise
    irregular = [0]

    def regular(z):
        _, jac = psi_system.evaluate(z)
        s = np.linalg.svd(jac, compute_uv=False)
        ok = s[:, dim - 1] > 1e-8 * s[:, 0] if dim > 0 else np.ones(len(z), dtype=bool)
        irregular[0] += int((~ok).sum())
        return ok

    def image(z):
        return psi_system.evaluate(z)[0]

    mono = monodromy_solve(system, z0[None], w0, seed_rng=rng, stagnation=stagnation,
                           show_progress=show_progress, filter=regular, key=image, target=target,
                           loops_per_round=LOOPS_PER_ROUND, track_opts=LOOP_TRACKING)
    good = _is_critical(phi_system, gauge.embed(mono.solutions), qf, w0, dim)
    sols = mono.solutions[good]
    mono = replace(mono, solutions=sols)
    n_crit = len(unique_points(image(sols))[0]) if len(sols) else 0
    n_cert = krawczyk_certify(system.with_parameters(w0), sols).n_certified if len(sols) else 0
    return _Count(system, gauge, psi_system, w0, mono, n_crit, n_cert, int((~good).sum()),
                  irregular[0])


def _is_critical(phi_system, thetas, qf, w, dim, *, rtol: float = 1e-7) -> np.ndarray:
    """The unrandomized conditions at each theta: rank J = dim (a regular point of the
    parameterization, numerically: sigma_dim > 1e-8 sigma_1) and J^T (Q Phi - w) = 0 relative
    to |J| (|Q Phi| + |w|)."""
    if not len(thetas):
        return np.zeros(0, dtype=bool)
    values, jac = phi_system.evaluate(thetas)
    s = np.linalg.svd(jac, compute_uv=False)
    rank_ok = s[:, dim - 1] > 1e-8 * s[:, 0] if dim > 0 else np.ones(len(thetas), dtype=bool)
    resid = values @ qf.T - w[None, :]
    grad = np.einsum("bmp,bm->bp", jac, resid)
    scale = s[:, 0] * (np.linalg.norm(values @ qf.T, axis=1) + np.linalg.norm(w))
    return rank_ok & (np.linalg.norm(grad, axis=1) <= rtol * np.maximum(scale, 1e-300))


def subnetworks(arch):
    """Subnetwork strata of an MLP: one hidden neuron removed (its outgoing weights zero), per
    hidden layer of width >= 2; each stratum is the neurovariety of the smaller MLP."""
    from ...arch import MLP

    if not isinstance(arch, MLP) or any(a.reciprocal for a in arch.activations):
        raise SpecError("subnetwork strata are implemented for polynomial MLPs (and linear nets)")
    out = []
    for l in range(1, len(arch.widths) - 1):
        if arch.widths[l] >= 2:
            widths = arch.widths[:l] + (arch.widths[l] - 1,) + arch.widths[l + 1:]
            out.append(MLP(widths, arch.activations, bias=arch.bias))
    return out


def _restrict(q, phi, sub):
    """The metric on the coordinates a subnetwork can reach (a subset of the network's)."""
    index = {k: i for i, k in enumerate(phi.keys)}
    idx = [index[k] for k in sub.keys]
    return q[np.ix_(idx, idx)]


def _null_space(a, rtol: float = 1e-10):
    u, s, vh = np.linalg.svd(a)
    rank = int(np.sum(s > rtol * s[0])) if len(s) else 0
    return vh[rank:].conj().T


def _real_points(arch, phi, phi_system, thetas, qf, w, const, dim):
    """Distinct real critical functions, whether real weights realize them (decided without the
    gauge slice), and the Hessian index at such weights."""
    from .realizable import real_realization

    if not len(thetas):
        return ()
    images = phi_system.evaluate(thetas)[0]
    reps, labels = unique_points(images)
    out = []
    for k, f in enumerate(reps):
        if not is_real_point(f[None], rtol=1e-7)[0]:
            continue
        f = f.real
        loss = float(f @ qf @ f - 2 * f @ w + const)
        pre = thetas[labels == k]
        real_pre = pre[is_real_point(pre, rtol=1e-7)]
        real = real_realization(arch, phi, f, real_preimage=real_pre[0].real if len(real_pre)
                                else None)
        theta = real.theta
        index = None if theta is None else _hessian_index(phi_system, theta, qf, w, dim)
        out.append(CriticalPoint(loss, index, tuple(f.tolist()), real.status, real.reason,
                                 None if theta is None else tuple(theta.tolist())))
    return tuple(out)


def _hessian_index(phi_system, theta, qf, w, dim, h: float = 1e-5) -> int:
    """Negative eigenvalues of the loss Hessian, ignoring the P - dim fiber directions."""
    p = len(theta)
    f, jac = (a[0].real for a in phi_system.evaluate(theta[None]))
    resid = qf @ f - w
    second = np.zeros((p, p))
    for k in range(p):
        e = np.zeros(p)
        e[k] = h
        jp = phi_system.evaluate((theta + e)[None])[1][0].real
        jm = phi_system.evaluate((theta - e)[None])[1][0].real
        second[:, k] = resid @ ((jp - jm) / (2 * h))
    hess = 2 * (jac.T @ qf @ jac + (second + second.T) / 2)
    eig = np.linalg.eigvalsh(hess)
    keep = np.argsort(np.abs(eig))[p - dim:]
    return int(np.sum(eig[keep] < 0))
