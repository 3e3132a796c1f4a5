"""Symmetry-aware representations: relative representations (vanilla and normalized), their exact
invariance under the parameter symmetries of homogeneous networks, 0-dimensional persistence and
topological densification, and a zero-shot stitching experiment. See README.md in this folder."""

from .persistence import densification_loss as densification_loss
from .persistence import zero_dim_persistence as zero_dim_persistence
from .relative import relative_representation as relative_representation
from .stitching import StitchingResult as StitchingResult
from .stitching import stitching_experiment as stitching_experiment
from .symmetry import hidden_representation as hidden_representation
from .symmetry import permute_units as permute_units
from .symmetry import random_symmetry as random_symmetry
from .symmetry import rescale_units as rescale_units
from .symmetry import rescaling_flow as rescaling_flow
