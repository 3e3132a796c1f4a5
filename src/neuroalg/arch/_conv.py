"""One-dimensional convolutional networks: one channel, filter sizes k_l and strides s_l.

Layer l maps a signal h of length d_{l-1} to z_i = sum_j w_l[j] h[i s_l + j] (cross-correlation,
no padding) of length d_l = (d_{l-1} - k_l) / s_l + 1; a polynomial activation follows every
layer but the last; no biases. The output length d_L (default 1) fixes the input length
d_0 = s_1 (d_1 - 1) + k_1, d_{l-1} = s_l (d_l - 1) + k_l. With the linear activation this is a
linear convolutional network (LCN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..activation import Activation
from ..errors import SpecError
from ._base import Expected, Unit, check_positive_ints, n_monomials
from ._layered import LayeredNetwork, scaling_fields

_SHAHVERDI = ("Shahverdi (2024), Algebraic complexity and neurovariety of linear convolutional "
              "networks, arXiv:2401.16613; Kohn, Montufar, Shahverdi, Trager (2024), Function space "
              "and critical points of linear convolutional networks, SIAM J. Appl. Algebra Geom. "
              "(dimension sum(k_l) - L + 1: one rescaling per hidden layer)")


@dataclass(frozen=True)
class CNN(LayeredNetwork):
    """A 1-D convolutional network with polynomial activation.

    Parameters
    ----------
    filters : tuple of int
        Filter sizes (k_1, ..., k_L), each >= 1.
    strides : tuple of int
        Strides (s_1, ..., s_L) with 1 <= s_l <= k_l (a larger stride skips inputs).
    activation : Activation
        Polynomial activation of every hidden layer (x for an LCN).
    out : int, default=1
        Output length d_L.

    Examples
    --------
    >>> from neuroalg.activation import Activation
    >>> CNN((3, 2), (2, 1), Activation.parse("x^2")).widths
    (5, 2, 1)
    """

    filters: tuple[int, ...]
    strides: tuple[int, ...]
    activation: Activation
    out: int = 1
    family = "cnn"
    bias = False

    def __post_init__(self):
        k = check_positive_ints(self.filters, "CNN filter sizes k")
        if not k:
            raise SpecError("CNN needs at least one filter size, e.g. k=3,2")
        s = check_positive_ints(self.strides, "CNN strides s") if self.strides else (1,) * len(k)
        if len(s) != len(k):
            raise SpecError(f"CNN needs one stride per filter: {len(k)} filters, got {len(s)} strides")
        for i, (ki, si) in enumerate(zip(k, s)):
            if si > ki:
                raise SpecError(f"CNN stride s_{i + 1} = {si} is larger than its filter size "
                                f"k_{i + 1} = {ki}; allowed: 1 <= s <= k (a larger stride skips inputs)")
        if not isinstance(self.activation, Activation) or self.activation.reciprocal:
            raise SpecError("CNN activation must be a polynomial in x (e.g. x^2, x^3+x^2, x)")
        check_positive_ints([self.out], "CNN output length out")
        object.__setattr__(self, "filters", k)
        object.__setattr__(self, "strides", s)

    @property
    def widths(self) -> tuple[int, ...]:
        d = [self.out]
        for k, s in zip(reversed(self.filters), reversed(self.strides)):
            d.append(s * (d[-1] - 1) + k)
        return tuple(reversed(d))

    @property
    def activations(self) -> tuple[Activation, ...]:
        return (self.activation,) * (len(self.filters) - 1)

    def __str__(self) -> str:
        out = f"cnn k={','.join(map(str, self.filters))} s={','.join(map(str, self.strides))} {self.activation}"
        return out + (f" out={self.out}" if self.out != 1 else "")

    def __repr__(self) -> str:
        return f"CNN({str(self)!r})"

    @property
    def n_output_scalings(self) -> int:
        return 1

    # --- layered hooks ---------------------------------------------------------------------
    def _n_weight_params(self, l):
        return self.filters[l - 1]

    def _index(self, l):
        d, k, s = self.widths[l], self.filters[l - 1], self.strides[l - 1]
        return np.arange(d)[:, None] * s + np.arange(k)[None, :]  # (d_l, k_l)

    def _weight(self, l, w, field):
        d_out, d_in = self.widths[l], self.widths[l - 1]
        m = np.zeros((d_out, d_in), dtype=field.dtype)
        idx = self._index(l)
        m[np.arange(d_out)[:, None], idx] = w[None, :]
        return m

    def _weight_grad(self, l, g, h, field, out):
        # grad w_j = sum_i g_i h_{i s + j}
        out[...] = field.sum(field.mul(g[:, :, None], h[:, self._index(l)]), axis=1)

    # --- geometry --------------------------------------------------------------------------
    @property
    def ambient_dimension(self) -> int:
        degs = self._output_degrees()
        assert degs is not None  # polynomial activation (checked in __post_init__)
        return self.out * sum(n_monomials(self.widths[0], d) for d in degs)

    @property
    def ambient_description(self) -> str:
        degs = self._output_degrees()
        assert degs is not None  # polynomial activation (checked in __post_init__)
        ds = ",".join(map(str, sorted(degs)))
        return f"{self.out}-tuples of polynomials in {self.widths[0]} variables of degree {{{ds}}}"

    def expected_dimension(self) -> Expected:
        n_sym = (len(self.filters) - 1) if self.activation.monomial_power is not None else 0
        value = min(self.n_params - n_sym, self.ambient_dimension)
        return Expected(value, f"min(sum k_l - #rescalings = {self.n_params} - {n_sym}, "
                               f"ambient {self.ambient_dimension})", _SHAHVERDI)

    def units(self) -> tuple[Unit, ...]:
        """Every hidden filter w_l (l < L): its own weights in, the next filter out."""
        r = self.activation.monomial_power
        sl = self.layer_slices()
        return tuple(Unit(l + 1, 0, tuple(range(sl[l][0].start, sl[l][0].stop)), None,
                          tuple(range(sl[l + 1][0].start, sl[l + 1][0].stop)), r,
                          "rescaling" if r is not None else "none")
                     for l in range(len(self.filters) - 1))

    def symmetry_fields(self, theta, field):
        """Rescaling of consecutive filters (w_l -> t w_l, w_{l+1} -> t^-r w_{l+1}) for x^r."""
        theta = self.check_params(theta, field)
        r = self.activation.monomial_power
        groups = []
        if r is not None:
            sl = self.layer_slices()
            for l in range(len(self.filters) - 1):
                a, b = sl[l][0], sl[l + 1][0]
                groups.append([(np.arange(a.start, a.stop), 1), (np.arange(b.start, b.stop), -r)])
        return scaling_fields(theta, field, groups)
