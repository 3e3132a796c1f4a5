"""Lazy re-exports for package ``__init__`` files (PEP 562).

A package lists ``{public name: defining submodule}``; each name is imported on first access and
then cached in the package namespace. This keeps ``import neuroalg`` and ``neuroalg --help``
from importing scipy, sympy and every engine up front.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# A name that is also a submodule of the package (``geometry.dimension`` the function and the
# module) must not be lazy: importing the submodule would bind the module to that name.


def lazy_exports(package: str, namespace: dict[str, Any],
                 names: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package`` exporting ``names`` (name -> relative module)."""

    def __getattr__(name: str) -> Any:
        if name in names:
            value = getattr(importlib.import_module(names[name], package), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(namespace.get("__all__", ())) | set(names))

    return __getattr__, __dir__
