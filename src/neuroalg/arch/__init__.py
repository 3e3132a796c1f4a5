"""Architectures as parameterizations Phi: one module per family, re-exported here."""

from ._attention import Attention as Attention
from ._base import Architecture as Architecture
from ._base import Expected as Expected
from ._base import Unit as Unit
from ._conv import CNN as CNN
from ._mlp import MLP as MLP
from ._mlp import linear as linear
from ._mlp import rational as rational
