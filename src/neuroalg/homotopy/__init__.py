"""Numerical algebraic geometry: batched homotopy continuation, monodromy, certification."""

from .certify import Certification as Certification
from .certify import krawczyk_certify as krawczyk_certify
from .examples import cyclic as cyclic
from .examples import katsura as katsura
from .polynomial import PolySystem as PolySystem
from .result import PathStatus as PathStatus
from .result import SolveResult as SolveResult
from .solve import solve as solve
