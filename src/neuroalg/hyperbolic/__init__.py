"""Hyperbolic geometry of data sets: Poincare/Klein/hyperboloid models and Moebius isometries, the
hyperbolic Delaunay graph in any dimension, and HyperDGA with its baselines. See README.md."""

from .delaunay import DelaunayGraph as DelaunayGraph
from .delaunay import hyperbolic_delaunay as hyperbolic_delaunay
from .experiment import ShiftResult as ShiftResult
from .experiment import shift_experiment as shift_experiment
from .hyperdga import HyperDGAResult as HyperDGAResult
from .hyperdga import hyperbolic_wasserstein as hyperbolic_wasserstein
from .hyperdga import hyperdga as hyperdga
from .hyperdga import symmetric_chamfer as symmetric_chamfer
from .models import distance as distance
from .models import isometry as isometry
from .models import mobius_add as mobius_add
from .models import poincare_to_klein as poincare_to_klein
from .models import wrapped_normal as wrapped_normal
