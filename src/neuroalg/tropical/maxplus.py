"""Max-plus polynomials and tropical rational maps; a ReLU network as ``F ⊘ G``.

A max-plus (tropical Puiseux) polynomial ``p(x) = max_i (c_i + a_i . x)`` is stored as exponent
rows ``a_i`` (``exponents``, real, here non-negative) and coefficients ``c_i``. Classical
``+`` of two is the tropical product (Minkowski sum of the monomials), ``max`` the tropical sum,
and ``w * p`` for ``w >= 0`` the tropical power. A tropical rational map is ``F ⊘ G = F - G``.

Zhang–Naitzat–Lim [ZNL18]: writing ``W = W+ - W-`` (entrywise positive and
negative parts) and a layer's input as ``F ⊘ G``,
``W (F - G) + b = H - G'`` with ``H = W+ F + W- G + b`` and ``G' = W+ G + W- F``, and
``ReLU(H - G') = max(H, G') - G'``. Starting from ``x = x ⊘ 0``, every output of the network is
``F_j ⊘ G_j`` with max-plus polynomials ``F_j, G_j``.

Exponents and coefficients are Fractions for exact networks (:attr:`ReLUNetwork.is_exact`), so
evaluation is exact; floats otherwise. **Pruning** removes monomials that are never the unique
maximum on an open set, i.e. points ``(a_k, c_k)`` that are not vertices of the upper hull:
``(a_k, c_k)`` is redundant iff ``a_k = sum l_i a_i``, ``sum l_i = 1``, ``l >= 0`` and
``sum l_i c_i >= c_k`` over the other monomials (an LP, HiGHS). For exact polynomials the LP's
certificate is re-checked in exact arithmetic before a monomial is dropped, so the pruned
polynomial is equal to the original as a function; a monomial whose certificate cannot be
verified is kept.

References
----------
[ZNL18] L. Zhang, G. Naitzat, L.-H. Lim, Tropical geometry of deep neural networks, ICML 2018.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import SpecError

#: the smallest normal float64
_TINY = float(np.finfo(float).tiny)


def _frac_array(a):
    """Fractions of Python integers: numpy integers are converted first, since a Fraction built
    from ``np.int64`` keeps int64 parts that overflow (silently, with a warning) in arithmetic."""
    return np.array([Fraction(v.item() if isinstance(v, np.generic) else v) for v in np.ravel(a)],
                    dtype=object).reshape(np.shape(a))


@dataclass(frozen=True, eq=False)
class MaxPlusPolynomial:
    """``p(x) = max_i (coefficients[i] + exponents[i] . x)`` (see module docstring)."""

    exponents: np.ndarray  # (m, n)
    coefficients: np.ndarray  # (m,)

    def __post_init__(self):
        E, c = self.exponents, self.coefficients
        if E.ndim != 2 or c.shape != (E.shape[0],) or E.shape[0] == 0:
            raise SpecError(f"a max-plus polynomial needs m >= 1 exponent rows and m coefficients; "
                            f"got exponents {E.shape} and coefficients {c.shape}")

    @classmethod
    def from_terms(cls, terms, *, exact: bool | None = None) -> "MaxPlusPolynomial":
        """From ``[(coefficient, exponent vector), ...]``; exact if every entry is rational."""
        cs = [t[0] for t in terms]
        Es = [np.atleast_1d(t[1]) for t in terms]
        if exact is None:
            exact = all(isinstance(v, (int, Fraction, np.integer)) for v in cs + [x for e in Es for x in e])
        if exact:
            return cls(_frac_array(np.array(Es, dtype=object)), _frac_array(np.array(cs, dtype=object)))
        return cls(np.array(Es, dtype=float), np.array(cs, dtype=float))

    @classmethod
    def constant(cls, n: int, value=0, *, exact=False) -> "MaxPlusPolynomial":
        if exact:
            return cls(_frac_array(np.zeros((1, n), dtype=int)), _frac_array([value]))
        return cls(np.zeros((1, n)), np.array([float(value)]))

    @classmethod
    def variable(cls, n: int, i: int, *, exact=False) -> "MaxPlusPolynomial":
        E = np.zeros((1, n), dtype=int)
        E[0, i] = 1
        if exact:
            return cls(_frac_array(E), _frac_array([0]))
        return cls(E.astype(float), np.zeros(1))

    @property
    def is_exact(self) -> bool:
        return self.coefficients.dtype == object

    @property
    def n_monomials(self) -> int:
        return self.exponents.shape[0]

    @property
    def n_vars(self) -> int:
        return self.exponents.shape[1]

    # --- evaluation --------------------------------------------------------------------------
    def __call__(self, X):
        """Value at the rows of ``X`` (a single point may be a vector); exact for exact inputs."""
        if self.is_exact and _is_rational_input(X):
            pts = [list(map(Fraction, x)) for x in np.atleast_2d(np.asarray(X, dtype=object))]
            vals = [max(c + sum(a * xi for a, xi in zip(row, x)) for row, c in
                        zip(self.exponents, self.coefficients)) for x in pts]
            return vals[0] if np.ndim(X) == 1 else vals
        X = np.asarray(X, dtype=float)
        V = np.atleast_2d(X) @ self.exponents.astype(float).T + self.coefficients.astype(float)
        out = V.max(axis=1)
        return out[0] if X.ndim == 1 else out

    def argmax(self, X) -> np.ndarray:
        V = np.atleast_2d(np.asarray(X, float)) @ self.exponents.astype(float).T + self.coefficients.astype(float)
        return V.argmax(axis=1)

    # --- tropical arithmetic -----------------------------------------------------------------
    def _like(self, E, c):
        return MaxPlusPolynomial(E, c)._dedupe()

    def _dedupe(self) -> "MaxPlusPolynomial":
        """Merge equal exponents, keeping the largest coefficient (order: first occurrence)."""
        if not self.is_exact:
            _, first, inv = np.unique(self.exponents, axis=0, return_index=True, return_inverse=True)
            if len(first) == self.n_monomials:
                return self
            top = np.full(len(first), -np.inf)
            np.maximum.at(top, inv.ravel(), self.coefficients)
            perm = np.argsort(first)
            return MaxPlusPolynomial(self.exponents[first[perm]], top[perm])
        best: dict = {}
        order = []
        for row, c in zip(self.exponents, self.coefficients):
            k = tuple(row)
            if k not in best:
                order.append(k)
                best[k] = c
            elif c > best[k]:
                best[k] = c
        if len(order) == self.n_monomials:
            return self
        dtype = object if self.is_exact else float
        E = np.array(order, dtype=dtype).reshape(len(order), self.n_vars)
        return MaxPlusPolynomial(E, np.array([best[k] for k in order], dtype=dtype))

    def __add__(self, other):
        """Classical sum = tropical product (Minkowski sum); a number adds to every coefficient."""
        if isinstance(other, MaxPlusPolynomial):
            E = (self.exponents[:, None, :] + other.exponents[None, :, :]).reshape(-1, self.n_vars)
            c = (self.coefficients[:, None] + other.coefficients[None, :]).ravel()
            return self._like(E, c)
        other = Fraction(other) if self.is_exact else float(other)
        return MaxPlusPolynomial(self.exponents, self.coefficients + other)

    __radd__ = __add__

    def scale(self, w) -> "MaxPlusPolynomial":
        """``w * p`` for ``w >= 0`` (tropical power)."""
        if w < 0:
            raise SpecError(f"a max-plus polynomial can only be scaled by w >= 0; got {w}")
        if w == 0:
            return MaxPlusPolynomial.constant(self.n_vars, 0, exact=self.is_exact)
        w = Fraction(w) if self.is_exact else float(w)
        return MaxPlusPolynomial(self.exponents * w, self.coefficients * w)

    def maximum(self, other: "MaxPlusPolynomial") -> "MaxPlusPolynomial":
        """Tropical sum ``max(p, q)``: union of the monomials."""
        return self._like(np.vstack([self.exponents, other.exponents]),
                          np.concatenate([self.coefficients, other.coefficients]))

    def prune(self, *, atol: float = 1e-9, seed: int = 0) -> "MaxPlusPolynomial":
        """Drop monomials that are never the unique maximum (see module docstring)."""
        p = self._dedupe()
        m = p.n_monomials
        if m <= 1:
            return p
        E = p.exponents.astype(float)
        c = p.coefficients.astype(float)
        keep = np.zeros(m, bool)
        # monomials that win strictly at a random point are vertices: no LP needed
        rng = np.random.default_rng(seed)
        spread = max(1.0, float(np.abs(c).max()))
        X = rng.standard_normal((64, p.n_vars)) * spread
        V = X @ E.T + c
        top = np.sort(V, axis=1)
        strict = top[:, -1] - top[:, -2] > 1e-6 * spread if m > 1 else np.ones(len(X), bool)
        keep[V.argmax(axis=1)[strict]] = True
        for k in np.flatnonzero(~keep):
            keep[k] = not _is_redundant(p, k, E, c, atol)
        dtype = object if p.is_exact else float
        return MaxPlusPolynomial(np.array(p.exponents[keep], dtype=dtype),
                                 np.array(p.coefficients[keep], dtype=dtype))

    def to_float(self) -> tuple["MaxPlusPolynomial", int]:
        """The polynomial with every entry rounded to the nearest float64, and the number of
        non-zero entries that do not survive (0, subnormal or beyond the float range: inf)."""
        lost = 0

        def rnd(v):
            nonlocal lost
            try:
                f = float(v)
            except OverflowError:
                f = math.copysign(math.inf, v)
            if v != 0 and not (_TINY <= abs(f) < math.inf):
                lost += 1
            return f

        E = np.array([[rnd(v) for v in row] for row in self.exponents.tolist()], dtype=float)
        c = np.array([rnd(v) for v in self.coefficients.tolist()], dtype=float)
        return MaxPlusPolynomial(E.reshape(self.exponents.shape), c), lost

    def to_dict(self) -> dict:
        """``{"exponents": [[...]], "coefficients": [...]}``, lossless: exact entries as integers
        or ``"p/q"`` strings, floats as JSON numbers (Python writes the shortest decimal that
        reads back as the same double)."""
        return {"exponents": [[_encode(v) for v in row] for row in self.exponents.tolist()],
                "coefficients": [_encode(v) for v in self.coefficients.tolist()]}

    def __str__(self) -> str:
        terms = []
        for row, c in zip(self.exponents, self.coefficients):
            mono = " + ".join(f"{_fmt(a)}*x{i + 1}" if a != 1 else f"x{i + 1}"
                              for i, a in enumerate(row) if a != 0)
            terms.append(mono if mono and c == 0 else f"{_fmt(c)}" + (f" + {mono}" if mono else ""))
        return "max(" + ", ".join(terms) + ")"


def _fmt(v):
    """Exact text of an entry: a Fraction as ``p/q``, a float as its shortest round-trip repr."""
    return str(v) if isinstance(v, Fraction) else repr(float(v))


def _encode(v):
    """A JSON-ready exact value: int, ``"p/q"`` string, or float (see :meth:`to_dict`)."""
    if isinstance(v, Fraction):
        return v.numerator if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    return float(v)


def _is_rational_input(X) -> bool:
    return all(isinstance(v, (int, Fraction, np.integer)) for v in np.ravel(np.asarray(X, dtype=object)))


def _is_redundant(p: MaxPlusPolynomial, k: int | np.integer, E, c, atol) -> bool:
    """Whether monomial k is never the unique maximum on an open set.

    Fast test: ``t* = max t`` s.t. ``c_k + a_k.x >= c_i + a_i.x + t`` for all i != k (capped at
    1); ``t* > 0`` means k wins strictly somewhere. ``t* < 0`` means it lies strictly below the
    upper hull. Ties (``|t*| <= tol``: k on a face of the hull) are decided by the primal LP, and
    for exact polynomials confirmed in rational arithmetic."""
    from ._lp import chebyshev

    others = np.flatnonzero(np.arange(p.n_monomials) != k)
    tol = atol * (1.0 + float(np.abs(c).max()))
    t, _ = chebyshev(E[others] - E[k], c[k] - c[others])
    if t > tol:
        return False
    if t < -tol:
        return True
    if not p.is_exact:
        return True
    from scipy.optimize import linprog

    A_eq = np.vstack([E[others].T, np.ones(len(others))])
    res = linprog(-c[others], A_eq=A_eq, b_eq=np.append(E[k], 1.0), bounds=(0, None), method="highs")
    if res.status != 0:
        return False
    support = others[res.x > 1e-12]
    lam = _exact_solve(np.vstack([p.exponents[support].T, [Fraction(1)] * len(support)]),
                       list(p.exponents[k]) + [Fraction(1)])
    if lam is None or any(v < 0 for v in lam):
        return False
    return sum(l * p.coefficients[i] for l, i in zip(lam, support)) >= p.coefficients[k]


def _exact_solve(A, b):
    """A solution of ``A l = b`` over Q (Gauss–Jordan with Fractions, free variables 0), or None."""
    rows, cols = A.shape
    M = [[Fraction(A[i, j]) for j in range(cols)] + [Fraction(b[i])] for i in range(rows)]
    pivots, r = [], 0
    for col in range(cols):
        piv = next((i for i in range(r, rows) if M[i][col] != 0), None)
        if piv is None:
            continue
        M[r], M[piv] = M[piv], M[r]
        inv = 1 / M[r][col]
        M[r] = [v * inv for v in M[r]]
        for i in range(rows):
            if i != r and M[i][col] != 0:
                f = M[i][col]
                M[i] = [a - f * bb for a, bb in zip(M[i], M[r])]
        pivots.append(col)
        r += 1
        if r == rows:
            break
    if any(all(v == 0 for v in M[i][:cols]) and M[i][cols] != 0 for i in range(rows)):
        return None
    sol = [Fraction(0)] * cols
    for i, col in enumerate(pivots):
        sol[col] = M[i][cols]
    return sol


@dataclass(frozen=True, eq=False)
class TropicalRationalMap:
    """``x -> (F_j(x) - G_j(x))_j``: numerators and denominators are max-plus polynomials."""

    numerators: tuple
    denominators: tuple

    @property
    def n_outputs(self) -> int:
        return len(self.numerators)

    @property
    def n_monomials(self) -> tuple[int, int]:
        """Total monomials of the numerators and of the denominators."""
        return (sum(F.n_monomials for F in self.numerators), sum(G.n_monomials for G in self.denominators))

    def __call__(self, X):
        """Values at the rows of ``X``: float array, or lists of Fractions for exact maps at
        rational points."""
        vals = []
        for F, G in zip(self.numerators, self.denominators):
            f, g = F(X), G(X)
            vals.append([a - b for a, b in zip(f, g)] if isinstance(f, list) else f - g)
        if isinstance(vals[0], list):
            return [list(t) for t in zip(*vals)]
        return np.stack(vals, axis=-1)

    def to_float(self) -> tuple["TropicalRationalMap", int]:
        """Every entry rounded to the nearest float64 (see :meth:`MaxPlusPolynomial.to_float`)."""
        parts = [P.to_float() for P in self.numerators + self.denominators]
        k = len(self.numerators)
        return (TropicalRationalMap(tuple(P for P, _ in parts[:k]), tuple(P for P, _ in parts[k:])),
                sum(n for _, n in parts))

    def prune(self, **kw) -> "TropicalRationalMap":
        return TropicalRationalMap(tuple(F.prune(**kw) for F in self.numerators),
                                   tuple(G.prune(**kw) for G in self.denominators))

    def __str__(self) -> str:
        return "\n".join(f"f{j + 1} = {F} ⊘ {G}" for j, (F, G) in
                         enumerate(zip(self.numerators, self.denominators)))


def _weighted_sum(polys, weights, const, n, exact, prune):
    out = MaxPlusPolynomial.constant(n, const, exact=exact)
    for P, w in zip(polys, weights):
        if w != 0:
            out = out + P.scale(w)
            if prune:
                out = out.prune()
    return out


def tropicalize(net, *, prune: bool = True, max_monomials: int = 200_000) -> TropicalRationalMap:
    """The tropical rational map ``F ⊘ G`` of a ReLU network [ZNL18] (see module docstring).

    ``prune`` removes redundant monomials after every operation (exactly verified for exact
    networks). Raises :class:`~neuroalg.errors.BudgetError` when a polynomial would exceed
    ``max_monomials`` monomials (the expansion is exponential in depth and width).

    Examples
    --------
    >>> from neuroalg.tropical import ReLUNetwork
    >>> net = ReLUNetwork.from_layers([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])  # |x|
    >>> m = tropicalize(net)
    >>> m([[3], [-2]])
    [[Fraction(3, 1)], [Fraction(2, 1)]]
    >>> print(m)
    f1 = max(2*x1, 0) ⊘ max(x1)
    """
    from ..errors import BudgetError
    from .network import load_network

    net = load_network(net)
    exact = net.is_exact
    n = net.n_inputs
    F = [MaxPlusPolynomial.variable(n, i, exact=exact) for i in range(n)]
    G = [MaxPlusPolynomial.constant(n, 0, exact=exact) for _ in range(n)]
    zero = Fraction(0) if exact else 0.0
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        hidden = l < len(net.weights) - 1
        newF, newG = [], []
        for j in range(W.shape[0]):
            wp = [max(w, zero) for w in W[j]]
            wm = [max(-w, zero) for w in W[j]]
            H = _weighted_sum(F + G, wp + wm, b[j], n, exact, prune)
            Gp = _weighted_sum(G + F, wp + wm, 0, n, exact, prune)
            if hidden:
                H = H.maximum(Gp)
            if prune:
                H, Gp = H.prune(), Gp.prune()
            if max(H.n_monomials, Gp.n_monomials) > max_monomials:
                raise BudgetError(f"layer {l + 1}, neuron {j + 1}: more than {max_monomials} monomials; "
                                  f"the tropical expansion is exponential (count regions instead)")
            newF.append(H)
            newG.append(Gp)
        F, G = newF, newG
    return TropicalRationalMap(tuple(F), tuple(G))
