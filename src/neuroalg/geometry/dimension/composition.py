"""Upper bounds on the dimension by composition of sub-architectures (certificate kind C).

Split an MLP with widths (d_0, ..., d_L) after hidden layer k: Phi = S ∘ sigma_k ∘ h, where h is
the prefix network (d_0, ..., d_k) with an affine output and S the suffix network
(d_k, ..., d_L). The neurovariety V therefore lies in the closure of mu(V_prefix × V_suffix),
mu(h, S) = S ∘ sigma_k ∘ h, a polynomial map. When sigma_k is homogeneous (x^r, the linear
activation r = 1, or 1/x with r = -1), mu is constant on the orbits of the interface rescaling
(h, S) -> (t h, S ∘ t^-r) (t diagonal, absorbed by the suffix's first layer), which have dimension
d_k at every point whose components h_i are nonzero, a dense open set. By the fiber dimension
theorem,

    dim V <= dim V_prefix + dim V_suffix - (d_k if sigma_k is homogeneous else 0),

and any proven upper bounds on the two factors give a proven upper bound on dim V. The factors are
bounded recursively by the same rule, by their ambient dimension, by #params minus the rank over
GF(p) of a random row compression R S of their known symmetry fields S at a random point (a lower
bound on the generic rank of fields lying in ker dPhi, so rigorous;
:func:`neuroalg.linalg.rank_lower_bound_mod`), and for shallow monomial factors by the flattening
certificates of :mod:`.certificates`. Every step is exact: the certificate is not probabilistic.

Example: (2, 2, 8, 1) with x^2 has 28 parameters but dim V = 5: f = q(l_1^2, l_2^2) with q a
binary quadratic form, so V_prefix = 2 x 2 matrices (4) and V_suffix = binary quadratics (3) give
4 + 3 - 2 = 5.
"""

from __future__ import annotations

from ...arch import MLP
from ...fields import GF
from ...linalg import rank_lower_bound_mod
from ...random import spawn
from .certificates import Certificate, catalecticant_certificate, koszul_certificate

#: Symmetry-field matrices larger than this (#params x #fields entries, 160 MB as int64) are not
#: built, here and in :func:`neuroalg.geometry.dimension`: the bound is then the ambient
#: dimension (and, here, the compositions of the factor's own factors).
MAX_FIELD_ENTRIES = 20_000_000



def _window(arch: MLP, i: int, j: int) -> MLP:
    """The sub-network of layers i+1..j: widths (d_i, ..., d_j), activations in between."""
    return MLP(arch.widths[i : j + 1], arch.activations[i : j - 1], bias=arch.bias)


def _rescalings_only(sub: MLP) -> bool:
    """Whether the known symmetry fields of ``sub`` are only the hidden-neuron rescalings (x^r
    with r >= 2 or 1/x, and no quadratic layer feeding a single neuron). Their rank is then the
    number of hidden neurons at any theta with nonzero weights: the field of neuron i of layer l
    is the only one of layer l touching the coordinate W_l[i, 0], where it equals W_l[i, 0] != 0;
    only the field of neuron 0 of layer l - 1 touches it besides, so in the layer order the
    fields restricted to these coordinates form a triangular matrix with nonzero diagonal."""
    return all(a.reciprocal or (a.monomial_power or 0) >= 2 for a in sub.activations) and not any(
        a.monomial_power == 2 and sub.widths[l + 1] == 1 and sub.widths[l] > 1
        for l, a in enumerate(sub.activations, start=1))


def _interface(act) -> bool:
    return act.reciprocal or act.monomial_power is not None


def _quadratic_forms(sub: MLP) -> int | None:
    """dim V of a shallow (n, r, 1) network with x^2 and no bias, r < n, in closed form:
    f = sum_i u_i (w_i . x)^2 = x^T W^T diag(u) W x ranges over the quadratic forms of rank
    <= r, i.e. the symmetric n x n matrices of rank <= r, of dimension r (2n - r + 1) / 2
    (Harris, Algebraic Geometry, Prop. 22.31 and Ex. 22.32); None for other windows."""
    if sub.depth != 2 or sub.bias or sub.widths[2] != 1 or sub.activations[0].monomial_power != 2:
        return None
    n, r = sub.widths[0], sub.widths[1]
    return r * (2 * n - r + 1) // 2 if r < n else None


