"""Rendering shared by the result dataclasses: a headline, then aligned (label, value) lines."""

from __future__ import annotations


class Report:
    """Mixin: ``__str__`` and ``__rich__`` (a two-column table) from ``headline()`` and
    ``lines()``; ``title_style`` colours the headline (a property may make it depend on the
    result, e.g. on its certainty)."""

    title_style = "bold"

    def headline(self) -> str:
        raise NotImplementedError

    def lines(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def __str__(self) -> str:
        rows = self.lines()
        width = max((len(k) for k, _ in rows), default=0)
        return "\n".join([self.headline()] + [f"  {k:<{width}}  {v}" for k, v in rows])

    def __rich__(self):
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=escape(self.headline()), title_style=self.title_style, show_header=False,
                      box=None, title_justify="left")
        table.add_column(style="cyan")
        table.add_column()
        for k, v in self.lines():
            table.add_row(escape(k), escape(v))  # values are text, never markup
        return table
