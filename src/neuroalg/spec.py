"""Architecture spec strings: the grammar shared by the CLI, the Python API and the atlas.

The grammar is :data:`GRAMMAR`; ``str(parse_spec(s))`` is the canonical form of ``s``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .activation import Activation
from .errors import SpecError

if TYPE_CHECKING:
    from .arch import Architecture

MAX_SPEC_LENGTH = 2000
FAMILIES = ("mlp", "linear", "rational", "cnn", "attention")
GRAMMAR = """\
mlp WIDTHS ACT [bias]          polynomial MLP; ACT one activation, or one per hidden layer
                               separated by commas:  mlp 3,2,1 x^2 | mlp 2,2,1 x^3+x^2 bias
                               | mlp 3,3,3,1 x^2,x^3
linear WIDTHS [bias]           linear network (= mlp WIDTHS x):  linear 3,2,4
rational WIDTHS                activation 1/x, no biases:  rational 2,3,1
cnn k=K1,..,KL [s=S1,..,SL] ACT [out=M]
                               1-D one-channel convolutional network, strides default 1,
                               output length M (default 1); ACT=x is a linear CNN (LCN):
                               cnn k=3,2 s=2,1 x^2
attention l=L d=D a=A t=T [out=W] [softmax]
                               L layers of self-attention on T tokens of width D, key/query
                               rank A, last-layer width W (default D); lightning (no
                               normalization) unless 'softmax':  attention l=2 d=3 a=2 t=3

