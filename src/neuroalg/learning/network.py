"""Networks evaluated in float64 for statistics: forward pass, parameter gradients, layout.

:class:`Network` is a fully connected network x -> W_L s(W_{L-1} ... s(W_1 x + b_1) ... ) + b_L
with tanh, erf or polynomial hidden activations (:mod:`.activations`). Its parameters are laid
out exactly as in :class:`neuroalg.arch.MLP` (layer by layer, ``W_l`` row-major, then ``b_l``),
so a polynomial network and the algebraic architecture of the same spec share every index.
:class:`ArchitectureNetwork` wraps any other :class:`~neuroalg.arch.Architecture` (CNNs,
attention) through its own float64 forward pass and vector-Jacobian products.

Spec strings are those of :data:`neuroalg.spec.GRAMMAR`, and for MLPs the activation may also be
``tanh`` or ``erf``: ``mlp 1,2,1 tanh``, ``mlp 2,3,1 erf bias``, ``mlp 1,2,2,1 tanh,x^2``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from ..arch import MLP, Architecture, Unit
from ..errors import SpecError
from ..fields import REAL
from ..spec import MAX_SPEC_LENGTH, parse_ints, parse_spec
from .activations import SMOOTH, SmoothActivation


@dataclass(frozen=True)
class Network:
    """A fully connected network evaluated in float64 (see the module docstring).

    Parameters
    ----------
    widths : tuple of int
        (d_0, ..., d_L): d_0 inputs, d_L outputs.
    activations : tuple of SmoothActivation
        One per hidden layer.
    bias : bool, default=False
    arch : MLP or None
        The algebraic architecture of the same spec, for polynomial activations (exact Fisher
        information by Gaussian moments); None for tanh and erf.

    Examples
    --------
    >>> net = parse_network("mlp 1,2,1 tanh")
    >>> net.n_params, str(net)
    (4, 'mlp 1,2,1 tanh')
    """

    widths: tuple[int, ...]
    activations: tuple[SmoothActivation, ...]
    bias: bool = False
    arch: MLP | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.widths) < 2 or any(w < 1 for w in self.widths):
            raise SpecError(f"widths must be at least two positive integers; got {self.widths}")
        if len(self.activations) != len(self.widths) - 2:
            raise SpecError(f"widths {self.widths} need {len(self.widths) - 2} activations; "
                            f"got {len(self.activations)}")

    def __str__(self) -> str:
        names = [str(a) for a in self.activations]
        act = names[0] if len(set(names)) == 1 else ",".join(names)
        return f"mlp {','.join(map(str, self.widths))} {act or 'x'}" + (" bias" if self.bias else "")

    @property
    def spec(self) -> str:
        return str(self)

    # --- layout ----------------------------------------------------------------------------
    @property
    def depth(self) -> int:
        return len(self.widths) - 1

    @property
    def input_shape(self) -> tuple[int, ...]:
        return (self.widths[0],)

    @property
    def n_inputs(self) -> int:
        return self.widths[0]

    @property
    def n_outputs(self) -> int:
        return self.widths[-1]

    def layer_slices(self) -> list[tuple[slice, slice | None]]:
        """For each layer l = 1..L: (slice of W_l in theta, slice of b_l or None)."""
        out, pos = [], 0
        for l in range(1, self.depth + 1):
            n = self.widths[l] * self.widths[l - 1]
            ws = slice(pos, pos + n)
            pos += n
            bs = None
            if self.bias:
                bs = slice(pos, pos + self.widths[l])
                pos += self.widths[l]
            out.append((ws, bs))
        return out

    @property
    def n_params(self) -> int:
        return sum(self.widths[l] * self.widths[l - 1] + (self.widths[l] if self.bias else 0)
                   for l in range(1, self.depth + 1))

    def units(self) -> tuple[Unit, ...]:
        """Every hidden neuron: row i of W_l (and b_l[i]) in, column i of W_{l+1} out."""
        out, slices = [], self.layer_slices()
        for l, act in enumerate(self.activations, start=1):
            d_prev, d, d_next = self.widths[l - 1], self.widths[l], self.widths[l + 1]
            (ws, bs), (ws2, _) = slices[l - 1], slices[l]
            power = act.monomial_power
            group = ("linear" if power == 1 else "rescaling" if power is not None else "none")
            for i in range(d):
                out.append(Unit(l, i, tuple(range(ws.start + i * d_prev, ws.start + (i + 1) * d_prev)),
                                None if bs is None else bs.start + i,
                                tuple(ws2.start + j * d + i for j in range(d_next)), power, group))
        return tuple(out)

    @property
    def is_polynomial(self) -> bool:
        return all(a.is_polynomial for a in self.activations)

    @property
    def is_numerical_only(self) -> bool:
        """True when an activation is tanh or erf (no exact arithmetic applies)."""
        return not self.is_polynomial

    @property
    def has_poles(self) -> bool:
        """False: tanh, erf and polynomial networks are entire functions of x."""
        return False

    @property
    def output_degree(self) -> int | None:
        """Bound on the degree in x of the outputs and of their parameter derivatives
        (product of the activation degrees); None for tanh and erf."""
        out = 1
        for a in self.activations:
            if a.degree is None:
                return None
            out *= a.degree
        return out

    def check_params(self, theta: ArrayLike) -> np.ndarray:
        """``theta`` as a finite float64 vector of length ``n_params``."""
        try:
            t = np.asarray(theta, dtype=float)
        except (TypeError, ValueError):
            raise SpecError(f"{self}: parameters must be {self.n_params} numbers") from None
        if t.shape != (self.n_params,):
            raise SpecError(f"{self}: parameters must be {self.n_params} numbers (layout: "
                            f"{layout(self)}); got {t.size}")
        if not np.all(np.isfinite(t)):
            raise SpecError(f"{self}: parameters must be finite numbers")
        return t

    def random_params(self, rng: np.random.Generator, scale: float = 1.0) -> np.ndarray:
        return scale * rng.standard_normal(self.n_params)

    # --- evaluation ------------------------------------------------------------------------
    def _forward_all(self, theta, x):
        zs, hs, h = [], [x], x
        for l, (ws, bs) in enumerate(self.layer_slices(), start=1):
            z = h @ theta[ws].reshape(self.widths[l], self.widths[l - 1]).T
            if bs is not None:
                z = z + theta[bs]
            zs.append(z)
            if l < self.depth:
                h = self.activations[l - 1](z)
                hs.append(h)
        return zs, hs

    def forward(self, theta: ArrayLike, x: ArrayLike) -> np.ndarray:
        """Outputs at inputs ``x`` of shape (N, d_0): shape (N, d_L)."""
        return self._forward_all(np.asarray(theta, dtype=float), np.asarray(x, dtype=float))[0][-1]

    def vjp(self, theta: ArrayLike, x: ArrayLike, cot: ArrayLike) -> np.ndarray:
        """Rows ``cot_j^T df(x_j)/dtheta``: shape (N, n_params) for cotangents (N, d_L)."""
        theta, x, g = (np.asarray(a, dtype=float) for a in (theta, x, cot))
        zs, hs = self._forward_all(theta, x)
        out = np.zeros((len(x), self.n_params))
        slices = self.layer_slices()
        for l in range(self.depth, 0, -1):
            ws, bs = slices[l - 1]
            out[:, ws] = (g[:, :, None] * hs[l - 1][:, None, :]).reshape(len(x), -1)
            if bs is not None:
                out[:, bs] = g
            if l > 1:
                w = theta[ws].reshape(self.widths[l], self.widths[l - 1])
                g = (g @ w) * self.activations[l - 2].derivative(zs[l - 2])
        return out

    def jacobian(self, theta: ArrayLike, x: ArrayLike) -> np.ndarray:
        """df(x_j)/dtheta: shape (N, d_L, n_params)."""
        x = np.asarray(x, dtype=float)
        rows = []
        for k in range(self.n_outputs):
            e = np.zeros((len(x), self.n_outputs))
            e[:, k] = 1.0
            rows.append(self.vjp(theta, x, e))
        return np.stack(rows, axis=1)


@dataclass(frozen=True)
class ArchitectureNetwork:
    """Any :class:`~neuroalg.arch.Architecture` (CNN, attention, ...) evaluated in float64."""

    arch: Architecture

    def __str__(self) -> str:
        return str(self.arch)

    @property
    def spec(self) -> str:
        return str(self.arch)

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.arch.input_shape)

    @property
    def n_inputs(self) -> int:
        return math.prod(self.arch.input_shape)

    @property
    def n_outputs(self) -> int:
        return self.arch.n_outputs

    @property
    def n_params(self) -> int:
        return self.arch.n_params

    @property
    def has_poles(self) -> bool:
        """True for 1/x activations: f has poles on hyperplanes of input space, where
        Gaussian expectations of f^2 and of J^T J diverge."""
        return any(getattr(a, "reciprocal", False) for a in getattr(self.arch, "activations", ()))

    @property
    def is_polynomial(self) -> bool:
        return bool(self.arch.is_algebraic) and not self.has_poles

    @property
    def is_numerical_only(self) -> bool:
        return not self.is_polynomial

    @property
    def output_degree(self) -> int | None:
        degs = getattr(self.arch, "_output_degrees", lambda: None)()
        return max(degs) if degs else None

    def units(self) -> tuple[Unit, ...]:
        return tuple(self.arch.units())

    def check_params(self, theta: ArrayLike) -> np.ndarray:
        t = np.asarray(theta, dtype=float)
        if t.shape != (self.n_params,) or not np.all(np.isfinite(t)):
            raise SpecError(f"{self}: parameters must be {self.n_params} finite numbers; got "
                            f"{t.size}")
        return t

    def random_params(self, rng: np.random.Generator, scale: float = 1.0) -> np.ndarray:
        return scale * rng.standard_normal(self.n_params)

    def _x(self, x: ArrayLike) -> np.ndarray:
        """Inputs (N, d_0) in the architecture's input shape (N, *input_shape)."""
        a = np.asarray(x, dtype=float)
        return a.reshape((len(a),) + self.input_shape)

    def forward(self, theta: ArrayLike, x: ArrayLike) -> np.ndarray:
        xs = self._x(x)
        return np.asarray(self.arch.forward(np.asarray(theta, dtype=float), xs, REAL)
                          ).reshape(len(xs), -1)

    def vjp(self, theta: ArrayLike, x: ArrayLike, cot: ArrayLike) -> np.ndarray:
        xs = self._x(x)
        g = np.asarray(cot, dtype=float).reshape((len(xs), *self.arch.output_shape))
        return self.arch.vjp(np.asarray(theta, dtype=float), xs, g, REAL)

    def jacobian(self, theta: ArrayLike, x: ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return self.arch.jacobian(np.asarray(theta, dtype=float), self._x(x), REAL).reshape(
            len(x), self.n_outputs, self.n_params)


#: the networks of this package: fully connected (tanh, erf, polynomials) or any other architecture
AnyNetwork = Network | ArchitectureNetwork


def parse_network(spec: str | Architecture | AnyNetwork) -> AnyNetwork:
    """A network from a spec string (``mlp 1,2,1 tanh``, ``mlp 3,2,1 x^2``, ``linear 2,2,2``,
    ``cnn k=3,2 x^2``), an :class:`~neuroalg.arch.Architecture` or a network (returned as is).

    Raises
    ------
    SpecError
        Naming the bad part of the spec and what is allowed.
    """
    if isinstance(spec, (Network, ArchitectureNetwork)):
        return spec
    if isinstance(spec, Architecture):
        return _from_arch(spec)
    if not isinstance(spec, str):
        raise SpecError(f"expected an architecture spec string; got {type(spec).__name__}")
    if len(spec) > MAX_SPEC_LENGTH:
        raise SpecError(f"spec is longer than {MAX_SPEC_LENGTH} characters")
    parts = spec.split(None, 2)
    if len(parts) == 3 and parts[0] == "mlp":
        rest = parts[2].split()
        bias = bool(rest) and rest[-1] == "bias"
        act_text = " ".join(rest[:-1] if bias else rest)
        pieces = [p.strip() for p in act_text.split(",")]
        if any(p.lower() in SMOOTH + ("relu", "sigmoid", "softplus", "gelu") for p in pieces):
            widths = parse_ints(parts[1], "MLP widths")
            if len(widths) < 3:
                raise SpecError(f"'{spec}': an MLP with a {pieces[0]} activation needs a hidden "
                                "layer (at least three widths, e.g. mlp 1,2,1 tanh)")
            acts = tuple(SmoothActivation.parse(p) for p in pieces)
            n_hidden = len(widths) - 2
            if len(acts) == 1:
                acts = acts * n_hidden
            if len(acts) != n_hidden:
                raise SpecError(f"'{spec}': widths {','.join(map(str, widths))} need one "
                                f"activation or {n_hidden} (one per hidden layer); got {len(acts)}")
            return Network(widths, acts, bias)
    return _from_arch(parse_spec(spec))


def _from_arch(arch: Architecture) -> AnyNetwork:
    if isinstance(arch, MLP) and not any(a.reciprocal for a in arch.activations):
        acts = tuple(SmoothActivation(str(a), a) for a in arch.activations)
        return Network(arch.widths, acts, arch.bias, arch)
    return ArchitectureNetwork(arch)


def check_no_poles(net: AnyNetwork, what: str, alternative: str = "") -> None:
    """Refuse a network with 1/x activations where ``what`` is a Gaussian expectation (it
    diverges at the poles; a data set's average does not: say so in ``alternative``)."""
    if net.has_poles:
        raise SpecError(f"{net}: 1/x has poles, where {what} diverges for Gaussian inputs; use a "
                        f"polynomial, tanh or erf network{alternative}")


def layout(net: AnyNetwork) -> str:
    """A short description of the parameter order (for error messages and reports)."""
    if not isinstance(net, Network):
        return f"{net.n_params} parameters in the order of {net.spec}"
    parts = []
    for l in range(1, net.depth + 1):
        parts.append(f"W{l} ({net.widths[l]}x{net.widths[l - 1]}, row-major)")
        if net.bias:
            parts.append(f"b{l} ({net.widths[l]})")
    return ", ".join(parts)
