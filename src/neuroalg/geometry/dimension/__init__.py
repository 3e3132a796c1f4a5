"""Dimension of a neurovariety: proven bounds, certificates, hidden symmetries, re-verification."""

from ...results import Certainty as Certainty
from .dimension import DimensionResult as DimensionResult
from .dimension import dimension as dimension
from .verify import VerifyResult as VerifyResult
from .verify import verify as verify
