"""Rendering shared by the result dataclasses: a headline, then aligned (label, value) lines."""

from __future__ import annotations

from typing import TYPE_CHECKING


class Report:
    """Mixin: ``__str__`` and ``__rich__`` (a two-column table) from ``headline()`` and
    ``lines()``, then the preformatted rows of ``block()`` (e.g. a table of solutions, printed
    without wrapping); ``title_style`` colours the headline (a property may make it depend on the
    result, e.g. on its certainty)."""

    if TYPE_CHECKING:  # read-only: subclasses override it with a class attribute, a field or a property
        @property
        def title_style(self) -> str: ...
    else:
        title_style = "bold"

    def headline(self) -> str:
        raise NotImplementedError

    def lines(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def block(self) -> list[str]:
        return []

    def __str__(self) -> str:
        rows = self.lines()
        width = max((len(k) for k, _ in rows), default=0)
        return "\n".join([self.headline()] + [f"  {k:<{width}}  {v}" for k, v in rows]
                         + [f"  {row}" for row in self.block()])

    def __rich__(self):
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=escape(self.headline()), title_style=self.title_style, show_header=False,
                      box=None, title_justify="left")
        table.add_column(style="cyan")
        table.add_column()
        for k, v in self.lines():
            table.add_row(escape(k), escape(v))  # values are text, never markup
        block = self.block()
        if not block:
            return table
        from rich.console import Group
        from rich.text import Text

        return Group(table, Text("\n".join(f" {row}" for row in block), no_wrap=True,
                                 overflow="ignore"))


def to_json(data) -> str:
    """Strict JSON of a result's ``to_dict()``: no NaN or Infinity anywhere.

    Non-finite floats become ``null``, and the top-level object gains a ``"nonfinite"`` field
    mapping each such value's path (``"strata.0.gap"``) to ``"inf"``, ``"-inf"`` or ``"nan"``, so
    the reader knows why it is null. numpy scalars and arrays become numbers and lists; any other
    object is written as its ``str``.
    """
    import json

    notes: dict[str, str] = {}
    clean = _finite(data, "", notes)
    if notes and isinstance(clean, dict):
        clean = {**clean, "nonfinite": notes}
    return json.dumps(clean, allow_nan=False)


def _finite(value, path: str, notes: dict[str, str]):
    import math

    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # numpy arrays and scalars
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        notes[path or "value"] = "nan" if value != value else ("inf" if value > 0 else "-inf")
        return None
    if isinstance(value, dict):
        return {str(k): _finite(v, f"{path}.{k}" if path else str(k), notes)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v, f"{path}.{i}" if path else str(i), notes) for i, v in enumerate(value)]
    if isinstance(value, complex):
        return [_finite(value.real, f"{path}.re", notes), _finite(value.imag, f"{path}.im", notes)]
    return str(value)
