"""Generic fibers of the parameterization: gauge slice, fiber size by monodromy, hidden symmetries.

Gauge slice: each rescaling symmetry theta -> (t w_in, t^-r w_out) of a hidden neuron (MLP) or
of a filter (CNN) with monomial activation x^r is fixed by <r_j, w_in> = 1 for a random vector
r_j; the slice meets each rescaling orbit exactly once (t = 1 / <r_j, w_in>).
On the slice, the generic fiber of Phi is finite exactly when #params - #gauge = dim V; then a
witness system A Phi(theta) = b on the slice is solved by monodromy, solutions are grouped by
their image, and the number of preimages of each image is the generic fiber size modulo
rescalings (e.g. hidden-neuron permutations); the number of images is deg V, with the trace test.
Otherwise the fiber keeps dimension #params - #gauge - dim V (other symmetries: GL of linear
layers, orthogonal groups, or hidden ones) and only that dimension is reported.

Hidden symmetries: the generic kernel of dPhi has dimension #params - dim V; the known symmetry
fields (``Architecture.symmetry_fields``) span ``symmetry_rank`` of it; any excess is a hidden
infinitesimal symmetry (reported as a count; with a Monte Carlo dimension the count is Monte
Carlo too). Linear ansatz: vector fields V(theta) = B theta with dPhi(theta) B theta = 0 for all
theta are the kernel of a linear system in the P^2 entries of B (rows c^T dPhi(theta_i)(x) B
theta_i over GF(p) at random theta_i, x, c); their values at a generic theta, beyond the span of
the known fields, are reported as extra linear symmetries (a lower bound: with too few rows the
kernel can only be larger, never miss a true symmetry, so a reported 0 is Monte Carlo).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from ..arch import CNN, MLP
from ..homotopy.neuro import expand, random_rational
from ..random import check_seed
from ..report import Report
from ..spec import parse_spec
from .degree import solve_witness


@dataclass(frozen=True)
class FiberResult(Report):
    spec: str
    dimension: int
    dimension_certified: bool
    n_params: int
    n_gauge: int  # rescalings fixed by the gauge slice
    fiber_dimension: int  # on the gauge slice
    symmetry_rank: int | None
    fiber_size: int | None  # points per generic fiber on the slice (None: positive-dimensional)
    n_linear_fields: int | None  # dimension of the space of linear symmetry fields B theta
    n_extra_linear: int | None  # their directions beyond the known symmetry fields
    degree: int | None
    trace_residual: float | None
    is_trace_passed: bool | None
    n_loops: int
    seed: int
    seconds: float
    #: verified linear fields beyond the known ones, as "d t_i = sum_j B_ij t_j; ..."
    extra_fields: tuple[str, ...] = ()

    @property
    def n_hidden_symmetries(self) -> int | None:
        if self.symmetry_rank is None:
            return None
        return self.n_params - self.dimension - self.symmetry_rank

    def headline(self) -> str:
        if self.fiber_size is None:
            return (f"generic fiber of dimension {self.fiber_dimension} on the gauge slice "
                    f"({'certified' if self.dimension_certified else 'Monte Carlo'} dimension)")
        test = "trace test passed" if self.is_trace_passed else "TRACE TEST FAILED"
        return f"generic fiber: {self.fiber_size} point{'s' if self.fiber_size != 1 else ''} modulo rescalings (numerical, {test})"

    def lines(self) -> list[tuple[str, str]]:
        kernel = self.n_params - self.dimension
        out = [("architecture", self.spec),
               ("dimension", f"{self.dimension} ({'certified' if self.dimension_certified else 'Monte Carlo'})"),
               ("gauge slice", f"{self.n_gauge} rescalings fixed (<r_j, w_j> = 1, r_j random)"),
               ("kernel of dPhi", f"{kernel} = {self.symmetry_rank} known symmetry directions"
                                  + (f" + {self.n_hidden_symmetries} hidden" if self.n_hidden_symmetries else ""))]
        if self.fiber_size is not None:
            out += [("degree", f"{self.degree} (trace residual {self.trace_residual:.1e})"),
                    ("identifiable", "yes (up to rescaling)" if self.fiber_size == 1 else
                     f"finitely: {self.fiber_size} parameter points per function")]
        if self.n_linear_fields is not None:
            out.append(("linear ansatz", f"{self.n_linear_fields} linear symmetry fields B theta, "
                                         f"{self.n_extra_linear} directions beyond the known ones"))
        out += [(f"  field {i + 1}", f) for i, f in enumerate(self.extra_fields)]
        out += [("monodromy loops", str(self.n_loops)), ("seed", str(self.seed)),
                ("time", f"{self.seconds:.2f} s")]
        return out

    def to_dict(self) -> dict:
        return {"spec": self.spec, "dimension": self.dimension,
                "dimension_certified": self.dimension_certified, "params": self.n_params,
                "gauge_conditions": self.n_gauge, "fiber_dimension": self.fiber_dimension,
                "symmetry_rank": self.symmetry_rank, "hidden_symmetries": self.n_hidden_symmetries,
                "fiber_size": self.fiber_size, "degree": self.degree,
                "linear_symmetry_fields": self.n_linear_fields,
                "extra_linear_symmetries": self.n_extra_linear,
                "extra_fields_verified": list(self.extra_fields),
                "trace_residual": self.trace_residual, "trace_test_passed": self.is_trace_passed,
                "loops": self.n_loops, "status": "numerical", "seed": self.seed,
                "seconds": round(self.seconds, 4)}


def gauge_blocks(arch) -> tuple[tuple[int, int], ...]:
    """(start, length) of the incoming weights of each unit with a rescaling symmetry."""
    if isinstance(arch, MLP):
        out, slices = [], arch._slices()
        for l, act in enumerate(arch.activations, start=1):
            if act.monomial_power is not None and act.monomial_power != 1:
                start, d_in = slices[l - 1][0].start, arch.widths[l - 1]
                out += [(start + j * d_in, d_in) for j in range(arch.widths[l])]
        return tuple(out)
    if isinstance(arch, CNN) and arch.activation.monomial_power is not None:
        slices = arch._slices()
        return tuple((slices[l][0].start, arch.filters[l]) for l in range(len(arch.filters) - 1))
    return ()


def gauge_matrix(arch, rng) -> np.ndarray:
    """Rows r_j on unit j's incoming weights: the slice <r_j, w_j> = 1 meets each rescaling orbit
    t -> (t w_j, t^-r w_out) exactly once (Fractions, random)."""
    blocks = gauge_blocks(arch)
    out = np.empty((len(blocks), arch.n_params), dtype=object)
    out[:] = Fraction(0)
    for i, (start, length) in enumerate(blocks):
        out[i, start:start + length] = random_rational(rng, (length,))
    return out


def fiber(arch, *, seed=None, stagnation: int = 6, show_progress=None) -> FiberResult:
    """Generic fiber of the parameterization of ``arch`` modulo rescalings."""
    from .dimension import dimension

    clock = time.perf_counter()
    seed, rng = check_seed(seed)
    arch = parse_spec(arch) if isinstance(arch, str) else arch
    dim_res = dimension(arch, seed=seed)
    dim = dim_res.dimension
    n_gauge = len(gauge_blocks(arch))
    free = arch.n_params - n_gauge
    n_lin, n_extra = linear_symmetries(arch, dim, rng)
    extra = hidden_symmetry_fields(arch, dim, rng) if n_extra else ()
    base = dict(spec=str(arch), dimension=dim, dimension_certified=dim_res.is_certified,
                n_params=arch.n_params, n_gauge=n_gauge, fiber_dimension=free - dim,
                symmetry_rank=dim_res.symmetry_rank, n_linear_fields=n_lin,
                n_extra_linear=n_extra, seed=seed, extra_fields=extra)
    if free != dim:
        return FiberResult(**base, fiber_size=None, degree=None, trace_residual=None,
                           is_trace_passed=None, n_loops=0, seconds=time.perf_counter() - clock)
    w = solve_witness(expand(arch), dim, rng, c_matrix=gauge_matrix(arch, rng),
                      stagnation=stagnation, show_progress=show_progress)
    sizes = np.bincount(w.labels)
    uniform = len(set(sizes.tolist())) == 1
    return FiberResult(**base, fiber_size=int(sizes.max()), degree=w.n_images,
                       trace_residual=w.trace.residual, is_trace_passed=w.trace.is_passed and uniform,
                       n_loops=w.n_loops, seconds=time.perf_counter() - clock)


def linear_symmetry_kernel(arch, dim: int, rng, prime: int) -> np.ndarray | None:
    """The linear vector fields theta -> B theta with dPhi(theta) B theta = 0, over GF(prime):
    a basis of vec(B) (row-major, (B theta)_i = sum_j B_ij theta_j) in reduced row echelon form
    (canonical, so it lifts to Q across primes), or None if the kernel did not stabilize. Each
    random theta gives the rows c^T dPhi(theta)(x) (B theta) of a sketch with dim + 2 rows; the
    kernel is grown until it also annihilates fresh equations (no spurious B)."""
    from ..fields import GF, matmul_mod
    from .dimension import sketched_jacobian
    from .equations import _kernel_rref

    p_count, field = arch.n_params, GF(prime)
    n_unknowns = p_count * p_count

    def equations(n_theta):
        rows = []
        for _ in range(n_theta):
            theta = field.random(rng, (p_count,))
            sketch = sketched_jacobian(arch, theta, dim + 2, field, rng)  # (dim + 2, P)
            rows.append((sketch[:, :, None] * theta[None, None, :] % prime).reshape(len(sketch), -1))
        return np.vstack(rows)

    n_theta = -(-(n_unknowns + 20) // max(dim, 1))  # each theta gives <= dim independent rows
    for _ in range(4):
        kernel = _kernel_rref(equations(n_theta), prime)
        if len(kernel) == 0 or not np.any(matmul_mod(equations(3), kernel.T.copy(), prime)):
            return kernel
        n_theta *= 2
    return None


def linear_symmetries(arch, dim: int, rng, *, max_params: int = 60) -> tuple[int | None, int | None]:
    """(dimension of the linear symmetry fields B theta, their directions beyond the known
    fields at a generic theta), over a random 30-bit prime; (None, None) above ``max_params``."""
    from ..fields import GF
    from ..linalg import random_prime, rank_mod

    p_count = arch.n_params
    if p_count > max_params:
        return None, None
    prime = random_prime(30, rng)
    kernel = linear_symmetry_kernel(arch, dim, rng, prime)
    if kernel is None:
        return None, None
    if len(kernel) == 0:
        return 0, 0
    theta = GF(prime).random(rng, (p_count,))
    values = field_values(kernel, theta, prime)
    known = arch.symmetry_fields(theta, GF(prime))
    r_known = rank_mod(known.copy(), prime) if known.shape[1] else 0
    both = np.hstack([known, values]) if known.shape[1] else values
    return len(kernel), rank_mod(both.copy(), prime) - r_known


def field_values(kernel: np.ndarray, theta: np.ndarray, prime: int) -> np.ndarray:
    """The fields B_k theta (columns, P x k) of a kernel basis vec(B_k) (rows) over GF(prime)."""
    from ..fields import matmul_mod

    p_count = len(theta)
    stacked = kernel.reshape(len(kernel) * p_count, p_count)  # rows: (k, i), columns j
    return matmul_mod(stacked, theta[:, None], prime).reshape(len(kernel), p_count).T.copy()


def hidden_symmetry_fields(arch, dim: int, rng) -> tuple[str, ...]:
    """The exactly verified linear symmetry fields (:func:`.certificates.symmetry_certificate`)
    that raise the rank of the known fields at a random point, written as vector fields
    ``d t_i = sum_j B_ij t_j`` (parameters t_0, t_1, ... in the architecture's order)."""
    from ..fields import GF
    from ..linalg import random_prime, rank_mod
    from .certificates import symmetry_certificate

    cert = symmetry_certificate(arch, dim, rng, known=False, max_params=60)
    if cert is None:
        return ()
    P, p = arch.n_params, random_prime(30, rng)
    field = GF(p)
    theta = field.random(rng, (P,))
    cols = arch.symmetry_fields(theta, field)
    rank = rank_mod(cols.copy(), p) if cols.shape[1] else 0
    out = []
    for vec in cert.details["fields"]:
        b = [Fraction(x) for x in vec]
        col = np.array([[x.numerator % p * pow(x.denominator, -1, p) % p for x in b]],
                       dtype=np.int64)
        trial = np.hstack([cols, field_values(col, theta, p)]) if cols.shape[1] else field_values(col, theta, p)
        if rank_mod(trial.copy(), p) > rank:
            cols, rank = trial, rank + 1
            out.append(_field_text(b, P))
    return tuple(out)


def _field_text(b, P: int) -> str:
    terms = []
    for i in range(P):
        row = [(j, b[i * P + j]) for j in range(P) if b[i * P + j]]
        if row:
            rhs = " + ".join({1: f"t{j}", -1: f"-t{j}"}.get(c, f"{c}*t{j}")
                             for j, c in row).replace("+ -", "- ")
            terms.append(f"d t{i} = {rhs}")
    return "; ".join(terms)
