"""Defining equations of neurovarieties: interpolation over GF(p) lifted to Q, and structural
(determinantal) generators known from theory."""

from .equations import EquationsResult as EquationsResult
from .equations import equations as equations
