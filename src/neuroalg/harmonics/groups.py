"""Finite groups as permutation groups: elements, Cayley table, classes, constructors, spec parser.

Convention: a permutation is the array of images ``(s(0), ..., s(n-1))`` of the points
``0..n-1``; the product is composition with the right factor applied first,
``(a b)(x) = a(b(x))``. The Cayley table of a group of order N is the N x N integer array with
``table[a, b] = index of a b``; element 0 is always the identity.

Groups enter as generators (any permutation group), as a Cayley table (``from_table``: the left
regular permutation representation), or by name: ``C<n>`` (cyclic, order n), ``D<n>`` (dihedral
of the n-gon, order 2n), ``S<n>``, ``A<n>``, ``Q8``, direct products ``C2xC3``, and
``perm (1 2 3)(4 5), (1 2)`` (generators in 1-based cycle notation, as in GAP).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import SpecError

#: Largest group order the constructors enumerate (the Cayley table is order^2 integers).
MAX_ORDER = 5000


@dataclass(frozen=True, eq=False)
class FiniteGroup:
    """A finite group of permutations with its Cayley table.

    Attributes
    ----------
    name : str
        Display name (``"D4"``, ``"C2xC3"``, ``"<(1 2 3), (1 2)>"``).
    elements : ndarray of int, shape (order, degree)
        The permutations; row 0 is the identity.
    table : ndarray of int, shape (order, order)
        ``table[a, b]`` is the index of the product ``a b`` (``b`` applied first).
    generators : tuple of int
        Indices of a generating set.
    labels : tuple of str
        A readable name per element (a word in the generators, or ``r^k s`` for dihedral groups).
    """

    name: str
    elements: np.ndarray
    table: np.ndarray
    generators: tuple[int, ...]
    labels: tuple[str, ...]

    @property
    def order(self) -> int:
        return int(self.table.shape[0])

    @property
    def degree(self) -> int:
        return int(self.elements.shape[1])

    @cached_property
    def inverses(self) -> np.ndarray:
        """``inverses[a]`` is the index of a^-1."""
        inv = np.empty(self.order, dtype=np.int64)
        rows, cols = np.nonzero(self.table == 0)
        inv[rows] = cols
        return inv

    @property
    def is_abelian(self) -> bool:
        return bool(np.array_equal(self.table, self.table.T))

    @cached_property
    def element_orders(self) -> np.ndarray:
        """Order of each element (smallest k >= 1 with a^k = e)."""
        n = self.order
        out = np.zeros(n, dtype=np.int64)
        power = np.arange(n)
        for k in range(1, n + 1):
            hit = (power == 0) & (out == 0)
            out[hit] = k
            if out.all():
                break
            power = self.table[power, np.arange(n)]
        return out

    @cached_property
    def conjugacy_classes(self) -> tuple[tuple[int, ...], ...]:
        """The conjugacy classes, each sorted, ordered by their smallest element (identity first)."""
        n = self.order
        inv = self.inverses
        seen = np.zeros(n, dtype=bool)
        classes = []
        for a in range(n):
            if seen[a]:
                continue
            conj = np.unique(self.table[self.table[np.arange(n), a], inv])  # g a g^-1
            seen[conj] = True
            classes.append(tuple(int(c) for c in conj))
        return tuple(classes)

    @cached_property
    def class_of(self) -> np.ndarray:
        """``class_of[a]`` is the index of the conjugacy class containing a."""
        out = np.empty(self.order, dtype=np.int64)
        for i, cls in enumerate(self.conjugacy_classes):
            out[list(cls)] = i
        return out

    def left_regular(self, g: int) -> np.ndarray:
        """Permutation matrix of the left regular action L(g) e_h = e_{gh} (order x order)."""
        n = self.order
        out = np.zeros((n, n))
        out[self.table[g], np.arange(n)] = 1.0
        return out

    def act(self, g: int, x: np.ndarray) -> np.ndarray:
        """The regular action on signals x: G -> C (last axis): (g . x)(h) = x(g^-1 h)."""
        x = np.asarray(x)
        out = np.empty_like(x)
        out[..., self.table[g]] = x  # (g.x)(g h) = x(h)
        return out

    def __repr__(self) -> str:
        return f"FiniteGroup({self.name}, order {self.order})"


# ---- construction ----------------------------------------------------------------------------

def _closure(gens: list[np.ndarray], degree: int, max_order: int):
    """BFS over right multiplication by generators: elements, parent words, in BFS order."""
    ident = np.arange(degree, dtype=np.int64)
    elems = [ident]
    index = {ident.tobytes(): 0}
    words = [""]
    i = 0
    while i < len(elems):
        for j, s in enumerate(gens):
            prod = elems[i][s]  # (a s)(x) = a(s(x))
            key = prod.tobytes()
            if key not in index:
                if len(elems) >= max_order:
                    raise SpecError(f"group: the generators produce more than {max_order} elements; "
                                    f"groups up to order {max_order} are supported")
                index[key] = len(elems)
                elems.append(prod)
                words.append(words[i] + _GEN_NAMES[j % len(_GEN_NAMES)])
        i += 1
    return np.array(elems), index, words


_GEN_NAMES = "abcdefghijklmnopqrstuvwxyz"


def _cayley(elements: np.ndarray, index: dict) -> np.ndarray:
    n = len(elements)
    table = np.empty((n, n), dtype=np.int64)
    for a in range(n):
        prods = elements[a][elements]  # row b: a(b(x))
        table[a] = [index[r.tobytes()] for r in prods]
    return table


def _check_perm(p, degree: int | None, name: str) -> np.ndarray:
    try:
        arr = np.asarray(p)
    except (TypeError, ValueError):
        raise SpecError(f"{name} must be a list of integers (the images of 0..n-1)") from None
    if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
        raise SpecError(f"{name} must be a non-empty list of integers (the images of 0..n-1); "
                        f"got {p!r}")
    arr = arr.astype(np.int64)
    if degree is not None and arr.size != degree:
        raise SpecError(f"{name} acts on {arr.size} points, the others on {degree}; all generators "
                        "must permute the same points")
    if not np.array_equal(np.sort(arr), np.arange(arr.size)):
        raise SpecError(f"{name} must be a permutation of 0..{arr.size - 1}; got {arr.tolist()}")
    return arr


def permutation_group(generators, *, name: str | None = None, labels=None,
                      max_order: int = MAX_ORDER) -> FiniteGroup:
    """The group generated by permutations (each the list of images of ``0..n-1``).

    Elements are enumerated breadth-first from the identity by right multiplication with the
    generators, so every element gets a shortest word in the generators ``a, b, c, ...`` as label.

    Examples
    --------
    >>> G = permutation_group([[1, 2, 0], [1, 0, 2]], name="S3")
    >>> G.order, G.is_abelian, [len(c) for c in G.conjugacy_classes]
    (6, False, [1, 2, 3])
    """
    gens = list(generators)
    if not gens:
        raise SpecError("permutation_group needs at least one generator")
    degree = None
    arrs = []
    for i, g in enumerate(gens):
        a = _check_perm(g, degree, f"generator {i + 1}")
        degree = a.size
        arrs.append(a)
    assert degree is not None  # set by the first generator (at least one is required above)
    elements, index, words = _closure(arrs, degree, max_order)
    table = _cayley(elements, index)
    gen_idx = tuple(index[a.tobytes()] for a in arrs)
    if labels is None:
        labels = tuple(w if w else "e" for w in words)
    if name is None:
        name = "<" + ", ".join(format_cycles(a) for a in arrs) + ">"
    return FiniteGroup(name, elements, table, gen_idx, tuple(labels))


def cyclic(n: int) -> FiniteGroup:
    """C_n = Z/n, generated by the n-cycle r; element k is r^k.

    >>> int(cyclic(5).table[3, 4])
    2
    """
    n = _check_order(n, "cyclic group order", 1)
    r = np.roll(np.arange(n), -1)  # r(x) = x + 1 mod n
    labels = ["e"] + [f"r^{k}" if k > 1 else "r" for k in range(1, n)]
    return permutation_group([r], name=f"C{n}", labels=labels)


def dihedral(n: int) -> FiniteGroup:
    """D_n, the symmetries of the regular n-gon (order 2n): rotation r, reflection s.

    Elements are listed as r^k (index k) and r^k s (index n + k); r s = s r^-1.

    >>> D = dihedral(4); D.order, len(D.conjugacy_classes)
    (8, 5)
    """
    n = _check_order(n, "dihedral group D_n: n", 2)
    if n == 2:  # the Klein four-group, acting on 4 points (the 2-gon action is not faithful)
        return direct_product(cyclic(2), cyclic(2), name="D2")
    s = (-np.arange(n)) % n  # s(x) = -x mod n
    elems, labels = [], []
    for j in range(2):
        for k in range(n):
            rk = np.roll(np.arange(n), -k)  # r^k(x) = x + k mod n
            elems.append(rk[s] if j else rk)
            labels.append(("e" if k == 0 else ("r" if k == 1 else f"r^{k}")) if not j
                          else ("s" if k == 0 else ("r s" if k == 1 else f"r^{k} s")))
    elements = np.array(elems)
    index = {e.tobytes(): i for i, e in enumerate(elements)}
    return FiniteGroup(f"D{n}", elements, _cayley(elements, index), (1, n), tuple(labels))


def symmetric(n: int) -> FiniteGroup:
    """S_n, generated by the transposition (0 1) and the n-cycle."""
    n = _check_order(n, "symmetric group S_n: n", 1)
    if n == 1:
        return permutation_group([[0]], name="S1")
    return permutation_group([_transposition(n, 0, 1), np.roll(np.arange(n), -1)], name=f"S{n}")


def alternating(n: int) -> FiniteGroup:
    """A_n (even permutations), generated by 3-cycles (n >= 3)."""
    n = _check_order(n, "alternating group A_n: n", 3)
    gens = [np.array([1, 2, 0] + list(range(3, n)))]
    for k in range(3, n):
        c = np.arange(n)
        c[[0, 1, k]] = [1, k, 0]  # the 3-cycle (0 1 k)
        gens.append(c)
    return permutation_group(gens, name=f"A{n}")


def quaternion() -> FiniteGroup:
    """Q8 = {+-1, +-i, +-j, +-k}: the left regular permutation action of the unit quaternions,
    computed from the Hamilton product."""
    units = []
    for sign in (1, -1):
        for axis in range(4):
            q = np.zeros(4, dtype=np.int64)
            q[axis] = sign
            units.append(q)
    keys = {tuple(q): i for i, q in enumerate(units)}
    table = np.array([[keys[tuple(_hamilton(a, b))] for b in units] for a in units])
    names = ["1", "i", "j", "k", "-1", "-i", "-j", "-k"]
    return from_table(table, name="Q8", labels=names)


def direct_product(G: FiniteGroup, H: FiniteGroup, *, name: str | None = None) -> FiniteGroup:
    """G x H acting on the disjoint union of their points; element (g, h) has index g |H| + h."""
    nG, nH = G.order, H.order
    gi, hi = np.divmod(np.arange(nG * nH), nH)
    elements = np.concatenate([G.elements[gi], H.elements[hi] + G.degree], axis=1)
    table = G.table[gi[:, None], gi[None, :]] * nH + H.table[hi[:, None], hi[None, :]]
    gens = tuple(int(g) * nH for g in G.generators) + tuple(int(h) for h in H.generators)
    labels = tuple(f"({G.labels[a]},{H.labels[b]})" for a, b in zip(gi, hi))
    return FiniteGroup(name or f"{G.name}x{H.name}", elements, table, gens, labels)


def from_table(table, *, name: str = "G", labels=None) -> FiniteGroup:
    """The group with Cayley table ``table`` (checked: a group table with identity at index 0
    after relabelling), realised by its left regular permutation action b -> a b."""
    from .isomorphism import check_group_table

    t = check_group_table(table, "table")
    e = int(np.nonzero((t == np.arange(len(t))[None, :]).all(axis=1))[0][0])
    order = [e] + [a for a in range(len(t)) if a != e]  # move the identity to index 0
    pos = np.empty(len(t), dtype=np.int64)
    pos[order] = np.arange(len(t))
    t = pos[t[np.ix_(order, order)]]
    labels = tuple(str(labels[i]) for i in order) if labels is not None else \
        tuple("e" if i == 0 else f"g{i}" for i in range(len(t)))
    return FiniteGroup(name, t.copy(), t, _generating_set(t), labels)


def _generating_set(table: np.ndarray) -> tuple[int, ...]:
    """A small generating set, greedily: repeatedly add the element of largest order outside the
    subgroup generated so far."""
    n = len(table)
    orders = np.zeros(n, dtype=np.int64)
    power = np.arange(n)
    for k in range(1, n + 1):
        orders[(power == 0) & (orders == 0)] = k
        power = table[power, np.arange(n)]
    gens: list[int] = []
    sub = {0}
    while len(sub) < n:
        cand = max((a for a in range(n) if a not in sub), key=lambda a: (orders[a], -a))
        gens.append(int(cand))
        sub = _subgroup(table, gens)
    return tuple(gens)


def _subgroup(table, gens) -> set[int]:
    seen = {0}
    frontier = [0]
    while frontier:
        nxt = []
        for a in frontier:
            for g in gens:
                b = int(table[a, g])
                if b not in seen:
                    seen.add(b)
                    nxt.append(b)
        frontier = nxt
    return seen


def _hamilton(a, b):
    a0, a1, a2, a3 = a
    b0, b1, b2, b3 = b
    return (a0 * b0 - a1 * b1 - a2 * b2 - a3 * b3, a0 * b1 + a1 * b0 + a2 * b3 - a3 * b2,
            a0 * b2 - a1 * b3 + a2 * b0 + a3 * b1, a0 * b3 + a1 * b2 - a2 * b1 + a3 * b0)


def _transposition(n, i, j):
    p = np.arange(n)
    p[[i, j]] = [j, i]
    return p


def _check_order(n, what: str, low: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < low:
        raise SpecError(f"{what} must be an integer >= {low}; got {n!r}")
    return int(n)


# ---- cycle notation and the spec parser ------------------------------------------------------

def format_cycles(p) -> str:
    """1-based cycle notation of a permutation array, e.g. ``(1 2 3)(4 5)``; ``()`` for the
    identity."""
    p = np.asarray(p)
    seen = np.zeros(len(p), dtype=bool)
    out = []
    for start in range(len(p)):
        if seen[start] or p[start] == start:
            seen[start] = True
            continue
        cyc, x = [], start
        while not seen[x]:
            seen[x] = True
            cyc.append(x + 1)
            x = int(p[x])
        out.append("(" + " ".join(map(str, cyc)) + ")")
    return "".join(out) or "()"


def parse_cycles(text: str, degree: int | None = None) -> np.ndarray:
    """A permutation from 1-based cycle notation ``(1 2 3)(4 5)`` on ``degree`` points (default:
    the largest point named)."""
    body = text.replace(" ", "").replace(",", " ") if "," in text and ")(" not in text else text
    cycles = re.findall(r"\(([^()]*)\)", body)
    rest = re.sub(r"\(([^()]*)\)", "", body).strip()
    if rest or not cycles:
        raise SpecError(f"a permutation in cycle notation looks like (1 2 3)(4 5); got {text!r}")
    parsed = []
    for c in cycles:
        tokens = c.replace(",", " ").split()
        if not all(t.isdigit() for t in tokens):
            raise SpecError(f"cycle ({c}) must list positive integers; got {text!r}")
        pts = [int(t) for t in tokens]
        if any(q < 1 for q in pts) or len(set(pts)) != len(pts):
            raise SpecError(f"cycle ({c}) must list distinct points >= 1; got {text!r}")
        parsed.append(pts)
    top = max((max(c) for c in parsed if c), default=1)
    n = max(top, degree or 0)
    if n > 1000:
        raise SpecError(f"permutations on at most 1000 points are supported; got point {top}")
    p = np.arange(n)
    used: set[int] = set()
    for c in parsed:
        if used & set(c):
            raise SpecError(f"cycles in {text!r} must be disjoint")
        used |= set(c)
        for a, b in zip(c, c[1:] + c[:1]):
            p[a - 1] = b - 1
    return p


_NAMED = {
    "C": (cyclic, 1), "Z": (cyclic, 1), "D": (dihedral, 2), "S": (symmetric, 1),
    "A": (alternating, 3),
}

GROUP_HELP = ("C<n> or Z<n> (cyclic), D<n> (dihedral, order 2n), S<n>, A<n>, Q8, products such as "
              "C2xC3 or D3xC2, or 'perm (1 2 3), (1 2)' (generators in 1-based cycle notation)")


def parse_group(text: str, *, max_order: int = MAX_ORDER) -> FiniteGroup:
    """A group from its name (see :data:`GROUP_HELP`).

    >>> parse_group("C2xC3").order, parse_group("D4").order, parse_group("perm (1 2 3), (1 2)").order
    (6, 8, 6)
    """
    if not isinstance(text, str) or not text.strip():
        raise SpecError(f"group must be {GROUP_HELP}; got {text!r}")
    s = text.strip()
    if s.lower().startswith("perm"):
        body = s[4:].strip()
        if not (body.startswith("(") and body.endswith(")")):
            raise SpecError(f"'perm' needs generators in cycle notation, e.g. perm (1 2 3), (1 2); "
                            f"got {text!r}")
        parts = [q for q in re.split(r"\)\s*,\s*\(", body) if q.strip()]
        if not parts:
            raise SpecError(f"'perm' needs generators in cycle notation, e.g. perm (1 2 3), (1 2); "
                            f"got {text!r}")
        texts = [(q if q.startswith("(") else "(" + q) for q in parts]
        texts = [(q if q.endswith(")") else q + ")") for q in texts]
        raw = [parse_cycles(q) for q in texts]
        n = max(len(p) for p in raw)
        gens = [np.concatenate([p, np.arange(len(p), n)]) for p in raw]
        return permutation_group(gens, max_order=max_order)
    factors = [f.strip() for f in re.split(r"[xX×]", s)]
    groups = [_named(f, text) for f in factors]
    G = groups[0]
    for H in groups[1:]:
        if G.order * H.order > max_order:
            raise SpecError(f"group {text!r} has order {G.order * H.order}; groups up to order "
                            f"{max_order} are supported")
        G = direct_product(G, H)
    return G


def _named(token: str, text: str) -> FiniteGroup:
    if token.upper() == "Q8":
        return quaternion()
    m = re.fullmatch(r"([CZDSA])_?(\d+)", token, flags=re.IGNORECASE)
    if not m:
        raise SpecError(f"group must be {GROUP_HELP}; got {text!r} (bad part {token!r})")
    kind, n = m.group(1).upper(), int(m.group(2))
    ctor, low = _NAMED[kind]
    if n < low:
        raise SpecError(f"{kind}<n> needs n >= {low}; got {token!r}")
    limits = {"C": MAX_ORDER, "Z": MAX_ORDER, "D": MAX_ORDER // 2, "S": 6, "A": 7}
    if n > limits[kind]:
        raise SpecError(f"{kind}<n> is supported up to n = {limits[kind]} (order <= {MAX_ORDER}); "
                        f"got {token!r}")
    return ctor(n)
