"""Pictures of the regions of a ReLU network on a 2-D input slice, colored by affine map."""

from __future__ import annotations

import numpy as np

from ..errors import SpecError
from .network import ReLUNetwork, load_network


def slice_network(net: ReLUNetwork, origin, d1, d2) -> ReLUNetwork:
    """The network restricted to the plane ``x = origin + u d1 + v d2`` (inputs ``(u, v)``)."""
    W, b = net.float_weights()[0]
    D = np.column_stack([np.asarray(d1, float), np.asarray(d2, float)])
    if D.shape[0] != net.n_inputs:
        raise SpecError(f"slice directions must have {net.n_inputs} entries; got {D.shape[0]}")
    first = (W @ D, W @ np.asarray(origin, float) + b)
    rest = net.float_weights()[1:]
    return ReLUNetwork.from_layers([first] + rest, name=f"{net} (2-D slice)")


def region_polygons(net: ReLUNetwork, box, *, rtol: float = 1e-7):
    """``(polygons, map_index)``: vertices (x-coordinates) of every activation region in the box
    and the index of its affine map (equal maps share an index)."""
    from scipy.spatial import HalfspaceIntersection

    from ._lp import LPCounter
    from .cells import activation_cells, make_domain
    from .network import normalize_neurons
    from .regions import map_keys

    net, _ = normalize_neurons(net)     # same regions exactly, no float over/underflow
    dom = make_domain(net, box)
    cells = activation_cells(net, dom, rtol=rtol, counter=LPCounter())
    keys = map_keys(net, cells, dom)
    index: dict = {}
    polys, ids = [], []
    for c, k in zip(cells, keys):
        hs = HalfspaceIntersection(np.column_stack([c.G, -c.e]), c.y)
        V = hs.intersections
        centre = V.mean(axis=0)
        V = V[np.argsort(np.arctan2(V[:, 1] - centre[1], V[:, 0] - centre[0]))]
        polys.append(dom.to_x(V))
        ids.append(index.setdefault(k, len(index)))
    return polys, ids


def plot_regions(net, path=None, *, box=None, rtol: float = 1e-7, origin=None, directions=None,
                 seed=None):
    """Draw the activation regions of ``net`` in a 2-D box, one color per affine map; region
    boundaries across which the map does not change are drawn dashed-free but thin.

    Networks with more than two inputs are sliced through ``origin`` (default 0) along
    ``directions`` (default e_1, e_2). The box defaults to ``[-4L, 4L]^2`` with L the whole-space
    length scale of :mod:`.cells`. Writes ``path`` (PNG, PDF, ... by extension) if given and
    returns the matplotlib Figure.
    """
    from ..options import optional_import

    matplotlib = optional_import("matplotlib", extra="plot", purpose="plotting regions")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    from .cells import make_domain

    net = load_network(net, seed=seed)
    if net.n_inputs != 2:
        if net.n_inputs < 2:
            raise SpecError("plotting needs at least two inputs")
        o = np.zeros(net.n_inputs) if origin is None else origin
        d = directions or (np.eye(net.n_inputs)[0], np.eye(net.n_inputs)[1])
        net = slice_network(net, o, *d)
    if box is None:
        L = make_domain(net, None).scale[0]
        box = (-4 * L, 4 * L)
    polys, ids = region_polygons(net, box, rtol=rtol)
    n_maps = max(ids) + 1 if ids else 1
    order = np.random.default_rng(0).permutation(n_maps)  # neighbours get unrelated colors
    cmap = plt.get_cmap("tab20" if n_maps <= 20 else "hsv")
    colors = [cmap((order[i] % 20) / 20 if n_maps <= 20 else order[i] / n_maps) for i in ids]
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.add_collection(PolyCollection(polys, facecolors=colors, edgecolors="k", linewidths=0.3))
    arr = np.asarray(box if np.ndim(box) == 2 else [box, box], float)
    ax.set_xlim(*arr[0])
    ax.set_ylim(*arr[1])
    ax.set_aspect("equal")
    ax.set_title(f"{net}: {len(polys)} activation regions, {n_maps} affine maps", fontsize=9)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if path is not None:
        fig.savefig(path, dpi=150, bbox_inches="tight")
        plt.close(fig)
    return fig