def composition_certificate(arch, p: int, rng, *, known_upper: int | None = None,
                            structural: bool = False) -> Certificate | None:
    """The best composition bound over all splits (None if it is not below ``known_upper`` or
    the architecture is not an MLP of depth >= 3). ``structural``: closed forms only, no rank
    and nothing random (``p`` and ``rng`` unused): the factors are bounded by their ambient
    dimension, by #params - #hidden neurons (the rescaling fields of homogeneous activations
    are independent: see :func:`_rescalings_only`) and by :func:`_quadratic_forms`; cheap
    enough to run before any Jacobian."""
    if not (isinstance(arch, MLP) and arch.depth >= 3):
        return None
    L = arch.depth
    memo: dict[tuple[int, int], tuple[int, dict]] = {}

    def basic(i: int, j: int) -> tuple[int, dict]:
        sub = _window(arch, i, j)
        best = (sub.ambient_dimension, {"spec": str(sub), "bound": sub.ambient_dimension,
                                        "by": "ambient dimension"})
        rank, how = None, None
        if _rescalings_only(sub) or (structural and all(map(_interface, sub.activations))):
            rank = sum(sub.widths[1:-1])
            how = "the hidden-neuron rescalings (independent: see _rescalings_only)"
        elif structural:
            pass
        elif sub.n_params * max(sub.n_symmetry_fields, 1) <= MAX_FIELD_ENTRIES:
            field = GF(p)
            fields = sub.symmetry_fields(sub.random_params(rng, field), field)
            rank = rank_lower_bound_mod(fields, p, spawn(rng, 1)[0]) if fields.shape[1] else 0
            how = f"rank over GF({p}) of a random row compression of the known symmetry fields"
        if rank is not None and sub.n_params - rank < best[0]:
            best = (sub.n_params - rank, {"spec": str(sub), "bound": sub.n_params - rank,
                                          "by": f"#params {sub.n_params} - {rank}, {how}"})
        quadratic = _quadratic_forms(sub)
        if quadratic is not None and quadratic < best[0]:
            best = (quadratic, {"spec": str(sub), "bound": quadratic,
                                "by": "quadratic forms of rank <= r in n variables: r (2n - r + 1) / 2"})
        if sub.depth == 2 and not structural:
            for make in (catalecticant_certificate, koszul_certificate):
                cert = make(sub, p, rng)
                if cert is not None and cert.bound < best[0]:
                    best = (cert.bound, {"spec": str(sub), "bound": cert.bound,
                                         "by": f"{cert.kind}: {cert.statement}"})
        return best

    def upper(i: int, j: int) -> tuple[int, dict]:
        if (i, j) not in memo:
            best = basic(i, j) if (i, j) != (0, L) or known_upper is None else (known_upper, {})
            for k in range(i + 1, j):
                (b1, t1), (b2, t2) = upper(i, k), upper(k, j)
                drop = arch.widths[k] if _interface(arch.activations[k - 1]) else 0
                if b1 + b2 - drop < best[0]:
                    sub = _window(arch, i, j)
                    best = (b1 + b2 - drop, {"spec": str(sub), "bound": b1 + b2 - drop,
                                             "by": f"composition after layer {k - i}",
                                             "interface_orbit_dimension": drop,
                                             "prefix": t1, "suffix": t2})
            memo[(i, j)] = best
        return memo[(i, j)]

    bound, tree = upper(0, L)
    if "prefix" not in tree or (known_upper is not None and bound >= known_upper):
        return None
    return Certificate(
        kind="composition",
        bound=bound,
        statement=(f"Phi factors as suffix ∘ sigma ∘ prefix; dim V <= dim V_prefix + dim V_suffix "
                   f"- (interface rescalings), applied recursively: {_describe(tree)}"),
        verification=("exact: every factor's bound is an ambient dimension, the dimension of "
                      "quadratic forms of bounded rank, #params minus the rank of known symmetry "
                      "fields (structural or over GF(p) at a random point), or a flattening "
                      "certificate" + (" (closed forms only)" if structural else "")),
        details={"tree": tree, "prime": None if structural else p},
    )


def _describe(tree: dict) -> str:
    if "prefix" not in tree:
        return f"{tree['spec']} <= {tree['bound']}"
    return (f"({_describe(tree['prefix'])} + {_describe(tree['suffix'])} - "
            f"{tree['interface_orbit_dimension']} = {tree['bound']})")
