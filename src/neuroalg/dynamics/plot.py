"""Pictures: simulated loss curve against the AGF staircase and its predicted jumps."""

from __future__ import annotations


def require_matplotlib():
    """Import matplotlib (Agg backend) or raise SpecError saying how to install it."""
    from ..options import optional_import

    matplotlib = optional_import("matplotlib", extra="plot", purpose="--plot")
    matplotlib.use("Agg")
    return matplotlib


def plot_comparison(comparison, path: str, *, title: str | None = None) -> str:
    """Save a plot of GD's loss curve (rescaled time, with a secondary axis in steps), the AGF
    staircase and the predicted jump times as dashed lines. Returns ``path``."""
    require_matplotlib()
    import matplotlib.pyplot as plt

    a = comparison.agf
    fig, ax = plt.subplots(figsize=(7, 4))
    if comparison.gd is not None:
        ax.plot(comparison.gd.times, comparison.gd.losses, lw=1.5,
                label=f"gradient descent, alpha={comparison.alpha:g}")
    t_end = (comparison.gd.times[-1] if comparison.gd is not None
             else (1.2 * a.jump_times[-1] if a.jump_times else 1.0))
    xs, ys = [0.0], [a.initial_level]
    for t, lv in zip(a.jump_times, a.levels):
        xs += [t, t]
        ys += [ys[-1], lv]
    xs.append(t_end)
    ys.append(ys[-1])
    ax.plot(xs, ys, "k--", lw=1, label="AGF (alpha -> 0)" if a.alpha is None else
            f"AGF (alpha = {a.alpha:g})")
    for t in a.jump_times:
        ax.axvline(t, color="gray", ls=":", lw=0.8)
    ax.set_xlabel(f"rescaled time ({a.time_unit})")
    ax.set_ylabel("loss")
    sec = ax.secondary_xaxis("top", functions=(lambda x: x * comparison.steps_per_unit,
                                                lambda s: s / comparison.steps_per_unit))
    sec.set_xlabel(f"gradient-descent steps (lr={comparison.lr:g})")
    ax.set_title(title or a.model, fontsize=10)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_modular(comparison, path: str, *, title: str | None = None) -> str:
    """Save a plot of the GD loss curve on modular addition (rescaled time t * alpha) with the
    closed-form plateau levels (dotted) and, when it was run, the AGF engine's staircase."""
    require_matplotlib()
    import matplotlib.pyplot as plt

    gd = comparison.gd
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(gd.times, gd.losses, lw=1.5, label=f"gradient descent, alpha={gd.alpha:g}")
    for lv in comparison.levels:
        ax.axhline(lv, color="gray", ls=":", lw=0.8)
    a = comparison.agf
    if a is not None:
        xs, ys = [0.0], [a.initial_level]
        for t, lv in zip(a.jump_times, a.levels):
            xs += [t, t]
            ys += [ys[-1], lv]
        xs.append(gd.times[-1])
        ys.append(ys[-1])
        ax.plot(xs, ys, "k--", lw=1, label="AGF (alpha -> 0)")
    ax.set_xlabel("rescaled time (gradient-flow time * alpha)")
    ax.set_ylabel("loss (mean of (y - f)^2)")
    sec = ax.secondary_xaxis("top", functions=(lambda x: x / (gd.alpha * gd.lr),
                                                lambda s: s * gd.alpha * gd.lr))
    sec.set_xlabel(f"gradient-descent steps (lr={gd.lr:g})")
    ax.set_title(title or f"modular addition: frequencies {list(comparison.frequencies)}",
                 fontsize=10)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
