"""ReLU networks: the piecewise-linear maps whose regions and tropical expressions we compute.

Convention: ``f(x) = W_L s(... s(W_1 x + b_1) ...) + b_L`` with ``s = ReLU`` after every layer but
the last, whose output is affine. Widths ``(n_0, n_1, ..., n_L)``: ``n_0`` inputs, ``n_L`` outputs,
``N = n_1 + ... + n_{L-1}`` hidden neurons. A neuron is *active* where its pre-activation is > 0.

Weights are exact (:class:`fractions.Fraction`) when every entry is an integer, a fraction, a
string ``"p/q"`` or a float equal to a dyadic rational with denominator at most 2**10 (such as 0.5);
otherwise they are float64. Sources: nested lists, a JSON file
``{"layers": [{"weight": [[...], ...], "bias": [...]}, ...]}``, a torch ``nn.Sequential`` of
``Linear``/``ReLU`` (torch is optional), or a random spec ``relu n0,n1,...,nL`` (standard normal
weights and biases).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import SpecError
from ..random import check_seed

_MAX_DENOMINATOR = 2 ** 10


ALLOWED_ENTRIES = "a finite number, or a fraction 'p/q' as a string"


def _exact_entry(v, where: str = "network weight"):
    """The Fraction equal to ``v``, or None if ``v`` is a float that is not a small rational;
    SpecError naming ``where`` if ``v`` is not a finite number or a fraction string."""
    if isinstance(v, bool) or v is None:
        raise SpecError(f"{where} must be {ALLOWED_ENTRIES}; got {v!r}")
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    if isinstance(v, Fraction):
        return v
    if isinstance(v, str):
        try:
            return Fraction(v.strip())
        except (ValueError, ZeroDivisionError):
            raise SpecError(f"{where} must be {ALLOWED_ENTRIES}; got {v!r}") from None
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if not np.isfinite(v):
            raise SpecError(f"{where} must be {ALLOWED_ENTRIES}; got {v!r} (JSON numbers beyond "
                            f"1.8e308 read as infinity: write them as strings, e.g. \"1e400\")")
        q = Fraction(v)
        return q if q.denominator <= _MAX_DENOMINATOR else None
    raise SpecError(f"{where} must be {ALLOWED_ENTRIES}; got {type(v).__name__} {v!r}")


def _as_matrix(obj, what: str) -> np.ndarray:
    """``obj`` as a 2-D object array: a non-empty list of non-empty rows of equal length."""
    if isinstance(obj, np.ndarray):
        rows = obj.tolist() if obj.ndim == 2 else None
    elif isinstance(obj, (list, tuple)):
        rows = list(obj)
    else:
        rows = None
    if rows is None or not rows or not all(isinstance(r, (list, tuple, np.ndarray)) for r in rows):
        raise SpecError(f"{what} must be a non-empty list of rows (lists of numbers); got "
                        f"{type(obj).__name__}" + (f" of shape {obj.shape}" if isinstance(obj, np.ndarray) else ""))
    lengths = [len(r) for r in rows]
    if min(lengths) == 0 or len(set(lengths)) != 1:
        k = next(i for i, n in enumerate(lengths) if n != lengths[0] or n == 0)
        raise SpecError(f"{what} must have rows of equal, non-zero length; row 1 has {lengths[0]} "
                        f"entries, row {k + 1} has {lengths[k]}")
    arr = np.empty((len(rows), lengths[0]), dtype=object)
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if isinstance(v, (list, tuple, dict, np.ndarray)):
                raise SpecError(f"{what} row {i + 1} entry {j + 1} must be {ALLOWED_ENTRIES}; got "
                                f"a nested {type(v).__name__} (a weight is a list of rows)")
            arr[i, j] = v
    return arr


def _as_vector(obj, what: str) -> np.ndarray:
    """``obj`` as a 1-D object array (a list of numbers)."""
    if isinstance(obj, np.ndarray) and obj.ndim == 1:
        obj = obj.tolist()
    if not isinstance(obj, (list, tuple)):
        raise SpecError(f"{what} must be a list of numbers; got {type(obj).__name__}")
    for j, v in enumerate(obj):
        if isinstance(v, (list, tuple, dict, np.ndarray)):
            raise SpecError(f"{what} entry {j + 1} must be {ALLOWED_ENTRIES}; got a nested "
                            f"{type(v).__name__} (a bias is a list of numbers)")
    arr = np.empty(len(obj), dtype=object)
    arr[:] = list(obj)
    return arr


@dataclass(frozen=True, eq=False)
class ReLUNetwork:
    """A feed-forward ReLU network ``x -> W_L s(... s(W_1 x + b_1)) + b_L`` (see module docstring).

    ``weights[l]`` has shape ``(n_{l+1}, n_l)``, ``biases[l]`` shape ``(n_{l+1},)``; both are
    float64 arrays, or object arrays of Fractions when ``is_exact``.
    """

    weights: tuple
    biases: tuple
    name: str = ""

    def __post_init__(self):
        if len(self.weights) == 0 or len(self.weights) != len(self.biases):
            raise SpecError("a network needs at least one layer and one bias per layer; got "
                            f"{len(self.weights)} weight matrices and {len(self.biases)} bias vectors")
        for l, (W, b) in enumerate(zip(self.weights, self.biases), start=1):
            if W.ndim != 2 or b.shape != (W.shape[0],):
                raise SpecError(f"layer {l}: bias has shape {b.shape}, weight {W.shape}; the bias "
                                f"needs one entry per row of the weight ({W.shape[0]})")
            if l > 1 and W.shape[1] != self.weights[l - 2].shape[0]:
                raise SpecError(f"layer {l}: weight has {W.shape[1]} columns but layer {l - 1} has "
                                f"{self.weights[l - 2].shape[0]} outputs; shapes must chain")

    # --- constructors ------------------------------------------------------------------------
    @classmethod
    def from_layers(cls, layers, *, name: str = "", exact: bool | None = None,
                    where: str = "") -> "ReLUNetwork":
        """From ``[(W_1, b_1), ..., (W_L, b_L)]`` (array-likes), or dicts with weight/bias keys.

        A dict has the key ``"weight"`` and optionally ``"bias"`` (default 0) and
        ``"activation"``: ``"relu"`` on hidden layers, ``"linear"``/``"identity"`` or ``None``
        on the last; any other key or activation is rejected (the model is ReLU-only).
        ``exact``: None (exact iff every entry is a small rational, see the module docstring),
        False (float64), True (Fractions; error if an entry is not a small rational).
        ``where``: prefix of error messages (e.g. ``"NET"``); messages name the layer, the
        field, the row and the entry.
        """
        from ..options import check_keys

        pre = f"{where}: " if where else ""
        if not isinstance(layers, (list, tuple)) or not layers:
            raise SpecError(f"{pre}'layers' must be a non-empty list of layers "
                            '{"weight": [[...], ...], "bias": [...]}')
        Ws: list[np.ndarray] = []
        bs: list[np.ndarray] = []
        for l, layer in enumerate(layers, start=1):
            if isinstance(layer, dict):
                check_keys(layer, f"{pre}layer {l}", required=("weight",),
                           optional=("bias", "activation"))
                act = layer.get("activation")
                allowed = (None, "relu") if l < len(layers) else (None, "linear", "identity")
                if (act.lower() if isinstance(act, str) else act) not in allowed:
                    raise SpecError(f"{pre}layer {l}: activation {act!r} is not allowed; hidden "
                                    f"layers are 'relu' and the last layer is affine ('linear')")
                W, b = layer["weight"], layer.get("bias")
            else:
                try:
                    W, b = layer
                except (TypeError, ValueError):
                    raise SpecError(f"{pre}layer {l}: expected a pair (weight, bias) or an object "
                                    '{"weight": ..., "bias": ...}; got ' f"{type(layer).__name__}") from None
            W = _as_matrix(W, f"{pre}layer {l} weight")
            b = np.zeros(W.shape[0], dtype=object) if b is None else _as_vector(b, f"{pre}layer {l} bias")
            if len(b) != W.shape[0]:
                raise SpecError(f"{pre}layer {l} bias has {len(b)} entries; it needs one per row "
                                f"of the weight ({W.shape[0]} rows)")
            if Ws and W.shape[1] != Ws[-1].shape[0]:
                raise SpecError(f"{pre}layer {l} weight has {W.shape[1]} columns but layer {l - 1} "
                                f"has {Ws[-1].shape[0]} rows (neurons); shapes must chain")
            Ws.append(W)
            bs.append(b)

        def places(l, W, b):
            for i in range(W.shape[0]):
                for j in range(W.shape[1]):
                    yield W[i, j], f"{pre}layer {l} weight row {i + 1} entry {j + 1}"
            for i in range(len(b)):
                yield b[i], f"{pre}layer {l} bias entry {i + 1}"

        entries = [(v, at) for l, (W, b) in enumerate(zip(Ws, bs), start=1) for v, at in places(l, W, b)]
        as_q = [_exact_entry(v, at) for v, at in entries]
        if exact and any(q is None for q in as_q):
            raise SpecError(f"{pre}exact=True needs integer, fraction or dyadic weights; got a float "
                            f"that is not a small rational")
        if exact is not False and all(q is not None for q in as_q):
            conv = lambda a: np.array([_exact_entry(v) for v in a.ravel()], dtype=object).reshape(a.shape)
        else:
            for (v, at), q in zip(entries, as_q):   # a float network: every entry must fit float64
                if q is None:
                    continue
                try:
                    f = float(q)
                except OverflowError:
                    f = float("inf")
                if not np.isfinite(f) or (q != 0 and f == 0.0):
                    raise SpecError(f"{at} = {v!r} is outside the float64 range, and the network "
                                    f"is computed in float64 because of its non-rational floats; "
                                    f"write every weight exactly (integers or 'p/q') to use it")

            def conv(a):
                return np.array([float(_exact_entry(v)) if isinstance(v, str) else float(v)
                                 for v in a.ravel()], dtype=float).reshape(a.shape)
        return cls(tuple(conv(W) for W in Ws), tuple(conv(b) for b in bs), name=name)

    @classmethod
    def from_json(cls, source, *, where: str = "NET") -> "ReLUNetwork":
        """From a JSON file path or a parsed dict ``{"layers": [{"weight", "bias"}, ...]}``.

        The file is read strictly (:func:`neuroalg.options.load_json`: NaN and Infinity are
        rejected) and checked: the only top-level key is ``"layers"``, each layer's keys are
        ``"weight"``, ``"bias"``, ``"activation"``; error messages start with ``where``."""
        from ..options import check_keys, load_json

        name = ""
        if isinstance(source, (str, os.PathLike)):
            name = os.path.basename(str(source))
            source = load_json(source, where)
        check_keys(source, where, required=("layers",))
        return cls.from_layers(source["layers"], name=name, where=where)

    @classmethod
    def from_torch(cls, module) -> "ReLUNetwork":
        """From a torch ``nn.Sequential`` of ``Linear`` and ``ReLU`` (ReLU between the Linears).

        Requires torch (optional extra); raises SpecError for any other layer type.
        """
        try:
            import torch  # noqa: F401
            from torch import nn
        except ImportError:
            raise SpecError("reading a torch model needs torch, which is not installed "
                            "(pip install 'neuroalg[torch]' or pip install torch)") from None
        mods = list(module.children()) if isinstance(module, nn.Sequential) else [module]
        layers, expect_linear = [], True
        for i, m in enumerate(mods):
            if isinstance(m, nn.Linear):
                if not expect_linear:
                    raise SpecError(f"torch layer {i}: two Linear layers without a ReLU between them")
                W = m.weight.detach().cpu().double().numpy()
                b = (m.bias.detach().cpu().double().numpy() if m.bias is not None
                     else np.zeros(W.shape[0]))
                layers.append((W.tolist(), b.tolist()))
                expect_linear = False
            elif isinstance(m, nn.ReLU):
                if expect_linear:
                    raise SpecError(f"torch layer {i}: ReLU must follow a Linear layer")
                expect_linear = True
            else:
                raise SpecError(f"torch layer {i} is {type(m).__name__}; only Linear and ReLU "
                                f"layers are supported")
        if not layers or expect_linear:
            raise SpecError("a torch model must start and end with a Linear layer")
        return cls.from_layers(layers, name=type(module).__name__)

    @classmethod
    def random(cls, widths, *, seed=None) -> "ReLUNetwork":
        """Standard normal weights and biases for widths ``(n_0, ..., n_L)`` (float64)."""
        widths = tuple(int(w) for w in widths)
        if len(widths) < 2 or min(widths) < 1:
            raise SpecError(f"widths must be at least two positive integers; got {widths}")
        _, rng = check_seed(seed)
        layers = [(rng.standard_normal((widths[i + 1], widths[i])), rng.standard_normal(widths[i + 1]))
                  for i in range(len(widths) - 1)]
        return cls(tuple(W for W, _ in layers), tuple(b for _, b in layers),
                   name="relu " + ",".join(map(str, widths)))

    def to_dict(self) -> dict:
        """The JSON form ``{"layers": [{"weight", "bias"}, ...]}`` read by :meth:`from_json`
        (exact entries as integers or ``"p/q"`` strings, floats otherwise: a lossless round trip)."""
        def enc(v):
            if isinstance(v, Fraction):
                return v.numerator if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
            return float(v)

        layers = []
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            layers.append({"weight": [[enc(v) for v in row] for row in W.tolist()],
                           "bias": [enc(v) for v in b.tolist()],
                           "activation": "relu" if l < len(self.weights) - 1 else "linear"})
        return {"layers": layers}

    def to_json(self, path) -> None:
        """Write :meth:`to_dict` to ``path`` (e.g. to count a torch model with ``neuroalg regions``)."""
        with open(path, "w") as fh:
            json.dump(self.to_dict(), fh)

    # --- properties --------------------------------------------------------------------------
    @property
    def widths(self) -> tuple[int, ...]:
        return (self.weights[0].shape[1],) + tuple(W.shape[0] for W in self.weights)

    @property
    def n_inputs(self) -> int:
        return self.widths[0]

    @property
    def n_outputs(self) -> int:
        return self.widths[-1]

    @property
    def n_hidden(self) -> int:
        """Number of ReLU neurons N."""
        return sum(self.widths[1:-1])

    @property
    def is_exact(self) -> bool:
        return self.weights[0].dtype == object

    def as_exact(self) -> "ReLUNetwork":
        """The same network with every entry a Fraction (each float read as the rational it is):
        computations on it are exact statements about the floating-point network."""
        if self.is_exact:
            return self
        conv = lambda a: np.array([Fraction(v) for v in a.ravel().tolist()],
                                  dtype=object).reshape(a.shape)
        return ReLUNetwork(tuple(conv(W) for W in self.weights), tuple(conv(b) for b in self.biases),
                           name=self.name)

    def float_weights(self):
        """``[(W_l, b_l)]`` as float64 arrays."""
        return [(np.asarray(W, dtype=float), np.asarray(b, dtype=float))
                for W, b in zip(self.weights, self.biases)]

    def __str__(self) -> str:
        w = ",".join(map(str, self.widths))
        return self.name if self.name.startswith("relu ") else (
            f"relu {w}" + (f" ({self.name})" if self.name else "") + (" exact" if self.is_exact else ""))

    # --- evaluation --------------------------------------------------------------------------
    def __call__(self, X) -> np.ndarray:
        """Evaluate at the rows of ``X`` (float64; a single point may be a vector)."""
        X = np.asarray(X, dtype=float)
        single = X.ndim == 1
        Z = np.atleast_2d(X).T
        layers = self.float_weights()
        for l, (W, b) in enumerate(layers):
            Z = W @ Z + b[:, None]
            if l < len(layers) - 1:
                Z = np.maximum(Z, 0.0)
        return Z[:, 0] if single else Z.T

    def evaluate_exact(self, x) -> list:
        """Exact value at one point ``x`` (Fractions) of an exact network."""
        z = [Fraction(v) for v in x]
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = [sum((Fraction(W[i, j]) * z[j] for j in range(W.shape[1])), Fraction(b[i]))
                 for i in range(W.shape[0])]
            if l < len(self.weights) - 1:
                z = [max(v, Fraction(0)) for v in z]
        return z

    def patterns(self, X) -> np.ndarray:
        """Activation patterns (bool, one column per hidden neuron, layer by layer) at rows of X."""
        Z = np.atleast_2d(np.asarray(X, dtype=float)).T
        out = []
        for W, b in self.float_weights()[:-1]:
            Z = W @ Z + b[:, None]
            out.append(Z > 0)
            Z = np.maximum(Z, 0.0)
        return np.concatenate(out, axis=0).T if out else np.zeros((Z.shape[1], 0), bool)

    def affine_map(self, pattern):
        """The affine map ``x -> F x + f`` of the network on the region of ``pattern``.

        Exact (Fractions) for exact networks. Returns ``(F, f)`` of shapes ``(n_L, n_0)``, ``(n_L,)``.
        """
        pattern = np.asarray(pattern, dtype=bool)
        dtype = object if self.is_exact else float
        n0 = self.n_inputs
        F = np.eye(n0, dtype=int).astype(dtype)
        if self.is_exact:
            F = np.array([[Fraction(int(i == j)) for j in range(n0)] for i in range(n0)], dtype=object)
        f = np.array([Fraction(0)] * n0, dtype=object) if self.is_exact else np.zeros(n0)
        pos = 0
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            F = W.dot(F)
            f = W.dot(f) + b
            if l < len(self.weights) - 1:
                mask = pattern[pos:pos + W.shape[0]]
                pos += W.shape[0]
                F = F * mask[:, None]
                f = f * mask
        return F, f


def _exponent(q: Fraction) -> int:
    """An integer e with ``2^(e-1) < |q| < 2^(e+1)`` (q != 0)."""
    return q.numerator.bit_length() - q.denominator.bit_length()


#: float64 entries below this (in absolute value, non-zero) are subnormal: they carry fewer bits
_SMALLEST_NORMAL = float(np.finfo(float).tiny)


def normalize_neurons(net: ReLUNetwork) -> tuple[ReLUNetwork, int]:
    """The network with every neuron rescaled by an exact power of two, and the number of
    non-zero weights that fall below the float64 normal range in it.

    Neuron j of a hidden layer, ``relu(w.z + b)``, becomes ``relu(2^-e (w.z + b))`` with
    ``2^e`` about its largest ``|w_i|, |b|``, and its outgoing weights are multiplied by
    ``2^e``: since ``relu(c t) = c relu(t)`` for ``c > 0`` the next layer sees the same values,
    and the neuron's sign, hence every activation pattern, is unchanged at every x. Each output
    row is rescaled the same way, which multiplies output i by a positive constant ``2^-e_i``
    (regions, linear regions and the equality of affine maps are unchanged). The arithmetic is
    exact (Fractions; every float is a rational), so the result has the same activation regions
    as ``net`` exactly; its largest entry per row is in ``[1/2, 2)``, so the floating-point
    cell splitting neither overflows (``10^155``-size weights) nor underflows (a neuron rescaled
    by ``1e-162``). Exact networks stay exact; float networks get back float64 entries, equal to
    the rescaled ones unless below ``2^-1022`` times their row's largest (counted in the
    second return value, 0 in practice). Weights 0 stay 0.
    """
    exact_layers = [([[Fraction(v) for v in row] for row in W.tolist()], [Fraction(v) for v in b.tolist()])
                    for W, b in zip(net.weights, net.biases)]
    out, carry = [], None  # carry[k]: factor 2^e_k of neuron k of the previous layer
    for W, b in exact_layers:
        if carry is not None:
            W = [[w * c for w, c in zip(row, carry)] for row in W]
        shifts = []
        for row, bj in zip(W, b):
            nonzero = [v for v in row + [bj] if v != 0]
            shifts.append(max(_exponent(v) for v in nonzero) if nonzero else 0)
        scale = [Fraction(2) ** -e for e in shifts]
        W = [[w * s for w in row] for row, s in zip(W, scale)]
        b = [bj * s for bj, s in zip(b, scale)]
        out.append((W, b))
        carry = [Fraction(2) ** e for e in shifts]
    lost = sum(1 for W, b in out for v in [x for row in W for x in row] + b
               if v != 0 and abs(float(v)) < _SMALLEST_NORMAL)
    if net.is_exact:
        conv = lambda a: np.array(a, dtype=object)
    else:
        conv = lambda a: np.array([[float(v) for v in row] for row in a] if isinstance(a[0], list)
                                  else [float(v) for v in a], dtype=float)
    return ReLUNetwork(tuple(conv(W) for W, _ in out), tuple(conv(b) for _, b in out),
                       name=net.name), lost


def parse_relu_spec(text: str) -> tuple[int, ...]:
    """Widths of a random-network spec ``relu n0,n1,...,nL``."""
    from ..spec import parse_ints

    parts = text.split()
    if len(parts) != 2 or parts[0].lower() != "relu":
        raise SpecError(f"bad network '{text}': expected a JSON file or a spec 'relu n0,n1,...,nL' "
                        f"such as 'relu 2,6,1'")
    widths = parse_ints(parts[1], "widths", example="2,6,1")
    if len(widths) < 2:
        raise SpecError(f"bad network '{text}': need at least an input and an output width")
    return widths


def load_network(source, *, seed=None) -> ReLUNetwork:
    """A network from a :class:`ReLUNetwork`, a torch module, a JSON path, or a spec ``relu 2,6,1``."""
    if isinstance(source, ReLUNetwork):
        return source
    if isinstance(source, dict):
        return ReLUNetwork.from_json(source)
    if isinstance(source, (str, os.PathLike)):
        s = str(source)
        if os.path.exists(s):
            return ReLUNetwork.from_json(s)
        if s.lower().endswith(".json"):
            raise SpecError(f"network file '{s}' does not exist")
        return ReLUNetwork.random(parse_relu_spec(s), seed=seed)
    if type(source).__module__.startswith("torch"):
        return ReLUNetwork.from_torch(source)
    if isinstance(source, (list, tuple)):
        return ReLUNetwork.from_layers(source)
    raise SpecError(f"cannot read a ReLU network from {type(source).__name__}; expected a JSON "
                    f"file, a spec 'relu 2,6,1', a list of (weight, bias) or a torch nn.Sequential")