WIDTHS are positive integers separated by commas, d_0 (inputs) first. ACT is a polynomial in x
with rational coefficients (x^2, x^3+x^2, 0.5x^2-x, x) or 1/x. Spaces inside ACT are allowed.
"""


def parse_ints(text: str, what: str, *, example: str = "3,2,1") -> tuple[int, ...]:
    """Parse ``"3,2,1"``; errors name the empty or non-positive entry."""
    if not text:
        raise SpecError(f"missing {what}: expected positive integers separated by commas, e.g. {example}")
    out = []
    for i, part in enumerate(text.split(","), start=1):
        part = part.strip()
        if not part:
            raise SpecError(f"bad {what} '{text}': entry {i} is empty; expected positive integers "
                            f"separated by commas, e.g. {example}")
        try:
            v = int(part)
        except ValueError:
            raise SpecError(f"bad {what} '{text}': entry {i} '{part}' is not an integer; expected "
                            f"positive integers separated by commas, e.g. {example}") from None
        if v < 1:
            raise SpecError(f"bad {what} '{text}': entry {i} is {v}; entries must be positive "
                            f"integers, e.g. {example}")
        out.append(v)
    return tuple(out)


def _split(tokens: list[str], keys: tuple[str, ...], flags: tuple[str, ...], family: str):
    """Separate ``key=value`` options and flags from the remaining tokens."""
    opts, found, rest = {}, set(), []
    for tok in tokens:
        if "=" in tok:
            k, _, v = tok.partition("=")
            if k not in keys:
                raise SpecError(f"unknown option '{k}=' for {family}; allowed: "
                                + ", ".join(f"{x}=" for x in keys))
            if k in opts:
                raise SpecError(f"option '{k}=' given twice")
            opts[k] = v
        elif tok in flags:
            found.add(tok)
        else:
            rest.append(tok)
    return opts, found, rest


def _single(opts, key, family, *, required=True, default=None):
    if key not in opts:
        if required:
            raise SpecError(f"{family} needs '{key}=' (e.g. {_EXAMPLES[family]})")
        return default
    (v,) = parse_ints(opts[key], f"'{key}='", example="2") if "," not in opts[key] else (None,)
    if v is None:
        raise SpecError(f"'{key}=' takes one positive integer; got '{opts[key]}'")
    return v


_EXAMPLES = {
    "mlp": "mlp 3,2,1 x^2",
    "linear": "linear 3,2,4",
    "rational": "rational 2,3,1",
    "cnn": "cnn k=3,2 s=2,1 x^2",
    "attention": "attention l=2 d=3 a=2 t=3",
}


def parse_spec(text: str) -> Architecture:
    """Parse an architecture spec string (grammar in this module's docstring).

    Raises
    ------
    SpecError
        Naming the bad part and what is allowed.

    Examples
    --------
    >>> str(parse_spec("mlp 3,2,1 x**2"))
    'mlp 3,2,1 x^2'
    >>> parse_spec("cnn k=3,2 s=2,1 x^2").widths
    (5, 2, 1)
    """
    from .arch import Architecture  # and each family in its branch (import only what is used)

    if isinstance(text, Architecture):
        return text
    if not isinstance(text, str) or not text.strip():
        raise SpecError("empty architecture spec; e.g. " + "; ".join(_EXAMPLES.values()))
    if len(text) > MAX_SPEC_LENGTH:
        raise SpecError(f"architecture spec is {len(text)} characters long; at most "
                        f"{MAX_SPEC_LENGTH} are allowed")
    family, *tokens = text.split()
    family = family.lower()
    if family == "relu":
        raise SpecError("'relu' networks are piecewise linear: use 'neuroalg regions' (tropical "
                        "geometry); algebraic families: " + ", ".join(FAMILIES))
    if family not in FAMILIES:
        raise SpecError(f"unknown family '{family}'; allowed: {', '.join(FAMILIES)} "
                        f"(e.g. {_EXAMPLES['mlp']})")
    if family in ("mlp", "linear", "rational"):
        from .arch import MLP, linear, rational

        opts, flags, rest = _split(tokens, (), ("bias",), family)
        if not rest:
            raise SpecError(f"{family} needs widths, e.g. {_EXAMPLES[family]}")
        widths = parse_ints(rest[0], "widths")
        if len(widths) < 2:
            raise SpecError(f"bad widths '{rest[0]}': need at least 2 (inputs and outputs), e.g. 3,2,1")
        bias = "bias" in flags
        act_text = " ".join(rest[1:])
        if family == "linear":
            if act_text:
                raise SpecError(f"'linear' takes no activation (it is x); got '{act_text}'")
            return linear(widths, bias=bias)
        if family == "rational":
            if act_text or bias:
                raise SpecError(f"'rational' networks have activation 1/x and no biases; got "
                                f"'{' '.join(rest[1:] + sorted(flags))}'")
            return rational(widths)
        if not act_text:
            if len(widths) == 2:
                return linear(widths, bias=bias)
            raise SpecError(f"mlp needs an activation after the widths, e.g. {_EXAMPLES['mlp']}")
        acts = tuple(Activation.parse(a) for a in act_text.split(","))
        return MLP(widths, acts if len(acts) > 1 else acts[0], bias=bias)
    if family == "cnn":
        from .arch import CNN

        opts, _, rest = _split(tokens, ("k", "s", "out"), (), family)
        if "k" not in opts:
            raise SpecError(f"cnn needs filter sizes 'k=', e.g. {_EXAMPLES['cnn']}")
        k = parse_ints(opts["k"], "filter sizes 'k='", example="3,2")
        s = parse_ints(opts["s"], "strides 's='", example="2,1") if "s" in opts else (1,) * len(k)
        out = _single(opts, "out", family, required=False, default=1)
        if not rest:
            raise SpecError(f"cnn needs an activation, e.g. {_EXAMPLES['cnn']} (x for a linear CNN)")
        return CNN(k, s, Activation.parse(" ".join(rest)), out=out)
    from .arch import Attention

    opts, flags, rest = _split(tokens, ("l", "d", "a", "t", "out"), ("softmax",), family)
    if rest:
        raise SpecError(f"unexpected '{' '.join(rest)}' in attention spec; allowed: l=, d=, a=, t=, "
                        f"out=, softmax")
    return Attention(_single(opts, "l", family), _single(opts, "d", family), _single(opts, "a", family),
                     _single(opts, "t", family), out=_single(opts, "out", family, required=False),
                     softmax="softmax" in flags)
