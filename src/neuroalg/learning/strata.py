"""Which subnetwork strata a parameter point lies on, and the kernel directions each one causes.

For a network f_theta (hidden neuron i of layer l reads with its incoming weights and bias
``in_i`` and is read by its outgoing weights ``out_i``, the column i of W_{l+1}), the Fisher
information F = E[J^T J] / sigma^2 has kernel ker F = {v : J(x) v = 0 for almost every x}. Besides
the known continuous symmetries (neuron rescalings of monomial activations, GL(d) of linear
layers, orthogonal groups of x^2 layers feeding one neuron; :meth:`neuroalg.arch.MLP.symmetry_fields`),
the strata of subnetworks add kernel directions:

* **zero outgoing weight** (out_i = 0): the neuron is ignored, so its incoming weights and bias
  are free: e_k for k in in_i;
* **dead neuron** (in_i = 0: the neuron outputs the constant sigma(0)): if sigma(0) = 0 its
  outgoing weights are free (e_k, k in out_i); if sigma(0) != 0 and the next layer has biases,
  an outgoing weight can trade with the next bias (e_out - sigma(0) e_bias); if sigma'(0) = 0
  (x^r, r >= 2) its incoming weights are free too;
* **merged neurons** (in_j = s in_i with sigma(s z) = c sigma(z): s = 1 always, s = -1 for odd or
  even sigma, any s != 0 for monomials c z^r): the pair acts as one neuron with outgoing weights
  out_i + c out_j, so weight can be transferred (c e_{out_i} - e_{out_j}); if out_i = rho out_j
  the incoming weights can move against each other (e_{in_i} - (s rho / c) e_{in_j}), since
  sigma'(s z) = (c/s) sigma'(z);
* **cancelling neurons** (merged with out_i + c out_j = 0): the pair adds nothing, so it can move
  along the stratum: e_{in_i} + s e_{in_j}.

Every candidate direction is checked against the computed kernel (exactly for rational points,
else numerically); the report counts, per stratum, how many kernel dimensions it explains beyond
the symmetries and the strata listed before it, and how many kernel dimensions no known cause
explains.

References
----------
[APO01] S. Amari, H. Park, T. Ozeki (2001), Geometrical singularities in the neuromanifold of
        multilayer perceptrons, NeurIPS 14 (the singular sets v = 0, w = 0, w_i = w_j).
[Fuk96] K. Fukumizu (1996), A regularity condition of the information matrix of a multilayer
        perceptron network, Neural Networks 9(5), 871-879.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import SpecError
from .network import AnyNetwork, Network

NAMES = ("zero-outgoing", "dead", "merged", "cancelling")
LONG = {"zero-outgoing": "zero outgoing weight", "dead": "dead neuron",
        "merged": "merged neurons", "cancelling": "cancelling neurons"}


@dataclass(frozen=True)
class StratumHit:
    """One stratum through the point: its kind, layer, neurons and candidate kernel vectors."""

    kind: str  # one of NAMES
    layer: int
    neurons: tuple[int, ...]
    detail: str
    candidates: tuple[tuple, ...]  # vectors of length n_params (Fractions if exact, else floats)

    @property
    def name(self) -> str:
        who = (f"neuron {self.neurons[0]}" if len(self.neurons) == 1
               else "neurons " + " and ".join(map(str, self.neurons)))
        return f"{LONG[self.kind]} ({who} of layer {self.layer})"


def _layer_units(net: Network):
    by_layer: dict[int, list] = {}
    for u in net.units():
        by_layer.setdefault(u.layer, []).append(u)
    return by_layer


def strata_at(net: AnyNetwork, theta: Sequence[Any] | np.ndarray, *, exact: bool,
              atol: float = 1e-9) -> list[StratumHit]:
    """The strata of the module docstring through ``theta`` (Fractions if ``exact``)."""
    if not isinstance(net, Network):
        return []
    P = net.n_params
    zero = Fraction(0) if exact else 0.0
    one = Fraction(1) if exact else 1.0
    scale = max([1.0] + [abs(float(t)) for t in theta])

    def is_zero(values) -> bool:
        return all((v == 0) if exact else abs(float(v)) <= atol * scale for v in values)

    def vec(entries) -> tuple:
        v = [zero] * P
        for k, c in entries:
            v[k] = v[k] + c
        return tuple(v)

    hits: list[StratumHit] = []
    for l, units in _layer_units(net).items():
        act = net.activations[l - 1]
        next_bias = net.layer_slices()[l][1]
        for u in units:
            inc = [theta[k] for k in u.input_side]
            out = [theta[k] for k in u.outgoing]
            if is_zero(out):
                hits.append(StratumHit("zero-outgoing", l, (u.index,), "outgoing weights are 0",
                                       tuple(vec([(k, one)]) for k in u.input_side)))
            if is_zero(inc):
                cands = []
                s0 = _num(act.value_at_zero, exact)
                if s0 == 0:
                    cands += [vec([(k, one)]) for k in u.outgoing]
                elif next_bias is not None:
                    cands += [vec([(k, one), (next_bias.start + o, -s0)])
                              for o, k in enumerate(u.outgoing)]
                if act.slope_at_zero == 0:
                    cands += [vec([(k, one)]) for k in u.input_side]
                hits.append(StratumHit("dead", l, (u.index,),
                                       f"incoming weights are 0 (outputs sigma(0) = {act.value_at_zero:g})",
                                       tuple(cands)))
        for a, ui in enumerate(units):
            inc_i = [theta[k] for k in ui.input_side]
            if is_zero(inc_i):
                continue
            for uj in units[a + 1:]:
                inc_j = [theta[k] for k in uj.input_side]
                s = _ratio(inc_j, inc_i, exact, atol * scale)
                if s is None:
                    continue
                c = act.scale_factor(float(s))
                if c is None:
                    continue
                c = _num(c, exact) if not exact else _exact_scale(act, s)
                out_i = [theta[k] for k in ui.outgoing]
                out_j = [theta[k] for k in uj.outgoing]
                cands = [vec([(ki, c), (kj, -one)]) for ki, kj in zip(ui.outgoing, uj.outgoing)]
                rho = _ratio(out_i, out_j, exact, atol * scale)
                if rho is not None:
                    cands += [vec([(ki, one), (kj, -s * rho / c)])
                              for ki, kj in zip(ui.input_side, uj.input_side)]
                hits.append(StratumHit("merged", l, (ui.index, uj.index),
                                       f"incoming weights proportional, s = {float(s):g} "
                                       f"(sigma(s z) = {float(c):g} sigma(z))", tuple(cands)))
                total = [oi + c * oj for oi, oj in zip(out_i, out_j)]
                if is_zero(total):
                    hits.append(StratumHit(
                        "cancelling", l, (ui.index, uj.index),
                        "merged with opposite outgoing weights (the pair adds nothing)",
                        tuple(vec([(ki, one), (kj, s)]) for ki, kj in zip(ui.input_side, uj.input_side))))
    return hits


def _num(v, exact):
    return Fraction(v) if exact else float(v)


def _exact_scale(act, s: Fraction) -> Fraction:
    if s == 1:
        return Fraction(1)
    r = act.monomial_power
    if r is not None:
        return Fraction(s) ** r
    return Fraction(-1) if act.parity == "odd" else Fraction(1)


def _ratio(a, b, exact: bool, tol: float):
    """s with a = s b (b not all zero), or None."""
    k = max(range(len(b)), key=lambda i: abs(float(b[i])))
    if (b[k] == 0) if exact else abs(float(b[k])) <= tol:
        return None
    s = a[k] / b[k]
    for x, y in zip(a, b):
        if exact:
            if x != s * y:
                return None
        elif abs(float(x) - float(s) * float(y)) > tol * max(1.0, abs(float(s))):
            return None
    return s


def parse_stratum(name: str, net: AnyNetwork) -> tuple[str, int]:
    """``KIND`` or ``KIND:LAYER`` (layers 1-based, default 1) -> (kind, layer)."""
    if not isinstance(net, Network):
        raise SpecError(f"{net}: strata are defined for fully connected networks (mlp, linear)")
    kind, _, layer = str(name).strip().partition(":")
    kind = kind.strip().lower().replace(" ", "-").replace("_", "-")
    aliases = {"zero-outgoing-weight": "zero-outgoing", "dead-neuron": "dead",
               "merged-neurons": "merged", "cancelling-neurons": "cancelling", "canceling": "cancelling"}
    kind = aliases.get(kind, kind)
    if kind not in NAMES:
        raise SpecError(f"stratum '{name}': allowed are {', '.join(NAMES)}, optionally followed by "
                        ":LAYER (e.g. merged:1)")
    n_hidden = len(net.widths) - 2
    try:
        lay = int(layer) if layer.strip() else 1
    except ValueError:
        raise SpecError(f"stratum '{name}': the layer after ':' must be an integer in "
                        f"1..{n_hidden}") from None
    if not 1 <= lay <= n_hidden:
        raise SpecError(f"stratum '{name}': {net} has hidden layers 1..{n_hidden}; got layer {lay}")
    need = 2 if kind in ("merged", "cancelling") else 1
    if net.widths[lay] < need:
        raise SpecError(f"stratum '{name}': layer {lay} of {net} has {net.widths[lay]} neuron; "
                        f"'{kind}' needs {need}")
    return kind, lay


def point_on_stratum(net: AnyNetwork, name: str, rng: np.random.Generator) -> tuple[Fraction, ...]:
    """A random exact rational point of the stratum ``name`` (see :func:`parse_stratum`):
    entries +-k/4 with k in 1..8, then neuron 0 (and 1) of the layer put on the stratum."""
    kind, l = parse_stratum(name, net)
    theta = [Fraction(int(k) * int(sg), 4) for k, sg in
             zip(rng.integers(1, 9, net.n_params), rng.choice([-1, 1], net.n_params))]
    units = [u for u in net.units() if u.layer == l]
    u0 = units[0]
    if kind == "zero-outgoing":
        for k in u0.outgoing:
            theta[k] = Fraction(0)
    elif kind == "dead":
        for k in u0.input_side:
            theta[k] = Fraction(0)
    else:
        u1 = units[1]
        for k0, k1 in zip(u0.input_side, u1.input_side):
            theta[k1] = theta[k0]
        if kind == "cancelling":
            for k0, k1 in zip(u0.outgoing, u1.outgoing):
                theta[k1] = -theta[k0]
    return tuple(theta)


def symmetry_vectors(net: AnyNetwork, theta: Sequence[Any] | np.ndarray, *, exact: bool) -> list[tuple]:
    """The known continuous symmetries at theta as vectors (columns of
    :meth:`~neuroalg.arch.MLP.symmetry_fields` for polynomial networks; for tanh or erf layers
    none, for monomial layers of mixed networks their rescalings)."""
    if not isinstance(net, Network):
        return []
    if net.arch is not None:
        field = _FRACTIONS if exact else _FLOATS
        th = np.empty(len(theta), dtype=object) if exact else np.asarray(theta, dtype=float)
        if exact:
            for i, t in enumerate(theta):
                th[i] = Fraction(t)
        cols = net.arch.symmetry_fields(th, field)
        return [tuple(cols[:, j]) for j in range(cols.shape[1])]
    out = []
    for u in net.units():
        if u.group == "rescaling":
            assert u.power is not None  # a rescaling belongs to a monomial activation x^power
            v = [Fraction(0) if exact else 0.0] * len(theta)
            for k in u.input_side:
                v[k] = theta[k]
            for k in u.outgoing:
                v[k] = -u.power * theta[k]
            out.append(tuple(v))
    return out


class _FractionField:
    """Exact rational arithmetic on object arrays of Fractions (for the symmetry fields)."""

    dtype = object
    is_exact = False

    def asarray(self, a):
        return np.asarray(a, dtype=object)

    def constant(self, c):
        return Fraction(c)

    def add(self, a, b):
        return a + b

    def sub(self, a, b):
        return a - b

    def mul(self, a, b):
        return a * b

    def neg(self, a):
        return -a


class _FloatField(_FractionField):
    dtype = np.float64

    def asarray(self, a):
        return np.asarray(a, dtype=float)

    def constant(self, c):
        return float(c)


_FRACTIONS = _FractionField()
_FLOATS = _FloatField()
