"""The bridge to ``agf modular``: its learned frequencies are the Fourier modes of Z_p.

The modular-addition task of the AGF staircase [KMC25, Section 6] (``neuroalg.dynamics``) maps
(rho(a) x, rho(b) x) to rho(a + b) x for a template x in R^p, where rho is the regular action of
Z_p by cyclic shifts. Its closed form (:func:`neuroalg.dynamics.closed_forms.modular_levels`)
says the quadratic network learns the real modes k = 0..floor(p/2) in decreasing order of
c_k^(1/3) |x_hat_k|, with c_k fixed by the type of the mode's character (trivial, real, complex).

Here the same order is derived from group theory alone: the irreducible unitary representations
of Z_p are *computed* (``irreps.py``, from the Cayley table, no tabulated characters), the group
Fourier transform x_hat(rho) = sum_a x(a) rho(a)^* of the template is taken with them, the
irreducibles are paired into real Fourier modes {rho, conj(rho)} = {k, p - k}, and the modes are
ranked by |x_hat(rho)| weighted by the type of their character. :func:`fourier_bridge` checks
that this ranking is the closed form's order (ties, i.e. equal keys to ``rtol``, may be permuted
within a jump) and that the
magnitudes agree with numpy's FFT; with ``train=True`` it also runs the gradient-descent
simulation of ``agf modular`` and measures, neuron by neuron, how much of the trained weights'
energy lies in one real Fourier mode of Z_p (the "Fourier features" of [MHKS24] and [KMC25]).

References
----------
[KMC25] D. Kunin, G. L. Marchetti, F. Chen, et al., 2025. Alternating Gradient Flows: a theory
    of feature learning in two-layer neural networks. arXiv:2506.06489.
[MHKS24] G. L. Marchetti, C. Hillar, D. Kragic, S. Sanborn, 2024. Harmonics of Learning.
    COLT 2024, arXiv:2312.08550.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..errors import SpecError
from ..options import check_float, check_int, check_matrix
from ..random import check_seed
from ..results import Certainty, Result
from .groups import cyclic
from .irreps import irreducible_representations


@dataclass(frozen=True)
class FourierBridge(Result):
    """The Fourier modes of Z_p behind the ``agf modular`` staircase.

    ``order``: real modes k (0 <= k <= p/2) by decreasing utility key c_k^(1/3) |x_hat_k|, from
    the computed irreducibles (c_k by the character's type: trivial, real, complex pair);
    ``agf_order``: the dynamics package's closed-form order; ``is_consistent``: equal up to
    permutations within groups of equal magnitude. With training: per active neuron, its dominant
    mode and the share of its weight energy in that mode (``purities``), and the GD plateaus'
    learned frequency sets from ``agf modular``.
    """

    p: int
    order: tuple[int, ...]
    magnitudes: tuple[float, ...]
    agf_order: tuple[int, ...]
    fft_residual: float
    irreps_residual: float
    is_consistent: bool
    seed: int | None
    seconds: float
    neuron_modes: tuple[int, ...] = ()
    purities: tuple[float, ...] = ()
    gd_learned: tuple[tuple[int, ...], ...] = ()
    gd_settings: str = ""

    @property
    def is_trained(self) -> bool:
        return bool(self.gd_settings)

    headline_key: ClassVar[str] = "order"
    method_name: ClassVar[str] = ("group Fourier transform with computed irreducibles of Z_p; "
                                  "agf modular closed form (Kunin et al. arXiv:2506.06489)")

    @property
    def spec(self) -> str:
        return f"Z{self.p}"

    @property
    def status(self) -> Certainty:
        if not self.is_consistent or self.fft_residual > 1e-9:
            return Certainty.FAILED
        return Certainty.NUMERICAL

    def headline(self) -> str:
        ok = "matches" if self.is_consistent else "DOES NOT MATCH"
        return (f"Z_{self.p}: Fourier modes by decreasing utility = {list(self.order)}; {ok} the "
                f"agf modular order {list(self.agf_order)} ({self.status})")

    def lines(self) -> list[tuple[str, str]]:
        out = [("|x_hat(rho_k)|", ", ".join(f"k={k}: {m:.6g}" for k, m in zip(self.order, self.magnitudes))),
               ("vs numpy FFT", f"max difference {self.fft_residual:.1e}"),
               ("irreducibles", f"computed from the table of Z_{self.p}, residual {self.irreps_residual:.1e}")]
        if self.is_trained:
            counts = {k: self.neuron_modes.count(k) for k in sorted(set(self.neuron_modes))}
            out += [("GD run", self.gd_settings),
                    ("active neurons", f"{len(self.neuron_modes)}: dominant mode counts {counts}"),
                    ("mode purity", (f"median {np.median(self.purities):.4f}, min {min(self.purities):.4f} "
                                     "(share of a neuron's weight energy in its dominant real mode)")
                     if self.purities else "no active neuron"),
                    ("GD plateaus learned", " -> ".join(str(list(s)) for s in self.gd_learned) or "none")]
        out += [("status", self.status), ("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]
        return out

    def payload(self) -> dict:
        return {"p": self.p, "order": list(self.order), "magnitudes": list(self.magnitudes),
                "agf_order": list(self.agf_order), "is_consistent": self.is_consistent,
                "fft_residual": self.fft_residual, "irreps_residual": self.irreps_residual,
                "trained": self.is_trained, "neuron_modes": list(self.neuron_modes),
                "purities": list(self.purities),
                "gd_learned": [list(s) for s in self.gd_learned], "gd_settings": self.gd_settings}


def mode_energies(w: np.ndarray, irreps) -> np.ndarray:
    """Energy of the vectors ``w`` (rows, length p) in each real mode k = 0..floor(p/2) of Z_p:
    sum over rho in {rho_k, rho_{p-k}} of |<w, rho>|^2 / p (Parseval: rows sum to ||w||^2)."""
    p = irreps.group.order
    chis = np.array([m[:, 0, 0] for m in irreps.matrices])  # (p, p): chi_j(a)
    freqs = irreps.frequencies()
    assert freqs is not None  # every irreducible of a cyclic group has a frequency
    coef = np.abs(np.atleast_2d(w) @ chis.conj().T) ** 2 / p  # (rows, irreps)
    out = np.zeros((coef.shape[0], p // 2 + 1))
    for j, k in enumerate(freqs):
        out[:, min(k, p - k)] += coef[:, j]
    return out


def fourier_bridge(template, *, train: bool = False, width: int = 24, alpha: float = 0.05,
                   lr: float = 0.2, tau_max: float = 150.0, seed=None,
                   rtol: float = 1e-9) -> FourierBridge:
    """Rank the real Fourier modes of Z_p for ``template`` with the computed irreducibles and
    compare with ``agf modular``'s closed-form order; optionally train and measure the modes.

    Examples
    --------
    >>> import numpy as np
    >>> n = np.arange(20)
    >>> x = np.cos(2*np.pi*n/20) + 0.5*np.cos(6*np.pi*n/20) + 0.25*np.cos(10*np.pi*n/20)
    >>> b = fourier_bridge(x, seed=0)
    >>> b.order, b.is_consistent
    ((1, 3, 5), True)
    """
    from ..dynamics.closed_forms import modular_levels

    clock = time.perf_counter()
    x = check_matrix(template, "template", ndim=1)
    p = x.size
    if p < 2:
        raise SpecError(f"template must have length p >= 2; got {p}")
    if train:
        width = check_int(width, "width", low=1, high=10000)
        alpha = check_float(alpha, "alpha", low=0.0, high=1.0, open_low=True, open_high=True)
        lr = check_float(lr, "lr", low=0.0, open_low=True)
        tau_max = check_float(tau_max, "tau_max", low=0.0, open_low=True)
    seed, rng = check_seed(seed)
    irreps = irreducible_representations(cyclic(p), seed=rng)
    freqs = irreps.frequencies()
    assert freqs is not None  # every irreducible of a cyclic group has a frequency
    xhat = np.array([np.sum(x * m[:, 0, 0].conj()) for m in irreps.matrices])  # sum x(a) rho(a)^*
    fft = np.fft.fft(x)
    fft_res = float(max(abs(abs(xhat[j]) - abs(fft[k])) for j, k in enumerate(freqs)))
    mags, keys = {}, {}
    for j, k in enumerate(freqs):
        if 0 <= k <= p // 2:
            mags[k] = float(abs(xhat[j]))
            keys[k] = _utility_factor(irreps.matrices[j][:, 0, 0]) * mags[k]
    tol = rtol * max(1.0, max(mags.values(), default=1.0))
    ranked = [k for k in sorted(mags, key=lambda k: (-keys[k], k)) if mags[k] > tol]
    agf = tuple(modular_levels(x, rtol=rtol).frequencies)
    consistent = _same_up_to_ties(ranked, list(agf), keys, tol)
    extra: dict = {}
    if train:
        from ..dynamics.compare import modular_comparison

        res = modular_comparison(x, width=width, alpha=alpha, lr=lr, tau_max=tau_max, seed=seed)
        params = np.array(res.gd.final_params)  # (width, 2p + p): u, v, a
        norms = np.linalg.norm(params, axis=1)
        active = norms > 0.1 * norms.max() if norms.max() > 0 else np.zeros(len(norms), bool)
        modes, purities = [], []
        for row in params[active]:
            e = sum(mode_energies(part, irreps)[0] for part in (row[:p], row[p:2 * p], row[2 * p:]))
            k = int(np.argmax(e))
            modes.append(k)
            purities.append(float(e[k] / e.sum()))
        extra = dict(neuron_modes=tuple(modes), purities=tuple(purities),
                     gd_learned=tuple(tuple(s) for s in res.learned),
                     gd_settings=f"width {width}, alpha {alpha:g}, lr {lr:g}, tau_max {tau_max:g}, "
                                 f"{res.gd.n_steps} steps, seed {seed}")
    return FourierBridge(p, tuple(ranked), tuple(mags[k] for k in ranked), agf, fft_res,
                         irreps.max_residual, consistent, seed, time.perf_counter() - clock, **extra)


def _utility_factor(chi: np.ndarray) -> float:
    """c^(1/3) / sqrt(2) for the mode of the character ``chi`` (see ``modular_levels``): the
    learning order ranks modes by this times |x_hat|. c = 8 for the trivial character (a constant
    neuron fits the whole square), 4 for a real nontrivial one (the sign character k = p/2),
    2^(3/2) for a complex pair {k, p - k}; the type is read off the computed character."""
    if np.allclose(chi, 1.0, atol=1e-9):
        return np.sqrt(2.0)
    if np.allclose(chi.imag, 0.0, atol=1e-9):
        return 2.0 ** (1 / 6)
    return 1.0


def _same_up_to_ties(a, b, mags, tol) -> bool:
    if sorted(a) != sorted(b) or len(a) != len(b):
        return False
    return all(abs(mags[i] - mags[j]) <= tol for i, j in zip(a, b))
