"""Picture of the hyperbolic Delaunay graph of two sets in the Poincare disk (2-D).

Edges are drawn as hyperbolic geodesics: straight chords in the Klein model, sampled and mapped to
the Poincare disk (circular arcs orthogonal to the boundary). A-A edges blue, B-B orange,
heterogeneous A-B edges black.
"""

from __future__ import annotations

import numpy as np

from ..errors import SpecError
from ..options import check_output_path
from .models import klein_to_poincare, poincare_to_klein


def plot_hyperdga(result, path, *, title: str | None = None, samples: int = 24) -> None:
    """Write a PNG (or any matplotlib format by extension) of ``result`` (a HyperDGAResult)."""
    path = check_output_path(path, "plot")
    X = result.graph.points
    if X.shape[1] != 2:
        raise SpecError(f"plot: only 2-D point sets can be drawn; got dimension {X.shape[1]}")
    from ..options import optional_import

    matplotlib = optional_import("matplotlib", extra="plot", purpose="plotting the Delaunay graph")
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Circle

    K = poincare_to_klein(X)
    t = np.linspace(0.0, 1.0, samples)[None, :, None]
    e = result.graph.edges
    chords = K[e[:, 0]][:, None, :] * (1 - t) + K[e[:, 1]][:, None, :] * t
    arcs = klein_to_poincare(chords.reshape(-1, 2)).reshape(chords.shape)
    side = np.arange(len(X)) >= result.n_a
    colors = np.where(side[e[:, 0]] != side[e[:, 1]], "black",
                      np.where(side[e[:, 0]], "tab:orange", "tab:blue"))
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.add_patch(Circle((0, 0), 1.0, fill=False, color="gray", lw=1))
    ax.add_collection(LineCollection(arcs, colors=colors, linewidths=0.4, alpha=0.8))
    ax.scatter(X[~side, 0], X[~side, 1], s=6, color="tab:blue", label=f"A ({result.n_a})", zorder=3)
    ax.scatter(X[side, 0], X[side, 1], s=6, color="tab:orange", label=f"B ({result.n_b})", zorder=3)
    ax.set_xlim(-1.02, 1.02)
    ax.set_ylim(-1.02, 1.02)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(title or f"hyperbolic Delaunay graph, HyperDGA = {result.score:.3f} "
                          f"({result.n_heterogeneous}/{result.n_edges} A-B edges)", fontsize=9)
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
