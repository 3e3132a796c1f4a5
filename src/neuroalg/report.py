"""Text rendering shared by the result dataclasses: a headline, then aligned (label, value) lines."""

from __future__ import annotations


class Report:
    """Mixin: ``__str__`` and ``__rich__`` from ``headline()`` and ``lines()``."""

    def headline(self) -> str:
        raise NotImplementedError

    def lines(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def __str__(self) -> str:
        rows = self.lines()
        width = max((len(k) for k, _ in rows), default=0)
        return "\n".join([self.headline()] + [f"  {k:<{width}}  {v}" for k, v in rows])

    def __rich__(self):
        from rich.text import Text

        return Text(str(self))
