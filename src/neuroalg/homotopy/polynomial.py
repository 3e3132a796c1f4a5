"""Square polynomial systems F(x; p) = 0 with coefficients affine in parameters p, batched.

A system holds all its terms at once: exponents ``E`` (T x n), the equation of each term
``eq`` (T,), and coefficients ``C`` (T x (1 + m)) so that term t has coefficient
``C[t, 0] + C[t, 1:] @ p``. Evaluation is vectorized over a batch of B points and parameter
values: values (B, n_eq), Jacobian in x (B, n_eq, n) and in p (B, n_eq, m), all complex128.
This is the form every homotopy in this package needs, and the form neurovariety systems take:
the data of the problem (targets, slice constants) enter linearly.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np
from scipy import sparse

from ..errors import SpecError
from .terms import TermPlan


@dataclass(frozen=True, eq=False)
class PolySystem:
    """Polynomial system in ``n_vars`` unknowns with ``n_params`` linear parameters.

    ``exponents`` (T, n_vars) int, ``equation`` (T,) int in [0, n_eqs), ``coefficients``
    (T, 1 + n_params) complex. ``names`` are the unknowns' names (for printing only)."""

    exponents: np.ndarray
    equation: np.ndarray
    coefficients: np.ndarray
    n_eqs: int
    names: tuple[str, ...] = ()

    def __post_init__(self):
        e = np.asarray(self.exponents, dtype=np.int64)
        if e.ndim != 2:
            raise SpecError("exponents must be a (terms x variables) integer matrix")
        if (e < 0).any():
            raise SpecError("exponents must be non-negative")
        c = np.asarray(self.coefficients, dtype=np.complex128).reshape(len(e), -1)
        q = np.asarray(self.equation, dtype=np.int64)
        if len(q) != len(e) or (len(q) and (q.min() < 0 or q.max() >= self.n_eqs)):
            raise SpecError("every term needs an equation index in [0, n_eqs)")
        object.__setattr__(self, "exponents", e)
        object.__setattr__(self, "coefficients", c)
        object.__setattr__(self, "equation", q)
        if not self.names:
            object.__setattr__(self, "names", tuple(f"x{i + 1}" for i in range(e.shape[1])))

    # --- shape -----------------------------------------------------------------------------
    @property
    def n_vars(self) -> int:
        return self.exponents.shape[1]

    @property
    def n_params(self) -> int:
        return self.coefficients.shape[1] - 1

    @property
    def n_terms(self) -> int:
        return len(self.exponents)

    @property
    def is_square(self) -> bool:
        return self.n_eqs == self.n_vars

    @property
    def degrees(self) -> np.ndarray:
        """Total degree of each equation."""
        d = np.zeros(self.n_eqs, dtype=np.int64)
        np.maximum.at(d, self.equation, self.exponents.sum(axis=1))
        return d

    @property
    def bezout_number(self) -> int:
        return int(np.prod([int(d) for d in self.degrees], dtype=object))

    def __str__(self) -> str:
        return (f"PolySystem: {self.n_eqs} equations in {self.n_vars} unknowns, "
                f"{self.n_params} parameters, {self.n_terms} terms, degrees {self.degrees.tolist()}")

    # --- evaluation ------------------------------------------------------------------------
    def coefficient_values(self, p=None) -> np.ndarray:
        """Coefficients at parameters p: (T,) for p of shape (m,) or None; (B, T) for (B, m)."""
        c0, c1 = self.coefficients[:, 0], self.coefficients[:, 1:]
        if p is None or self.n_params == 0:
            return c0
        p = np.asarray(p, dtype=np.complex128)
        return c0 + p @ c1.T

    @cached_property
    def term_plan(self) -> TermPlan:
        """The terms' evaluation plan for the trackers (:class:`~.terms.TermPlan`), built once."""
        return TermPlan(self.exponents, self.equation, self.n_eqs)

    @cached_property
    def _compiled(self):
        """Unique monomials and sparse maps (term -> monomial, coefficient, output row) for the
        values (rows 0..n_eqs-1) and the Jacobian (row n_eqs + i * n_vars + j)."""
        e, n, q = self.exponents, self.n_vars, self.equation
        row_parts, exp_parts, coef_parts = [q], [e], [self.coefficients]
        for j in range(n):
            has = e[:, j] > 0
            d = e[has].copy()
            d[:, j] -= 1
            row_parts.append(self.n_eqs + q[has] * n + j)
            exp_parts.append(d)
            coef_parts.append(self.coefficients[has] * e[has, j][:, None])
        rows, exps, coefs = np.concatenate(row_parts), np.vstack(exp_parts), np.vstack(coef_parts)
        unique, which = np.unique(exps, axis=0, return_inverse=True)
        n_rows = self.n_eqs * (1 + n)
        scatter = sparse.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))),
                                    shape=(n_rows, len(rows)))  # output row <- term
        c1 = sparse.csr_matrix(coefs[:, 1:]) if self.n_params else None
        return unique, which.ravel(), coefs[:, 0], c1, scatter, scatter[: self.n_eqs]

    def _monomial_values(self, x, unique):
        x = np.asarray(x, dtype=np.complex128)
        top = int(unique.max()) if unique.size else 0
        powers = np.ones((x.shape[0], self.n_vars, top + 1), dtype=np.complex128)
        for k in range(1, top + 1):
            powers[:, :, k] = powers[:, :, k - 1] * x
        return np.prod(powers[:, np.arange(self.n_vars)[None, :], unique], axis=2)

    def evaluate(self, x, p=None, dp=None):
        """Values (B, n_eqs) and Jacobian in x (B, n_eqs, n_vars) at points x (B, n_vars) and
        parameters p ((m,) or (B, m)); with ``dp`` ((m,) or (B, m)), also the derivative
        dF/dp . dp (B, n_eqs)."""
        unique, which, c0, c1, scatter, scatter_values = self._compiled
        mono = self._monomial_values(x, unique)[:, which]  # (B, terms)
        coef = c0
        if c1 is not None and p is not None:
            p = np.atleast_2d(np.asarray(p, dtype=np.complex128))
            coef = c0 + (c1 @ p.T).T
        out = (scatter @ (mono * coef).T).T
        n = self.n_eqs
        values = np.ascontiguousarray(out[:, :n])
        jac = out[:, n:].reshape(len(out), n, self.n_vars)
        if dp is None:
            return values, jac
        if c1 is None:
            return values, jac, np.zeros_like(values)
        dp = np.asarray(dp, dtype=np.complex128)
        dc = c1 @ dp if dp.ndim == 1 else (c1 @ dp.T).T  # one direction, or one per point
        return values, jac, (scatter_values @ (mono * dc).T).T

    def equation_scales(self, x, p=None) -> np.ndarray:
        """sum_t |c_t| |x|_inf^{deg t} per equation (B, n_eqs): the natural size of each
        equation near x, by which Jacobian rows are weighted in condition numbers."""
        size = np.max(np.abs(np.atleast_2d(x)), axis=1)[:, None]  # (B, 1)
        coef = np.abs(self.coefficient_values(p))
        terms = coef * size ** self.exponents.sum(axis=1)[None, :]
        out = np.zeros((len(size), self.n_eqs))
        # numpy's stubs reject the (slice, array) index that ufunc.at accepts
        np.add.at(out, (slice(None), self.equation), terms)  # type: ignore[arg-type]
        return out

    def __call__(self, x, p=None):
        return self.evaluate(np.atleast_2d(x), p)[0]

    # --- constructions ---------------------------------------------------------------------
    def with_parameters(self, p) -> "PolySystem":
        """The system with its parameters fixed to p (no parameters left)."""
        c = self.coefficient_values(np.asarray(p, dtype=np.complex128))
        return PolySystem(self.exponents, self.equation, c[:, None], self.n_eqs, self.names)

    def homogenize(self, patch, degrees=None) -> "PolySystem":
        """Homogenize with a new first variable x0 and append the affine patch ``patch . x = 1``.

        ``patch`` has n_vars + 1 entries (x0 first). Solutions at infinity have x0 = 0. Equation
        i is made homogeneous of degree ``degrees[i]`` (default: its total degree)."""
        patch = np.asarray(patch, dtype=np.complex128)
        degrees = self.degrees if degrees is None else np.asarray(degrees, dtype=np.int64)
        if (degrees < self.degrees).any():
            raise ValueError("homogenizing degrees must be at least the total degrees")
        deg = degrees[self.equation]
        e0 = (deg - self.exponents.sum(axis=1))[:, None]
        n1 = self.n_vars + 1
        e = np.vstack([np.hstack([e0, self.exponents]),
                       np.eye(n1, dtype=np.int64), np.zeros((1, n1), dtype=np.int64)])
        m = self.n_params
        c_patch = np.zeros((n1 + 1, 1 + m), dtype=np.complex128)
        c_patch[:n1, 0] = patch
        c_patch[n1, 0] = -1
        eq = np.concatenate([self.equation, np.full(n1 + 1, self.n_eqs)])
        return PolySystem(e, eq, np.vstack([self.coefficients, c_patch]), self.n_eqs + 1,
                          ("x0",) + self.names)

    def multihomogenize(self, groups, degrees, patches) -> "PolySystem":
        """Homogenize each group of variables separately: new first variables x0_1..x0_m (one
        per group), equation i made homogeneous of degree ``degrees[i, j]`` in (x0_j, x_{G_j}),
        and one affine patch ``patches[j] . (x0_j, x_{G_j}) = 1`` per group appended. A point
        of the product of projective spaces has every group's coordinates on its own patch, so
        solutions whose groups differ widely in size stay well scaled; a group at infinity has
        x0_j = 0. With one group of all variables this is :meth:`homogenize`."""
        m, n = len(groups), self.n_vars
        degrees = np.asarray(degrees, dtype=np.int64).reshape(self.n_eqs, m)
        e0 = np.stack([degrees[self.equation, j] - self.exponents[:, list(g)].sum(axis=1)
                       for j, g in enumerate(groups)], axis=1)
        if (e0 < 0).any():
            raise ValueError("homogenizing degrees must be at least the degrees in each group")
        exps = [np.hstack([e0, self.exponents])]
        eqs, coefs = [self.equation], [self.coefficients]
        for j, g in enumerate(groups):
            cols = [j] + [m + k for k in g]
            e = np.zeros((len(cols) + 1, m + n), dtype=np.int64)
            e[np.arange(len(cols)), cols] = 1
            c = np.zeros((len(cols) + 1, 1 + self.n_params), dtype=np.complex128)
            c[:len(cols), 0] = patches[j]
            c[len(cols), 0] = -1
            exps.append(e)
            eqs.append(np.full(len(cols) + 1, self.n_eqs + j))
            coefs.append(c)
        names = tuple(f"x0_{j + 1}" for j in range(m)) + self.names
        return PolySystem(np.vstack(exps), np.concatenate(eqs), np.vstack(coefs), self.n_eqs + m,
                          names if self.names else ())

    @classmethod
    def from_terms(cls, equations, n_vars: int, *, n_params: int = 0, names=()) -> "PolySystem":
        """From a list (one per equation) of dicts {exponent tuple: coefficient}; a coefficient
        is a number or a sequence (c0, c1, ..., cm) meaning c0 + sum_k c_k p_k."""
        exps, eqs, coefs = [], [], []
        for i, terms in enumerate(equations):
            for a, c in terms.items():
                if len(a) != n_vars:
                    raise SpecError(f"equation {i + 1}: exponent {a} does not have {n_vars} entries")
                row = np.zeros(1 + n_params, dtype=np.complex128)
                vals = np.atleast_1d(np.asarray(_complex(c), dtype=np.complex128))
                row[: len(vals)] = vals
                exps.append(a)
                eqs.append(i)
                coefs.append(row)
        e = np.asarray(exps, dtype=np.int64).reshape(-1, n_vars)
        return cls(e, np.asarray(eqs, dtype=np.int64),
                   np.asarray(coefs, dtype=np.complex128).reshape(-1, 1 + n_params),
                   len(equations), tuple(names))

    @classmethod
    def from_sympy(cls, exprs, variables, parameters=()) -> "PolySystem":
        """From sympy expressions, polynomial in ``variables`` and affine in ``parameters``."""
        import sympy

        variables, parameters = list(variables), list(parameters)
        equations = []
        for i, expr in enumerate(exprs):
            poly = sympy.Poly(sympy.expand(expr), *variables)
            terms = {}
            for a, c in poly.terms():
                coeffs = [c.subs({q: 0 for q in parameters})]
                for q in parameters:
                    dc = sympy.diff(c, q)
                    if dc.free_symbols & set(parameters):
                        raise SpecError(f"equation {i + 1} is not affine in the parameter {q}")
                    coeffs.append(dc)
                terms[tuple(a)] = [complex(sympy.N(v)) for v in coeffs]
            equations.append(terms)
        return cls.from_terms(equations, len(variables), n_params=len(parameters),
                              names=tuple(map(str, variables)))


def _complex(c):
    if isinstance(c, (list, tuple, np.ndarray)):
        return [_complex(v) for v in c]
    if isinstance(c, Fraction):
        return float(c)
    return complex(c)


def start_system(degrees) -> tuple[PolySystem, np.ndarray]:
    """Total-degree start system x_i^{d_i} - 1 = 0 and all prod(d_i) of its solutions."""
    degrees = [int(d) for d in degrees]
    n = len(degrees)
    equations = []
    for i, d in enumerate(degrees):
        a = [0] * n
        a[i] = d
        equations.append({tuple(a): 1.0, (0,) * n: -1.0})
    roots = [np.exp(2j * np.pi * np.arange(d) / d) for d in degrees]
    grid = np.stack(np.meshgrid(*roots, indexing="ij"), axis=-1).reshape(-1, n)
    return PolySystem.from_terms(equations, n), grid
