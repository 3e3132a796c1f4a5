"""Plots of the generalization harness: scaled errors n E[G] and n E[T] against n.

Each estimator is a line with its 95% confidence band (mean +- 1.96 standard errors over the
replications); horizontal references: the regular (AIC) values +-d/2, the Gaussian random field
prediction +-E[sup Z^2]/2 for maximum likelihood, and the learning coefficients lambda where known.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

import numpy as np

from ..options import check_output_path, optional_import

if TYPE_CHECKING:
    from .generalization import GeneralizationResult

#: the file formats of :func:`plot_generalization` (by the path's extension)
FORMATS = ("png", "pdf", "svg")
_COLORS = {"mle": "tab:red", "bayes-uniform": "tab:blue", "bayes-jeffreys": "tab:green"}


def plot_generalization(result: GeneralizationResult, path: str | os.PathLike[str]) -> str:
    """Write the figure of a :class:`~neuroalg.learning.generalization.GeneralizationResult`
    (png, pdf or svg by the extension); returns the path. Needs matplotlib (the ``plot``
    extra)."""
    path = check_output_path(path, "plot", suffixes=FORMATS)
    matplotlib = optional_import("matplotlib", extra="plot", purpose="plotting the errors")

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharex=True)
    d = result.truth.d
    for ax, key, sign, title in ((axes[0], "gen", 1, "n E[G] (generalization)"),
                                 (axes[1], "train", -1, "n E[T] (training)")):
        for est in result.estimators:
            rows = [r for r in result.rows if r.estimator == est]
            n = np.array([r.n for r in rows], dtype=float)
            arr = [getattr(r, key) for r in rows]
            m = np.array([np.mean(a) for a in arr]) * n
            se = np.array([np.std(a, ddof=1) / np.sqrt(len(a)) for a in arr]) * n
            c = _COLORS.get(est, None)
            ax.plot(n, m, "o-", color=c, label=est)
            ax.fill_between(n, m - 1.96 * se, m + 1.96 * se, color=c, alpha=0.2)
        ax.axhline(sign * d / 2, color="black", ls="--", lw=1, label=f"regular (AIC): {sign * d / 2:+g}")
        if result.field is not None:
            v = sign * result.field.mean / 2
            ax.axhline(v, color="tab:red", ls=":", lw=1.5, label=f"random field (MLE): {v:+.3g}")
        if key == "gen":
            for prior, text in result.lambdas.items():
                m_ = re.match(r"\s*(?:d/2 = )?([0-9.]+(?:/[0-9]+)?)", text)
                if m_ and not result.truth.is_regular:
                    num = m_.group(1)
                    val = float(num.split("/")[0]) / float(num.split("/")[1]) if "/" in num else float(num)
                    ax.axhline(val, color=_COLORS[f"bayes-{prior}"], ls="-.", lw=1,
                               label=f"lambda ({prior}): {val:g}")
        ax.set_xscale("log")
        ax.set_xlabel("n (sample size)")
        ax.set_title(title)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    kind = "regular" if result.truth.is_regular else "singular"
    fig.suptitle(f"{result.spec}, {result.truth.name} truth ({kind}), sigma = {result.noise:g}, "
                 f"{result.replications} replications (bands: 95% CI)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return str(path)
