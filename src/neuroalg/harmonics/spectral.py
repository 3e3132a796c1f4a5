"""The spectral invariant network of Marchetti-Hillar-Kragic-Sanborn [MHKS24] and its training
on orbit data (numpy + L-BFGS; torch optional).

Model. Signals are functions x: G -> C (vectors in C^G); G acts by the regular action
(g . x)(h) = x(g^-1 h). The network has one block per irreducible dimension d_i, with weights
R_i(h) in C^{d_i x d_i} for every group element h (R_i(e) = I fixed, which removes the scale and
the trivial all-zero solution), and computes the power spectrum

    A_i(x) = sum_h x(h) R_i(h)^*,        phi_i(x) = A_i(x) A_i(x)^*.

If every R_i is a unitary representation, A_i(g . x) = A_i(x) R_i(g)^*, so phi is G-invariant:
the group Fourier transform x_hat(rho) = sum_h x(h) rho(h)^* is such a network. [MHKS24] prove
the converse: an invariant network of this form whose weights satisfy the Plancherel (unitarity)
condition is, up to a unitary change of basis in each block, the Fourier transform: the R_i are
the irreducible unitary representations. So training for invariance *discovers* the group's
representations, and with them its multiplication table (``recovery.py``).

Training objective (on orbit pairs (x, g . x), the group law itself is never given):

    L = (1/m) sum_pairs sum_i ||phi_i(x) - phi_i(g . x)||_F^2  +  lam ||F F^* - |G| I||_F^2 / |G|^2,

with F the |G| x |G| matrix whose row h is (sqrt(d_i) vec R_i(h))_i. The second term is the
Plancherel identity sum_i d_i tr(R_i(h) R_i(k)^*) = |G| delta_hk, which the irreducibles satisfy
(Schur orthogonality); both terms vanish exactly at the true irreducibles. Gradients are exact
(Wirtinger calculus, written out below and checked against finite differences in the tests);
the optimizer is L-BFGS (scipy) from several random starts, keeping the best.

References
----------
[MHKS24] G. L. Marchetti, C. Hillar, D. Kragic, S. Sanborn, 2024. Harmonics of Learning:
    Universal Fourier Features Emerge in Invariant Networks. COLT 2024, arXiv:2312.08550.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import SpecError
from .groups import FiniteGroup


@dataclass(frozen=True, eq=False)
class OrbitData:
    """Orbit pairs: ``x[m]`` and ``y[m] = g[m] . x[m]`` (complex signals on the group)."""

    x: np.ndarray
    y: np.ndarray
    g: np.ndarray

    @property
    def n_pairs(self) -> int:
        return int(self.x.shape[0])


def orbit_data(G: FiniteGroup, n_signals: int, rng: np.random.Generator, *,
               noise: float = 0.0) -> OrbitData:
    """Every signal paired with its translate by every group element: ``n_signals * |G|`` pairs.

    Signals are standard complex Gaussian vectors scaled by 1/sqrt(|G|) (unit norm on average);
    ``noise`` adds independent complex Gaussian noise of that relative size to the translates
    (the approximately invariant regime of [MHKS24])."""
    n = G.order
    x = (rng.standard_normal((n_signals, n)) + 1j * rng.standard_normal((n_signals, n))) / np.sqrt(2 * n)
    xs = np.repeat(x, n, axis=0)
    gs = np.tile(np.arange(n), n_signals)
    ys = np.empty_like(xs)
    for g in range(n):
        sel = gs == g
        ys[sel] = G.act(g, xs[sel])
    if noise:
        ys = ys + noise * (rng.standard_normal(ys.shape) + 1j * rng.standard_normal(ys.shape)) / np.sqrt(2 * n)
    return OrbitData(xs, ys, gs)


class SpectralNetwork:
    """Weights ``R[i]`` of shape (|G|, d_i, d_i), complex, with ``R[i][0] = I`` (identity element).

    Parameters
    ----------
    order : int
        |G| (signals have this length; element 0 is the identity).
    dims : sequence of int
        Block sizes d_i (the irreducible dimensions; sum d_i^2 = |G| for the Plancherel term to be
        satisfiable).
    """

    def __init__(self, order: int, dims, weights=None):
        self.order = int(order)
        self.dims = tuple(int(d) for d in dims)
        if any(d < 1 for d in self.dims) or not self.dims:
            raise SpecError(f"dims must be positive integers; got {list(dims)}")
        if weights is None:
            weights = [np.broadcast_to(np.eye(d), (self.order, d, d)).astype(complex) for d in self.dims]
        self.R = [np.array(w, dtype=complex) for w in weights]
        for w in self.R:
            w[0] = np.eye(w.shape[1])

    # --- parameter vector (real, without the fixed identity blocks) -----------------------------
    @property
    def n_params(self) -> int:
        return 2 * (self.order - 1) * sum(d * d for d in self.dims)

    def get_vector(self) -> np.ndarray:
        z = np.concatenate([w[1:].ravel() for w in self.R])
        return np.concatenate([z.real, z.imag])

    def set_vector(self, v: np.ndarray) -> None:
        half = len(v) // 2
        z = v[:half] + 1j * v[half:]
        pos = 0
        for i, d in enumerate(self.dims):
            k = (self.order - 1) * d * d
            self.R[i][1:] = z[pos:pos + k].reshape(self.order - 1, d, d)
            pos += k

    @classmethod
    def random(cls, order: int, dims, rng: np.random.Generator, scale: float = 1.0):
        """Weights with i.i.d. complex Gaussian entries of variance scale^2 / d (identity fixed)."""
        ws = []
        for d in dims:
            w = (rng.standard_normal((order, d, d)) + 1j * rng.standard_normal((order, d, d)))
            ws.append(w * scale / np.sqrt(2 * d))
        return cls(order, dims, ws)

    # --- model -----------------------------------------------------------------------------
    def spectra(self, x: np.ndarray) -> list[np.ndarray]:
        """phi_i(x) = A_i A_i^* for signals x of shape (m, |G|): list of (m, d_i, d_i)."""
        out = []
        for w in self.R:
            d = w.shape[1]
            A = (x @ w.conj().transpose(0, 2, 1).reshape(self.order, d * d)).reshape(len(x), d, d)
            out.append(A @ A.conj().transpose(0, 2, 1))
        return out

    def plancherel_matrix(self) -> np.ndarray:
        """F, |G| x |G|: row h = (sqrt(d_i) vec R_i(h))_i."""
        return np.concatenate([np.sqrt(d) * w.reshape(self.order, d * d)
                               for d, w in zip(self.dims, self.R)], axis=1)

    # --- objective and exact gradient ---------------------------------------------------------
    def loss_and_grad(self, data: OrbitData, lam: float = 1.0):
        """(total, invariance term, Plancherel term, gradient as a real vector).

        Wirtinger calculus. Write C(h) = R(h)^*, so A = sum_h x_h C(h), B = sum_h y_h C(h) and
        D = A A^* - B B^* (Hermitian). Then d||D||^2 = 4 Re tr(A^* D dA) - 4 Re tr(B^* D dB), so the
        gradient with respect to C(h) (the matrix G with dL = Re tr(G^* dC)) is
        4 sum_m (conj(x_mh) D_m A_m - conj(y_mh) D_m B_m) / m, and with respect to R(h) = C(h)^*
        it is its conjugate transpose. For the Plancherel term, S = F F^* - n I gives
        d||S||^2 = Re tr((4 S F)^* dF), and F's block for R_i is sqrt(d_i) vec R_i. The real
        gradient vector is (Re G, Im G) for the parameters (Re R, Im R).
        """
        m, n = data.n_pairs, self.order
        inv_total = 0.0
        grads = []
        xc, yc = data.x.conj().T, data.y.conj().T
        for w in self.R:
            d = w.shape[1]
            wc = w.conj().transpose(0, 2, 1).reshape(n, d * d)  # rows: vec R(h)^*
            A = (data.x @ wc).reshape(m, d, d)  # sum_h x_h R(h)^*, as one BLAS product
            B = (data.y @ wc).reshape(m, d, d)
            D = A @ A.conj().transpose(0, 2, 1) - B @ B.conj().transpose(0, 2, 1)
            inv_total += float((np.abs(D) ** 2).sum()) / m
            # gradient with respect to C(h) = R(h)^*: G_C = 4 sum_m (x_mh^* D A - y_mh^* D B) / m
            GC = 4.0 * (xc @ (D @ A).reshape(m, d * d) - yc @ (D @ B).reshape(m, d * d)) / m
            grads.append(GC.reshape(n, d, d).conj().transpose(0, 2, 1))  # G_R = G_C^*
        F = self.plancherel_matrix()
        S = F @ F.conj().T - n * np.eye(n)
        reg = float((np.abs(S) ** 2).sum()) / n**2
        GF = 4.0 * S @ F / n**2
        pos = 0
        for i, d in enumerate(self.dims):
            grads[i] = grads[i] + lam * np.sqrt(d) * GF[:, pos:pos + d * d].reshape(n, d, d)
            pos += d * d
        g = np.concatenate([gr[1:].ravel() for gr in grads])
        return inv_total + lam * reg, inv_total, reg, np.concatenate([g.real, g.imag])

    def invariance_loss(self, data: OrbitData) -> float:
        sx, sy = self.spectra(data.x), self.spectra(data.y)
        return float(sum((np.abs(a - b) ** 2).sum() for a, b in zip(sx, sy))) / data.n_pairs


@dataclass(frozen=True)
class TrainingLog:
    """How the weights were obtained: best restart's losses and all restarts' final losses."""

    loss: float
    invariance: float
    plancherel: float
    held_out_invariance: float
    n_iterations: int
    restart_losses: tuple[float, ...]
    best_restart: int
    n_pairs: int
    method: str


def train_numpy(G: FiniteGroup, dims, data: OrbitData, rngs, *, lam: float = 1.0,
                max_iter: int = 3000, gtol: float = 1e-12):
    """L-BFGS from one random start per generator in ``rngs``; returns (best network, losses,
    iterations, restart losses, best index)."""
    from scipy.optimize import minimize

    best = None
    finals = []
    for r, rng in enumerate(rngs):
        net = SpectralNetwork.random(G.order, dims, rng)

        def fun(v, net=net):
            net.set_vector(v)
            total, _, _, grad = net.loss_and_grad(data, lam)
            return total, grad

        res = minimize(fun, net.get_vector(), jac=True, method="L-BFGS-B",
                       options={"maxiter": max_iter, "gtol": gtol, "ftol": 1e-16, "maxcor": 30})
        net.set_vector(res.x)
        total, inv, reg, _ = net.loss_and_grad(data, lam)
        finals.append(total)
        if best is None or total < best[1][0]:
            best = (net, (total, inv, reg), int(res.nit), r)
    assert best is not None  # restarts >= 1
    return best[0], best[1], best[2], tuple(finals), best[3]


def train_torch(G: FiniteGroup, dims, data: OrbitData, seeds, *, lam: float = 1.0,
                max_iter: int = 3000):
    """The same objective with torch autograd and torch's L-BFGS (optional extra ``torch``).

    Returns the same tuple as :func:`train_numpy`. Raises SpecError when torch is missing."""
    try:
        import torch
    except ImportError:
        raise SpecError("method='torch' needs the optional dependency torch "
                        "(pip install 'neuroalg[torch]'); method='numpy' needs nothing") from None
    n = G.order
    x = torch.as_tensor(data.x, dtype=torch.complex128)
    y = torch.as_tensor(data.y, dtype=torch.complex128)
    best, finals = None, []
    for r, seed in enumerate(seeds):
        init = SpectralNetwork.random(n, dims, np.random.default_rng(seed))
        params = [torch.tensor(w[1:], dtype=torch.complex128, requires_grad=True) for w in init.R]
        eyes = [torch.eye(d, dtype=torch.complex128)[None] for d in dims]

        def objective():
            inv = 0.0
            rows = []
            for p, e, d in zip(params, eyes, dims):
                w = torch.cat([e, p], dim=0)
                wc = w.conj().transpose(1, 2)
                A = torch.einsum("mh,hab->mab", x, wc)
                B = torch.einsum("mh,hab->mab", y, wc)
                D = A @ A.conj().transpose(1, 2) - B @ B.conj().transpose(1, 2)
                inv = inv + (D.abs() ** 2).sum() / x.shape[0]
                rows.append(np.sqrt(d) * w.reshape(n, d * d))
            F = torch.cat(rows, dim=1)
            S = F @ F.conj().T - n * torch.eye(n, dtype=torch.complex128)
            reg = (S.abs() ** 2).sum() / n**2
            return inv + lam * reg, inv, reg

        opt = torch.optim.LBFGS(params, lr=1.0, max_iter=max_iter, tolerance_grad=1e-12,
                                tolerance_change=1e-16, history_size=30,
                                line_search_fn="strong_wolfe")

        def closure():
            opt.zero_grad()
            total, _, _ = objective()
            total.backward()
            return total

        opt.step(closure)
        with torch.no_grad():
            total, inv, reg = objective()
        net = SpectralNetwork(n, dims, [np.concatenate([np.eye(d)[None], p.detach().numpy()])
                                        for d, p in zip(dims, params)])
        finals.append(float(total))
        n_iter = int(opt.state[opt._params[0]].get("n_iter", 0))
        if best is None or float(total) < best[1][0]:
            best = (net, (float(total), float(inv), float(reg)), n_iter, r)
    assert best is not None  # restarts >= 1
    return best[0], best[1], best[2], tuple(finals), best[3]
