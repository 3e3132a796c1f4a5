"""The architecture interface: a parameterization Phi from parameters to functions.

An architecture evaluates Phi(theta) at sample inputs, over any field of :mod:`neuroalg.fields`
(exact GF(p), float64, complex128), together with vector-Jacobian products in theta, its known
symmetries as vector fields, its ambient function space and its expected dimension (with the
formula and its reference). Parameters are one flat vector ``theta`` of length ``n_params``.
"""

from __future__ import annotations

import abc
import math
from dataclasses import dataclass

import numpy as np

from ..errors import PoleError, SpecError


@dataclass(frozen=True)
class Expected:
    """An expected dimension with the formula it comes from and its reference."""

    value: int
    formula: str
    reference: str


@dataclass(frozen=True)
class Unit:
    """A hidden unit and where its parameters sit in ``theta``.

    A unit is a neuron of a hidden MLP layer, or a filter of a hidden CNN layer (its rescaling
    acts on the whole filter). ``incoming`` are the indices of the weights it reads with, ``bias``
    the index of its bias (None without biases), ``outgoing`` the indices of the weights that read
    it. ``group`` names its symmetry: ``"rescaling"`` (incoming weights and bias times t, outgoing
    weights times t^-power, for a monomial activation x^power; power = -1 for 1/x),
    ``"linear"`` (a neuron of a linear layer: its layer carries GL(d_l), of which this rescaling
    is a part), or ``"none"``.
    """

    layer: int
    index: int
    incoming: tuple[int, ...]
    bias: int | None
    outgoing: tuple[int, ...]
    power: int | None
    group: str

    @property
    def input_side(self) -> tuple[int, ...]:
        """Incoming weights and bias (the parameters scaled by t)."""
        return self.incoming + (() if self.bias is None else (self.bias,))


class Architecture(abc.ABC):
    """A neural architecture as a parameterization ``theta -> Phi(theta)``.

    Subclasses are frozen dataclasses validated in ``__post_init__`` (bad input raises
    :class:`~neuroalg.errors.SpecError`); ``str(arch)`` is the canonical spec string.
    """

    family: str = ""
    #: False for families whose maps are not algebraic (softmax): results are numerical only.
    is_algebraic: bool = True

    # --- shapes ----------------------------------------------------------------------------
    @property
    @abc.abstractmethod
    def n_params(self) -> int: ...

    @property
    @abc.abstractmethod
    def input_shape(self) -> tuple[int, ...]: ...

    @property
    @abc.abstractmethod
    def output_shape(self) -> tuple[int, ...]: ...

    @property
    def n_outputs(self) -> int:
        return math.prod(self.output_shape)

    @property
    @abc.abstractmethod
    def ambient_dimension(self) -> int | None:
        """Dimension of a linear function space containing the image (None if not finite)."""

    @property
    @abc.abstractmethod
    def ambient_description(self) -> str: ...

    @property
    def n_output_scalings(self) -> int:
        """Number of independent output scalings (the projective convention subtracts it)."""
        return self.output_shape[0]

    @abc.abstractmethod
    def expected_dimension(self) -> Expected: ...

    @property
    @abc.abstractmethod
    def jacobian_degree(self) -> int:
        """Bound on the total degree of the entries of a sketched Jacobian row ``c^T dPhi(theta)(x)``
        as polynomials in ``(theta, x, c)`` (for rational maps: of their numerators over a common
        denominator per row). Minors of size ``k`` then have degree at most ``k * jacobian_degree``,
        which the Schwartz–Zippel error bounds of :func:`neuroalg.dimension` use."""

    # --- evaluation ------------------------------------------------------------------------
    @abc.abstractmethod
    def forward(self, theta, x, field):
        """Phi(theta) at inputs ``x`` of shape ``(N, *input_shape)``: shape ``(N, *output_shape)``."""

    @abc.abstractmethod
    def vjp(self, theta, x, cot, field, out=None):
        """Rows ``cot_j^T dPhi(theta)(x_j)``: shape ``(N, n_params)`` for cotangents ``(N, *output_shape)``;
        written into ``out`` (an ``(N, n_params)`` array of any dtype holding the field's
        elements exactly, e.g. float64 for GF(p)) and returned when it is given."""

    @abc.abstractmethod
    def symmetry_fields(self, theta, field):
        """Known infinitesimal symmetries at ``theta`` as columns of an ``(n_params, k)`` array.

        Each column field v satisfies ``dPhi(theta) v(theta) = 0`` identically, so the rank of
        this matrix bounds the generic fiber dimension from below."""

    def units(self) -> tuple[Unit, ...]:
        """The hidden units and their parameter layout (empty where the family has none)."""
        return ()

    @property
    def n_symmetry_fields(self) -> int:
        """Number of columns of :meth:`symmetry_fields` (families override with a formula)."""
        from ..fields import REAL

        return self.symmetry_fields(self.random_params(np.random.default_rng(0), REAL), REAL).shape[1]

    # --- provided --------------------------------------------------------------------------
    def jacobian(self, theta, x, field):
        """Full Jacobian of ``theta -> (Phi(theta)(x_j))_j``: shape ``(N, n_outputs, n_params)``."""
        n = len(x)
        rows = []
        for k in range(self.n_outputs):
            e = np.zeros((n, self.n_outputs), dtype=field.dtype)
            e[:, k] = 1
            rows.append(self.vjp(theta, x, e.reshape((n,) + self.output_shape), field))
        return np.stack(rows, axis=1)

    def random_params(self, rng: np.random.Generator, field):
        return field.random(rng, (self.n_params,))

    def random_cotangents(self, rng: np.random.Generator, n: int, field):
        return field.random(rng, (n,) + self.output_shape)

    def random_inputs(self, rng: np.random.Generator, n: int, field, theta=None):
        """``n`` random inputs; for rational maps and a given ``theta``, redrawn away from poles."""
        x = field.random(rng, (n,) + self.input_shape)
        if theta is None:
            return x
        for _ in range(100):
            bad = self.pole_mask(theta, x, field)
            if not bad.any():
                return x
            x[bad] = field.random(rng, (int(bad.sum()),) + self.input_shape)
        raise PoleError(f"{self}: could not find inputs avoiding the poles over {field}; "
                        "the parameters are degenerate (try another seed)")

    def pole_mask(self, theta, x, field) -> np.ndarray:
        """Boolean mask of the inputs at which Phi(theta) has a pole (none for polynomial maps)."""
        return np.zeros(len(x), dtype=bool)

    def check_params(self, theta, field):
        theta = field.asarray(theta)
        if theta.shape != (self.n_params,):
            raise SpecError(f"{self}: parameters must have shape ({self.n_params},); got {theta.shape}")
        return theta

    @property
    def spec(self) -> str:
        return str(self)


def check_positive_ints(values, what: str, *, minimum: int = 1) -> tuple[int, ...]:
    """Validate a sequence of integers >= ``minimum``; return it as a tuple."""
    out = []
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < minimum:
            raise SpecError(f"{what}: entry {i + 1} must be an integer >= {minimum}; got {v!r}")
        out.append(int(v))
    return tuple(out)


def n_monomials(n_vars: int, degree: int) -> int:
    """Number of monomials of exactly ``degree`` in ``n_vars`` variables: C(n + d - 1, d)."""
    return math.comb(n_vars + degree - 1, degree)
