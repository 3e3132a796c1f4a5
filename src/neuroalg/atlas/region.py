"""Regions: finite families of architectures, written as one line.

Grammar (``neuroalg atlas run REGION``)::

    REGION  := FAMILY TERM...
    FAMILY  := mlp | linear | rational
    TERM    := KEY OP VALUES | bias
    KEY     := d0 | dL | depth | width | d1 | d2 | ... | r | act | params
    OP      := = | <= | < | >= | >
    VALUES  := N | N..M | N,M,...   (ranges and lists only after '=')

* ``depth`` is L, the number of weight layers (widths d0, d1, ..., dL), as the column h of the
  minimal-filling tables (Dao, Rodriguez); ``width`` bounds every hidden width d1..d(L-1);
  ``dK`` bounds the K-th hidden width only (K counted from the input, d0 being the input).
* ``r=N`` is the monomial activation x^N (``r=2,3`` both); ``act=POLY`` any one polynomial
  activation (``act=x^3+x^2``). ``mlp`` needs one of them; ``linear`` and ``rational``
  (activation 1/x) take neither. ``bias`` adds biases (mlp, linear).
* A depth-1 network has no activation: its label is the linear one (``mlp 2,1 x``).
* ``params<=N`` (or any OP) keeps architectures by their number of parameters.
* Required: d0, dL, depth and an upper bound on width (so the family is finite). Hidden widths
  start at 1 unless bounded below.

Example: all monomial MLPs with 2 inputs, 1 output, depth at most 5, hidden widths at most 6 and
activation x^2 is ``mlp d0=2 dL=1 depth<=5 width<=6 r=2``. Architectures are listed in the
order of their labels; which ones belong to a region never depends on that order.

>>> reg = parse_region("mlp d0=2 dL=1 depth<=2 width<=3 r=2")
>>> reg.labels()
('mlp 2,1 x', 'mlp 2,1,1 x^2', 'mlp 2,2,1 x^2', 'mlp 2,3,1 x^2')
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import cast

from ..activation import Activation
from ..errors import SpecError
from ..spec import parse_spec
from .labels import label as canonical_label

FAMILIES = ("mlp", "linear", "rational")
#: The grammar as printed by ``neuroalg atlas run --help`` (one paragraph, no blank lines).
GRAMMAR = """\
REGION := FAMILY TERM...    FAMILY := mlp | linear | rational
TERM   := KEY OP VALUES | bias
KEY    := d0 | dL | depth | width | d1 | d2 | ... | r | act | params
OP     := = | <= | < | >= | >      VALUES := N | N..M | N,M,...  (ranges, lists after '=')
depth  = number of weight layers L (widths d0,...,dL); width bounds every hidden width,
dK the K-th one; r=N is the activation x^N, act=POLY any polynomial (mlp needs one);
params bounds the number of parameters. Required: d0, dL, depth, an upper bound on width.
Example: mlp d0=2 dL=1 depth<=5 width<=6 r=2   (also: d0=2,3  depth=3..5  act=x^3+x^2 bias)"""
MAX_SIZE = 2_000_000
_TERM = re.compile(r"^(d0|dL|depth|width|d[1-9][0-9]*|r|act|params)(<=|>=|<|>|=)(.+)$")
_EXAMPLE = "mlp d0=2 dL=1 depth<=5 width<=6 r=2"


@dataclass(frozen=True)
class Region:
    """A finite family of architectures (see the module docstring for the grammar)."""

    family: str
    d0: tuple[int, ...]
    dL: tuple[int, ...]
    depth: tuple[int, ...]
    width: tuple[int, int]
    layers: tuple[tuple[int, int, int], ...] = ()  # (K, low, high) per-hidden-layer bounds
    activations: tuple[str, ...] = ()
    bias: bool = False
    params: tuple[int, int] = (0, 10**18)
    text: str = ""

    def __str__(self) -> str:
        return self.text

    def hidden_range(self, k: int) -> range:
        lo, hi = self.width
        for kk, a, b in self.layers:
            if kk == k:
                lo, hi = max(lo, a), min(hi, b)
        return range(lo, hi + 1)

    def specs(self):
        """Spec strings of the family (not canonicalized)."""
        acts = self.activations or ("",)
        for L in self.depth:
            hidden = [self.hidden_range(k) for k in range(1, L)]
            for d0, dL, act in itertools.product(self.d0, self.dL, acts):
                for mid in itertools.product(*hidden):
                    widths = (d0, *mid, dL)
                    n = sum(a * b for a, b in zip(widths, widths[1:]))
                    if self.bias:
                        n += sum(widths[1:])
                    if not (self.params[0] <= n <= self.params[1]):
                        continue
                    spec = f"{self.family} {','.join(map(str, widths))}"
                    if act:
                        spec += f" {act}"
                    yield spec + (" bias" if self.bias else "")

    def size(self) -> int:
        """Upper bound on the number of architectures (before the params filter)."""
        n = 0
        for L in self.depth:
            m = len(self.d0) * len(self.dL) * max(1, len(self.activations))
            for k in range(1, L):
                m *= len(self.hidden_range(k))
            n += m
        return n

    def labels(self) -> tuple[str, ...]:
        """Canonical labels of the family, sorted, without repetitions."""
        if self.size() > MAX_SIZE:
            raise SpecError(f"region '{self.text}' has {self.size():,} architectures, more than "
                            f"{MAX_SIZE:,}: bound width, depth or params more tightly")
        return tuple(sorted({canonical_label(s) for s in self.specs()}))

    def contains(self, label: str) -> bool:
        """Whether the architecture of ``label`` belongs to the region."""
        try:
            arch = parse_spec(label)
        except SpecError:
            return False
        widths = getattr(arch, "widths", None)
        if widths is None or str(arch).split()[0] != self.family:
            return False
        L = len(widths) - 1
        if L not in self.depth or widths[0] not in self.d0 or widths[-1] not in self.dL:
            return False
        if bool(getattr(arch, "bias", False)) != self.bias:
            return False
        if any(w not in self.hidden_range(k) for k, w in enumerate(widths[1:-1], start=1)):
            return False
        if self.activations and L > 1:
            acts = {str(a) for a in getattr(arch, "activations", ())}
            if len(acts) != 1 or acts.pop() not in self.activations:
                return False
        return self.params[0] <= arch.n_params <= self.params[1]


def _values(key: str, op: str, text: str) -> tuple[int, int] | tuple[int, ...]:
    """Integer values of one term: a closed interval (low, high) for comparisons, a tuple for '='."""
    def num(s):
        try:
            v = int(s)
        except ValueError:
            raise SpecError(f"bad value '{s}' in '{key}{op}{text}': expected an integer") from None
        if v < 0:
            raise SpecError(f"bad value '{s}' in '{key}{op}{text}': must be >= 0")
        return v

    if op == "=":
        if ".." in text:
            a, _, b = text.partition("..")
            lo, hi = num(a), num(b)
            if lo > hi:
                raise SpecError(f"empty range '{text}' in '{key}{op}{text}'")
            return tuple(range(lo, hi + 1))
        return tuple(sorted({num(s) for s in text.split(",")}))
    v = num(text)
    return {"<=": (0, v), "<": (0, v - 1), ">=": (v, 10**18), ">": (v + 1, 10**18)}[op]


def parse_region(text: str) -> Region:
    """Parse a REGION (grammar in the module docstring); errors name the bad term."""
    if isinstance(text, Region):
        return text
    tokens = text.split() if isinstance(text, str) else []
    if not tokens:
        raise SpecError(f"empty region; e.g. '{_EXAMPLE}'")
    family, *terms = tokens
    if family not in FAMILIES:
        raise SpecError(f"unknown family '{family}' in region; allowed: {', '.join(FAMILIES)} "
                        f"(e.g. '{_EXAMPLE}')")
    found: dict[str, tuple[int, ...]] = {}
    layers, acts, bias = [], [], False
    for term in terms:
        if term == "bias":
            bias = True
            continue
        m = _TERM.match(term)
        if not m:
            raise SpecError(f"bad region term '{term}'; expected KEY OP VALUE with KEY one of d0, "
                            f"dL, depth, width, dK, r, act, params and OP one of =, <=, <, >=, > "
                            f"(e.g. '{_EXAMPLE}'), or 'bias'")
        key, op, val = m.groups()
        if key == "act":
            if op != "=":
                raise SpecError(f"'act' takes '=', e.g. act=x^3+x^2; got '{term}'")
            acts.append(str(Activation.parse(val)))
            continue
        if key == "r":
            if op != "=":
                raise SpecError(f"'r' takes '=', e.g. r=2 or r=2,3; got '{term}'")
            acts += [str(Activation.parse(f"x^{v}")) for v in _values(key, op, val)]
            continue
        vals = _values(key, op, val)
        if key in ("d0", "dL", "depth"):
            if op != "=":
                lo, hi = vals
                if hi >= 10**18:
                    raise SpecError(f"'{term}' leaves {key} unbounded; give an upper bound")
                vals = tuple(range(max(lo, 1), hi + 1))
            if key in found:
                raise SpecError(f"'{key}' given twice in region")
            found[key] = vals
        elif key in ("width", "params") or re.fullmatch(r"d[1-9][0-9]*", key):
            lo, hi = (min(vals), max(vals)) if op == "=" else vals
            if key == "width":
                old = found.get("width", (1, 10**18))
                found["width"] = (max(old[0], lo, 1), min(old[1], hi))
            elif key == "params":
                old = found.get("params", (0, 10**18))
                found["params"] = (max(old[0], lo), min(old[1], hi))
            else:
                layers.append((int(key[1:]), max(lo, 1), hi))
    for key in ("d0", "dL", "depth"):
        if key not in found:
            raise SpecError(f"region needs '{key}=' (e.g. '{_EXAMPLE}')")
        if not found[key] or min(found[key]) < 1:
            raise SpecError(f"'{key}' values must be positive integers; got {found[key]}")
    width = found.get("width", (1, 10**18))
    if max(found["depth"]) > 1 and width[1] >= 10**18 and not layers:
        raise SpecError(f"region needs an upper bound on the hidden widths, e.g. width<=6 "
                        f"(in '{text}')")
    if family == "mlp" and not acts:
        raise SpecError("an mlp region needs an activation: r=N (x^N) or act=POLY")
    if family != "mlp" and acts:
        raise SpecError(f"'{family}' regions take no activation (r=, act=)")
    if family == "rational" and bias:
        raise SpecError("'rational' networks have no biases")
    # width and params are stored as (lo, hi) pairs
    return Region(family=family, d0=found["d0"], dL=found["dL"], depth=found["depth"],
                  width=cast("tuple[int, int]", width), layers=tuple(layers),
                  activations=tuple(dict.fromkeys(acts)), bias=bias,
                  params=cast("tuple[int, int]", found.get("params", (0, 10**18))), text=" ".join(tokens))
