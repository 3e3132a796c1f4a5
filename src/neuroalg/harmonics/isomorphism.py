"""Cayley tables: the group axioms, checked exactly, and isomorphisms between two tables.

An isomorphism phi: G -> H of groups given by tables satisfies phi(a b) = phi(a) phi(b) for all
a, b, and is a bijection. It is determined by the images of a generating set of G: every element
of G is a word in the generators, so phi(x s) = phi(x) phi(s) propagates the images along a
breadth-first tree. :func:`find_isomorphism` searches generator images among the elements of H of
the same order (backtracking with pruning by order statistics) and verifies every candidate on
the whole table, so a returned map is an isomorphism (checked on all |G|^2 products), and
``None`` means none exists (the search is exhaustive).
"""

from __future__ import annotations

import itertools

import numpy as np

from ..errors import SpecError


def check_group_table(table, name: str = "table") -> np.ndarray:
    """``table`` as an int array if it is the Cayley table of a group, else :class:`SpecError`.

    Checks, exactly: square, entries in ``0..n-1``, a two-sided identity, every row and column a
    permutation (Latin square: inverses exist and cancellation holds), associativity on all
    n^3 triples (in blocks, for n up to a few hundred).
    """
    try:
        t = np.asarray(table)
    except (TypeError, ValueError):
        raise SpecError(f"{name} must be a square array of integers") from None
    if t.ndim != 2 or t.shape[0] != t.shape[1] or t.shape[0] == 0:
        raise SpecError(f"{name} must be a square array of integers; got shape {t.shape}")
    if not np.issubdtype(t.dtype, np.integer):
        if np.issubdtype(t.dtype, np.floating) and np.all(t == np.round(t)):
            t = t.astype(np.int64)
        else:
            raise SpecError(f"{name} must hold integers (element indices)")
    t = t.astype(np.int64)
    n = t.shape[0]
    if t.min() < 0 or t.max() >= n:
        raise SpecError(f"{name} entries must be element indices in 0..{n - 1}")
    ar = np.arange(n)
    if not (np.all(np.sort(t, axis=1) == ar) and np.all(np.sort(t, axis=0) == ar[:, None])):
        raise SpecError(f"{name} is not a Latin square (some row or column repeats an element): "
                        "not a group")
    ids = np.nonzero((t == ar[None, :]).all(axis=1) & (t == ar[:, None]).all(axis=0))[0]
    if len(ids) != 1:
        raise SpecError(f"{name} has no two-sided identity element: not a group")
    bad = first_nonassociative(t)
    if bad is not None:
        a, b, c = bad
        raise SpecError(f"{name} is not associative: ({a} {b}) {c} != {a} ({b} {c})")
    return t


def first_nonassociative(t: np.ndarray, block: int = 64):
    """A triple (a, b, c) with (ab)c != a(bc), or None (all n^3 triples checked)."""
    n = len(t)
    for a0 in range(0, n, block):
        a = np.arange(a0, min(n, a0 + block))
        left = t[t[a][:, :, None], np.arange(n)[None, None, :]]  # (ab)c, shape (A, n, n)
        right = t[a[:, None, None], t[None, :, :]]  # a(bc)
        diff = np.argwhere(left != right)
        if len(diff):
            i, b, c = diff[0]
            return int(a[i]), int(b), int(c)
    return None


def is_group_table(table) -> bool:
    """Whether ``table`` satisfies the group axioms (see :func:`check_group_table`)."""
    try:
        check_group_table(table)
    except SpecError:
        return False
    return True


def _identity(t):
    ar = np.arange(len(t))
    return int(np.nonzero((t == ar[None, :]).all(axis=1))[0][0])


def _orders(t):
    n = len(t)
    e = _identity(t)
    out = np.zeros(n, dtype=np.int64)
    power = np.arange(n)
    for k in range(1, n + 1):
        out[(power == e) & (out == 0)] = k
        power = t[power, np.arange(n)]
    return out


def _generators_and_tree(t):
    """Greedy generating set and a BFS tree: (gens, order of visit, parent, generator used)."""
    n = len(t)
    e = _identity(t)
    orders = _orders(t)
    gens: list[int] = []
    reached = {e}
    while len(reached) < n:
        cand = max((a for a in range(n) if a not in reached), key=lambda a: (orders[a], -a))
        gens.append(int(cand))
        reached = _span(t, e, gens)
    parent = np.full(n, -1)
    via = np.full(n, -1)
    visit = [e]
    seen = {e}
    i = 0
    while i < len(visit):
        x = visit[i]
        for j, g in enumerate(gens):
            y = int(t[x, g])
            if y not in seen:
                seen.add(y)
                parent[y], via[y] = x, j
                visit.append(y)
        i += 1
    return gens, visit, parent, via


def _span(t, e, gens):
    seen, frontier = {e}, [e]
    while frontier:
        nxt = []
        for x in frontier:
            for g in gens:
                y = int(t[x, g])
                if y not in seen:
                    seen.add(y)
                    nxt.append(y)
        frontier = nxt
    return seen


def find_isomorphism(table1, table2) -> np.ndarray | None:
    """An isomorphism from the group with table ``table1`` onto the one with ``table2``.

    Returns ``phi`` (int array, ``phi[a]`` the image of element a) with
    ``phi[table1[a, b]] == table2[phi[a], phi[b]]`` for all a, b and phi a bijection, or ``None``
    if the groups are not isomorphic. Both tables are validated first.

    Examples
    --------
    >>> from neuroalg.harmonics.groups import cyclic, direct_product
    >>> find_isomorphism(cyclic(6).table, direct_product(cyclic(2), cyclic(3)).table) is not None
    True
    >>> find_isomorphism(cyclic(4).table, direct_product(cyclic(2), cyclic(2)).table) is None
    True
    """
    t1 = check_group_table(table1, "first table")
    t2 = check_group_table(table2, "second table")
    n = len(t1)
    if len(t2) != n:
        return None
    o1, o2 = _orders(t1), _orders(t2)
    if not np.array_equal(np.sort(o1), np.sort(o2)):
        return None
    if np.array_equal(t1, t1.T) != np.array_equal(t2, t2.T):
        return None
    gens, visit, parent, via = _generators_and_tree(t1)
    e2 = _identity(t2)
    candidates = [np.nonzero(o2 == o1[g])[0] for g in gens]
    for images in itertools.product(*candidates):
        phi = np.full(n, -1)
        phi[visit[0]] = e2
        for y in visit[1:]:
            phi[y] = t2[phi[parent[y]], images[via[y]]]
        if len(np.unique(phi)) != n:
            continue
        if np.array_equal(phi[t1], t2[phi[:, None], phi[None, :]]):
            return phi
    return None


def is_isomorphic(table1, table2) -> bool:
    """Whether two Cayley tables define isomorphic groups (see :func:`find_isomorphism`)."""
    return find_isomorphism(table1, table2) is not None
