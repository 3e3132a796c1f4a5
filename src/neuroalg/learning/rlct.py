"""Learning coefficients (real log canonical thresholds): exact values and proven brackets.

For the regression model y = f_theta(x) + N(0, sigma^2) with a true parameter theta*, let
K(theta) = E_x[(f_theta(x) - f_theta*(x))^2] / (2 sigma^2) (the Kullback–Leibler divergence).
The (local) learning coefficient lambda(theta*) is the real log canonical threshold of K near
theta*: the largest pole -lambda of z -> int_U K(theta)^z dtheta over a small neighbourhood U.
Watanabe's theory: the Bayes generalization error with a prior positive at theta* is
E[G_n] = lambda/n + o(1/n), and the free energy is n L_n + lambda log n + O(log log n); for a
regular model lambda = d/2 (d = number of parameters).

What this module knows exactly (each value says which theorem gives it):

* **regular / constant rank.** If rank F(theta*) equals the generic rank of the Fisher matrix, the
  rank of dPhi is constant near theta*, the image is locally a manifold of that dimension r and
  K is a non-degenerate quadratic form in r local coordinates: lambda = r/2, multiplicity 1.
* **reduced-rank regression / two-layer linear networks** (``linear M,H,N``, true rank r):
  the Aoyagi–Watanabe formula (:func:`reduced_rank_regression`), the RLCT of the whole true set.
* **one-hidden-layer monomial networks with one input and one output** (``mlp 1,H,1 x^r``, no
  bias): f = (sum_h a_h b_h^r) x^r, K proportional to g^2 with g = sum_h a_h b_h^r - c*, and
  lambda = lct(g)/2. Where some b_h != 0, grad g != 0 and lambda = 1/2. At b = 0 (then c* = 0) g is
  non-degenerate for its Newton polyhedron (each variable lies in one monomial) with Newton
  distance t = r/H, so lct(g) = H/r (Varchenko), capped at 1 when the real zero set of g has
  smooth points (r odd, a vanishing a_h, or a_h of both signs): lambda = min(1, H/r)/2, and
  lambda = H/(2r) when r is even and every a_h has the same sign (g is then definite).
* **bracket for any point** (splitting lemma): with r = rank F(theta*) and P parameters,
  K = u_1^2 + ... + u_r^2 + g(w) in local analytic coordinates with g >= 0 of order >= 4, hence
  r/2 <= lambda(theta*) <= r/2 + (P - r)/4. The point's strata (:mod:`.strata`) say why the rank
  dropped.

References
----------
[AW05] M. Aoyagi, S. Watanabe (2005), Stochastic complexities of reduced rank regression in
       Bayesian estimation, Neural Networks 18(7), 924-933.
[Wat09] S. Watanabe (2009), Algebraic Geometry and Statistical Learning Theory, Cambridge
        University Press (Thm 6.7: E[G_n] = lambda/n; RLCT of sums in disjoint variables).
[Var76] A. N. Varchenko (1976), Newton polyhedra and estimation of oscillating integrals,
        Funct. Anal. Appl. 10, 175-196.
[Lin11] S. Lin (2011), Algebraic methods for evaluating integrals in Bayesian statistics, PhD
        thesis, UC Berkeley (RLCTs of non-degenerate functions via Newton polyhedra).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .._version import __version__
from ..errors import SpecError
from ..options import check_int
from ..random import check_seed
from ..report import Report
from .network import Network, parse_network
from .points import parse_point, show

_AW = ("Aoyagi, Watanabe (2005), Stochastic complexities of reduced rank regression in Bayesian "
       "estimation, Neural Networks 18(7):924-933")
_CONSTANT_RANK = ("constant rank theorem: rank F(theta*) = generic rank, so K is a non-degenerate "
                  "quadratic form in rank F local coordinates (Watanabe 2009, regular and "
                  "minimally singular cases)")
_NEWTON = ("Newton polyhedron of g = sum_h a_h b_h^r - c*: Varchenko (1976); Lin (2011), "
           "arXiv:1103.0542-type non-degenerate case; lambda = lct(g)/2")
_BRACKET = ("splitting lemma: K = |u|^2 + g(w), g >= 0 of order >= 4, so rank/2 <= lambda <= "
            "rank/2 + (P - rank)/4")


def reduced_rank_regression(M: int, N: int, H: int, r: int) -> tuple[Fraction, int, str]:
    """RLCT and multiplicity of reduced-rank regression y = B A x + noise (Aoyagi–Watanabe 2005).

    A is H x M, B is N x H (M inputs, N outputs, H hidden units: the linear network
    ``linear M,H,N``), the true matrix B* A* has rank r <= min(M, N, H). With S = M + H + N + r:

    * case 1, N + r <= M + H, M + r <= N + H and H + r <= M + N:
      lambda = [2(H + r)(M + N) - (M - N)^2 - (H + r)^2] / 8 (+ 1/8 and m = 2 if S is odd);
    * case 2, M + H < N + r: lambda = (H M - H r + N r) / 2;
    * case 3, N + H < M + r: lambda = (H N - H r + M r) / 2;
    * case 4, M + N < H + r: lambda = M N / 2.

    Returns
    -------
    (lambda, m, case) : (Fraction, int, str)

    Examples
    --------
    >>> reduced_rank_regression(1, 1, 1, 0)   # y = b a x, truth 0: K ~ a^2 b^2
    (Fraction(1, 2), 2, 'case 1 (M + H + N + r odd)')
    >>> reduced_rank_regression(2, 2, 2, 2)[0]  # regular point of a 4-dimensional image
    Fraction(2, 1)
    """
    for name, v in (("M", M), ("N", N), ("H", H)):
        check_int(v, name, low=1)
    check_int(r, "r", low=0)
    if r > min(M, N, H):
        raise SpecError(f"true rank r = {r} exceeds min(M, N, H) = {min(M, N, H)}")
    if M + H < N + r:
        return Fraction(H * M - H * r + N * r, 2), 1, "case 2 (M + H < N + r)"
    if N + H < M + r:
        return Fraction(H * N - H * r + M * r, 2), 1, "case 3 (N + H < M + r)"
    if M + N < H + r:
        return Fraction(M * N, 2), 1, "case 4 (M + N < H + r)"
    base = 2 * (H + r) * (M + N) - (M - N) ** 2 - (H + r) ** 2
    if (M + H + N + r) % 2 == 0:
        return Fraction(base, 8), 1, "case 1 (M + H + N + r even)"
    return Fraction(base + 1, 8), 2, "case 1 (M + H + N + r odd)"


@dataclass(frozen=True)
class LearningCoefficient(Report):
    """A learning coefficient: exact (``status`` certified or numerical: ``value``) or a proven
    bracket [``lower``, ``upper``] (``status`` undecided, ``value`` None)."""

    spec: str
    point: tuple[str, ...] | None
    value: Fraction | None
    lower: Fraction
    upper: Fraction
    multiplicity: int | None
    status: str
    method: str
    reference: str
    n_params: int
    fisher_rank: int | None
    generic_rank: int | None
    strata: tuple[str, ...]
    seed: int | None
    seconds: float
    notes: tuple[str, ...] = ()

    def headline(self) -> str:
        how = {"certified": "exact", "numerical": "exact formula, numerical rank"}.get(self.status, self.status)
        if self.value is not None:
            m = f", multiplicity {self.multiplicity}" if self.multiplicity else ""
            val = show(self.value)
            if "/" in val:
                val += f" = {float(self.value):.4g}"
            return f"learning coefficient of {self.spec}: lambda = {val} ({how}{m})"
        return (f"learning coefficient of {self.spec}: lambda in [{show(self.lower)}, {show(self.upper)}] "
                "(proven bracket)")

    def lines(self) -> list[tuple[str, str]]:
        where = ", ".join(self.point) if self.point else (
            "true matrix of the given rank" if "reduced-rank" in self.method else "generic true parameter")
        out = [("point", where),
               ("regular value", f"d/2 = {self.n_params / 2:g} ({self.n_params} parameters)"),
               ("method", self.method), ("reference", self.reference)]
        if self.fisher_rank is not None:
            out.append(("Fisher rank", f"{self.fisher_rank} (generic {self.generic_rank})"))
        out.append(("strata here", "; ".join(self.strata) if self.strata else "none"))
        out += [("note", n) for n in self.notes]
        out += [("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]
        return out

    def to_dict(self) -> dict:
        return {"value": None if self.value is None else float(self.value),
                "value_exact": None if self.value is None else show(self.value),
                "status": self.status, "spec": self.spec, "method": self.method,
                "seed": self.seed, "seconds": round(self.seconds, 4), "version": __version__,
                "point": list(self.point) if self.point else None,
                "lower": float(self.lower), "upper": float(self.upper),
                "multiplicity": self.multiplicity, "reference": self.reference,
                "n_params": self.n_params, "regular_value": self.n_params / 2,
                "fisher_rank": self.fisher_rank, "generic_rank": self.generic_rank,
                "strata": list(self.strata), "notes": list(self.notes)}


def learning_coefficient(spec, *, at=None, rank: int | None = None, seed=None) -> LearningCoefficient:
    """The learning coefficient of ``spec`` at the true parameter ``at`` (module docstring).

    Parameters
    ----------
    spec : str or network
    at : str or sequence, optional
        The true parameter theta* (decimals and p/q read exactly). Without it (and without
        ``rank``): a generic true parameter, lambda = (generic rank)/2.
    rank : int, optional
        For two-layer linear networks ``linear M,H,N``: the rank of the true matrix (instead of
        ``at``); the Aoyagi–Watanabe value.
    seed : int, Generator or None
        Seeds the generic-rank computation.

    Examples
    --------
    >>> learning_coefficient("linear 3,2,3", rank=1).value
    Fraction(7, 2)
    >>> learning_coefficient("mlp 1,1,1 x^2", at="0,0").value   # K ~ a^2 b^4
    Fraction(1, 4)
    """
    clock = time.perf_counter()
    recorded, rng = check_seed(seed)
    net = parse_network(spec)
    P = net.n_params
    if rank is not None and at is not None:
        raise SpecError("give either the true rank (--rank) or the true parameter (--at), not both")
    linear2 = (isinstance(net, Network) and len(net.widths) == 3 and net.is_polynomial
               and net.activations[0].monomial_power == 1 and not net.bias)
    if rank is not None:
        if not linear2:
            raise SpecError(f"--rank applies to two-layer linear networks (linear M,H,N); got {net}")
        M, H, N = net.widths
        rank = check_int(rank, "rank", low=0, high=min(M, H, N))
        lam, m, case = reduced_rank_regression(M, N, H, rank)
        return LearningCoefficient(str(net), None, lam, lam, lam, m, "certified",
                                   f"reduced-rank regression, true rank {rank}: {case}", _AW, P,
                                   None, None, (), recorded, time.perf_counter() - clock)
    from .fisher import fisher

    if at is None:
        fr = fisher(net, seed=rng)
        if fr.generic_rank is None:
            raise SpecError(f"{net}: no generic rank available")
        lam = Fraction(fr.generic_rank, 2)
        status = "certified" if fr.generic_rank_status.startswith("certified") else "numerical"
        return LearningCoefficient(str(net), None, lam, lam, lam, 1, status,
                                   "generic true parameter: constant rank", _CONSTANT_RANK, P,
                                   fr.generic_rank, fr.generic_rank, (), recorded,
                                   time.perf_counter() - clock)
    theta = parse_point(at, net)
    fr = fisher(net, at=theta, seed=rng)
    r, g = fr.rank, fr.generic_rank
    exact_rank = fr.status == "certified"
    common = dict(spec=str(net), point=tuple(show(t) for t in theta), n_params=P, fisher_rank=r,
                  generic_rank=g, strata=fr.strata, seed=recorded)
    lo, hi = Fraction(r, 2), Fraction(r, 2) + Fraction(P - r, 4)
    notes = [] if exact_rank else ["Fisher rank is numerical (" + fr.status + ")"]
    if linear2:
        M, H, N = net.widths
        W1 = np.array(theta, dtype=object)[: H * M].reshape(H, M)
        W2 = np.array(theta, dtype=object)[H * M:].reshape(N, H)
        from .moments import fmpq_matrix

        true_rank = fmpq_matrix((W2 @ W1).tolist()).rank()
        aw, m, case = reduced_rank_regression(M, N, H, true_rank)
        notes.append(f"Aoyagi-Watanabe (true rank {true_rank}, {case}): {show(aw)}, the RLCT of the "
                     "whole true set {BA = B*A*}, a lower bound of every local coefficient on it")
        if r == g:
            lam = Fraction(r, 2)
            return LearningCoefficient(value=lam, lower=lam, upper=lam, multiplicity=1,
                                       status="certified", method="no rank drop at theta*: constant rank",
                                       reference=_CONSTANT_RANK, seconds=time.perf_counter() - clock,
                                       notes=tuple(notes), **common)
        low = max(lo, aw)
        return LearningCoefficient(value=low if low == hi else None, lower=low, upper=hi,
                                   multiplicity=None, status="certified" if low == hi else "undecided", method="bracket: Aoyagi-Watanabe and the Fisher rank",
                                   reference=_AW + "; " + _BRACKET,
                                   seconds=time.perf_counter() - clock, notes=tuple(notes), **common)
    mono = _one_input_monomial(net)
    if mono is not None:
        H, rr = mono
        b, a = theta[:H], theta[H:]
        if any(v != 0 for v in b):
            lam, m, why = Fraction(1, 2), 1, "some b_h != 0: grad g != 0, lambda = 1/2"
        else:
            same_sign = all(v > 0 for v in a) or all(v < 0 for v in a)
            if rr % 2 == 0 and same_sign:
                lam, m, why = Fraction(H, 2 * rr), None, "b = 0, r even, a_h of one sign: lambda = H/(2r)"
            else:
                lam, m, why = min(Fraction(1), Fraction(H, rr)) / 2, None, \
                    "b = 0: lambda = min(1, H/r)/2 (smooth real zeros of g cap lct(g) at 1)"
        return LearningCoefficient(value=lam, lower=lam, upper=lam, multiplicity=m,
                                   status="certified", method=why, reference=_NEWTON,
                                   seconds=time.perf_counter() - clock, notes=tuple(notes), **common)
    if g is not None and r == g:
        lam = Fraction(r, 2)
        status = "certified" if exact_rank and fr.generic_rank_status.startswith("certified") else "numerical"
        return LearningCoefficient(value=lam, lower=lam, upper=lam, multiplicity=1, status=status,
                                   method="no rank drop at theta*: constant rank",
                                   reference=_CONSTANT_RANK, seconds=time.perf_counter() - clock,
                                   notes=tuple(notes), **common)
    notes.append(f"rank drop {None if g is None else g - r} at theta*: no exact value known here; "
                 "estimate it with 'neuroalg llc'")
    return LearningCoefficient(value=None, lower=lo, upper=hi, multiplicity=None,
                               status="undecided" if exact_rank else "numerical",
                               method="bracket from the Fisher rank", reference=_BRACKET,
                               seconds=time.perf_counter() - clock, notes=tuple(notes), **common)


def _one_input_monomial(net):
    """(H, r) for ``mlp 1,H,1 x^r`` without bias and r >= 2, else None."""
    if not (isinstance(net, Network) and len(net.widths) == 3 and net.widths[0] == 1
            and net.widths[2] == 1 and not net.bias and net.is_polynomial):
        return None
    r = net.activations[0].monomial_power
    return (net.widths[1], r) if r is not None and r >= 2 else None
