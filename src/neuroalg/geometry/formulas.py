"""Closed forms for the varieties that neurovarieties reduce to (each with its reference).

- Determinantal varieties M_r = {m x n matrices of rank <= r} (linear networks with bottleneck
  r): dimension r (m + n - r); degree prod_{i=0}^{n-r-1} (m+i)! i! / ((r+i)! (m-r+i)!)
  (Harris, *Algebraic Geometry*, Example 19.10, m <= n); unit (Frobenius) ED degree C(min(m,n), r)
  (Eckart–Young; Draisma et al., FoCM 16 (2016), Example 2.3).
- Segre–Veronese varieties: P^{n_1} x ... x P^{n_k} embedded by O(a_1, ..., a_k) has degree
  (sum n_i)! / prod n_i! * prod a_i^{n_i} (the top self-intersection of sum a_i H_i). Polynomial
  CNNs with monomial activation x^r, r > 1, have neurovarieties isomorphic (birationally, up to
  filter rescaling) to P^{k_1-1} x ... x P^{k_L-1} under O(r^{L-1}, ..., r, 1), so their degree is
  (|k| - L)! prod_j r^{(L-j-1)(k_j-1)} / (k_j-1)! (Shahverdi–Marchetti–Kohn, *On the geometry and
  optimization of polynomial convolutional networks*, arXiv:2410.00722).
- Symmetric determinantal varieties {n x n symmetric of rank <= r}: dimension r n - C(r, 2)
  (affine), degree prod_{a=0}^{n-r-1} C(n+a, n-r-a) / C(2a+1, a) (Harris–Tu, *On symmetric and
  skew-symmetric determinantal varieties*, Topology 23 (1984)).
- Singular vector tuples of a generic tensor of format m_1 x ... x m_k (the ED degree of the
  Segre variety for the Frobenius metric): the coefficient of prod t_i^{m_i - 1} in
  prod_i ((T_i^{m_i} - t_i^{m_i}) / (T_i - t_i)), T_i = sum_{j != i} t_j (Friedland–Ottaviani,
  *The number of singular vector tuples and uniqueness of best rank-one approximation of
  tensors*, Found. Comput. Math. 14 (2014), Thm 1); min(m, n) for matrices.
- Generic ED degree of a smooth projective variety X of dimension m, transversal to the isotropic
  quadric: sum_{i=0}^m (-1)^i (2^{m+1-i} - 1) deg(c_i(X)) (Draisma–Horobeț–Ottaviani–Sturmfels–
  Thomas, Thm 5.8), where deg(c_i(X)) = c_i(X) . h^{m-i}. For Segre–Veronese varieties the Chern
  classes are those of the product of projective spaces, c(P^n) = (1 + H)^{n+1}.
"""

from __future__ import annotations

from math import comb, factorial, prod

from ..errors import SpecError


def determinantal_dimension(m: int, n: int, r: int) -> int:
    """dim of {m x n matrices of rank <= r} (affine)."""
    r = min(r, m, n)
    return r * (m + n - r)


def determinantal_degree(m: int, n: int, r: int) -> int:
    """Degree of {m x n matrices of rank <= r} (Harris, Example 19.10)."""
    m, n = min(m, n), max(m, n)
    if r >= m:
        return 1
    num, den = 1, 1
    for i in range(n - r):
        num *= factorial(m + i) * factorial(i)
        den *= factorial(r + i) * factorial(m - r + i)
    return num // den


def determinantal_unit_ed_degree(m: int, n: int, r: int) -> int:
    """Critical points of the Frobenius distance to rank <= r matrices: C(min(m,n), r)."""
    return comb(min(m, n), min(r, min(m, n)))


def _check(dims, weights):
    dims, weights = list(map(int, dims)), list(map(int, weights))
    if len(dims) != len(weights) or any(d < 0 for d in dims) or any(a < 1 for a in weights):
        raise SpecError("Segre–Veronese data: projective dimensions n_i >= 0 and degrees a_i >= 1, "
                        "one per factor")
    return dims, weights


def segre_veronese_degree(dims, weights) -> int:
    """deg of P^{n_1} x ... x P^{n_k} under O(a_1, ..., a_k)."""
    dims, weights = _check(dims, weights)
    return factorial(sum(dims)) // prod(factorial(n) for n in dims) * prod(
        a**n for a, n in zip(weights, dims))


