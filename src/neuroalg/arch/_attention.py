"""Self-attention without normalization ("lightning") and with softmax (numerical only).

Tokens are the columns of X (d x t). One layer with key and query matrices K, Q (a x d, rank
a <= d) and value matrix V (d' x d) maps

    X -> V X (X^T K^T Q X)            lightning (cubic in X)
    X -> V X softmax(X^T K^T Q X)     softmax, column-wise (each query token's weights sum to 1)

Hidden layers have d' = d; the last has d' = ``out``. Parameters are ordered layer by layer,
(K, Q, V), row-major.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import SpecError
from ._base import Architecture, Expected, check_positive_ints, n_monomials

_HMK = ("Henry, Marchetti, Kohn (2024), Geometry of lightning self-attention: identifiability and "
        "dimension, arXiv:2408.17221 (t >= 2: rescalings K,Q <-> M K, M^-T Q (GL(a)), V <-> Q, and "
        "GL(d) between layers)")


def _t(a):
    return np.swapaxes(a, -1, -2)


@dataclass(frozen=True)
class Attention(Architecture):
    """A stack of ``layers`` single-head self-attention layers.

    Parameters
    ----------
    layers : int
        Number of layers l >= 1.
    d : int
        Token dimension.
    a : int
        Rank of the key/query matrices, 1 <= a <= d.
    t : int
        Number of tokens.
    out : int, optional
        Output width of the last layer (default d).
    softmax : bool, default=False
        Softmax attention (not algebraic: numerical results only) instead of lightning.
    """

    layers: int
    d: int
    a: int
    t: int
    out: int | None = None
    softmax: bool = False
    family = "attention"

    def __post_init__(self):
        check_positive_ints([self.layers], "attention layers l")
        check_positive_ints([self.d], "attention width d")
        check_positive_ints([self.a], "attention key/query rank a")
        check_positive_ints([self.t], "attention tokens t")
        if self.a > self.d:
            raise SpecError(f"attention key/query rank a = {self.a} must satisfy 1 <= a <= d = {self.d}")
        if self.out is None:
            object.__setattr__(self, "out", self.d)
        check_positive_ints([self.out], "attention output width out")

    @property
    def is_algebraic(self) -> bool:  # type: ignore[override]  # a property over the base's class attribute
        return not self.softmax

    def __str__(self) -> str:
        s = f"attention l={self.layers} d={self.d} a={self.a} t={self.t}"
        s += f" out={self.out}" if self.out != self.d else ""
        return s + (" softmax" if self.softmax else "")

    def __repr__(self) -> str:
        return f"Attention({str(self)!r})"

    # --- shapes ----------------------------------------------------------------------------
    def _widths(self, i):  # output width of layer i (0-based)
        return self.out if i == self.layers - 1 else self.d

    def _slices(self):
        out, pos = [], 0
        for i in range(self.layers):
            sizes = (self.a * self.d, self.a * self.d, self._widths(i) * self.d)
            sl = []
            for s in sizes:
                sl.append(slice(pos, pos + s))
                pos += s
            out.append(tuple(sl))
        return out

    @property
    def n_params(self):
        return self._slices()[-1][-1].stop

    @property
    def input_shape(self):
        return (self.d, self.t)

    @property
    def output_shape(self):
        return (self.out, self.t)

    @property
    def ambient_dimension(self):
        if self.softmax:
            return None
        D = 3**self.layers
        assert self.out is not None  # set to d by __post_init__
        return self.out * self.t * n_monomials(self.d * self.t, D)

    @property
    def ambient_description(self):
        if self.softmax:
            return "analytic functions (no finite-dimensional ambient space)"
        return (f"{self.out}x{self.t} matrices of homogeneous polynomials of degree "
                f"{3**self.layers} in the {self.d * self.t} entries of X")

    @property
    def jacobian_degree(self) -> int:
        deg = 1
        for _ in range(self.layers):
            deg = 3 * deg + 3
        return deg

    def expected_dimension(self) -> Expected:
        l, d, a = self.layers, self.d, self.a
        assert self.out is not None  # set to d by __post_init__
        if self.softmax:
            value = l * a * (2 * d - a) + self.out * d
            formula = (f"#params - #symmetries = l a(2d - a) + out*d (GL(a) per layer, GL(d) between "
                       f"layers; softmax breaks the V <-> Q rescaling) = {value}")
            return Expected(value, formula, "Henry, Marchetti, Kohn (2025), arXiv:2408.17221, "
                            "Conjecture 3.10 (proved for one layer, checked numerically for deep nets)")
        value = l * a * (2 * d - a) + self.out * d - l
        formula = f"l a(2d - a) + out*d - l = {l}*{a}*{2 * d - a} + {self.out}*{d} - {l}"
        if self.ambient_dimension is not None and value > self.ambient_dimension:
            value = self.ambient_dimension
            formula = f"min({formula}, ambient)"
        return Expected(value, formula, _HMK)

    def quadric_key(self, i: int, q: int, mono) -> tuple[int, tuple[int, ...]]:
        """The coordinate key (output, input exponent) of :func:`neuroalg.polymap.expand` that
        holds the coefficient of z^mono (|mono| = 2) in F_iq(z) = (v_i . z)(a_q . z) (one layer,
        t >= 2, a_q the column q of A = K^T Q): the coefficient of x_{k,2} x_{p,2} x_{q,1} in
        output (i, 1) (tokens 1, 2 are the first two columns of X, flattened row-major)."""
        t = self.t
        e = [0] * (self.d * t)
        for k, n in enumerate(mono):
            e[k * t + 1] += int(n)
        e[q * t] += 1
        return (i * t, tuple(e))

    # --- evaluation ------------------------------------------------------------------------
    def _layer(self, theta, i):
        ks, qs, vs = self._slices()[i]
        return (theta[ks].reshape(self.a, self.d), theta[qs].reshape(self.a, self.d),
                theta[vs].reshape(self._widths(i), self.d))

    def _check_field(self, field):
        if self.softmax and field.is_exact:
            raise SpecError(f"{self}: softmax attention is not algebraic; evaluate it over float64")

    def _forward_all(self, theta, x, field):
        mm = field.matmul
        caches = []
        for i in range(self.layers):
            k, q, v = self._layer(theta, i)
            amat = mm(k.T, q)  # d x d
            b = mm(amat, x)  # A X
            s = mm(_t(x), b)  # X^T A X
            p = _softmax(s) if self.softmax else s
            m = mm(x, p)
            caches.append((x, amat, b, s, p, m))
            x = mm(v, m)
        return x, caches

    def forward(self, theta, x, field):
        self._check_field(field)
        theta = self.check_params(theta, field)
        return self._forward_all(theta, field.asarray(x), field)[0]

    def vjp(self, theta, x, cot, field):
        self._check_field(field)
        theta = self.check_params(theta, field)
        mm = field.matmul
        _, caches = self._forward_all(theta, field.asarray(x), field)
        g = field.asarray(cot)
        n = len(g)
        out = np.zeros((n, self.n_params), dtype=field.dtype)
        for i in range(self.layers - 1, -1, -1):
            k, q, v = self._layer(theta, i)
            ks, qs, vs = self._slices()[i]
            xi, amat, b, s, p, m = caches[i]
            out[:, vs] = mm(g, _t(m)).reshape(n, -1)
            h = mm(v.T, g)  # cotangent of M = X P
            gp = mm(_t(xi), h)  # cotangent of P
            if self.softmax:
                gs = p * (gp - np.sum(gp * p, axis=-2, keepdims=True))
            else:
                gs = gp
            gx = field.add(mm(h, _t(p)), field.add(mm(b, _t(gs)), mm(mm(amat.T, xi), gs)))
            ga = mm(mm(xi, gs), _t(xi))  # (n, d, d)
            out[:, ks] = mm(q, _t(ga)).reshape(n, -1)
            out[:, qs] = mm(k, ga).reshape(n, -1)
            g = gx
        return out

    def symmetry_fields(self, theta, field):
        """GL(a) on each (K, Q), the V <-> Q rescaling of each layer, and GL(d) between layers."""
        theta = self.check_params(theta, field)
        neg, d, a = field.neg, self.d, self.a
        sl = self._slices()
        cols = []
        for i in range(self.layers):
            k, q, v = self._layer(theta, i)
            ks, qs, vs = sl[i]
            for r in range(a):
                for c in range(a):  # K -> (1 + E_rc) K, Q -> (1 - E_cr) Q
                    f = np.zeros(self.n_params, dtype=field.dtype)
                    dk = np.zeros((a, d), dtype=field.dtype)
                    dk[r] = k[c]
                    dq = np.zeros((a, d), dtype=field.dtype)
                    dq[c] = neg(q[r])
                    f[ks], f[qs] = dk.ravel(), dq.ravel()
                    cols.append(f)
            if not self.softmax:  # V -> t V, Q -> Q / t (lightning is homogeneous in Q)
                f = np.zeros(self.n_params, dtype=field.dtype)
                f[vs], f[qs] = theta[vs], neg(theta[qs])
                cols.append(f)
        for i in range(self.layers - 1):  # X' -> (1 + E_rc) X' between layers i and i + 1
            _, _, v = self._layer(theta, i)
            k2, q2, v2 = self._layer(theta, i + 1)
            _, _, vs = sl[i]
            ks2, qs2, vs2 = sl[i + 1]
            for r in range(d):
                for c in range(d):
                    f = np.zeros(self.n_params, dtype=field.dtype)
                    dv = np.zeros_like(v)
                    dv[r] = v[c]
                    f[vs] = dv.ravel()
                    for part, mat in ((vs2, v2), (ks2, k2), (qs2, q2)):
                        dm = np.zeros_like(mat)
                        dm[:, c] = neg(mat[:, r])
                        f[part] = dm.ravel()
                    cols.append(f)
        return np.stack(cols, axis=1)


def _softmax(s):
    e = np.exp(s - s.max(axis=-2, keepdims=True))
    return e / e.sum(axis=-2, keepdims=True)
