"""Harmonics of finite groups: groups, irreducible unitary representations, the spectral invariant
network of Marchetti-Hillar-Kragic-Sanborn, recovery of the Cayley table from learned weights,
and the bridge to the Fourier staircase of ``agf modular``. See README.md in this folder."""

from .groups import (FiniteGroup as FiniteGroup, alternating as alternating, cyclic as cyclic,
                     dihedral as dihedral, direct_product as direct_product,
                     from_table as from_table, parse_group as parse_group,
                     permutation_group as permutation_group, quaternion as quaternion,
                     symmetric as symmetric)
from .irreps import Irreps as Irreps, irreducible_representations as irreducible_representations
from .isomorphism import (check_group_table as check_group_table,
                          find_isomorphism as find_isomorphism, is_isomorphic as is_isomorphic)
from .bridge import FourierBridge as FourierBridge, fourier_bridge as fourier_bridge
from .recovery import RecoveryResult as RecoveryResult, recover_group as recover_group
