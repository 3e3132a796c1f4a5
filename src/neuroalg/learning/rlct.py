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
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..arch import Architecture
from ..errors import SpecError
from ..options import check_int
from ..random import check_seed
from ..results import Certainty, Result
from .network import AnyNetwork, Network, check_no_poles, parse_network
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
class LearningCoefficient(Result):
    """A learning coefficient lambda at a true parameter: exact (``coefficient``, a Fraction) or
    a proven bracket [``lower``, ``upper``] (``coefficient`` None).

    ``learning_coefficient`` (float) is the headline of the JSON (``value``), with its exact
    form ``learning_coefficient_exact`` ("p/q"). ``status``: ``certified`` (a theorem applied to
    exact data: Aoyagi–Watanabe, the Newton polyhedron, constant rank with exact ranks),
    ``numerical`` (the theorem applied to a numerical Fisher rank, or a bracket from one) or
    ``undecided`` (only the proven bracket is known).
    """

    spec: str
    point: tuple[str, ...] | None
    coefficient: Fraction | None
    lower: Fraction
    upper: Fraction
    multiplicity: int | None
    certainty: Certainty
    method: str
    reference: str
    n_params: int
    fisher_rank: int | None
    generic_rank: int | None
    strata: tuple[str, ...]
    seed: int | None
    seconds: float
    notes: tuple[str, ...] = ()

    headline_key = "learning_coefficient"

    @property
    def status(self) -> Certainty:
        return self.certainty

    def headline(self) -> str:
        how = {"certified": "exact", "numerical": "exact formula, numerical rank"}.get(
            self.certainty.value, self.certainty.value)
        if self.coefficient is not None:
            m = f", multiplicity {self.multiplicity}" if self.multiplicity else ""
            val = show(self.coefficient)
            if "/" in val:
                val += f" = {float(self.coefficient):.4g}"
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

    def payload(self) -> dict[str, Any]:
        lam = self.coefficient
        return {"learning_coefficient": None if lam is None else float(lam),
                "learning_coefficient_exact": None if lam is None else show(lam),
                "spec": self.spec, "method": self.method, "seed": self.seed,
                "seconds": round(self.seconds, 4),
                "point": list(self.point) if self.point else None,
                "lower": float(self.lower), "upper": float(self.upper),
                "multiplicity": self.multiplicity, "reference": self.reference,
                "n_params": self.n_params, "regular_value": self.n_params / 2,
                "fisher_rank": self.fisher_rank, "generic_rank": self.generic_rank,
                "strata": list(self.strata), "notes": list(self.notes)}


