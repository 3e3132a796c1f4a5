"""Singular learning: Fisher information, errors at singularities, learning coefficients.

Statistics of the regression model y = f_theta(x) + N(0, sigma^2) at the singular points of the
neuromanifold (Amari, Park, Ozeki 2001; Watanabe 2009): see ``README.md`` in this folder for the
mathematics, conventions, commands and the measured reproduction of the paper's conclusions.
"""

from .activations import SmoothActivation as SmoothActivation
from .calibration import Calibration as Calibration
from .calibration import calibrate as calibrate
from .fisher import FisherResult as FisherResult
from .fisher import fisher as fisher
from .generalization import GeneralizationResult as GeneralizationResult
from .generalization import generalization as generalization
from .inputs import EmpiricalInputs as EmpiricalInputs
from .inputs import GaussianInputs as GaussianInputs
from .llc import LLCResult as LLCResult
from .llc import local_learning_coefficient as local_learning_coefficient
from .network import Network as Network
from .network import parse_network as parse_network
from .plot import plot_generalization as plot_generalization
from .rlct import LearningCoefficient as LearningCoefficient
from .rlct import learning_coefficient as learning_coefficient
from .rlct import reduced_rank_regression as reduced_rank_regression
