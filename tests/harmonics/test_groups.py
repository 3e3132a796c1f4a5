"""Groups and Cayley tables against exact, hand-checkable facts."""

import numpy as np
import pytest

from neuroalg.errors import SpecError
from neuroalg.harmonics import (
    alternating,
    check_group_table,
    cyclic,
    dihedral,
    direct_product,
    find_isomorphism,
    from_table,
    is_isomorphic,
    parse_group,
    permutation_group,
    quaternion,
    symmetric,
)
from neuroalg.harmonics.groups import format_cycles, parse_cycles

# the smallest loop that is not a group (Latin square with identity 0, not associative)
LOOP5 = [[0, 1, 2, 3, 4], [1, 0, 3, 4, 2], [2, 4, 0, 1, 3], [3, 2, 4, 0, 1], [4, 3, 1, 2, 0]]


def test_cyclic_table_is_addition_mod_n():
    for n in (1, 2, 5, 12):
        a, b = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        assert np.array_equal(cyclic(n).table, (a + b) % n)


def test_dihedral_relations():
    for n in (3, 4, 7):
        D = dihedral(n)
        t, r, s = D.table, 1, n
        assert D.order == 2 * n
        assert D.element_orders[r] == n and D.element_orders[s] == 2
        assert t[r, s] == t[s, D.inverses[r]]  # r s = s r^-1
        assert D.labels[t[r, s]] == "r s"


@pytest.mark.parametrize("name,order,classes", [
    ("C1", 1, 1), ("C6", 6, 6), ("D3", 6, 3), ("D4", 8, 5), ("D5", 10, 4), ("Q8", 8, 5),
    ("S4", 24, 5), ("A4", 12, 4), ("A5", 60, 5), ("C2xC3", 6, 6), ("D3xC2", 12, 6)])
def test_orders_and_class_numbers(name, order, classes):
    G = parse_group(name)
    assert G.order == order and len(G.conjugacy_classes) == classes
    check_group_table(G.table)
    assert sum(len(c) for c in G.conjugacy_classes) == order


def test_regular_action_is_an_action():
    G = dihedral(4)
    x = np.arange(8.0) ** 2
    for g in range(8):
        for h in range(8):
            assert np.array_equal(G.act(g, G.act(h, x)), G.act(G.table[g, h], x))


def test_isomorphisms():
    assert is_isomorphic(cyclic(6).table, direct_product(cyclic(2), cyclic(3)).table)
    assert not is_isomorphic(cyclic(4).table, direct_product(cyclic(2), cyclic(2)).table)
    assert not is_isomorphic(dihedral(4).table, quaternion().table)
    assert not is_isomorphic(symmetric(4).table, direct_product(alternating(4), cyclic(2)).table)
    assert is_isomorphic(dihedral(3).table, symmetric(3).table)
    # a relabelled table: the isomorphism found is checked on every product
    rng = np.random.default_rng(3)
    A5 = alternating(5)
    perm = np.concatenate([[0], 1 + rng.permutation(59)])
    relabelled = np.empty_like(A5.table)
    relabelled[np.ix_(perm, perm)] = perm[A5.table]
    phi = find_isomorphism(relabelled, A5.table)
    assert phi is not None
    assert np.array_equal(phi[relabelled], A5.table[phi[:, None], phi[None, :]])


def test_from_table_and_generators():
    G = from_table(dihedral(5).table, name="D5'")
    assert G.order == 10 and is_isomorphic(G.table, dihedral(5).table)
    S3 = parse_group("perm (1 2 3), (1 2)")
    assert S3.order == 6 and not S3.is_abelian
    assert format_cycles(parse_cycles("(1 3)(2 4 5)")) == "(1 3)(2 4 5)"
    assert permutation_group([[1, 0, 2, 3], [0, 1, 3, 2]]).order == 4


@pytest.mark.parametrize("table,match", [
    ([[0, 1], [1, 1]], "Latin"),
    ([[0, 1, 2], [1, 2, 0]], "square"),
    ([[1, 0], [0, 1]], None),  # C2 with identity at index 1 is fine
    ([[0, 2], [2, 0]], "indices"),
    (LOOP5, "not associative"),
    ([[0.5]], "integers"),
])
def test_bad_tables(table, match):
    if match is None:
        check_group_table(table)
        return
    with pytest.raises(SpecError, match=match):
        check_group_table(table)


@pytest.mark.parametrize("text,match", [
    ("", "group must be"), ("X5", "bad part"), ("C0", "n >= 1"), ("D1", "n >= 2"),
    ("S9", "up to n = 6"), ("perm (1 2 2)", "distinct"), ("perm (1 a)", "positive integers"),
    ("perm 1 2", "cycle notation"),
])
def test_bad_group_specs(text, match):
    with pytest.raises(SpecError, match=match):
        parse_group(text)


def test_bad_generators():
    with pytest.raises(SpecError, match="permutation of 0..2"):
        permutation_group([[0, 0, 1]])
    with pytest.raises(SpecError, match="same points"):
        permutation_group([[1, 0], [1, 2, 0]])
    with pytest.raises(SpecError, match="more than 10 elements"):
        permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]], max_order=10)
