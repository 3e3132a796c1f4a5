"""Tropical geometry of ReLU networks: linear regions, tropical rational maps, bounds, Hoffman
constants and symmetry reduction. This module only re-exports."""

from .bounds import (
                     SamplingEstimate,
                     bound_montufar,
                     bound_serra,
                     bound_trivial,
                     bound_zaslavsky,
                     bound_zhang_naitzat_lim,
                     bounds_panel,
                     sampling_estimate,
)
from .expression import TropicalExpression, tropical_expression
from .hoffman import HoffmanResult, hoffman_constant
from .maxplus import MaxPlusPolynomial, TropicalRationalMap, tropicalize
from .network import ReLUNetwork, load_network, parse_relu_spec
from .radius import SamplingRadius, sampling_radius
from .regions import RationalRegionCount, RegionCount, count_rational_regions, count_regions
from .symmetry import count_regions_symmetric, is_permutation_equivariant, is_permutation_invariant, neuron_permutations

__all__ = [
    "ReLUNetwork", "load_network", "parse_relu_spec",
    "RegionCount", "count_regions", "RationalRegionCount", "count_rational_regions",
    "HoffmanResult", "hoffman_constant", "SamplingRadius", "sampling_radius",
    "count_regions_symmetric", "is_permutation_equivariant", "is_permutation_invariant",
    "neuron_permutations",
    "TropicalExpression", "tropical_expression",
    "MaxPlusPolynomial", "TropicalRationalMap", "tropicalize",
    "SamplingEstimate", "sampling_estimate", "bounds_panel", "bound_trivial", "bound_zaslavsky",
    "bound_zhang_naitzat_lim", "bound_montufar", "bound_serra",
]
