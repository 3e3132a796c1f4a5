"""Harmonics of finite groups: groups, irreducible unitary representations, the spectral invariant
network of Marchetti-Hillar-Kragic-Sanborn, recovery of the Cayley table from learned weights,
and the bridge to the Fourier staircase of ``agf modular``. See README.md in this folder."""

from .bridge import FourierBridge as FourierBridge
from .bridge import fourier_bridge as fourier_bridge
from .groups import FiniteGroup as FiniteGroup
from .groups import alternating as alternating
from .groups import cyclic as cyclic
from .groups import dihedral as dihedral
from .groups import direct_product as direct_product
from .groups import from_table as from_table
from .groups import parse_group as parse_group
from .groups import permutation_group as permutation_group
from .groups import quaternion as quaternion
from .groups import symmetric as symmetric
from .irreps import Irreps as Irreps
from .irreps import irreducible_representations as irreducible_representations
from .isomorphism import check_group_table as check_group_table
from .isomorphism import find_isomorphism as find_isomorphism
from .isomorphism import is_isomorphic as is_isomorphic
from .recovery import RecoveryResult as RecoveryResult
from .recovery import recover_group as recover_group
