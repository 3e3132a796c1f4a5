"""What theory says a neurovariety's degree and critical-point count are, where a theorem applies.

Each function returns a :class:`Theorem` (the value, the statement with its hypotheses, the
reference) or None when no closed form is known for the architecture and metric. The closed
forms themselves are in :mod:`.formulas`; this module decides when one applies:

- linear networks (widths d_0, ..., d_L, no biases): V = {d_L x d_0 matrices of rank <= r},
  r = min(d_i); degree by Harris, Example 19.10; critical points for the unit (Frobenius) metric
  by Eckart–Young, C(min(m, n), r); for the data metric (N >= d_0 generic samples) the same
  count, since the loss is |(W - W*) S^(1/2)|_F^2 + const with S = (1/N) sum x x^T (whitening,
  a linear isomorphism preserving rank); for a generic metric, the generic ED degree of the
  Segre variety P^{m-1} x P^{n-1} when r = 1, and by projective duality (the dual of the rank
  <= r matrices is the rank <= min(m, n) - r matrices; DHOST Thm 5.2: dual varieties have the
  same ED degree) also when r = min(m, n) - 1;
- MLPs whose hidden layers have width 1 and monomial activations x^{r_l} (no biases): f =
  u (l . x)^R, R = prod r_l, a diagonal linear image of the Segre–Veronese variety
  P^{d_L-1} x P^{d_0-1} under O(1, R) (the Veronese variety when d_L = 1): its degree and, for a
  generic metric, its generic ED degree (DHOST Thm 5.8; a linear isomorphism keeps a generic
  metric generic);
- MLPs (n, d_1, 1) with x^2 (no biases): symmetric n x n matrices of rank <= d_1 (the monomial
  coefficients are a linear isomorphism of Sym^2); degree by Harris–Tu; for a generic metric and
  d_1 = n - 1 the generic ED degree of the Veronese nu_2(P^{n-1}), its dual (DHOST Thm 5.2);
- linear CNNs with k_l = s_l for every layer but the last: the end-to-end filter
  w_1(x) w_2(x^{s_1}) ... has coordinates that are exactly the products of one entry of each
  filter, so V is the Segre variety P^{k_1-1} x ... x P^{k_L-1} (each coordinate repeated for
  each output position); degree, generic ED degree (DHOST Thm 5.8), Frobenius ED degree for the
  unit metric (Friedland–Ottaviani; the repetition multiplies the unit metric by ``out``), and
  for out = 1 and N >= d_0 generic samples the data metric (1/N) sum x x^T is a generic positive
  definite form, so the learning degree is the generic ED degree (Kohn–Montúfar–Shahverdi–Trager;
  Shahverdi, arXiv:2401.16613);
- CNNs with monomial activation x^r, r > 1: the Segre–Veronese variety P^{k_1-1} x ... under
  O(r^{L-1}, ..., r, 1) (Shahverdi–Marchetti–Kohn, arXiv:2410.00722: the parameterization is an
  isomorphism almost everywhere up to filter rescaling): its degree, and for a generic metric
  or a generic large data set (N >= number of coordinates) its generic ED degree;
- any architecture whose V fills its ambient space C^M (dim V = M, the number of coordinates, a
  certified dimension): the loss |f - u|_Q^2 = (f - u)^T Q (f - u) has gradient 2 Q (f - u),
  so for a nondegenerate Q (generic, unit, or a data metric whose evaluations determine f) its
  only critical point is f = u: the count is 1 (used where no other theorem applies).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb, prod

from . import formulas

DHOST = ("Draisma, Horobeț, Ottaviani, Sturmfels, Thomas (2016), The Euclidean distance degree of "
         "an algebraic variety, Found. Comput. Math. 16, arXiv:1309.0049")
SMK = ("Shahverdi, Marchetti, Kohn (2025), On the geometry and optimization of polynomial "
       "convolutional networks, arXiv:2410.00722")
KMST = ("Kohn, Montúfar, Shahverdi, Trager (2024), Function space and critical points of linear "
        "convolutional networks, SIAM J. Appl. Algebra Geom. 8; Shahverdi (2024), arXiv:2401.16613")


@dataclass(frozen=True)
class Theorem:
    """A value fixed by a theorem: ``statement`` says what and under which hypotheses."""

    value: int
    statement: str
    reference: str

    def to_dict(self) -> dict:
        return {"value": self.value, "statement": self.statement, "reference": self.reference}


def _linear_shape(arch):
    """(m, n, r) of a linear network without biases, else None."""
    from ..arch import MLP

    if isinstance(arch, MLP) and arch.is_linear and not arch.bias:
        m, n = arch.widths[-1], arch.widths[0]
        return m, n, min(arch.widths)
    return None


def _chain(arch):
    """(d_L, d_0, R) of an MLP with hidden widths 1 and monomial activations, no biases."""
    from ..arch import MLP

    if not isinstance(arch, MLP) or arch.bias or len(arch.widths) <= 2:
        return None
    powers = [a.monomial_power for a in arch.activations]
    if all(w == 1 for w in arch.widths[1:-1]) and all(r is not None and r >= 1 for r in powers):
        return arch.widths[-1], arch.widths[0], prod(r for r in powers if r is not None)
    return None


def _quadric(arch):
    """(n, d_1) of an MLP (n, d_1, 1) with activation x^2 (times a constant), no biases."""
    from ..arch import MLP

    if (isinstance(arch, MLP) and not arch.bias and len(arch.widths) == 3
            and arch.widths[-1] == 1 and arch.activations[0].monomial_power == 2):
        return arch.widths[0], arch.widths[1]
    return None


def _segre_cnn(arch):
    """Filter sizes of a linear CNN whose strides make V a Segre variety, else None."""
    from ..arch import CNN

    if (isinstance(arch, CNN) and arch.activation.is_linear
            and all(k == s for k, s in zip(arch.filters[:-1], arch.strides[:-1]))):
        return arch.filters
    return None


def _poly_cnn(arch):
    """(filters, r) of a CNN with monomial activation x^r, r > 1."""
    from ..arch import CNN

    r = arch.activation.monomial_power if isinstance(arch, CNN) else None
    return (arch.filters, r) if r is not None and r > 1 else None


def _sv(dims, weights):
    """Drop factors P^0 (they add nothing)."""
    pairs = [(n, a) for n, a in zip(dims, weights) if n > 0]
    return [n for n, _ in pairs], [a for _, a in pairs]


def _sv_name(dims, weights) -> str:
    space = " x ".join(f"P^{n}" for n in dims) or "a point"
    return f"{space} under O({', '.join(map(str, weights))})" if any(a != 1 for a in weights) else space


def expected_degree(arch) -> Theorem | None:
    """deg V by a theorem, or None."""
    if (shape := _linear_shape(arch)) is not None:
        m, n, r = shape
        return Theorem(formulas.determinantal_degree(m, n, r),
                       f"{m} x {n} matrices of rank <= {r} (determinantal variety)",
                       "Harris, Algebraic Geometry, Example 19.10")
    if (chain := _chain(arch)) is not None:
        k, d, big_r = chain
        dims, weights = _sv([k - 1, d - 1], [1, big_r])
        return Theorem(formulas.segre_veronese_degree(dims, weights) if dims else 1,
                       f"Segre–Veronese variety {_sv_name(dims, weights)} (f = u (l.x)^{big_r})",
                       "degree of a Segre–Veronese variety (top self-intersection)")
    if (quad := _quadric(arch)) is not None:
        n, r = quad
        return Theorem(formulas.symmetric_determinantal_degree(n, r),
                       f"symmetric {n} x {n} matrices of rank <= {min(r, n)}",
                       "Harris, Tu (1984), On symmetric and skew-symmetric determinantal "
                       "varieties, Topology 23")
    if (filters := _segre_cnn(arch)) is not None:
        dims, weights = _sv([k - 1 for k in filters], [1] * len(filters))
        return Theorem(formulas.segre_veronese_degree(dims, weights) if dims else 1,
                       f"Segre variety {_sv_name(dims, weights)} (strides k_l = s_l)", KMST)
    if (cnn := _poly_cnn(arch)) is not None:
        filters, r = cnn
        depth = len(filters)
        dims, weights = _sv([k - 1 for k in filters], [r ** (depth - 1 - l) for l in range(depth)])
        return Theorem(formulas.cnn_degree(filters, r),
                       f"Segre–Veronese variety {_sv_name(dims, weights)}", SMK)
    return None


def expected_critical(arch, metric: str, *, n_samples: int | None = None,
                      n_coordinates: int | None = None, dimension: int | None = None,
                      projected_dimension: int | None = None) -> Theorem | None:
    """The number of complex critical points of |f - u|_Q^2 on V for generic u, by a theorem,
    or None. ``metric`` is "generic", "unit" or "data" (``n_samples`` generic samples;
    ``n_coordinates``: the ambient coordinates M, for the "large data" hypotheses).

    ``dimension``: dim V when it is *certified* (None otherwise); with ``dimension ==
    n_coordinates`` V fills C^M and the count is 1 (see the module docstring). For the data
    metric this needs ``projected_dimension`` (the proven dimension of the evaluations of V at
    the samples) equal to M as well: then the metric is nondegenerate on C^M."""
    found = _expected_critical(arch, metric, n_samples, n_coordinates)
    if found is not None or dimension is None or dimension != n_coordinates:
        return found
    if metric == "data" and projected_dimension != n_coordinates:
        return None
    how = {"generic": "", "unit": ", unit metric",
           "data": f", the data metric of {n_samples} samples is nondegenerate on it"}.get(metric, "")
    return Theorem(1, f"V fills its ambient space C^{n_coordinates} (dim V = {dimension}, "
                      f"certified{how}): the only critical point of |f - u|_Q^2 is f = u",
                   "linear algebra: the gradient 2 Q (f - u) vanishes only at f = u for a "
                   "nondegenerate Q")


def _expected_critical(arch, metric: str, n_samples: int | None,
                       n_coordinates: int | None) -> Theorem | None:
    """The architecture-specific theorems of :func:`expected_critical`."""
    samples = n_samples if metric == "data" and n_samples is not None else -1
    if (shape := _linear_shape(arch)) is not None:
        m, n, r = shape
        low = min(m, n)
        if r >= low and (metric != "data" or samples >= n):
            return Theorem(1, f"V = all {m} x {n} matrices: one critical point", "linear algebra")
        if metric == "unit" or samples >= n:
            how = ("Frobenius metric" if metric == "unit" else
                   f"data metric, N = {n_samples} >= d_0 = {n}: whitening reduces it to Frobenius")
            return Theorem(comb(low, r), f"C({low}, {r}): rank <= {r} approximation, {how}",
                           "Eckart–Young; " + DHOST + ", Example 2.3" + (
                               "; Baldi, Hornik (1989), Neural Networks 2" if metric == "data" else ""))
        if metric == "generic" and r in (1, low - 1):
            dims = [m - 1, n - 1]
            via = "" if r == 1 else f", by duality with rank <= {low - r}"
            return Theorem(formulas.segre_veronese_ed_degree(dims, [1, 1]),
                           f"generic ED degree of the Segre variety P^{m - 1} x P^{n - 1}{via}",
                           DHOST + ", Thm 5.8" + ("" if r == 1 else " and Thm 5.2"))
        return None
    if metric == "generic" and (chain := _chain(arch)) is not None:
        k, d, big_r = chain
        dims, weights = _sv([k - 1, d - 1], [1, big_r])
        return Theorem(formulas.segre_veronese_ed_degree(dims, weights) if dims else 1,
                       f"generic ED degree of the Segre–Veronese variety {_sv_name(dims, weights)}",
                       DHOST + ", Thm 5.8")
    if (quad := _quadric(arch)) is not None:
        n, r = quad
        if r >= n and metric != "data":
            return Theorem(1, f"V = all quadratic forms in {n} variables", "linear algebra")
        if metric == "generic" and r == n - 1:
            return Theorem(formulas.segre_veronese_ed_degree([n - 1], [2]),
                           f"generic ED degree of the symmetric rank <= {r} hypersurface = that of "
                           f"its dual, the Veronese nu_2(P^{n - 1})", DHOST + ", Thms 5.2 and 5.8")
        return None
    if (filters := _segre_cnn(arch)) is not None:
        dims, weights = _sv([k - 1 for k in filters], [1] * len(filters))
        if not dims:
            return None
        if metric == "unit":
            return Theorem(formulas.singular_vector_tuples(filters),
                           f"Frobenius ED degree of the Segre variety {_sv_name(dims, weights)} "
                           "(singular vector tuples)",
                           "Friedland, Ottaviani (2014), Found. Comput. Math. 14, Thm 1")
        d0 = int(arch.widths[0])
        if metric == "generic" or (arch.out == 1 and samples >= d0):
            return Theorem(formulas.segre_veronese_ed_degree(dims, weights),
                           f"generic ED degree of the Segre variety {_sv_name(dims, weights)}"
                           + ("" if metric == "generic" else
                              f" (data metric, N = {n_samples} >= d_0 = {d0}: a generic form)"),
                           DHOST + ", Thm 5.8; " + KMST)
        return None
    if (cnn := _poly_cnn(arch)) is not None:
        filters, r = cnn
        depth = len(filters)
        dims, weights = _sv([k - 1 for k in filters], [r ** (depth - 1 - l) for l in range(depth)])
        large = n_coordinates is not None and samples >= n_coordinates
        if metric == "generic" or large:
            return Theorem(formulas.segre_veronese_ed_degree(dims, weights),
                           f"generic ED degree of the Segre–Veronese variety "
                           f"{_sv_name(dims, weights)}" + ("" if metric == "generic" else
                                                           " (generic large data set)"), SMK)
    return None
