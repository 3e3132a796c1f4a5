"""Recovering a group from the weights of an (approximately) invariant spectral network.

Given learned blocks R_i(h) (``spectral.py``), the multiplication table is read off as

    table[g, h] = argmin_k sum_i d_i ||R_i(g) R_i(h) - R_i(k)||_F^2,

the element whose weights best match the product of the weights of g and h [MHKS24, Section 5].
When the R_i are the irreducibles (up to unitary change of basis), the stacked map h -> (R_i(h))_i
is the (faithful) Fourier transform, so the argmin is exact. The recovered table is then checked
without tolerance: that it satisfies the group axioms (``isomorphism.check_group_table``), that
it is isomorphic to the true group (an explicit isomorphism, verified on all products), and
whether it equals the true table entry by entry (the signals are indexed by group elements, so
the labels agree).

The learned weights are also compared with the true irreducibles: the representation property
max_{g,h} ||R_i(gh) - R_i(g) R_i(h)||, unitarity, and unitary equivalence: each learned block
is matched to the irreducible with the largest character overlap |<chi_R, chi_rho>|, and the
intertwiner T = sum_g rho(g) X R(g)^* (X random) is made unitary by its polar factor U; the
residual max_g ||U R(g) U^* - rho(g)||_F is reported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..errors import SpecError
from ..options import check_float, check_int
from ..random import check_seed, spawn
from ..results import Certainty, Result
from .groups import FiniteGroup, parse_group
from .irreps import Irreps, irreducible_representations
from .isomorphism import find_isomorphism, first_nonassociative

#: A table entry counts as recovered when the product weights match their element this well.
MATCH_TOL = 1e-3


def cayley_from_weights(blocks, *, dims=None):
    """Recovered table and the matching margin.

    ``blocks``: list of arrays (order, d_i, d_i). Returns ``(table, residual, margin)``: the
    argmin table, the largest matched distance sqrt(sum_i d_i ||R_i(g)R_i(h) - R_i(k)||^2) over
    all (g, h), and the smallest gap between the best and second-best candidate (a margin
    >> residual means every entry is unambiguous).
    """
    n = blocks[0].shape[0]
    dims = dims or [b.shape[1] for b in blocks]
    w = np.concatenate([np.sqrt(d) * b.reshape(n, -1) for d, b in zip(dims, blocks)], axis=1)
    norms = (np.abs(w) ** 2).sum(axis=1)
    table = np.empty((n, n), dtype=np.int64)
    best_d = np.empty((n, n))
    second = np.empty((n, n))
    for g in range(n):
        prods = np.concatenate([np.sqrt(d) * (b[g][None] @ b).reshape(n, -1)
                                for d, b in zip(dims, blocks)], axis=1)  # rows h: R(g) R(h)
        dist = ((np.abs(prods) ** 2).sum(axis=1)[:, None] + norms[None, :]
                - 2 * (prods @ w.conj().T).real)
        dist = np.maximum(dist, 0.0)
        part = np.partition(dist, 1, axis=1) if n > 1 else np.concatenate([dist, dist + 1], axis=1)
        table[g] = dist.argmin(axis=1)
        # the expansion above loses digits to cancellation; recompute the matched distances
        best_d[g] = (np.abs(prods - w[table[g]]) ** 2).sum(axis=1)
        second[g] = part[:, 1]
    return table, float(np.sqrt(best_d.max())), float(np.sqrt(second.min()) - np.sqrt(best_d.max()))


def representation_residual(G: FiniteGroup, blocks) -> float:
    """max over g, h and blocks of ||R_i(gh) - R_i(g) R_i(h)||_F (true group law)."""
    n = G.order
    g, h = np.divmod(np.arange(n * n), n)
    out = 0.0
    for b in blocks:
        diff = b[g] @ b[h] - b[G.table[g, h]]
        out = max(out, float(np.sqrt((np.abs(diff) ** 2).sum(axis=(1, 2))).max()))
    return out


def unitary_equivalence(R: np.ndarray, rho: np.ndarray, rng: np.random.Generator):
    """Unitary U with U R(g) U^* ~ rho(g): returns (U, max_g ||U R(g) U^* - rho(g)||_F)."""
    d = R.shape[1]
    X = rng.standard_normal((d, d)) + 1j * rng.standard_normal((d, d))
    T = np.einsum("gab,bc,gdc->ad", rho, X, R.conj())  # sum_g rho(g) X R(g)^*
    W, _, Vh = np.linalg.svd(T)
    U = W @ Vh
    res = U[None] @ R @ U.conj().T[None] - rho
    return U, float(np.sqrt((np.abs(res) ** 2).sum(axis=(1, 2))).max())


@dataclass(frozen=True)
class BlockMatch:
    """One learned block matched to a true irreducible."""

    block: int
    irrep: int
    dim: int
    overlap: float  # |<chi_R, chi_rho>| (1 for equivalent irreducibles)
    equivalence_residual: float


@dataclass(frozen=True, eq=False)
class RecoveryResult(Result):
    """A spectral network trained on orbit data, and the group recovered from its weights.

    ``status`` is ``"numerical"`` (trained weights; every check below passed: the recovered table
    equals the true one and the blocks are unitarily equivalent to distinct irreducibles, residual
    <= ``atol``) or ``"failed"``.
    """

    group: FiniteGroup
    dims: tuple[int, ...]
    table: np.ndarray
    is_group: bool
    isomorphism: np.ndarray | None
    n_mismatches: int
    match_residual: float
    match_margin: float
    representation_residual: float
    unitarity_residual: float
    matches: tuple[BlockMatch, ...]
    loss: float
    invariance: float
    plancherel: float
    held_out_invariance: float
    restart_losses: tuple[float, ...]
    n_iterations: int
    n_pairs: int
    noise: float
    method: str
    seed: int | None
    seconds: float
    weights: tuple = ()
    atol: float = MATCH_TOL

    @property
    def is_recovered(self) -> bool:
        return self.n_mismatches == 0 and self.is_group and self.isomorphism is not None

    @property
    def is_equivalent(self) -> bool:
        used = sorted(m.irrep for m in self.matches)
        return (len(set(used)) == len(used) == len(self.matches)
                and all(m.equivalence_residual <= self.atol for m in self.matches))

    headline_key: ClassVar[str] = "is_recovered"

    @property
    def spec(self) -> str:
        return self.group.name

    @property
    def status(self) -> Certainty:
        return Certainty.NUMERICAL if self.is_recovered and self.is_equivalent else Certainty.FAILED

    def headline(self) -> str:
        if self.is_recovered:
            what = "Cayley table recovered exactly"
        elif self.isomorphism is not None:
            what = f"table isomorphic but {self.n_mismatches} entries differ in labels"
        else:
            what = f"table NOT recovered ({self.n_mismatches} of {self.group.order ** 2} entries differ)"
        if self.is_recovered and not self.is_equivalent:
            what += ", but the blocks are not all equivalent to distinct irreducibles"
        return f"{self.group.name} (order {self.group.order}): {what} from trained weights ({self.status})"

    def lines(self) -> list[tuple[str, str]]:
        iso = "yes (explicit isomorphism, checked on all products)" if self.isomorphism is not None else "no"
        out = [("blocks d_i", str(list(self.dims))),
               ("group axioms", "hold" if self.is_group else "FAIL"),
               ("isomorphic to true", iso),
               ("entries differing", f"{self.n_mismatches} of {self.group.order ** 2}"),
               ("product matching", f"worst distance {self.match_residual:.1e}, margin {self.match_margin:.2e}"),
               ("W(gh) vs W(g)W(h)", f"max {self.representation_residual:.1e} (true group law)"),
               ("unitarity", f"max ||W W* - I|| = {self.unitarity_residual:.1e}")]
        for m in self.matches:
            out.append((f"block {m.block} (d={m.dim})", f"~ irreducible {m.irrep}: |<chi, chi>| = "
                        f"{m.overlap:.6f}, unitary equivalence residual {m.equivalence_residual:.1e}"))
        out += [("training loss", f"{self.loss:.2e} (invariance {self.invariance:.2e}, Plancherel "
                                  f"{self.plancherel:.2e}); held-out invariance {self.held_out_invariance:.2e}"),
                ("restarts", ", ".join(f"{v:.1e}" for v in self.restart_losses)),
                ("data", f"{self.n_pairs} orbit pairs, noise {self.noise:g}"),
                ("method", self.method), ("seed", str(self.seed)), ("time", f"{self.seconds:.2f} s")]
        return out

    def payload(self) -> dict:
        return {
            "is_recovered": self.is_recovered, "group": self.group.name, "order": self.group.order,
            "dims": list(self.dims), "recovered_table": self.table.tolist(),
            "is_group": self.is_group, "is_isomorphic": self.isomorphism is not None,
            "isomorphism": None if self.isomorphism is None else self.isomorphism.tolist(),
            "n_mismatches": self.n_mismatches, "match_residual": self.match_residual,
            "match_margin": self.match_margin,
            "representation_residual": self.representation_residual,
            "unitarity_residual": self.unitarity_residual,
            "is_equivalent": self.is_equivalent,
            "matches": [{"block": m.block, "irrep": m.irrep, "dim": m.dim, "overlap": m.overlap,
                         "equivalence_residual": m.equivalence_residual} for m in self.matches],
            "loss": self.loss, "invariance": self.invariance, "plancherel": self.plancherel,
            "held_out_invariance": self.held_out_invariance,
            "restart_losses": list(self.restart_losses), "n_iterations": self.n_iterations,
            "n_pairs": self.n_pairs, "noise": self.noise, "atol": self.atol,
        }


def analyse_weights(G: FiniteGroup, blocks, irreps: Irreps, rng: np.random.Generator):
    """Table recovery, axioms, isomorphism, representation residual and equivalence of
    ``blocks`` against the true group ``G`` and its irreducibles."""
    dims = tuple(b.shape[1] for b in blocks)
    table, resid, margin = cayley_from_weights(blocks)
    is_group = _is_group(table)
    iso = find_isomorphism(table, G.table) if is_group else None
    mismatches = int((table != G.table).sum())
    rep_res = representation_residual(G, blocks)
    unit = max(float(np.sqrt((np.abs(b @ b.conj().transpose(0, 2, 1) - np.eye(b.shape[1])) ** 2)
                             .sum(axis=(1, 2))).max()) for b in blocks)
    matches = []
    n = G.order
    for i, b in enumerate(blocks):
        chi = np.trace(b, axis1=1, axis2=2)
        overlaps = [abs(np.vdot(c, chi)) / n if irreps.dims[j] == b.shape[1] else -1.0
                    for j, c in enumerate(irreps.characters)]
        j = int(np.argmax(overlaps))
        if overlaps[j] < 0:
            matches.append(BlockMatch(i, -1, b.shape[1], 0.0, float("inf")))
            continue
        _, eq = unitary_equivalence(b, irreps.matrices[j], rng)
        matches.append(BlockMatch(i, j, b.shape[1], float(overlaps[j]), eq))
    return dict(dims=dims, table=table, is_group=is_group, isomorphism=iso,
                n_mismatches=mismatches, match_residual=resid, match_margin=margin,
                representation_residual=rep_res, unitarity_residual=unit, matches=tuple(matches))


def _is_group(table) -> bool:
    n = len(table)
    ar = np.arange(n)
    if not (np.all(np.sort(table, axis=1) == ar) and np.all(np.sort(table, axis=0) == ar[:, None])):
        return False
    ids = (table == ar[None, :]).all(axis=1) & (table == ar[:, None]).all(axis=0)
    return bool(ids.sum() == 1) and first_nonassociative(table) is None


def recover_group(group, *, dims=None, n_signals: int | None = None, restarts: int = 4,
                  noise: float = 0.0, lam: float = 1.0, max_iter: int = 3000,
                  method: str = "numpy", seed=None, atol: float = MATCH_TOL,
                  keep_weights: bool = False) -> RecoveryResult:
    """Train the spectral network on orbit data of ``group`` and recover its Cayley table.

    Parameters
    ----------
    group : FiniteGroup or str
        The group that acts (only its action on signals is used for training; its table and
        irreducibles are used afterwards, to grade the result).
    dims : sequence of int, optional
        Block sizes of the network; default: the irreducible dimensions of the group (as in
        [MHKS24]'s experiments: the network is told how many blocks of which size, not the law).
    n_signals : int, optional
        Signals per training set; each is paired with all |G| translates. Default
        max(8, 48 // |G| + 2) — enough pairs that invariance on the data forces invariance.
    restarts : int, default=4
        Random initializations; the lowest final loss is kept (all are reported).
    noise : float, default=0
        Relative noise on the translates (approximate invariance).
    lam : float, default=1
        Weight of the Plancherel term.
    method : {"numpy", "torch"}
        numpy (exact gradient + scipy L-BFGS; no extra dependency) or torch (autograd + torch's
        L-BFGS; the optional extra ``torch``).
    seed : int, Generator or None
        One seed for the data, the initializations and the grading.
    atol : float, default=1e-3
        Largest unitary-equivalence residual max_g ||U W(g) U^* - rho(g)|| accepted for the
        ``"numerical"`` status (with noisy data, expect residuals of the order of the noise).

    Examples
    --------
    >>> r = recover_group("C5", seed=0, restarts=2)
    >>> r.is_recovered, r.is_equivalent
    (True, True)
    """
    clock = time.perf_counter()
    G = parse_group(group) if isinstance(group, str) else group
    if method not in ("numpy", "torch"):
        raise SpecError(f"method must be one of numpy, torch; got {method!r}")
    restarts = check_int(restarts, "restarts", low=1, high=1000)
    max_iter = check_int(max_iter, "max_iter", low=1, high=10**6)
    noise = check_float(noise, "noise", low=0.0, high=10.0)
    lam = check_float(lam, "lam", low=0.0, open_low=True)
    atol = check_float(atol, "atol", low=0.0, open_low=True)
    seed, rng = check_seed(seed)
    data_rng, held_rng, init_rng, grade_rng = spawn(rng, 4)
    irreps = irreducible_representations(G, seed=grade_rng)
    dims = tuple(irreps.dims) if dims is None else tuple(check_int(d, "dims entry", low=1) for d in dims)
    n_signals = max(8, 48 // G.order + 2) if n_signals is None else check_int(n_signals, "n_signals", low=1)
    data = _orbit(G, n_signals, data_rng, noise)
    held = _orbit(G, n_signals, held_rng, 0.0)
    if method == "numpy":
        from .spectral import train_numpy

        net, (loss, inv, reg), nit, finals, _ = train_numpy(
            G, dims, data, spawn(init_rng, restarts), lam=lam, max_iter=max_iter)
        how = "spectral network, exact gradient, scipy L-BFGS"
    else:
        from .spectral import train_torch

        seeds = [int(s) for s in init_rng.integers(0, 2**31, restarts)]
        net, (loss, inv, reg), nit, finals, _ = train_torch(G, dims, data, seeds, lam=lam,
                                                            max_iter=max_iter)
        how = "spectral network, torch autograd, torch L-BFGS"
    parts = analyse_weights(G, net.R, irreps, grade_rng)
    return RecoveryResult(group=G, **parts, loss=loss, invariance=inv, plancherel=reg,
                          held_out_invariance=net.invariance_loss(held), restart_losses=finals,
                          n_iterations=nit, n_pairs=data.n_pairs, noise=noise,
                          method=f"{how} ({restarts} restarts, best kept) [MHKS24 arXiv:2312.08550]",
                          seed=seed, seconds=time.perf_counter() - clock,
                          weights=tuple(net.R) if keep_weights else (), atol=atol)


def _orbit(G, n_signals, rng, noise):
    from .spectral import orbit_data

    return orbit_data(G, n_signals, rng, noise=noise)
