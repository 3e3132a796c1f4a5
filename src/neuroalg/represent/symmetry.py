"""Parameter-space symmetries of homogeneous networks and what they do to hidden representations.

For an MLP with a monomial activation x^r (the networks of ``neuroalg fiber``), every hidden unit
u has the rescaling symmetry (``Architecture.units()``): incoming weights and bias times t,
outgoing weights times t^-r; its activation h_u = (w_u . h_prev + b_u)^r becomes t^r h_u and the
network function Phi does not change. Units of one layer can also be permuted (rows of W_l and
b_l, columns of W_{l+1}). So along the symmetry orbit, the hidden representation of layer l
changes by h -> P D h with D = diag(t_u^r): for t_u > 0 and any r, or any t_u and even r, D is a
positive diagonal matrix: exactly the group the normalized relative representation is invariant
under. The infinitesimal version of the rescaling is the symmetry field that
``Architecture.symmetry_fields`` reports and ``neuroalg fiber`` counts; :func:`rescaling_flow`
integrates such a field exactly (it is linear and diagonal: theta -> exp(s B) theta).
"""

from __future__ import annotations

import numpy as np

from ..errors import SpecError
from ..fields import REAL


def _hidden_units(arch, layer: int):
    units = [u for u in arch.units() if u.layer == layer]
    if not units:
        raise SpecError(f"layer must be a hidden layer 1..{arch.depth - 1} of {arch}; got {layer}")
    return units


def hidden_representation(arch, theta, x, layer: int) -> np.ndarray:
    """Activations h_l(x) (n x d_l) of hidden layer ``layer`` (1-based), from the public parameter
    layout ``arch.units()`` (row i of W_l = unit i's incoming weights, in order)."""
    theta = np.asarray(theta, dtype=float)
    h = np.asarray(x, dtype=float)
    for l in range(1, layer + 1):
        units = _hidden_units(arch, l)
        W = np.array([theta[list(u.incoming)] for u in units])
        z = h @ W.T
        if units[0].bias is not None:
            z = z + theta[[u.bias for u in units]]
        h = arch.activations[l - 1](z, REAL)
    return h


def rescale_units(arch, theta, layer: int, t) -> np.ndarray:
    """theta with unit i of ``layer`` rescaled by t_i: incoming and bias times t_i, outgoing
    times t_i^-r (r the monomial power of the layer's activation)."""
    units = _hidden_units(arch, layer)
    t = np.asarray(t, dtype=float)
    if t.shape != (len(units),) or np.any(t == 0):
        raise SpecError(f"t must hold {len(units)} non-zero factors; got shape {t.shape}")
    power = units[0].power
    if power is None or units[0].group != "rescaling":
        raise SpecError(f"layer {layer} of {arch} has no rescaling symmetry (activation "
                        f"{arch.activations[layer - 1]}); monomial activations x^r have one")
    out = np.array(theta, dtype=float)
    for u, s in zip(units, t):
        out[list(u.input_side)] *= s
        out[list(u.outgoing)] *= s ** (-power)
    return out


def permute_units(arch, theta, layer: int, perm) -> np.ndarray:
    """theta with the units of ``layer`` reordered: new unit i is old unit perm[i]."""
    units = _hidden_units(arch, layer)
    perm = np.asarray(perm)
    if sorted(perm.tolist()) != list(range(len(units))):
        raise SpecError(f"perm must be a permutation of 0..{len(units) - 1}; got {perm.tolist()}")
    theta = np.asarray(theta, dtype=float)
    out = theta.copy()
    for new, old in enumerate(perm):
        a, b = units[new], units[old]
        out[list(a.input_side)] = theta[list(b.input_side)]
        out[list(a.outgoing)] = theta[list(b.outgoing)]
    return out


def random_symmetry(arch, theta, layer: int, rng: np.random.Generator, *, log_scale: float = 1.0):
    """A random element of the layer's symmetry group applied to theta.

    Returns ``(theta', perm, d)`` with h_l(theta')(x) = d * h_l(theta)(x)[perm] (d > 0, from
    t = exp(N(0, log_scale^2)) per unit, d = t^r)."""
    units = _hidden_units(arch, layer)
    t = np.exp(log_scale * rng.standard_normal(len(units)))
    perm = rng.permutation(len(units))
    new = permute_units(arch, rescale_units(arch, theta, layer, t), layer, perm)
    return new, perm, (t ** units[0].power)[perm]


def rescaling_flow(field_column, theta, s: float) -> np.ndarray:
    """exp(s B) theta for a rescaling field v(theta) = B theta with B diagonal (as reported by
    ``Architecture.symmetry_fields``): B_kk = v_k / theta_k where theta_k != 0."""
    v = np.asarray(field_column, dtype=float)
    theta = np.asarray(theta, dtype=float)
    nz = theta != 0
    if np.any(v[~nz] != 0):
        raise SpecError("the field is not diagonal-linear at this theta (nonzero where theta = 0)")
    b = np.zeros_like(theta)
    b[nz] = v[nz] / theta[nz]
    return theta * np.exp(s * b)
