"""0-dimensional persistence of point clouds and the topological densification loss.

For the Vietoris-Rips (equivalently Cech, in degree 0) filtration of a finite point cloud, every
point is born at 0, and components merge exactly along the edges of a Euclidean minimum spanning
tree (Kruskal's algorithm is the union-find of the filtration): the n - 1 finite death times of
H_0 are the MST edge lengths, and one class never dies.

Topological densification [HGNK20] pulls the death times of each class towards a target beta:

    L_dens = sum_c sum_{death times d of class c} |d - beta|,

so that the points of one class form a connected cluster at scale beta. Each death time is the
length ||z_i - z_j|| of an MST edge, so its gradient flows to the two endpoints (the MST is
locally constant; ties are broken by scipy's MST). [GMKS24] apply it when fine-tuning relative
representations.

References
----------
[HGNK20] C. Hofer, F. Graf, M. Niethammer, R. Kwitt, 2020. Topologically Densified Distributions.
    ICML 2020, arXiv:2002.04805.
[GMKS24] A. Garcia-Castellanos, G. L. Marchetti, D. Kragic, M. Scolamiero, 2024. Relative
    Representations: Topological and Geometric Perspectives. arXiv:2409.10967.
"""

from __future__ import annotations

import numpy as np

from ..options import check_float, check_matrix


def mst_edges(points: np.ndarray):
    """Edges (i, j) and lengths of a Euclidean minimum spanning tree (dense Prim, O(n^2))."""
    x = np.asarray(points, dtype=float)
    n = len(x)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2)
    in_tree = np.zeros(n, dtype=bool)
    in_tree[0] = True
    best = d2[0].copy()
    parent = np.zeros(n, dtype=np.int64)
    edges, lengths = [], []
    for _ in range(n - 1):
        cand = np.where(in_tree, np.inf, best)
        j = int(np.argmin(cand))
        edges.append((int(parent[j]), j))
        lengths.append(float(np.sqrt(best[j])))
        in_tree[j] = True
        closer = d2[j] < best
        best = np.where(closer, d2[j], best)
        parent = np.where(closer, j, parent)
    return np.array(edges, dtype=np.int64), np.array(lengths)


def zero_dim_persistence(points) -> np.ndarray:
    """Finite death times of H_0 of the Rips filtration of ``points`` (n x d), sorted ascending
    (n - 1 values; all births are 0; the essential class is omitted).

    Examples
    --------
    >>> zero_dim_persistence([[0.0], [1.0], [3.0]]).tolist()
    [1.0, 2.0]
    """
    x = check_matrix(points, "points", ndim=2)
    return np.sort(mst_edges(x)[1])


def densification_loss(z, labels, *, beta: float):
    """L = sum over classes of sum over H_0 death times d of |d - beta|, and dL/dz.

    Parameters
    ----------
    z : array (n, k)
        Representations (e.g. relative representations of a batch).
    labels : array (n,)
        Class of each row; classes with one point contribute nothing.
    beta : float
        Target scale (>= 0).

    Returns
    -------
    (loss, grad) with grad of shape (n, k).
    """
    z = np.asarray(z, dtype=float)
    beta = check_float(beta, "beta", low=0.0)
    labels = np.asarray(labels)
    loss, grad = 0.0, np.zeros_like(z)
    for c in np.unique(labels):
        idx = np.nonzero(labels == c)[0]
        if len(idx) < 2:
            continue
        edges, lengths = mst_edges(z[idx])
        loss += float(np.abs(lengths - beta).sum())
        sign = np.sign(lengths - beta)
        for (i, j), length, s in zip(edges, lengths, sign):
            if length > 0 and s != 0:
                g = s * (z[idx[i]] - z[idx[j]]) / length
                grad[idx[i]] += g
                grad[idx[j]] -= g
    return loss, grad
