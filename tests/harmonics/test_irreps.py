"""Computed irreducible representations against exact character theory."""

import numpy as np
import pytest

from neuroalg.harmonics import irreducible_representations, parse_group, symmetric
from neuroalg.harmonics.irreps import homomorphism_residual
from neuroalg.harmonics.recovery import unitary_equivalence

GROUPS = ["C1", "C2", "C5", "C6", "C2xC3", "D3", "D4", "Q8", "A4", "S4", "D6", "C2xC2xC2",
          "A5", "D3xC3"]


@pytest.mark.parametrize("name", GROUPS)
def test_representation_laws(name):
    R = irreducible_representations(name, seed=1)
    G = R.group
    assert sum(d * d for d in R.dims) == G.order  # exact
    assert R.n_irreps == len(G.conjugacy_classes)  # exact
    assert R.dims[0] == 1 and np.allclose(R.characters[0], 1, atol=1e-12)  # trivial first
    assert all(d % 1 == 0 and G.order % d == 0 for d in R.dims)  # d_i divides |G|
    assert R.homomorphism_residual < 1e-12 and R.unitarity_residual < 1e-12
    # row and column orthogonality of the character table, to 1e-12
    chi = R.characters
    assert np.abs(chi @ chi.conj().T / G.order - np.eye(R.n_irreps)).max() < 1e-12
    classes = G.conjugacy_classes
    table = R.character_table()
    sizes = np.array([len(c) for c in classes])
    col = table.conj().T @ table
    assert np.abs(col - np.diag(G.order / sizes)).max() < 1e-11
    # Schur orthogonality of matrix entries: the Fourier matrix is unitary
    F = np.concatenate([np.sqrt(d / G.order) * m.reshape(G.order, d * d)
                        for d, m in zip(R.dims, R.matrices)], axis=1)
    assert np.abs(F.conj().T @ F - np.eye(G.order)).max() < 1e-12
    # characters are class functions
    for c in classes:
        assert np.abs(chi[:, list(c)] - chi[:, [c[0]]]).max() < 1e-12


def _table_by_classes(name):
    R = irreducible_representations(name, seed=0)
    G = R.group
    cols = sorted(range(len(G.conjugacy_classes)),
                  key=lambda i: (G.element_orders[G.conjugacy_classes[i][0]],
                                 len(G.conjugacy_classes[i])))
    table = np.round(R.character_table()[:, cols].real, 12)
    assert np.abs(R.character_table().imag).max() < 1e-12
    return sorted(map(tuple, table.tolist()))


def test_character_table_s3():
    # classes ordered by (element order, size): e, transpositions (3), 3-cycles (2)
    assert _table_by_classes("S3") == sorted([(1, 1, 1), (1, -1, 1), (2, 0, -1)])


def test_character_table_d4_and_q8():
    # D4 classes by (order, size): e, r^2, {s, r^2 s}, {rs, r^3 s}, {r, r^3}; Q8 has the same table
    d4 = _table_by_classes("D4")
    assert d4[-1] == (2, -2, 0, 0, 0)
    assert sorted(row[0] for row in d4) == [1, 1, 1, 1, 2]
    q8 = _table_by_classes("Q8")
    assert q8[-1] == (2, -2, 0, 0, 0)


def test_frobenius_schur_indicator_separates_d4_from_q8():
    # nu(chi) = (1/|G|) sum chi(g^2): +1 real, -1 quaternionic, 0 complex (exact integers)
    for name, want in (("D4", 1), ("Q8", -1)):
        R = irreducible_representations(name, seed=0)
        G = R.group
        squares = G.table[np.arange(G.order), np.arange(G.order)]
        two = R.dims.index(2)
        nu = R.characters[two][squares].sum() / G.order
        assert abs(nu - want) < 1e-12


def test_cyclic_characters_are_roots_of_unity():
    for n in (5, 6, 12):
        R = irreducible_representations(f"C{n}", seed=2)
        assert sorted(R.frequencies()) == list(range(n))
        for m, k in zip(R.matrices, R.frequencies()):
            want = np.exp(2j * np.pi * k * np.arange(n) / n)
            assert np.abs(m[:, 0, 0] - want).max() < 1e-12


def _hand_built_s3():
    """The standard 2-dimensional representation of S3 from exact rotation/reflection matrices."""
    G = symmetric(3)  # generators: transposition (index G.generators[0]) and 3-cycle
    c, s = -0.5, np.sqrt(3) / 2
    gen_mats = {G.generators[0]: np.array([[1.0, 0.0], [0.0, -1.0]]),
                G.generators[1]: np.array([[c, -s], [s, c]])}
    mats = np.zeros((6, 2, 2))
    mats[0] = np.eye(2)
    # propagate along the BFS words: element (word w + letter) = element(w) * generator
    done = {0}
    while len(done) < 6:
        for a in list(done):
            for g, M in gen_mats.items():
                b = G.table[a, g]
                if b not in done:
                    mats[b] = mats[a] @ M
                    done.add(b)
    return G, mats


def test_hand_built_representation_is_a_representation_and_equivalent():
    G, mats = _hand_built_s3()
    res, pairs = homomorphism_residual(G, mats)
    assert pairs == 36 and res < 1e-15
    R = irreducible_representations(G, seed=5)
    two = R.dims.index(2)
    chi = np.trace(mats, axis1=1, axis2=2)
    assert np.abs(chi - R.characters[two]).max() < 1e-12
    U, eq = unitary_equivalence(mats.astype(complex), R.matrices[two], np.random.default_rng(0))
    assert eq < 1e-12
    assert np.abs(U @ U.conj().T - np.eye(2)).max() < 1e-12


def test_homomorphism_check_has_teeth():
    G, mats = _hand_built_s3()
    bad = mats.copy()
    bad[3] = bad[3] @ np.array([[0.0, 1.0], [1.0, 0.0]])
    assert homomorphism_residual(G, bad)[0] > 0.5


def test_seed_changes_basis_not_characters():
    a = irreducible_representations("D4", seed=1)
    b = irreducible_representations("D4", seed=2)
    assert np.abs(a.characters - b.characters).max() < 1e-12
    c = irreducible_representations("D4", seed=1)
    assert all(np.array_equal(x, y) for x, y in zip(a.matrices, c.matrices))


def test_report_and_dict():
    R = irreducible_representations(parse_group("D3"), seed=0)
    text = str(R)
    assert text.splitlines()[0] == ("3 irreducible unitary representations of D3 (order 6), "
                                    "dimensions [1, 1, 2]")
    assert "1^2 + 1^2 + 2^2 = 6" in text
    d = R.to_dict()
    assert d["value"] == [1, 1, 2] and d["status"] == "numerical"
    assert {"spec", "method", "seed", "seconds", "version"} <= set(d)
