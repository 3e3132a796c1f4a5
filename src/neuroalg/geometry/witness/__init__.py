"""Questions answered by witness sets and homotopy continuation: degree, critical points,
fibers, singular strata, and real realizability of real points."""

from .cnn_strata import CNNSingularResult as CNNSingularResult
from .cnn_strata import cnn_singular as cnn_singular
from .critical import CriticalResult as CriticalResult
from .critical import critical_points as critical_points
from .degree import DegreeResult as DegreeResult
from .degree import degree as degree
from .fiber import FiberResult as FiberResult
from .fiber import fiber as fiber
from .singular import SingularResult as SingularResult
from .singular import singular as singular
