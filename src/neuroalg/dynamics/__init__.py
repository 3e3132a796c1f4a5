"""Training dynamics: gradient descent from small initialization, Alternating Gradient Flows
(AGF), closed forms of saddle-to-saddle dynamics, and where training ends.

Conventions (loss normalization, time units, AGF time -> training steps) are stated in
:mod:`neuroalg.dynamics.models` and :mod:`neuroalg.dynamics.simulate`.
"""

from .closed_forms import (DiagonalPath, LinearNetworkPrediction, ModularPrediction,
                           diagonal_flow, linear_attention_levels, linear_network_levels,
                           modular_levels, pesme_flammarion, template_addition_data)
from .endpoints import Endpoint, EndpointCensus, endpoint_census
from .models import (DiagonalLinear, LinearAttention, SumOfNeurons, TwoLayer, check_homogeneity,
                     in_context_regression_data)
from .agf import AGFResult, agf
from .compare import Comparison, ModularComparison, compare, modular_comparison
from .simulate import Jumps, TrainingRun, detect_jumps, simulate, steps_for, time_scale

__all__ = [
    "AGFResult", "Comparison", "Endpoint", "EndpointCensus", "LinearAttention", "ModularComparison",
    "endpoint_census", "in_context_regression_data", "modular_comparison", "DiagonalLinear", "DiagonalPath", "agf", "compare", "Jumps", "LinearNetworkPrediction", "ModularPrediction",
    "SumOfNeurons", "TrainingRun", "TwoLayer", "check_homogeneity", "detect_jumps",
    "diagonal_flow", "linear_attention_levels", "linear_network_levels", "modular_levels",
    "pesme_flammarion", "simulate", "steps_for", "template_addition_data", "time_scale",
]
