"""Invariants of neurovarieties, grouped by question.

``jacobian`` (the sketched evaluation Jacobian), ``dimension/`` (dimension, budget,
certificates, composition, symmetries, verify), ``witness/`` (systems, degree, critical, fiber,
singular, realizable), ``equations/``, ``membership/``, ``formulas`` (closed forms). Import
contract: jacobian < dimension < witness, equations < membership; formulas stands alone.
"""

from .dimension import Certainty as Certainty
from .dimension import DimensionResult as DimensionResult
from .dimension import dimension as dimension
