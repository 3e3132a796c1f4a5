"""Canonical labels of architectures.

The label of an architecture is its canonical spec string, ``str(parse_spec(spec))``: a pure
function of the architecture (never of the order in which a sweep enumerates it), readable, and
parseable back with :func:`neuroalg.parse_spec`. Examples: ``mlp 2,3,1 x^2``,
``mlp 2,2,1 x^3+x^2 bias``, ``linear 3,2,4``, ``rational 2,3,1``, ``cnn k=3,2 s=2,1 x^2``.
Spellings that denote the same architecture get the same label (``mlp 2,3,1 x**2`` and
``mlp 2,3,1  x^2`` are both ``mlp 2,3,1 x^2``).

>>> label("mlp 2,3,1 x**2")
'mlp 2,3,1 x^2'
>>> slug("mlp 2,3,1 x^2")
'mlp_2,3,1_x~5E2'
"""

from __future__ import annotations

from urllib.parse import quote

from ..errors import SpecError
from ..spec import parse_spec


def label(arch) -> str:
    """The canonical label of ``arch`` (an Architecture or a spec string)."""
    return str(parse_spec(arch))


def parse_label(text: str):
    """The architecture of a canonical label; raises SpecError if ``text`` is not canonical."""
    arch = parse_spec(text)
    if str(arch) != text:
        raise SpecError(f"'{text}' is not a canonical label; the canonical form is '{arch}'")
    return arch


def slug(text: str) -> str:
    """A file-name- and URL-safe form of a label: spaces become '_', other unsafe characters
    are percent-encoded with '~' for '%' (labels contain neither '_' nor '~', so the map is
    injective)."""
    return quote(text.replace(" ", "_"), safe="_,=.-").replace("%", "~")


def describe(arch) -> dict:
    """Columns describing an architecture: family, widths, depth, activation, bias, #params,
    ambient and expected dimension (affine convention)."""
    arch = parse_spec(arch)
    widths = getattr(arch, "widths", None)
    acts = getattr(arch, "activations", None)
    act = None
    if acts is not None:
        act = "1/x" if arch.family == "mlp" and getattr(arch, "is_rational", False) else (
            ",".join(sorted({str(a) for a in acts})) if acts else "x")
    return dict(label=str(arch), family=str(arch).split()[0],
                widths=None if widths is None else ",".join(map(str, widths)),
                depth=None if widths is None else len(widths) - 1,
                d0=None if widths is None else widths[0], dL=None if widths is None else widths[-1],
                activation=act, bias=bool(getattr(arch, "bias", False)),
                n_params=arch.n_params, ambient=arch.ambient_dimension,
                expected=arch.expected_dimension().value)
