"""Fully connected networks with polynomial activations (MLPs), linear networks included.

Phi(theta)(x) = W_L s_{L-1}(W_{L-1} ... s_1(W_1 x + b_1) ... + b_{L-1}) + b_L with widths
(d_0, ..., d_L), d_0 inputs and d_L outputs; biases optional; one activation for all hidden layers
or one per hidden layer. Parameters are ordered layer by layer, ``W_l`` row-major then ``b_l``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ..activation import Activation
from ..errors import SpecError
from ._base import Expected, Unit, check_positive_ints, n_monomials
from ._layered import LayeredNetwork, scaling_fields

_KTB = ("Kileel, Trager, Bruna (2019), On the expressive power of deep polynomial neural "
        "networks, NeurIPS, arXiv:1905.12207 (expected dimension: #params minus the rescaling "
        "symmetries, capped by the ambient dimension)")
_DETERMINANTAL = ("determinantal variety of matrices of rank <= r: r(m + n - r); Harris, Algebraic "
                  "Geometry (1992), Prop. 12.2; for linear networks Trager, Kohn, Bruna (2020), "
                  "ICLR, arXiv:1910.05297")


@dataclass(frozen=True)
class MLP(LayeredNetwork):
    """A polynomial (or linear) fully connected network.

    Parameters
    ----------
    widths : tuple of int
        (d_0, d_1, ..., d_L), L >= 1, all >= 1.
    activations : Activation or tuple of Activation
        One activation for every hidden layer, or one per hidden layer (L - 1 of them).
    bias : bool, default=False

    Notes
    -----
    Without biases and with the monomial activation x^r, the outputs are homogeneous polynomials of
    degree D = r^(L-1) in d_0 variables, and the ambient space has dimension d_L C(d_0 + D - 1, D)
    (affine cone convention). In general the ambient space is spanned by the monomials of the
    degrees the network can produce.

    Examples
    --------
    >>> from neuroalg.activation import Activation
    >>> MLP((3, 2, 1), Activation.parse("x^2")).n_params
    8
    """

    widths: tuple[int, ...]
    activations: tuple[Activation, ...]  # one per hidden layer after __post_init__
    bias: bool = False
    family = "mlp"

    if TYPE_CHECKING:  # the generated __init__ also takes one Activation for all hidden layers
        def __init__(self, widths: tuple[int, ...], activations: Activation | tuple[Activation, ...],
                     bias: bool = False) -> None: ...

    def __post_init__(self):
        widths = check_positive_ints(self.widths, "MLP widths")
        if len(widths) < 2:
            raise SpecError(f"MLP widths need at least 2 entries (inputs, outputs); got {widths}")
        object.__setattr__(self, "widths", widths)
        acts = self.activations
        if isinstance(acts, Activation):
            acts = (acts,) * (len(widths) - 2)
        acts = tuple(acts)
        if len(set(acts)) == 1 and len(acts) != len(widths) - 2:
            acts = acts[:1] * (len(widths) - 2)
        if len(acts) != len(widths) - 2 or not all(isinstance(a, Activation) for a in acts):
            raise SpecError(f"MLP with widths {widths} needs one activation, or {len(widths) - 2} "
                            f"(one per hidden layer); got {len(acts)}")
        object.__setattr__(self, "activations", acts)

    def __str__(self) -> str:
        acts = self.activations
        if any(a.reciprocal for a in acts) and len(set(acts)) == 1 and not self.bias:
            return "rational " + ",".join(map(str, self.widths))
        act = str(acts[0]) if len(set(acts)) == 1 else ",".join(map(str, acts))
        if not acts:
            act = "x"
        return f"mlp {','.join(map(str, self.widths))} {act}" + (" bias" if self.bias else "")

    def __repr__(self) -> str:
        return f"MLP({str(self)!r})"

    # --- layered hooks ---------------------------------------------------------------------
    def _n_weight_params(self, l):
        return self.widths[l] * self.widths[l - 1]

    def _weight(self, l, w, field):
        return w.reshape(self.widths[l], self.widths[l - 1])

    def _weight_grad(self, l, g, h, field, out):
        field.outer(g, h, out)

    # --- geometry --------------------------------------------------------------------------
    @property
    def is_linear(self) -> bool:
        return all(a.is_linear for a in self.activations)

    @property
    def is_rational(self) -> bool:
        """All hidden activations are 1/x and there are no biases (Grosdos–Robeva–Zubkov)."""
        return bool(self.activations) and all(a.reciprocal for a in self.activations) and not self.bias

    def rational_degrees(self) -> tuple[int, int]:
        """Degrees (deg P, deg Q) of the homogeneous numerators and common denominator of a 1/x
        network, f_k = P_k / Q, by the recursion p^(k+1)_i = sum_j w_ij prod_{s != j} p^(k)_s,
        q^(k+1) = prod_j p^(k)_j, P = p^(L) prod_{t in L-1, L-3, ...} q^(t),
        Q = prod_{t in L, L-2, ...} q^(t) (Grosdos, Robeva, Zubkov 2025, arXiv:2509.11088)."""
        L = self.depth
        deg_p, deg_q = [0, 1], [0, 0]
        for k in range(1, L):
            deg_p.append((self.widths[k] - 1) * deg_p[k])
            deg_q.append(self.widths[k] * deg_p[k])
        return (deg_p[L] + sum(deg_q[t] for t in range(L - 1, -1, -2)),
                sum(deg_q[t] for t in range(L, -1, -2)))

    @property
    def ambient_dimension(self):
        if self.is_rational:  # tuples (P_1, ..., P_dL, Q) up to a common scalar
            a, b = self.rational_degrees()
            return self.widths[-1] * n_monomials(self.widths[0], a) + n_monomials(self.widths[0], b) - 1
        degs = self._output_degrees()
        if degs is None:
            return None
        if self.is_linear:  # affine-linear maps
            return self.widths[-1] * (self.widths[0] + (1 if self.bias else 0))
        return self.widths[-1] * sum(n_monomials(self.widths[0], d) for d in degs)

    @property
    def ambient_description(self) -> str:
        if self.is_rational:
            a, b = self.rational_degrees()
            return (f"{self.widths[-1]}-tuples of rational functions P_k/Q in {self.widths[0]} variables, "
                    f"P_k of degree {a}, common Q of degree {b} (up to a common scalar)")
        degs = self._output_degrees()
        if degs is None:
            return "rational functions (no finite-dimensional ambient space)"
        ds = ",".join(map(str, sorted(degs)))
        return (f"{self.widths[-1]}-tuples of polynomials in {self.widths[0]} variables "
                f"with homogeneous parts of degree {{{ds}}}")

    def _n_symmetries(self) -> int:
        n = 0
        for l, act in enumerate(self.activations, start=1):
            d = self.widths[l]
            if act.is_linear:
                n += d * d + (d if self.bias else 0)
            elif act.monomial_power is not None:
                n += d
        return n

    def expected_dimension(self) -> Expected:
        if self.is_linear:
            r = min(self.widths)
            m, n = self.widths[0], self.widths[-1]
            value = r * (m + n - r) + (n if self.bias else 0)
            formula = f"r(d0 + dL - r) with r = min width = {r}" + (" (+ dL for the bias)" if self.bias else "")
            return Expected(value, formula, _DETERMINANTAL)
        n_sym = self._n_symmetries()
        value = self.n_params - n_sym
        formula = f"#params - #symmetries = {self.n_params} - {n_sym}"
        ambient = self.ambient_dimension
        if ambient is not None:
            value = min(value, ambient)
            formula = f"min({formula}, ambient {ambient})"
        return Expected(value, formula, _RATIONAL_REF if self.is_rational else _KTB)

    @property
    def n_symmetry_fields(self) -> int:
        n = 0
        for l, act in enumerate(self.activations, start=1):
            d, d_next = self.widths[l], self.widths[l + 1]
            if act.is_linear:
                n += d * d + (d if self.bias else 0)
            elif act.monomial_power is not None:
                n += d
            if act.monomial_power == 2 and d_next == 1 and d > 1:
                n += d * (d - 1) // 2
        return n

    def units(self) -> tuple[Unit, ...]:
        """Every hidden neuron: row i of W_l (and b_l[i]) in, column i of W_{l+1} out."""
        out, slices = [], self.layer_slices()
        for l, act in enumerate(self.activations, start=1):
            d_prev, d, d_next = self.widths[l - 1], self.widths[l], self.widths[l + 1]
            (ws, bs), (ws2, _) = slices[l - 1], slices[l]
            power = act.monomial_power
            group = "linear" if act.is_linear else ("rescaling" if power is not None else "none")
            for i in range(d):
                out.append(Unit(l, i, tuple(range(ws.start + i * d_prev, ws.start + (i + 1) * d_prev)),
                                None if bs is None else bs.start + i,
                                tuple(ws2.start + j * d + i for j in range(d_next)), power, group))
        return tuple(out)

    def symmetry_fields(self, theta, field):
        """Known symmetries, as vector fields linear or quadratic in theta.

        * Rescalings of hidden neurons (monomial x^r: W_l[i,:], b_l[i] by t and W_{l+1}[:, i] by
          t^-r; 1/x is r = -1).
        * For linear layers, GL(d_l) (plus translations h -> h + u with biases).
        * For a layer with activation c x^2 followed by a layer of width 1, the orthogonal group of
          the quadratic form sum_i u_i z_i^2 (u = W_{l+1}): z -> A z with A^T diag(u) A = diag(u),
          acting on the rows of W_l and on b_l; its Lie algebra is spanned, after clearing the
          denominators u_a u_b, by B_ab = u_b E_ab - u_a E_ba (a < b). These explain the quadratic
          defects d0 d1 - C(d1, 2) of (d0, d1, 1) with x^2 (symmetric matrices of rank <= d1) and
          the hidden so(3) of (3, 3, 3, 1) with x^2.
        """
        theta = self.check_params(theta, field)
        slices = self.layer_slices()
        groups: list[list[tuple[np.ndarray, int]]] = []
        cols = []
        for l, act in enumerate(self.activations, start=1):
            d_prev, d, d_next = self.widths[l - 1], self.widths[l], self.widths[l + 1]
            (ws, bs), (ws2, bs2) = slices[l - 1], slices[l]
            if act.is_linear:
                cols.append(_gl_fields(theta, field, ws, bs, ws2, bs2, d_prev, d, d_next))
            elif act.monomial_power is not None:
                r = act.monomial_power
                rows = [ws.start + np.arange(d * d_prev).reshape(d, d_prev)]  # row i of W_l
                if bs is not None:
                    rows.append(bs.start + np.arange(d)[:, None])
                into = np.hstack(rows)
                out_of = ws2.start + np.arange(d_next * d).reshape(d_next, d).T  # column i of W_{l+1}
                groups.extend([(into[i], 1), (out_of[i], -r)] for i in range(d))
            if act.monomial_power == 2 and d_next == 1 and d > 1:
                cols.append(_orthogonal_fields(theta, field, ws, bs, ws2, d_prev, d))
        cols.insert(0, scaling_fields(theta, field, groups))
        return np.concatenate(cols, axis=1)


def _gl_fields(theta, field, ws, bs, ws2, bs2, d_prev, d, d_next):
    """GL(d) acting on a linear hidden layer h -> A h (and translations h -> h + u with biases)."""
    w = theta[ws].reshape(d, d_prev)
    w2 = theta[ws2].reshape(d_next, d)
    fields = []
    for a in range(d):
        for b in range(d):
            v = np.zeros(len(theta), dtype=field.dtype)
            dw = np.zeros((d, d_prev), dtype=field.dtype)
            dw[a] = w[b]
            dw2 = np.zeros((d_next, d), dtype=field.dtype)
            dw2[:, b] = field.neg(w2[:, a])
            v[ws], v[ws2] = dw.ravel(), dw2.ravel()
            if bs is not None:
                v[bs.start + a] = theta[bs.start + b]
            fields.append(v)
    if bs is not None:
        for a in range(d):
            v = np.zeros(len(theta), dtype=field.dtype)
            v[bs.start + a] = 1
            v[bs2] = field.neg(w2[:, a])
            fields.append(v)
    return np.stack(fields, axis=1)


def _orthogonal_fields(theta, field, ws, bs, ws2, d_prev, d):
    """so(diag(u)) acting on the pre-activations of a quadratic layer feeding one neuron."""
    w = theta[ws].reshape(d, d_prev)
    u = theta[ws2]
    a, b = np.triu_indices(d, 1)  # B = u_b E_ab - u_a E_ba:  dW[a] = u_b W[b], dW[b] = -u_a W[a]
    fields = np.zeros((len(a), len(theta)), dtype=field.dtype)
    rows, cols = np.arange(len(a))[:, None], ws.start + np.arange(d_prev)
    fields[rows, cols + a[:, None] * d_prev] = field.mul(u[b, None], w[b])
    fields[rows, cols + b[:, None] * d_prev] = field.neg(field.mul(u[a, None], w[a]))
    if bs is not None:
        bias = theta[bs]
        fields[rows[:, 0], bs.start + a] = field.mul(u[b], bias[b])
        fields[rows[:, 0], bs.start + b] = field.neg(field.mul(u[a], bias[a]))
    return fields.T


_RATIONAL_REF = ("Grosdos, Robeva, Zubkov (2025), Algebraic geometry of rational neural networks, "
                 "arXiv:2509.11088 (ambient: numerators and common denominator of fixed degrees); "
                 "#params minus the rescalings of hidden neurons (1/x is homogeneous of degree -1)")


def rational(widths) -> MLP:
    """The network with activation 1/x and no biases (``rational 2,3,1``)."""
    return MLP(tuple(widths), Activation(reciprocal=True), bias=False)


def linear(widths, *, bias: bool = False) -> MLP:
    """The linear network (activation x) with the given widths."""
    return MLP(tuple(widths), Activation((Fraction(0), Fraction(1))), bias=bias)


del math
