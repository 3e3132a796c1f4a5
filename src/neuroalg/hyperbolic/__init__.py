"""Hyperbolic geometry of data sets: Poincare/Klein/hyperboloid models and Moebius isometries, the
hyperbolic Delaunay graph in any dimension, and HyperDGA with its baselines. See README.md."""

from .delaunay import DelaunayGraph as DelaunayGraph, hyperbolic_delaunay as hyperbolic_delaunay
from .models import (distance as distance, isometry as isometry, mobius_add as mobius_add,
                     poincare_to_klein as poincare_to_klein, wrapped_normal as wrapped_normal)
from .experiment import ShiftResult as ShiftResult, shift_experiment as shift_experiment
from .hyperdga import (HyperDGAResult as HyperDGAResult, hyperbolic_wasserstein as hyperbolic_wasserstein,
                       hyperdga as hyperdga, symmetric_chamfer as symmetric_chamfer)
