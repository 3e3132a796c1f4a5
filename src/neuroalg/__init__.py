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
    "dimension": ".geometry.dimension", "VerifyResult": ".geometry.dimension",
    "verify": ".geometry.dimension",
    "degree": ".geometry.witness", "DegreeResult": ".geometry.witness",
    "critical_points": ".geometry.witness", "CriticalResult": ".geometry.witness",
    "fiber": ".geometry.witness", "FiberResult": ".geometry.witness",
    "singular": ".geometry.witness", "SingularResult": ".geometry.witness",
    "equations": ".geometry.equations", "EquationsResult": ".geometry.equations",
    "member": ".geometry.membership", "MemberResult": ".geometry.membership",
    "solve": ".homotopy", "SolveResult": ".homotopy", "PolySystem": ".homotopy",
    "count_regions": ".tropical", "RegionCount": ".tropical",
    "tropical_expression": ".tropical", "TropicalExpression": ".tropical",
    "parse_spec": ".spec",
    "expand": ".polymap", "PolynomialMap": ".polymap",
    "fisher": ".learning.fisher", "FisherResult": ".learning.fisher",
    "generalization": ".learning.generalization",
    "GeneralizationResult": ".learning.generalization",
    "learning_coefficient": ".learning.rlct", "LearningCoefficient": ".learning.rlct",
    "local_learning_coefficient": ".learning.llc", "LLCResult": ".learning.llc",
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
    from .geometry.dimension import DimensionResult as DimensionResult
    from .geometry.dimension import VerifyResult as VerifyResult
    from .geometry.dimension import dimension as dimension
    from .geometry.dimension import verify as verify
    from .geometry.equations import EquationsResult as EquationsResult
    from .geometry.equations import equations as equations
    from .geometry.membership import MemberResult as MemberResult
    from .geometry.membership import member as member
    from .geometry.witness import CriticalResult as CriticalResult
    from .geometry.witness import DegreeResult as DegreeResult
    from .geometry.witness import FiberResult as FiberResult
    from .geometry.witness import SingularResult as SingularResult
    from .geometry.witness import critical_points as critical_points
    from .geometry.witness import degree as degree
    from .geometry.witness import fiber as fiber
    from .geometry.witness import singular as singular
    from .homotopy import PolySystem as PolySystem
    from .homotopy import SolveResult as SolveResult
    from .homotopy import solve as solve
    from .learning.fisher import FisherResult as FisherResult
    from .learning.fisher import fisher as fisher
    from .learning.generalization import GeneralizationResult as GeneralizationResult
    from .learning.generalization import generalization as generalization
    from .learning.llc import LLCResult as LLCResult
    from .learning.llc import local_learning_coefficient as local_learning_coefficient
    from .learning.rlct import LearningCoefficient as LearningCoefficient
    from .learning.rlct import learning_coefficient as learning_coefficient
    from .polymap import PolynomialMap as PolynomialMap
    from .polymap import expand as expand
    from .results import Certainty as Certainty
    from .results import Result as Result
    from .spec import parse_spec as parse_spec
    from .tropical import RegionCount as RegionCount
    from .tropical import TropicalExpression as TropicalExpression
    from .tropical import count_regions as count_regions
    from .tropical import tropical_expression as tropical_expression


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
