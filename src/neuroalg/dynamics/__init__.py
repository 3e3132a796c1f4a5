"""Training dynamics: gradient descent from small initialization, Alternating Gradient Flows
(AGF), closed forms of saddle-to-saddle dynamics, and where training ends.

Conventions (details in :mod:`neuroalg.dynamics.models` and :mod:`neuroalg.dynamics.simulate`):

* loss ``L = loss_scale / (2N) sum_j ||y_j - f(x_j)||^2``; ``loss_scale = 1`` (1/2 mean squared
  error) except modular addition, where ``loss_scale = 2/p`` (mean over samples and outputs of
  (y - f)^2, no 1/2), the normalization giving the levels 0.65625, 0.15625, 0.03125, 0;
* time: gradient-flow time t of dTheta/dt = -grad L; gradient descent with step lr reaches
  t = k lr after k steps;
* AGF (rescaled) time: tau = t / log(1/alpha) for neurons of degree kappa = 2, tau = t alpha^(kappa-2)
  for kappa > 2; so a predicted jump at tau happens after tau * log(1/alpha) / lr steps
  (kappa = 2) or tau * alpha^(2-kappa) / lr steps (``steps_for``);
* initialization of scale alpha: diagonal networks u = sqrt(2) alpha, v = 0 (Pesme-Flammarion);
  other networks alpha times i.i.d. N(0, 1/neuron_size) entries.

AGF engines (:func:`agf`): kappa = 2 in the limit alpha -> 0 (:mod:`.limit`, dormant neurons as
power series in alpha) or at a finite alpha (:mod:`.finite_alpha`), kappa > 2 by blow-up
(:mod:`.agf`); cost minimization in :mod:`.cost`. What they check rather than trust: the loss
never rises along a staircase (:func:`check_monotone`, else :class:`AGFInvariantError`); a
finite alpha too small for float64 on the data is refused (rounding check); limit jumps resolved
only to first order are confirmed against the finite-alpha engine or refused.
"""

from .agf import (
                           AGFInvariantError,
                           AGFResult,
                           agf,
                           check_monotone,
                           first_jump_lower_bound,
                           max_utility,
)
from .closed_forms import (
                           DiagonalPath,
                           LinearNetworkPrediction,
                           ModularPrediction,
                           diagonal_flow,
                           linear_attention_levels,
                           linear_network_jump_times,
                           linear_network_levels,
                           modular_levels,
                           pesme_flammarion,
                           template_addition_data,
)
from .compare import Comparison, ModularComparison, compare, modular_comparison
from .endpoints import Endpoint, EndpointCensus, endpoint_census
from .models import (
                           DiagonalLinear,
                           LinearAttention,
                           SumOfNeurons,
                           TwoLayer,
                           check_homogeneity,
                           in_context_regression_data,
)
from .simulate import Jumps, TrainingRun, detect_jumps, simulate, steps_for, time_scale

__all__ = [
    "AGFInvariantError", "AGFResult", "Comparison", "DiagonalLinear", "DiagonalPath", "Endpoint",
    "EndpointCensus", "Jumps", "LinearAttention", "LinearNetworkPrediction", "ModularComparison",
    "ModularPrediction", "SumOfNeurons", "TrainingRun", "TwoLayer", "agf", "check_homogeneity",
    "check_monotone", "compare", "detect_jumps", "diagonal_flow", "endpoint_census",
    "first_jump_lower_bound", "in_context_regression_data", "linear_attention_levels",
    "linear_network_jump_times", "linear_network_levels", "max_utility", "modular_comparison",
    "modular_levels", "pesme_flammarion", "simulate", "steps_for", "template_addition_data",
    "time_scale",
]
