"""neuroalg: neuroalgebraic geometry — certified invariants of neural network function spaces.

>>> import neuroalg
>>> neuroalg.dimension("mlp 3,3,3,3 x^2", seed=1).dimension
21

Names are imported on first use (PEP 562), so ``import neuroalg`` and the command line start
fast; ``dir(neuroalg)`` lists them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports
from ._version import __version__ as __version__

#: public name -> module that defines it
_LAZY = {
    "Activation": ".activation",
    "Architecture": ".arch", "MLP": ".arch", "CNN": ".arch", "Attention": ".arch",
    "NeuroalgError": ".errors", "SpecError": ".errors", "BudgetError": ".errors",
    "Certainty": ".results", "Result": ".results", "DimensionResult": ".geometry.dimension",
    "dimension": ".geometry.dimension",
    "parse_spec": ".spec",
}

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:
    from .activation import Activation as Activation
    from .arch import CNN as CNN
    from .arch import MLP as MLP
    from .arch import Architecture as Architecture
    from .arch import Attention as Attention
    from .errors import BudgetError as BudgetError
    from .errors import NeuroalgError as NeuroalgError
    from .errors import SpecError as SpecError
    from .results import Certainty as Certainty
    from .results import Result as Result
    from .geometry.dimension import DimensionResult as DimensionResult
    from .geometry.dimension import dimension as dimension
    from .spec import parse_spec as parse_spec


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
