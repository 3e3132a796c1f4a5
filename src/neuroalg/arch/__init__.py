"""Architectures as parameterizations Phi: one module per family, re-exported here (each family
is imported on first use, so a command on one family does not load the others)."""

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

#: public name -> module that defines it
_LAZY = {"Architecture": "._base", "Expected": "._base", "Unit": "._base",
         "MLP": "._mlp", "linear": "._mlp", "rational": "._mlp",
         "CNN": "._conv", "Attention": "._attention"}

__all__ = list(_LAZY)

if TYPE_CHECKING:
    from ._attention import Attention as Attention
    from ._base import Architecture as Architecture
    from ._base import Expected as Expected
    from ._base import Unit as Unit
    from ._conv import CNN as CNN
    from ._mlp import MLP as MLP
    from ._mlp import linear as linear
    from ._mlp import rational as rational

__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
