"""Identifiability of shallow polynomial networks by Kruskal's criterion, proven exactly.

A network (d0, h, dL) with activation c x^r and no biases computes
f(x) = sum_i u_i (w_i . x)^r: as a tensor, T = sum_i u_i ⊗ w_i^{⊗r} (a partially symmetric
tensor; the coordinates of Phi are its entries times multinomial coefficients, so Phi(theta) =
Phi(theta') iff T(theta) = T(theta')). Grouping its r + 1 modes (the output mode only when
dL > 1) into three gives a three-way tensor sum_i a_i ⊗ b_i ⊗ c_i whose factors are
u_i ⊗ w_i^{⊗a} or w_i^{⊗a} (a monomials of degree a in w_i). Kruskal's theorem: if the Kruskal
ranks (the largest k such that every k of the h factors are linearly independent) satisfy
k_A + k_B + k_C >= 2 h + 2, then T has rank h and its decomposition into h rank-one terms is
unique up to their order and scaling (Kruskal 1977; the reshaped criterion for symmetric
tensors: Chiantini–Ottaviani–Vannieuwenhoven 2017). A second parameter theta' with the same T then
has the same rank-one terms u_i ⊗ w_i^{⊗r}: w'_pi(i) = t_i w_i, u'_pi(i) = t_i^-r u_i, a permutation
of the neurons times rescalings. On a gauge slice fixing one incoming weight of each neuron the
fiber is therefore the h! permutations.

The certificate is exact: the Kruskal ranks are computed at a random integer point over GF(p)
(every k columns independent mod p implies independent over Q, so the ranks over C at that point
are at least these), so the criterion holds at that point; since "every k columns independent" is
a Zariski-open condition on (u, w), it holds for generic parameters, hence the generic fiber
modulo rescalings has exactly h! points.

References
----------
Kruskal (1977), Three-way arrays: rank and uniqueness of trilinear decompositions, Linear Algebra
Appl. 18, 95-138.
Chiantini, Ottaviani, Vannieuwenhoven (2017), Effective criteria for specific identifiability of
tensors and forms, SIAM J. Matrix Anal. Appl. 38, 656-681, arXiv:1609.00123.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from math import factorial

import flint
import numpy as np

from ...polymap import exponent_vectors

PRIME = 2147483647  # 2^31 - 1
#: hidden widths up to this many neurons (the Kruskal rank checks up to 2^h column subsets)
MAX_WIDTH = 14


@dataclass(frozen=True)
class KruskalCertificate:
    """Kruskal's criterion at a random integer point: the three mode groups, the Kruskal rank
    of each factor matrix over GF(``prime``) (lower bounds for the ranks over C), and ``h``."""

    groups: tuple[str, str, str]
    ranks: tuple[int, int, int]
    n_terms: int
    prime: int = PRIME

    @property
    def is_certified(self) -> bool:
        return sum(self.ranks) >= 2 * self.n_terms + 2

    @property
    def fiber_size(self) -> int:
        """Points of a generic fiber on a gauge slice (one per order of the neurons)."""
        return factorial(self.n_terms)

    def text(self) -> str:
        return (f"Kruskal's criterion: T = sum_i u_i ⊗ w_i^r grouped as ({', '.join(self.groups)}) "
                f"has Kruskal ranks {'+'.join(map(str, self.ranks))} = {sum(self.ranks)} "
                f"{'>=' if self.is_certified else '<'} 2h + 2 = {2 * self.n_terms + 2} at a random "
                f"integer point (mod {self.prime}); an open condition, so the decomposition of a "
                "generic T is unique up to order and scaling (Kruskal 1977)")


def _kruskal_rank(matrix: np.ndarray, p: int) -> int:
    """The largest k such that every k columns of the integer matrix are independent mod p."""
    rows, cols = matrix.shape
    entries = (matrix % p).tolist()

    def rank(subset) -> int:
        return flint.nmod_mat([[row[j] for j in subset] for row in entries], p).rank()

    k = min(rank(range(cols)), rows, cols)
    while k > 0 and any(rank(s) < k for s in itertools.combinations(range(cols), k)):
        k -= 1
    return k


def _monomials(w: np.ndarray, degree: int, p: int) -> np.ndarray:
    """(monomials of degree ``degree``) x h: the values w_i^e mod p, one column per neuron."""
    exps = exponent_vectors(w.shape[1], degree)
    out = np.ones((len(exps), w.shape[0]), dtype=object)
    for k, e in enumerate(exps):
        for i in range(w.shape[0]):
            out[k, i] = int(np.prod([pow(int(v), int(a), p) for v, a in zip(w[i], e)], dtype=object)) % p
    return out


def kruskal_certificate(arch, rng) -> KruskalCertificate | None:
    """Kruskal's criterion for a shallow MLP (d0, h, dL) with activation c x^r (r >= 2) and no
    biases, at a random integer point, over the best grouping of the modes into three; None
    for other architectures (or h > ``MAX_WIDTH``). ``is_certified`` tells whether it proves
    that the generic fiber modulo rescalings is the h! orders of the neurons."""
    from ...arch import MLP

    if not (isinstance(arch, MLP) and len(arch.widths) == 3 and not arch.bias):
        return None
    r = arch.activations[0].monomial_power
    d0, h, d_out = arch.widths
    if r is None or r < 2 or h > MAX_WIDTH:
        return None
    w = rng.integers(-9, 10, size=(h, d0))
    u = rng.integers(-9, 10, size=(d_out, h))
    modes = r + (1 if d_out > 1 else 0)
    if modes < 3:
        return None
    cache: dict[tuple[bool, int], int] = {}

    def k_rank(with_output: bool, a: int) -> int:
        if (with_output, a) not in cache:
            mono = _monomials(w, a, PRIME)
            if with_output:  # u_i ⊗ w_i^a: the Khatri-Rao product of the columns
                mono = np.vstack([(u[j] % PRIME).astype(object) * mono for j in range(d_out)]) % PRIME
            cache[(with_output, a)] = _kruskal_rank(mono, PRIME)
        return cache[(with_output, a)]

    best: KruskalCertificate | None = None
    owners = range(3) if d_out > 1 else [None]
    for owner in owners:
        for a1 in range(r + 1):
            for a2 in range(r + 1 - a1):
                split = (a1, a2, r - a1 - a2)
                if any(a == 0 and g != owner for g, a in enumerate(split)):
                    continue  # each group holds a mode
                ranks = tuple(k_rank(g == owner, a) for g, a in enumerate(split))
                names = tuple(("u " if g == owner else "") + (f"w^{a}" if a > 1 else "w" if a else "")
                              for g, a in enumerate(split))
                cert = KruskalCertificate(tuple(n.strip() for n in names), ranks, h)  # type: ignore[arg-type]
                if best is None or sum(cert.ranks) > sum(best.ranks):
                    best = cert
    return best
