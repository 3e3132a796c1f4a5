"""Homotopies H(x, t): batched values, x-Jacobian and t-derivative at complex t (one per path).

- :class:`StraightLine`: H = (1 - t) gamma G(x) + t F(x), t from 0 to 1, with a random complex
  gamma (the gamma trick: for all but finitely many gamma on the unit circle the paths are
  nonsingular for t in [0, 1); Sommese–Wampler, *The Numerical Solution of Systems of
  Polynomials*, 2005, Lemma 7.1.3).
- :class:`ParameterHomotopy`: H = F(x; (1 - t) p0 + t p1), for a system affine in its
  parameters; with p0 generic and complex, the segment avoids the discriminant with
  probability one (ibid., Thm 7.1.1, coefficient-parameter homotopy).

Both move the coefficients of a fixed set of terms affinely in t, c(t) = a + t b, so both
evaluate through one :class:`~.terms.TermPlan` (the t-derivative is the sum of the terms with
coefficients b). The polyhedral homotopy of a mixed cell lives in :mod:`.polyhedral`.
"""

from __future__ import annotations

import numpy as np

from .polynomial import PolySystem
from .terms import TermPlan


class AffineCoefficients:
    """H(x, t) = sum_k (a_k + t b_k) x^(e_k) over the terms k of ``n_eqs`` equations."""

    def __init__(self, exponents, equation, n_eqs: int, a, b, plan: TermPlan | None = None):
        self.plan = TermPlan(exponents, equation, n_eqs) if plan is None else plan
        self.n_vars = self.plan.n_vars
        #: the term coefficients (T,) at t = 0 and their t-derivative (for :mod:`.compiled`)
        self.terms_a = np.asarray(a, dtype=np.complex128)
        self.terms_b = np.asarray(b, dtype=np.complex128)
        self.a, self.b = self.plan.matrix(a), self.plan.matrix(b)

    def evaluate(self, x, t):
        """H (B, n_eqs), H_x (B, n_eqs, n) and H_t (B, n_eqs) at points x (B, n), t (B,)."""
        t = np.broadcast_to(np.asarray(t, dtype=np.complex128), (len(x),))
        mono = self.plan.monomials(x)
        out_b = self.b @ mono
        out = self.a @ mono
        out += out_b * t
        values, jac = self.plan.split(out, len(x))
        return values, jac, out_b[: self.plan.n_eqs].T


class StraightLine(AffineCoefficients):
    def __init__(self, start: PolySystem, target: PolySystem, gamma: complex):
        if start.n_params or target.n_params:
            raise ValueError("fix the parameters of both systems first (with_parameters)")
        if start.n_vars != target.n_vars or start.n_eqs != target.n_eqs:
            raise ValueError("start and target systems differ in shape")
        self.start, self.target, self.gamma = start, target, complex(gamma)
        g = self.gamma * start.coefficients[:, 0]
        f = target.coefficients[:, 0]
        super().__init__(np.vstack([start.exponents, target.exponents]),
                         np.concatenate([start.equation, target.equation]), target.n_eqs,
                         np.concatenate([g, np.zeros_like(f)]), np.concatenate([-g, f]))


class ParameterHomotopy(AffineCoefficients):
    def __init__(self, system: PolySystem, p0, p1):
        self.system = system
        self.p0 = np.asarray(p0, dtype=np.complex128)
        self.p1 = np.asarray(p1, dtype=np.complex128)
        c0, c1 = system.coefficients[:, 0], system.coefficients[:, 1:]
        super().__init__(system.exponents, system.equation, system.n_eqs,
                         c0 + c1 @ self.p0, c1 @ (self.p1 - self.p0), system.term_plan)


class ParameterSegments:
    """H_i = F(x; p0_i + t (p1_i - p0_i)), t from 0 to 1, one parameter segment per path i,
    for the compiled tracker only (:mod:`.compiled`: per-path term coefficients (B, T); the
    numpy tracker evaluates segments through the system itself, see
    :func:`~.monodromy.move`)."""

    def __init__(self, system: PolySystem, p0, p1):
        c0, c1 = system.coefficients[:, 0], system.coefficients[:, 1:]
        p0, p1 = np.atleast_2d(p0), np.atleast_2d(p1)
        self.plan = system.term_plan
        self.n_vars = self.plan.n_vars
        self.terms_a = c0 + p0 @ c1.T
        self.terms_b = (p1 - p0) @ c1.T

    def evaluate(self, x, t):
        raise NotImplementedError("ParameterSegments is tracked compiled (track(compiled=True))")