def learning_coefficient(spec: str | Architecture | AnyNetwork, *,
                         at: str | Sequence[Any] | None = None, rank: int | None = None,
                         seed: int | np.random.Generator | None = None) -> LearningCoefficient:
    """The learning coefficient lambda of ``spec`` at the true parameter ``at``.

    lambda(theta*) is the real log canonical threshold of the Kullback–Leibler divergence
    K(theta) = E_x[(f_theta(x) - f_theta*(x))^2] / (2 sigma^2) near theta* (x ~ N(0, I)); for a
    prior positive at theta*, the Bayes generalization error is E[G_n] = lambda/n + o(1/n)
    (Watanabe 2009, Thm 6.7). Exact values where a theorem gives them (module docstring):
    constant rank (rank F(theta*) = generic rank: lambda = rank/2), reduced-rank regression
    (Aoyagi–Watanabe 2005, ``linear M,H,N``) and one-input monomial networks ``mlp 1,H,1 x^r``
    (Newton polyhedra, Varchenko 1976); at any other point the proven bracket
    rank/2 <= lambda <= rank/2 + (P - rank)/4 (splitting lemma), with the strata through theta*.

    Parameters
    ----------
    spec : str, Architecture or network
        Any spec :func:`~neuroalg.learning.fisher.fisher` accepts.
    at : str or sequence, optional
        The true parameter theta* (decimals and p/q read exactly). Without it (and without
        ``rank``): a generic true parameter, lambda = (generic rank)/2.
    rank : int, optional
        For two-layer linear networks ``linear M,H,N``: the rank of the true matrix (instead of
        ``at``); the Aoyagi–Watanabe value.
    seed : int, numpy.random.Generator or None, default=None
        Seeds the Fisher and generic-rank computations.

    Returns
    -------
    LearningCoefficient
        ``coefficient`` (exact Fraction, or None), the bracket ``lower``, ``upper``, the
        ``multiplicity`` where known, ``method`` and ``reference`` (the theorem used), the Fisher
        and generic ranks and the strata through theta*. ``status``: ``certified`` (a theorem
        applied to exact data), ``numerical`` (applied to a numerical Fisher rank) or
        ``undecided`` (only the proven bracket).

    Raises
    ------
    SpecError
        A bad spec, point or rank, or ``rank`` and ``at`` together.

    References
    ----------
    [AW05] M. Aoyagi, S. Watanabe (2005), Stochastic complexities of reduced rank regression in
    Bayesian estimation, Neural Networks 18(7), 924-933.
    [Wat09] S. Watanabe (2009), Algebraic Geometry and Statistical Learning Theory, Cambridge
    University Press.
    [Var76] A. N. Varchenko (1976), Newton polyhedra and estimation of oscillating integrals,
    Funct. Anal. Appl. 10, 175-196.

    Examples
    --------
    >>> learning_coefficient("linear 3,2,3", rank=1).coefficient
    Fraction(7, 2)
    >>> r = learning_coefficient("mlp 1,1,1 x^2", at="0,0")   # K ~ a^2 b^4
    >>> r.coefficient, r.status.value
    (Fraction(1, 4), 'certified')
    """
    clock = time.perf_counter()
    recorded, rng = check_seed(seed)
    net = parse_network(spec)
    check_no_poles(net, "K(theta) = E[(f_theta - f_theta*)^2]/(2 sigma^2)")
    P = net.n_params
    if rank is not None and at is not None:
        raise SpecError("give either the true rank (--rank) or the true parameter (--at), not both")
    linear2 = _two_layer_linear(net)
    if rank is not None:
        if linear2 is None:
            raise SpecError(f"--rank applies to two-layer linear networks (linear M,H,N); got {net}")
        M, H, N = linear2
        rank = check_int(rank, "rank", low=0, high=min(M, H, N))
        lam, m, case = reduced_rank_regression(M, N, H, rank)
        return LearningCoefficient(str(net), None, lam, lam, lam, m, Certainty.CERTIFIED,
                                   f"reduced-rank regression, true rank {rank}: {case}", _AW, P,
                                   None, None, (), recorded, time.perf_counter() - clock)
    from .fisher import fisher

    if at is None:
        fr = fisher(net, seed=rng)
        if fr.generic_rank is None:
            raise SpecError(f"{net}: no generic rank available")
        lam = Fraction(fr.generic_rank, 2)
        generic_certified = fr.generic_rank_status.startswith("certified")
        return LearningCoefficient(str(net), None, lam, lam, lam, 1,
                                   Certainty.CERTIFIED if generic_certified else Certainty.NUMERICAL,
                                   "generic true parameter: constant rank", _CONSTANT_RANK, P,
                                   fr.generic_rank, fr.generic_rank, (), recorded,
                                   time.perf_counter() - clock)
    theta = parse_point(at, net)
    fr = fisher(net, at=theta, seed=rng)
    r, g = fr.rank, fr.generic_rank
    exact_rank = fr.is_certified
    # constant rank is a theorem when both ranks are exact
    constant_rank = (Certainty.CERTIFIED if exact_rank and fr.generic_rank_status.startswith("certified")
                     else Certainty.NUMERICAL)
    lo, hi = Fraction(r, 2), Fraction(r, 2) + Fraction(P - r, 4)
    notes = [] if exact_rank else [f"Fisher rank is numerical ({fr.status.value})"]

    def result(lam: Fraction | None, lower: Fraction, upper: Fraction, multiplicity: int | None,
               certainty: Certainty, method: str, reference: str) -> LearningCoefficient:
        return LearningCoefficient(str(net), tuple(show(t) for t in theta), lam, lower, upper,
                                   multiplicity, certainty, method, reference, P, r, g, fr.strata,
                                   recorded, time.perf_counter() - clock, tuple(notes))

    if linear2 is not None:
        M, H, N = linear2
        W1 = np.array(theta, dtype=object)[: H * M].reshape(H, M)
        W2 = np.array(theta, dtype=object)[H * M:].reshape(N, H)
        from .moments import fmpq_matrix

        true_rank = fmpq_matrix((W2 @ W1).tolist()).rank()
        aw, m, case = reduced_rank_regression(M, N, H, true_rank)
        notes.append(f"Aoyagi-Watanabe (true rank {true_rank}, {case}): {show(aw)}, the RLCT of the "
                     "whole true set {BA = B*A*}, a lower bound of every local coefficient on it")
        if r == g:
            lam = Fraction(r, 2)
            return result(lam, lam, lam, 1, constant_rank, "no rank drop at theta*: constant rank",
                          _CONSTANT_RANK)
        low = max(lo, aw)
        pinned = low == hi
        return result(low if pinned else None, low, hi, None,
                      Certainty.NUMERICAL if not exact_rank else
                      Certainty.CERTIFIED if pinned else Certainty.UNDECIDED,
                      "bracket: Aoyagi-Watanabe and the Fisher rank", _AW + "; " + _BRACKET)
    mono = _one_input_monomial(net)
    if mono is not None:
        H, rr = mono
        b, a = theta[:H], theta[H:]
        mult: int | None
        if any(v != 0 for v in b):
            lam, mult, why = Fraction(1, 2), 1, "some b_h != 0: grad g != 0, lambda = 1/2"
        else:
            same_sign = all(v > 0 for v in a) or all(v < 0 for v in a)
            if rr % 2 == 0 and same_sign:
                lam, mult, why = Fraction(H, 2 * rr), None, "b = 0, r even, a_h of one sign: lambda = H/(2r)"
            else:
                lam, mult, why = min(Fraction(1), Fraction(H, rr)) / 2, None, \
                    "b = 0: lambda = min(1, H/r)/2 (smooth real zeros of g cap lct(g) at 1)"
        return result(lam, lam, lam, mult, Certainty.CERTIFIED, why, _NEWTON)
    if g is not None and r == g:
        lam = Fraction(r, 2)
        return result(lam, lam, lam, 1, constant_rank, "no rank drop at theta*: constant rank",
                      _CONSTANT_RANK)
    notes.append(f"rank drop {None if g is None else g - r} at theta*: no exact value known here; "
                 "estimate it with 'neuroalg llc'")
    return result(None, lo, hi, None, Certainty.UNDECIDED if exact_rank else Certainty.NUMERICAL,
                  "bracket from the Fisher rank", _BRACKET)


def _two_layer_linear(net: AnyNetwork) -> tuple[int, int, int] | None:
    """(M, H, N) for ``linear M,H,N`` (a two-layer linear network without bias), else None."""
    if (isinstance(net, Network) and len(net.widths) == 3 and net.is_polynomial
            and net.activations[0].monomial_power == 1 and not net.bias):
        M, H, N = net.widths
        return M, H, N
    return None


def _one_input_monomial(net: AnyNetwork) -> tuple[int, int] | None:
    """(H, r) for ``mlp 1,H,1 x^r`` without bias and r >= 2, else None."""
    if not (isinstance(net, Network) and len(net.widths) == 3 and net.widths[0] == 1
            and net.widths[2] == 1 and not net.bias and net.is_polynomial):
        return None
    r = net.activations[0].monomial_power
    return (net.widths[1], r) if r is not None and r >= 2 else None
