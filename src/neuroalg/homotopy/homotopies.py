"""Homotopies H(x, t): batched values, x-Jacobian and t-derivative at complex t (one per path).

- :class:`StraightLine`: H = (1 - t) gamma G(x) + t F(x), t from 0 to 1, with a random complex
  gamma (the gamma trick: for all but finitely many gamma on the unit circle the paths are
  nonsingular for t in [0, 1); Sommese–Wampler, *The Numerical Solution of Systems of
  Polynomials*, 2005, Lemma 7.1.3).
- :class:`ParameterHomotopy`: H = F(x; (1 - t) p0 + t p1), for a system affine in its
  parameters; with p0 generic and complex, the segment avoids the discriminant with
  probability one (ibid., Thm 7.1.1, coefficient-parameter homotopy).
"""

from __future__ import annotations

import numpy as np

from .polynomial import PolySystem


class StraightLine:
    def __init__(self, start: PolySystem, target: PolySystem, gamma: complex):
        if start.n_params or target.n_params:
            raise ValueError("fix the parameters of both systems first (with_parameters)")
        self.start, self.target, self.gamma = start, target, complex(gamma)
        self.n_vars = target.n_vars

    def evaluate(self, x, t):
        g, gx = self.start.evaluate(x)
        f, fx = self.target.evaluate(x)
        a = ((1 - t) * self.gamma)[:, None]
        b = t[:, None]
        return a * g + b * f, a[:, :, None] * gx + b[:, :, None] * fx, f - self.gamma * g


class ParameterHomotopy:
    def __init__(self, system: PolySystem, p0, p1):
        self.system = system
        self.p0 = np.asarray(p0, dtype=np.complex128)
        self.p1 = np.asarray(p1, dtype=np.complex128)
        self.n_vars = system.n_vars

    def evaluate(self, x, t):
        t = t[:, None]
        p = (1 - t) * self.p0 + t * self.p1
        return self.system.evaluate(x, p, self.p1 - self.p0)
