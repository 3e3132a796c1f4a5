"""Feed-forward networks x -> W_L s_{L-1}(... s_1(W_1 x + b_1) ...) + b_L, over any field.

The shared engine of the MLP, convolutional and rational families: each layer is an affine map
whose matrix ``W_l`` depends linearly on that layer's parameters (dense, or a convolution), each
hidden layer applies an activation elementwise, and the output layer is affine. Forward pass and
reverse-mode vector-Jacobian products are written once here; a family says how its parameters
make ``W_l`` (:meth:`_weight`) and how a gradient in ``W_l`` pulls back to them
(:meth:`_weight_grad`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..activation import Activation
from ._base import Architecture


class LayeredNetwork(Architecture):
    """Mixin engine; subclasses define ``widths``, ``activations``, ``bias`` and the weight maps."""

    bias: bool
    if TYPE_CHECKING:  # read-only: dataclass fields (MLP) or properties (CNN)
        @property
        def widths(self) -> tuple[int, ...]: ...

        @property
        def activations(self) -> tuple[Activation, ...]: ...

    # --- per-family hooks ------------------------------------------------------------------
    def _n_weight_params(self, l: int) -> int:  # l = 1..L
        raise NotImplementedError

    def _weight(self, l: int, w, field):
        """Matrix ``W_l`` (d_l x d_{l-1}) from the layer's weight parameters ``w``."""
        raise NotImplementedError

    def _weight_grad(self, l: int, g, h, field, out) -> None:
        """Per-sample gradient of ``sum_i g_i (W_l h)_i`` in the layer's weight parameters.

        ``g``: (N, d_l), ``h``: (N, d_{l-1}); written into ``out`` (N, n_weight_params)."""
        raise NotImplementedError

    # --- layout ----------------------------------------------------------------------------
    @property
    def depth(self) -> int:
        return len(self.widths) - 1

    def layer_slices(self) -> list[tuple[slice, slice | None]]:
        """For each layer l = 1..L: (slice of its weights in theta, slice of its bias or None)."""
        out, pos = [], 0
        for l in range(1, self.depth + 1):
            nw = self._n_weight_params(l)
            ws = slice(pos, pos + nw)
            pos += nw
            bs = None
            if self.bias:
                bs = slice(pos, pos + self.widths[l])
                pos += self.widths[l]
            out.append((ws, bs))
        return out

    @property
    def n_params(self) -> int:
        return sum(self._n_weight_params(l) + (self.widths[l] if self.bias else 0)
                   for l in range(1, self.depth + 1))

    @property
    def input_shape(self):
        return (self.widths[0],)

    @property
    def output_shape(self):
        return (self.widths[-1],)

    # --- evaluation ------------------------------------------------------------------------
    def _forward_all(self, theta, x, field):
        """Pre-activations z_l and activations h_{l-1} of every layer (h_0 = x)."""
        zs, hs = [], [x]
        h = x
        for l, (ws, bs) in enumerate(self.layer_slices(), start=1):
            w = self._weight(l, theta[ws], field)
            z = field.matmul(h, w.T)
            if bs is not None:
                z = field.add(z, theta[bs])
            zs.append(z)
            if l < self.depth:
                h = self.activations[l - 1](z, field)
                hs.append(h)
        return zs, hs

    def forward(self, theta, x, field):
        theta = self.check_params(theta, field)
        return self._forward_all(theta, field.asarray(x), field)[0][-1]

    def vjp(self, theta, x, cot, field, out=None):
        theta = self.check_params(theta, field)
        x, g = field.asarray(x), field.asarray(cot)
        zs, hs = self._forward_all(theta, x, field)
        if out is None:
            out = np.empty((len(x), self.n_params), dtype=field.dtype)  # every column is written
        slices = self.layer_slices()
        for l in range(self.depth, 0, -1):
            ws, bs = slices[l - 1]
            self._weight_grad(l, g, hs[l - 1], field, out[:, ws])
            if bs is not None:
                out[:, bs] = g
            if l > 1:
                w = self._weight(l, theta[ws], field)
                g = field.mul(field.matmul(g, w), self.activations[l - 2].derivative(zs[l - 2], field))
        return out

    def pole_mask(self, theta, x, field):
        bad = np.zeros(len(x), dtype=bool)
        if not any(a.reciprocal for a in self.activations):
            return bad
        theta = self.check_params(theta, field)
        h = field.asarray(x)
        for l, (ws, bs) in enumerate(self.layer_slices(), start=1):
            z = field.matmul(h, self._weight(l, theta[ws], field).T)
            if bs is not None:
                z = field.add(z, theta[bs])
            if l == self.depth:
                break
            act = self.activations[l - 1]
            if act.reciprocal:
                zero = np.any(np.abs(z) < 1e-8, axis=1) if not field.is_exact else np.any(z == 0, axis=1)
                bad |= zero
                z = z.copy()
                z[z == 0] = 1
            h = act(z, field)
        return bad

    # --- degrees ---------------------------------------------------------------------------
    def _output_degrees(self) -> set[int] | None:
        """Degrees of the homogeneous parts the outputs can have (None for rational maps)."""
        degs = {1} | ({0} if self.bias else set())
        for act in self.activations:
            if act.reciprocal:
                return None
            new: set[int] = set()
            for k in act.powers:
                sums = {0}
                for _ in range(k):
                    sums = {a + b for a in sums for b in degs}
                new |= sums
            degs = new | ({0} if self.bias else set())
        return degs

    @property
    def jacobian_degree(self) -> int:
        num, den = 2, 0  # z_1 = W_1 x + b_1
        for l, act in enumerate(self.activations, start=1):
            width = self.widths[l]
            if act.reciprocal:  # h_i = D prod_{j != i} N_j / prod_j N_j
                num, den = den + (width - 1) * num, width * num
            else:
                r = act.degree
                num, den = r * max(num, den), r * den
            num = max(num, den) + 1 if self.bias else num + 1
        return num + den


def scaling_fields(theta, field, groups):
    """Vector fields of rescaling symmetries.

    ``groups`` lists, per symmetry, pairs ``(indices, weight)``: the field is ``weight * theta``
    on ``indices`` and 0 elsewhere (e.g. ``W_l[i, :] -> t W_l[i, :]``, ``W_{l+1}[:, i] -> t^{-r} ...``
    gives weights 1 and -r)."""
    cols = np.zeros((len(theta), len(groups)), dtype=field.dtype)
    pairs = [(j, np.asarray(idx, dtype=np.intp), weight) for j, group in enumerate(groups)
             for idx, weight in group]
    if pairs:  # one vectorized assignment (within a field the index sets are disjoint)
        consts = {w: field.constant(w) for w in {weight for _, _, weight in pairs}}
        lengths = [len(idx) for _, idx, _ in pairs]
        rows = np.concatenate([idx for _, idx, _ in pairs])
        js = np.repeat([j for j, _, _ in pairs], lengths)
        c = field.asarray(np.repeat([consts[w] for _, _, w in pairs], lengths))
        cols[rows, js] = field.mul(theta[rows], c)
    return cols
