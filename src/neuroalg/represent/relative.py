"""Relative representations, vanilla and normalized, with their exact backward pass.

Vanilla [MNF23]: a latent vector z in R^d is represented by its cosine similarities to the latents
a_1..a_k of k fixed anchor samples,

    rel(z) = (cos(z, a_1), ..., cos(z, a_k)).

Cosine similarity is invariant under orthogonal maps and isotropic rescalings z -> c Q z, but not
under the parameter-space symmetries of the common activations: a hidden layer of a ReLU (or
leaky ReLU, or monomial x^r) network can be rescaled neuron by neuron with positive factors and
permuted, which changes the latents by z -> P D z (P a permutation, D positive diagonal) without
changing the function the network computes [GMKS24].

Normalized [GMKS24]: standardize every latent coordinate with the anchors' statistics before
taking cosines,

    z_hat = (z - mu) / sigma,   mu = mean_j a_j,   sigma = std_j a_j   (coordinatewise),
    rel_norm(z) = (cos(z_hat, a_hat_1), ..., cos(z_hat, a_hat_k)).

Under z -> P D z (applied to the sample and the anchors alike) mu -> P D mu and sigma -> P D sigma
(D > 0), so z_hat -> P z_hat and the cosines do not change: rel_norm is exactly invariant under
coordinate permutations composed with positive diagonal rescalings, and it keeps the invariance
of vanilla relative representations under isotropic rescaling. A coordinate that is constant on
the anchors (sigma = 0, a dead unit) carries no relative information and is set to 0; this keeps
the invariance exact.

References
----------
[MNF23] L. Moschella, V. Maiorca, M. Fumero, A. Norelli, F. Locatello, E. Rodola, 2023. Relative
    representations enable zero-shot latent space communication. ICLR 2023, arXiv:2209.15430.
[GMKS24] A. Garcia-Castellanos, G. L. Marchetti, D. Kragic, M. Scolamiero, 2024. Relative
    Representations: Topological and Geometric Perspectives. arXiv:2409.10967.
"""

from __future__ import annotations

import numpy as np

from ..errors import SpecError
from ..options import check_matrix

#: Norms below this are treated as zero in the row normalization (a latent equal to the mean).
_TINY = 1e-300


def relative_representation(z, anchors, *, normalize: bool = True) -> np.ndarray:
    """Relative representation of latents ``z`` (n x d) with respect to ``anchors`` (k x d).

    Parameters
    ----------
    z : array of shape (n, d)
    anchors : array of shape (k, d)
        Latents of the anchor samples (k >= 2 when ``normalize``: the statistics need two).
    normalize : bool, default=True
        Standardize coordinates with the anchors' mean and standard deviation first
        (invariance under permutations and positive diagonal rescalings).

    Returns
    -------
    ndarray of shape (n, k), entries in [-1, 1].

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> z, a = rng.standard_normal((4, 3)), rng.standard_normal((5, 3))
    >>> D = np.diag([2.0, 0.1, 7.0])[[2, 0, 1]]   # permutation composed with a positive scaling
    >>> bool(np.abs(relative_representation(z @ D.T, a @ D.T) - relative_representation(z, a)).max() < 1e-12)
    True
    """
    z = check_matrix(z, "z", ndim=2)
    a = check_matrix(anchors, "anchors", ndim=2)
    if z.shape[1] != a.shape[1]:
        raise SpecError(f"z and anchors must have the same latent dimension; got {z.shape[1]} "
                        f"and {a.shape[1]}")
    if normalize and a.shape[0] < 2:
        raise SpecError(f"normalized relative representations need at least 2 anchors; got {a.shape[0]}")
    return relative_forward(z, a, normalize)[0]


def relative_forward(z: np.ndarray, a: np.ndarray, normalize: bool):
    """(rel, cache) for :func:`relative_backward`; no validation (internal hot path)."""
    if normalize:
        mu = a.mean(axis=0)
        sigma = a.std(axis=0)
        live = sigma > 0
        inv = np.where(live, 1.0 / np.where(live, sigma, 1.0), 0.0)
        zh, ah = (z - mu) * inv, (a - mu) * inv
    else:
        inv, zh, ah = None, z, a
    zn = np.maximum(np.linalg.norm(zh, axis=1, keepdims=True), _TINY)
    an = np.maximum(np.linalg.norm(ah, axis=1, keepdims=True), _TINY)
    u, v = zh / zn, ah / an
    return u @ v.T, (normalize, inv, zh, ah, u, v, zn, an)


def relative_backward(grad: np.ndarray, cache):
    """Gradients with respect to z and to the anchors, given d loss / d rel."""
    normalize, inv, zh, ah, u, v, zn, an = cache
    du, dv = grad @ v, grad.T @ u
    dzh = (du - u * (u * du).sum(axis=1, keepdims=True)) / zn
    dah = (dv - v * (v * dv).sum(axis=1, keepdims=True)) / an
    if not normalize:
        return dzh, dah
    k = ah.shape[0]
    # zh = (z - mu) inv, ah = (a - mu) inv, mu = mean(a), sigma = std(a), d sigma / d a_j = ah_j / k
    g_mu = -(dzh.sum(axis=0) + dah.sum(axis=0)) * inv
    g_sigma = -((dzh * zh).sum(axis=0) + (dah * ah).sum(axis=0)) * inv
    dz = dzh * inv
    da = dah * inv + g_mu / k + ah * g_sigma / k
    return dz, da
