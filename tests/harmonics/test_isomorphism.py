"""harmonics/isomorphism.py: isomorphisms found under random relabelings, refused between
non-isomorphic groups of equal order (also where element orders agree), and the axioms checked."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.harmonics.groups import cyclic, dihedral, direct_product, quaternion, symmetric
from neuroalg.harmonics.isomorphism import check_group_table, find_isomorphism, is_group_table


def _relabel(table, perm):
    """The table of the same group with element a renamed perm[a]."""
    inv = np.argsort(perm)
    return perm[table[inv[:, None], inv[None, :]]]


@pytest.mark.parametrize("group", [dihedral(4), quaternion(), symmetric(3), cyclic(12)],
                         ids=lambda g: g.name)
def test_random_relabelings_are_recognized(group):
    rng = np.random.default_rng(0)
    for _ in range(3):
        other = _relabel(group.table, rng.permutation(group.order))
        phi = find_isomorphism(group.table, other)
        assert phi is not None and len(set(phi)) == group.order
        assert np.array_equal(phi[group.table], other[phi[:, None], phi[None, :]])


def test_non_isomorphic_groups_of_equal_order():
    assert find_isomorphism(dihedral(4).table, quaternion().table) is None  # both nonabelian, order 8
    assert find_isomorphism(cyclic(8).table, direct_product(cyclic(2), cyclic(4)).table) is None
    # the dihedral group of order 12 is Z2 x S3
    assert find_isomorphism(dihedral(6).table, direct_product(cyclic(2), symmetric(3)).table) is not None


def test_axioms_are_checked():
    t = cyclic(5).table.copy()
    assert is_group_table(t)
    t[1, 2], t[1, 3] = t[1, 3], t[1, 2]  # still a row permutation, no longer a Latin square
    assert not is_group_table(t)
    with pytest.raises(SpecError, match="not a Latin square"):
        check_group_table(t)
    with pytest.raises(SpecError, match="element indices in 0..2"):
        check_group_table([[0, 1, 2], [1, 2, 0], [2, 0, 3]])