def _truncated_product(p: dict, q: dict, bound) -> dict:
    """p q for polynomials as dicts {exponent tuple: coefficient}, dropping every monomial with
    an exponent above ``bound`` (componentwise)."""
    out: dict = {}
    for a, x in p.items():
        for b, y in q.items():
            e = tuple(i + j for i, j in zip(a, b))
            if all(ei <= n for ei, n in zip(e, bound)):
                out[e] = out.get(e, 0) + x * y
    return out


def _intersection(dims, weights, chern_degree: int) -> int:
    """deg(c_i . h^{m-i}) on a product of projective spaces, h = sum a_j H_j, i = chern_degree."""
    # polynomials in H_1..H_k truncated at H_j^{n_j + 1}, as dicts exponent-tuple -> int
    k = len(dims)

    def mul(p, q):
        return _truncated_product(p, q, dims)

    chern = {(0,) * k: 1}
    for j, n in enumerate(dims):  # c(P^n) = (1 + H)^{n+1}
        factor = {tuple(i if t == j else 0 for t in range(k)): comb(n + 1, i) for i in range(n + 1)}
        chern = mul(chern, factor)
    c_i = {e: v for e, v in chern.items() if sum(e) == chern_degree}
    h = {tuple(int(t == j) for t in range(k)): a for j, a in enumerate(weights)}
    for _ in range(sum(dims) - chern_degree):
        c_i = mul(c_i, h)
    return c_i.get(tuple(dims), 0)


def ed_degree_from_chern(chern_degrees) -> int:
    """Generic ED degree from deg(c_i(X)), i = 0..m (DHOST Thm 5.8)."""
    m = len(chern_degrees) - 1
    return sum((-1) ** i * (2 ** (m + 1 - i) - 1) * d for i, d in enumerate(chern_degrees))


def segre_veronese_ed_degree(dims, weights) -> int:
    """Generic ED degree of the Segre–Veronese variety P^{n_1} x ... under O(a_1, ...)."""
    dims, weights = _check(dims, weights)
    m = sum(dims)
    return ed_degree_from_chern([_intersection(dims, weights, i) for i in range(m + 1)])


def cnn_degree(filters, r: int) -> int:
    """Degree of the neurovariety of a polynomial CNN with activation x^r, r > 1: the
    Segre–Veronese variety P^{k_1-1} x ... x P^{k_L-1} under O(r^{L-1}, ..., r, 1)."""
    depth = len(filters)
    return segre_veronese_degree([k - 1 for k in filters], [r ** (depth - 1 - l) for l in range(depth)])


def symmetric_determinantal_degree(n: int, r: int) -> int:
    """Degree of {n x n symmetric matrices of rank <= r} (Harris–Tu 1984)."""
    if r >= n:
        return 1
    num, den = 1, 1
    for a in range(n - r):
        num *= comb(n + a, n - r - a)
        den *= comb(2 * a + 1, a)
    return num // den


def singular_vector_tuples(shape) -> int:
    """Number of singular vector tuples of a generic m_1 x ... x m_k tensor: the ED degree of the
    Segre variety P^{m_1-1} x ... x P^{m_k-1} for the Frobenius metric (Friedland–Ottaviani)."""
    shape = [int(m) for m in shape if int(m) > 1]
    if any(m < 1 for m in shape):
        raise SpecError("tensor format: positive integers")
    k = len(shape)
    if k <= 1:
        return 1
    # polynomials in t_1..t_k as dicts exponent-tuple -> int, truncated at t_i^{m_i - 1}
    target = tuple(m - 1 for m in shape)

    def mul(p, q):
        return _truncated_product(p, q, target)

    total = {(0,) * k: 1}
    for i, m in enumerate(shape):
        # (T^m - t^m) / (T - t) = sum_{a + b = m - 1} T^a t^b, T = sum_{j != i} t_j
        factor: dict = {}
        others = [j for j in range(k) if j != i]
        for a in range(m):
            b = m - 1 - a
            power = {(0,) * k: 1}
            for _ in range(a):
                power = mul(power, {tuple(int(t == j) for t in range(k)): 1 for j in others})
            for e, c in power.items():
                e = tuple(v + (b if t == i else 0) for t, v in enumerate(e))
                if all(ei <= ti for ei, ti in zip(e, target)):
                    factor[e] = factor.get(e, 0) + c
        total = mul(total, factor)
    return total.get(target, 0)
