"""The Fisher information matrix of a network regression model, its rank and its kernel.

Model: y = f_theta(x) + eps, eps ~ N(0, sigma^2 I), x ~ q (standard Gaussian by default, a
Gaussian N(mu, Sigma), or the empirical distribution of a data set). Its Fisher information is

    F(theta) = (1/sigma^2) E_{x ~ q}[J(x)^T J(x)],   J(x) = df_theta(x)/dtheta  (d_L x P),

positive semidefinite, with kernel {v : J(x) v = 0 for q-almost every x}. F is the Riemannian
metric of the neuromanifold (Amari); where it degenerates the Cramer–Rao bound, the asymptotic
normality of the maximum-likelihood estimator and the d/(2n) laws behind AIC and MDL fail
(Amari, Park, Ozeki 2001). For a Gaussian q with positive definite covariance and a polynomial
network, rank F(theta) = rank dPhi(theta), so the generic rank is the dimension of the
neurovariety (``neuroalg dim``).

Methods (``method=``):

* ``exact``: polynomial networks with Gaussian inputs; Gaussian moments in exact rational
  arithmetic (:mod:`.moments`); the rank is exact (status ``certified``);
* ``quadrature``: tensor Gauss–Hermite with m nodes per input (for polynomial networks m = D + 1,
  D the degree in x, integrates exactly up to rounding, checked against the exact rule m + 2);
  otherwise the error estimate is the change ||F_m - F_m'||_F from a coarser rule
  m' = m - max(2, m/4) (status ``numerical``);
* ``monte-carlo``: N samples of q, standard errors from 20 batch means; the eigenvalue error
  bound is 3 ||SE||_F (Weyl: |lambda_i(F^) - lambda_i(F)| <= ||F^ - F||_2; status ``monte_carlo``);
* ``data``: the empirical distribution of given inputs (a finite average; ``numerical``);
* ``auto``: exact where it applies, else quadrature with at most 20,000 nodes, else Monte Carlo.

Numerical ranks: eigenvalues above tau = max(rtol lambda_max, error bound, rounding level) are
counted; eigenvalues between the rounding level (100 P eps lambda_max) and tau can be neither
confirmed nor excluded: the rank is then reported as an interval with status ``undecided``.
Directions in ker F arising structurally (J(x) v = 0 for every x) are zero up to rounding under
every method, so the strata's kernels are resolved by all of them.

References
----------
[APO01] S. Amari, H. Park, T. Ozeki (2001), Geometrical singularities in the neuromanifold of
        multilayer perceptrons, NeurIPS 14, 343-350.
[Ama16] S. Amari (2016), Information Geometry and Its Applications, Springer, ch. 12.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..arch import MLP, Architecture
from ..errors import SpecError
from ..options import check_choice, check_float, check_int
from ..random import check_seed, child_seed
from ..results import Certainty, Result
from .inputs import (
    EmpiricalInputs,
    GaussianInputs,
    Inputs,
    InputsLike,
    inputs_from_dict,
    load_inputs,
    standard_gaussian,
)
from .moments import (
    MAX_EXACT_MONOMIALS,
    MAX_EXACT_PARAMS,
    exact_fisher,
    exact_kernel,
    fmpq_matrix,
    to_float,
)
from .network import AnyNetwork, Network, check_no_poles, parse_network
from .points import parse_point, show
from .strata import StratumHit, point_on_stratum, strata_at, symmetry_vectors

METHODS = ("auto", "exact", "quadrature", "monte-carlo", "data")
MAX_NODES = 20_000
MAX_RULE = 250  # Gauss-Hermite nodes per input (numpy's weights overflow beyond)
MC_BATCHES = 20


@dataclass(frozen=True)
class KernelPart:
    """Kernel dimensions explained by one cause, beyond the causes listed before it."""

    cause: str
    dimension: int
    n_candidates: int


@dataclass(frozen=True)
class FisherResult(Result):
    """The Fisher information at one point, its spectrum, rank and kernel (module docstring).

    ``rank`` is the headline (``value`` in JSON). ``status`` (:class:`~neuroalg.results.Certainty`):
    ``certified`` (method ``exact``: exact rational matrix, rank over Q), ``numerical``
    (quadrature or a data set), ``monte_carlo`` (sampled inputs; error bound from batch means) or
    ``undecided`` (some eigenvalue lies between the rounding level and the error bound; the rank
    is then only known to lie in ``rank_interval``).
    """

    spec: str
    point: tuple[float, ...]
    point_exact: tuple[str, ...] | None
    inputs: str
    noise: float
    method: str
    matrix: np.ndarray
    exact_matrix: tuple[tuple[str, ...], ...] | None
    eigenvalues: tuple[float, ...]
    rank: int
    rank_interval: tuple[int, int]
    n_params: int
    generic_rank: int | None
    generic_rank_status: str
    gap: float | None
    error_bound: float
    n_nodes: int
    kernel: tuple[tuple[float, ...], ...]
    parts: tuple[KernelPart, ...]
    unexplained: int
    strata: tuple[str, ...]
    seed: int | None
    seconds: float
    notes: tuple[str, ...] = ()
    #: seeds of the inner calls, e.g. {"dimension": ...} for the generic rank
    child_seeds: dict[str, int] = field(default_factory=dict)

    headline_key = "rank"

    @property
    def status(self) -> Certainty:
        if self.method == "exact":
            return Certainty.CERTIFIED
        if self.rank_interval[0] != self.rank_interval[1]:
            return Certainty.UNDECIDED
        return Certainty.MONTE_CARLO if self.method == "monte-carlo" else Certainty.NUMERICAL

    @property
    def is_certified(self) -> bool:
        return self.status is Certainty.CERTIFIED

    @property
    def kernel_dimension(self) -> int:
        return self.n_params - self.rank

    def headline(self) -> str:
        status = self.status
        how = {"certified": "certified: exact rational arithmetic", "numerical": "numerical",
               "monte_carlo": "Monte Carlo", "undecided": "undecided"}[status.value]
        rank = (f"rank in [{self.rank_interval[0]}, {self.rank_interval[1]}]"
                if status is Certainty.UNDECIDED else f"rank {self.rank}")
        gap = f", gap {self.gap:.1e}" if self.gap is not None and not self.is_certified else ""
        return f"Fisher information of {self.spec}: {rank} of {self.n_params} ({how}{gap})"

    def lines(self) -> list[tuple[str, str]]:
        pt = ", ".join(self.point_exact) if self.point_exact else ", ".join(f"{v:.6g}" for v in self.point)
        out = [("point", pt), ("inputs", self.inputs), ("noise", f"sigma = {self.noise:g}"),
               ("method", self.method + (f" ({self.n_nodes} nodes)" if self.n_nodes else "")),
               ("eigenvalues", ", ".join(f"{v:.4g}" for v in self.eigenvalues))]
        if not self.is_certified:
            out.append(("error bound", f"{self.error_bound:.2e} (on ||F^ - F||, bounds each eigenvalue's error)"))
        if self.generic_rank is not None:
            drop = self.generic_rank - self.rank
            out.append(("generic rank", f"{self.generic_rank} ({self.generic_rank_status}); "
                        + (f"rank drop {drop} here" if drop > 0 else "no rank drop here")))
        out.append(("strata here", "; ".join(self.strata) if self.strata else "none"))
        k = self.kernel_dimension
        explained = ", ".join(f"{p.cause}: {p.dimension}" for p in self.parts if p.dimension)
        out.append(("kernel", f"dimension {k}" + (f" = {explained}" if explained else "")
                    + (f", unexplained {self.unexplained}" if self.unexplained else "")))
        for note in self.notes:
            out.append(("note", note))
        out += [("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]
        return out

    def payload(self) -> dict[str, Any]:
        return {"spec": self.spec, "method": self.method, "seed": self.seed,
                "seconds": round(self.seconds, 4),
                "point": list(self.point), "point_exact": list(self.point_exact) if self.point_exact else None,
                "inputs": self.inputs, "noise": self.noise, "rank": self.rank,
                "rank_interval": list(self.rank_interval), "n_params": self.n_params,
                "generic_rank": self.generic_rank, "generic_rank_status": self.generic_rank_status,
                "eigenvalues": list(self.eigenvalues), "gap": self.gap,
                "error_bound": self.error_bound, "n_nodes": self.n_nodes,
                "kernel_dimension": self.kernel_dimension,
                "kernel_attribution": [{"cause": p.cause, "dimension": p.dimension,
                                        "candidates": p.n_candidates} for p in self.parts],
                "unexplained": self.unexplained, "strata": list(self.strata),
                "kernel": [list(v) for v in self.kernel], "matrix": self.matrix.tolist(),
                "exact_matrix": [list(r) for r in self.exact_matrix] if self.exact_matrix else None,
                "notes": list(self.notes), "child_seeds": dict(self.child_seeds)}


def fisher(spec: str | Architecture | AnyNetwork, *, at: str | Sequence[Any] | None = None,
           stratum: str | None = None, inputs: InputsLike = None, noise: float = 1.0,
           method: str = "auto", samples: int = 200_000, nodes: int | None = None,
           rtol: float = 1e-10, seed: int | np.random.Generator | None = None) -> FisherResult:
    """Fisher information of the regression model y = f_theta(x) + N(0, sigma^2) at a point.

    F(theta) = (1/sigma^2) E_x[J(x)^T J(x)] with J(x) = df_theta(x)/dtheta and x ~ q (standard
    Gaussian by default): its eigenvalues, its rank with the evidence for it, and its kernel
    compared with the known symmetries and with the subnetwork strata through theta (dead,
    merged, cancelling neurons, zero outgoing weights; :mod:`neuroalg.learning.strata`), which
    name the kernel directions they cause. Exact (Gaussian moments in rational arithmetic) for
    polynomial MLPs with Gaussian inputs; Gauss–Hermite quadrature or Monte Carlo with an error
    bound otherwise (tanh and erf networks are numerical only). The generic rank is reported
    beside it: for a polynomial network and Gaussian inputs with a positive definite covariance
    it is the dimension of the neurovariety (:func:`neuroalg.dimension`, seeded by a recorded
    child seed).

    Parameters
    ----------
    spec : str, Architecture or network
        ``mlp 1,2,1 tanh``, ``mlp 2,3,1 x^2``, ``linear 2,2,2``, ``cnn k=3,2 x^2``, ... (every spec
        of ``neuroalg specs``, and for MLPs the activations ``tanh`` and ``erf``).
    at : str or sequence, optional
        The point theta (decimals and p/q read exactly), in the layout of the spec (layer by
        layer, W_l row-major, then b_l).
    stratum : str, optional
        Instead of ``at``: a random rational point of a stratum (``zero-outgoing``, ``dead``,
        ``merged``, ``cancelling``, optionally ``:LAYER``). Neither: a random generic point.
    inputs : GaussianInputs, EmpiricalInputs, dict or path, optional
        The input distribution q (default standard Gaussian): a JSON file or dict
        ``{"mean": [...], "cov": [[...]]}`` or ``{"X": [[...]]}`` (samples).
    noise : float, default=1.0
        sigma, the noise standard deviation (> 0).
    method : {"auto", "exact", "quadrature", "monte-carlo", "data"}, default="auto"
        ``auto``: exact where it applies, else quadrature with at most 20,000 nodes, else Monte
        Carlo; ``data`` for a sample file.
    samples : int, default=200000
        Monte Carlo sample size (100 to 10^8).
    nodes : int, optional
        Gauss–Hermite nodes per input (1 to 250; default: D + 1 for polynomials of degree D in
        x, else as many as 20,000 nodes allow, at most 200).
    rtol : float, default=1e-10
        Relative eigenvalue threshold of numerical ranks.
    seed : int, numpy.random.Generator or None, default=None
        Seeds the random point or stratum point, Monte Carlo and the generic rank (recorded).

    Returns
    -------
    FisherResult
        ``rank`` (the headline), ``rank_interval``, ``eigenvalues``, ``matrix`` (and
        ``exact_matrix`` as strings p/q when exact), ``kernel``, the attribution ``parts`` of
        the kernel to symmetries and strata, ``generic_rank``. ``status``: ``certified`` (exact
        rational matrix, exact rank), ``numerical`` (quadrature or a data set, with
        ``error_bound``), ``monte_carlo`` (sampled inputs; error bound from batch means) or
        ``undecided`` (an eigenvalue between the rounding level and the error bound).

    Raises
    ------
    SpecError
        A bad spec, point, stratum, input file, method or option (one line naming it).

    References
    ----------
    [APO01] S. Amari, H. Park, T. Ozeki (2001), Geometrical singularities in the neuromanifold
    of multilayer perceptrons, NeurIPS 14, 343-350.
    [Fuk96] K. Fukumizu (1996), A regularity condition of the information matrix of a
    multilayer perceptron network, Neural Networks 9(5), 871-879.

    Examples
    --------
    >>> r = fisher("mlp 1,2,1 x^2", at="1, 2, 3, -1", seed=0)
    >>> r.rank, r.status.value, r.exact_matrix[0]
    (1, 'certified', ('108', '-72', '18', '72'))
    """
    clock = time.perf_counter()
    recorded, rng = check_seed(seed)
    net = parse_network(spec)
    method = check_choice(method, "method", METHODS)
    noise = check_float(noise, "noise", low=0, open_low=True)
    samples = check_int(samples, "samples", low=100, high=10**8)
    rtol = check_float(rtol, "rtol", low=0, high=1e-2, open_low=True)
    if nodes is not None:
        nodes = check_int(nodes, "nodes", low=1, high=MAX_RULE)
    q = _inputs(inputs, net)
    if isinstance(q, GaussianInputs):
        check_no_poles(net, "the Fisher information E[J^T J]", ", or a data set (--inputs with \"X\")")
    if at is not None and stratum is not None:
        raise SpecError("give either a point (--at) or a stratum (--stratum), not both")
    if stratum is not None:
        theta = point_on_stratum(net, stratum, rng)
    elif at is not None:
        theta = parse_point(at, net)
    else:
        theta = tuple(Fraction(float(v)) for v in net.random_params(rng))
    method = _resolve(method, net, q)
    notes = []
    if net.is_numerical_only:
        notes.append(f"{'1/x' if net.has_poles else 'tanh/erf'} activations: numerical computation only")
    P = net.n_params
    exact_rows = None
    if method == "exact":
        assert isinstance(net, Network) and net.arch is not None  # _resolve checked it
        F_exact = _exact(net.arch, theta, q, noise)
        F, err, n_nodes = to_float(F_exact), 0.0, 0
        eig = np.linalg.eigh((F + F.T) / 2)[0][::-1]  # as the numerical branch computes them
        rank = lo = hi = F_exact.rank()
        eig[rank:] = 0.0  # exact: F has exactly P - rank zero eigenvalues
        kernel_exact = exact_kernel(F_exact)
        hits = strata_at(net, theta, exact=True)
        groups = _groups(symmetry_vectors(net, theta, exact=True), hits)
        parts, unexplained = _attribute_exact(kernel_exact, groups, P)
        kernel = _orthonormal(np.array([[float(v) for v in k] for k in kernel_exact]).T)
        exact_rows = tuple(tuple(_fq(F_exact[i, j]) for j in range(P)) for i in range(P))
    else:
        point = [float(t) for t in theta]
        F, err, n_nodes = _numerical(net, np.array(point), q, noise, method, samples, nodes, rng)
        eig, vecs = np.linalg.eigh((F + F.T) / 2)
        eig, vecs = eig[::-1], vecs[:, ::-1]
        lam_max = max(float(eig[0]), 0.0) if len(eig) else 0.0
        rounding = 100 * P * np.finfo(float).eps * lam_max
        tau = max(rtol * lam_max, err, rounding)
        lo, hi = int(np.sum(eig > tau)), int(np.sum(eig > rounding))
        rank = lo
        hits = strata_at(net, point, exact=False)
        groups = _groups(symmetry_vectors(net, point, exact=False), hits)
        kernel = vecs[:, rank:]
        parts, unexplained = _attribute_float(kernel, groups)
    gap = None
    if 0 < rank < P:
        gap = float(eig[rank - 1] / eig[rank]) if eig[rank] > 0 else float("inf")
    generic, generic_status, child_seeds = _generic_rank(net, q, noise, method, samples, nodes,
                                                         rtol, rng)
    return FisherResult(
        spec=str(net), point=tuple(float(t) for t in theta),
        point_exact=tuple(show(t) for t in theta) if exact_rows is not None else None,
        inputs=q.describe(), noise=noise, method=method, matrix=F,
        exact_matrix=exact_rows, eigenvalues=tuple(float(v) for v in eig), rank=int(rank),
        rank_interval=(int(lo), int(hi)), n_params=P, generic_rank=generic,
        generic_rank_status=generic_status, gap=gap, error_bound=float(err), n_nodes=n_nodes,
        kernel=tuple(tuple(float(v) for v in col) for col in kernel.T), parts=tuple(parts),
        unexplained=int(unexplained), strata=tuple(h.name for h in hits), seed=recorded,
        seconds=time.perf_counter() - clock, notes=tuple(notes), child_seeds=child_seeds)


def _groups(symmetries: list[tuple], hits: list[StratumHit]) -> list[tuple[str, list[tuple]]]:
    """The candidate kernel vectors by cause: the known symmetries, then each stratum."""
    return [("known symmetries", symmetries)] + [(h.name, list(h.candidates)) for h in hits]


def _fq(v: Any) -> str:  # a flint fmpq
    return show(Fraction(int(v.p), int(v.q)))


def _inputs(inputs: InputsLike, net: AnyNetwork) -> Inputs:
    d = net.n_inputs
    if inputs is None:
        return standard_gaussian(d)
    if isinstance(inputs, (GaussianInputs, EmpiricalInputs)):
        if inputs.dim != d:
            raise SpecError(f"{net} has {d} inputs; the input distribution has dimension {inputs.dim}")
        return inputs
    if isinstance(inputs, dict):
        return inputs_from_dict(inputs, d)
    return load_inputs(inputs, d)


def _resolve(method: str, net: AnyNetwork, q: Inputs) -> str:
    gaussian = isinstance(q, GaussianInputs)
    if isinstance(q, EmpiricalInputs):
        if method not in ("auto", "data"):
            raise SpecError(f"method '{method}' needs a Gaussian input distribution; a data set "
                            "is averaged exactly (method 'data')")
        return "data"
    if method == "data":
        raise SpecError("method 'data' needs an input file with samples {\"X\": [[...], ...]}")
    exact_ok = (isinstance(net, Network) and net.arch is not None and gaussian
                and net.n_params <= MAX_EXACT_PARAMS)
    if method == "exact":
        if not exact_ok:
            why = ("tanh and erf are not polynomial" if net.is_numerical_only else
                   f"the exact path takes MLPs with at most {MAX_EXACT_PARAMS} parameters")
            raise SpecError(f"method 'exact' is not available for {net}: {why}; use quadrature "
                            "or monte-carlo")
        return "exact"
    if method != "auto":
        return method
    if exact_ok:
        D = net.output_degree or 1
        from math import comb

        if comb(net.n_inputs + D, D) <= MAX_EXACT_MONOMIALS:
            return "exact"
    return "quadrature" if _default_nodes(net) is not None else "monte-carlo"


def _default_nodes(net: AnyNetwork) -> int | None:
    d = net.n_inputs
    if net.output_degree is not None:
        m = net.output_degree + 1
        return m if m**d <= MAX_NODES else None
    m = min(200, int(np.floor(MAX_NODES ** (1.0 / d) + 1e-9)))
    return m if m >= 8 else None


def _exact(arch: MLP, theta: tuple[Fraction, ...], q: Inputs, noise: float) -> Any:
    """The exact Fisher matrix (flint fmpq_mat) for Gaussian inputs q."""
    assert isinstance(q, GaussianInputs)
    if q.is_standard:
        return exact_fisher(arch, theta, noise=Fraction(noise))
    return exact_fisher(arch, theta, mean=q.exact_mean(), cov=q.exact_cov(), noise=Fraction(noise))


def _gram(net: AnyNetwork, theta: np.ndarray, X: np.ndarray, w: np.ndarray,
          chunk: int = 5000) -> np.ndarray:
    """sum_j w_j J(x_j)^T J(x_j) over the rows x_j of X, in chunks."""
    P = net.n_params
    F = np.zeros((P, P))
    for s in range(0, len(X), chunk):
        J = net.jacobian(theta, X[s:s + chunk])  # (n, dL, P)
        Jw = J * np.sqrt(w[s:s + chunk])[:, None, None]
        Jw = Jw.reshape(-1, P)
        F += Jw.T @ Jw
    return F


def _numerical(net: AnyNetwork, theta: np.ndarray, q: Inputs, noise: float, method: str,
               samples: int, nodes: int | None, rng: np.random.Generator
               ) -> tuple[np.ndarray, float, int]:
    """(F, error bound on ||F^ - F||, number of nodes or samples) by quadrature, Monte Carlo or
    the data set's average."""
    s2 = noise * noise
    if method == "data":
        assert isinstance(q, EmpiricalInputs)  # _resolve: data sets and only they use "data"
        X = q.X
        F = _gram(net, theta, X, np.full(len(X), 1.0 / len(X))) / s2
        return F, 0.0, len(X)
    assert isinstance(q, GaussianInputs)
    if method == "quadrature":
        m = nodes or _default_nodes(net)
        if m is None or m**q.dim > 10 * MAX_NODES:
            raise SpecError(f"quadrature for {q.dim} inputs needs too many nodes; use monte-carlo")
        # polynomial networks: m >= D + 1 integrates exactly, so a finer exact rule m + 2 checks
        # the rounding; otherwise the change from a coarser rule estimates the error
        exact_rule = net.output_degree is not None and m >= net.output_degree + 1
        m1 = m + 2 if exact_rule and m + 2 <= MAX_RULE else max(1, m - max(2, m // 4))
        X1, w1 = q.quadrature(m1)
        X, w = q.quadrature(m)
        F = _gram(net, theta, X, w) / s2
        err = float(np.linalg.norm(_gram(net, theta, X1, w1) / s2 - F))
        return F, err, len(X)
    # Monte Carlo with batch means
    X = q.sample(rng, samples)
    batches = np.array_split(np.arange(samples), MC_BATCHES)
    Fb = np.stack([_gram(net, theta, X[b], np.full(len(b), 1.0 / len(b))) / s2 for b in batches])
    F = Fb.mean(axis=0)
    se = Fb.std(axis=0, ddof=1) / np.sqrt(MC_BATCHES)
    return F, float(3 * np.linalg.norm(se)), samples


def _generic_rank(net: AnyNetwork, q: Inputs, noise: float, method: str, samples: int,
                  nodes: int | None, rtol: float, rng: np.random.Generator
                  ) -> tuple[int, str, dict[str, int]]:
    """(generic rank, how it is known, the child seeds of inner calls)."""
    if isinstance(net, Network) and net.arch is not None and isinstance(q, GaussianInputs) and \
            np.linalg.matrix_rank(q.cov) == q.dim:
        from ..geometry import dimension

        seed = child_seed(rng)
        r = dimension(net.arch, seed=seed)
        return r.dimension, ("certified: the neurovariety's dimension, neuroalg dim"
                             if r.is_certified else "Monte Carlo: neuroalg dim"), {"dimension": seed}
    if method != "data":
        method = "quadrature" if _default_nodes(net) is not None else "monte-carlo"
    best = (-1, -1)
    for _ in range(3):  # the rank is lower semicontinuous: the generic rank is the maximum
        F, err, _ = _numerical(net, net.random_params(rng), q, noise, method, samples, nodes, rng)
        eig = np.linalg.eigvalsh((F + F.T) / 2)
        lam = max(float(eig[-1]), 0.0)
        rounding = 100 * len(eig) * np.finfo(float).eps * lam
        lo, hi = int(np.sum(eig > max(rtol * lam, err, rounding))), int(np.sum(eig > rounding))
        best = max(best, (lo, hi))
    lo, hi = best
    if lo == hi:
        return lo, f"numerical: largest rank at 3 random points ({method})", {}
    return hi, (f"numerical, undecided: largest rank at 3 random points in [{lo}, {hi}] "
                f"({method}); {hi} counts every eigenvalue above rounding"), {}


def _rank_q(vectors: list[list], n: int) -> int:
    if not vectors:
        return 0
    return fmpq_matrix(vectors).rank()


def _attribute_exact(kernel: list[list[Fraction]], groups: list[tuple[str, list[tuple]]],
                     P: int) -> tuple[list[KernelPart], int]:
    """Kernel dimensions explained by each cause beyond the previous ones (exact ranks over Q),
    and the number no cause explains."""
    k = len(kernel)
    parts: list[KernelPart] = []
    acc: list[list] = []
    prev = 0
    for cause, vecs in groups:
        acc = acc + [list(v) for v in vecs]
        r_acc = _rank_q(acc, P)
        inter = k + r_acc - _rank_q(kernel + acc, P) if acc else 0
        parts.append(KernelPart(cause, inter - prev, len(vecs)))
        prev = inter
    return parts, k - prev


def _orthonormal(A: np.ndarray) -> np.ndarray:
    if A.size == 0:
        return A.reshape(A.shape[0] if A.ndim == 2 else 0, 0)
    q = np.linalg.qr(A)[0]
    return q[:, : np.linalg.matrix_rank(A)]


def _num_rank(A: np.ndarray, tol: float = 1e-7) -> int:
    if A.size == 0 or A.shape[1] == 0:
        return 0
    norms = np.linalg.norm(A, axis=0)
    A = A[:, norms > 0] / norms[norms > 0]
    if A.shape[1] == 0:
        return 0
    s = np.linalg.svd(A, compute_uv=False)
    return int(np.sum(s > tol * max(1.0, s[0])))


def _attribute_float(K: np.ndarray, groups: list[tuple[str, list[tuple]]]
                     ) -> tuple[list[KernelPart], int]:
    """As :func:`_attribute_exact` for a numerical kernel basis K (columns), by SVD ranks."""
    k = K.shape[1]
    parts: list[KernelPart] = []
    acc = np.zeros((K.shape[0], 0))
    prev = 0
    for cause, vecs in groups:
        if vecs:
            acc = np.hstack([acc, np.array(vecs, dtype=float).T])
        inter = k + _num_rank(acc) - _num_rank(np.hstack([K, acc])) if acc.shape[1] else 0
        parts.append(KernelPart(cause, inter - prev, len(vecs)))
        prev = inter
    return parts, k - prev
