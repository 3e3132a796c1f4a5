"""Closed forms of saddle-to-saddle dynamics from small initialization, with references.

Conventions: see :mod:`neuroalg.dynamics.models` (loss 1/2 mean ||y - f||^2 unless stated,
gradient-flow time t). *Rescaled time* for neurons of degree kappa = 2 is tau = t / log(1/alpha).

References
----------
[PF23]  S. Pesme, N. Flammarion (2023), Saddle-to-saddle dynamics in diagonal linear networks,
        NeurIPS, arXiv:2304.00488.
[KMC25] Kunin et al. (2025), Alternating Gradient Flows, arXiv:2506.06489.
[SMG14] A. Saxe, J. McClelland, S. Ganguli (2014), Exact solutions to the nonlinear dynamics of
        learning in deep linear neural networks, ICLR, arXiv:1312.6120.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import nnls

from ..errors import SpecError


def _check_xy(X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1)
    if X.ndim != 2 or len(X) != len(y) or len(y) == 0:
        raise SpecError(f"data: X must be an (n, d) array and y a vector of length n; got X "
                        f"{X.shape}, y {y.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise SpecError("data: X and y must be finite numbers (no nan or inf)")
    return X, y


@dataclass(frozen=True)
class DiagonalPath:
    """The alpha -> 0 saddle-to-saddle path of a diagonal linear network [PF23].

    ``times[k]`` (rescaled by log(1/alpha)) is the k-th jump, after which the network sits at
    ``betas[k]`` with loss ``levels[k]`` = 1/2 mean((y - X beta)^2); ``activated[k]`` lists the
    coordinates reaching |s_i| = 1 at that jump (0-based).
    """

    times: tuple[float, ...]
    betas: tuple[tuple[float, ...], ...]
    levels: tuple[float, ...]
    activated: tuple[tuple[int, ...], ...]
    initial_level: float

    @property
    def order(self) -> list[int]:
        return [i for a in self.activated for i in a]

    def to_dict(self) -> dict:
        return {"order": self.order, "jump_times": list(self.times), "levels": list(self.levels),
                "betas": [list(b) for b in self.betas], "initial_level": self.initial_level,
                "time_unit": "gradient-flow time / log(1/alpha)"}


def pesme_flammarion(X, y, *, atol: float = 1e-12, max_jumps: int = 1000) -> DiagonalPath:
    """The saddle-to-saddle algorithm of [PF23, Algorithm 1] for beta = u * v, alpha -> 0.

    Mathematics (our units): with L(beta) = 1/(2n) ||y - X beta||^2 and rescaled time tau,
    s(tau) = -int_0^tau grad L(beta(tau')) dtau' (s(0) = 0, beta(0) = 0). Between jumps beta is
    constant; the next jump is the first tau at which an interior coordinate (|s_i| < 1) reaches
    |s_i| = 1, and then beta = argmin L over {beta_i >= 0 if s_i = 1, beta_i <= 0 if s_i = -1,
    beta_i = 0 if |s_i| < 1} (a sign-constrained least-squares problem, solved by NNLS after
    flipping the signs of the columns with s_i = -1). It stops when grad L(beta) = 0 on the
    interior coordinates.

    Examples
    --------
    >>> path = pesme_flammarion([[1.0, 0.0], [0.0, 1.0]], [2.0, 1.0])
    >>> path.order, [round(t, 6) for t in path.times], path.levels
    ([0, 1], [1.0, 2.0], (0.25, 0.0))
    """
    X, y = _check_xy(X, y)
    n, d = X.shape
    scale = 1.0 + np.max(np.abs(X.T @ y)) / n
    s = np.zeros(d)
    on = np.zeros(d, dtype=bool)  # |s_i| = 1 (sign in s)
    beta = np.zeros(d)
    tau = 0.0
    times, betas, levels, activated = [], [], [], []
    for _ in range(max_jumps):
        grad = -X.T @ (y - X @ beta) / n
        # boundary coordinates pushed inward leave the boundary
        inward = on & (grad * np.sign(s) > atol * scale)
        on &= ~inward
        rate = -grad
        delta = np.full(d, np.inf)
        inner = ~on & (np.abs(rate) > atol * scale)
        pos = inner & (rate > 0)
        neg = inner & (rate < 0)
        delta[pos] = (1 - s[pos]) / rate[pos]
        delta[neg] = (1 + s[neg]) / -rate[neg]
        if not np.isfinite(delta).any():
            break
        dmin = float(np.min(delta))
        hit = np.flatnonzero(delta <= dmin + 1e-12 * max(1.0, dmin))
        tau += dmin
        s = np.where(on, s, s + dmin * rate)
        s[hit] = np.sign(rate[hit])
        on[hit] = True
        idx = np.flatnonzero(on)
        signs = np.sign(s[idx])
        z, _ = nnls(X[:, idx] * signs / np.sqrt(n), y / np.sqrt(n), maxiter=50 * d + 100)
        beta = np.zeros(d)
        beta[idx] = signs * z
        times.append(tau)
        betas.append(tuple(map(float, beta)))
        levels.append(float(np.sum((y - X @ beta) ** 2) / (2 * n)))
        activated.append(tuple(int(i) for i in hit))
    return DiagonalPath(tuple(times), tuple(betas), tuple(levels), tuple(activated),
                        float(np.sum(y * y) / (2 * n)))


def diagonal_flow(X, y, alpha: float, taus, *, rtol: float = 1e-10, atol: float = 1e-12):
    """Exact gradient flow of beta = u * v from u = sqrt(2) alpha, v = 0, at rescaled times ``taus``.

    Mathematics: du/dt = -v g, dv/dt = -u g with g = grad L(beta) give u + v = sqrt(2) alpha e^{s},
    u - v = sqrt(2) alpha e^{-s} with s(t) = -int_0^t g, hence beta = alpha^2 sinh(2 s) exactly
    ("hyperbolic entropy" mirror flow [PF23, Section 3]). We integrate the d-dimensional ODE
    ds/dtau = -log(1/alpha) grad L(alpha^2 sinh(2 s)) (stiff: LSODA).

    Returns
    -------
    (betas, losses) : arrays of shapes (len(taus), d) and (len(taus),)
    """
    X, y = _check_xy(X, y)
    if not 0 < alpha < 1:
        raise SpecError(f"alpha must be in (0, 1); got {alpha}")
    n = len(y)
    ell = np.log(1 / alpha)
    taus = np.asarray(taus, dtype=float)
    G, b = X.T @ X / n, X.T @ y / n

    def beta_of(s):
        return alpha**2 * np.sinh(np.clip(2 * s, -700, 700))

    def rhs(_, s):
        return ell * (b - G @ beta_of(s))

    def jac(_, s):
        return -ell * G * (2 * alpha**2 * np.cosh(np.clip(2 * s, -700, 700)))[None, :]

    sol = solve_ivp(rhs, (0.0, float(taus[-1])), np.zeros(X.shape[1]), method="LSODA", t_eval=taus,
                    rtol=rtol, atol=atol, jac=jac)
    betas = np.array([beta_of(s) for s in sol.y.T])
    losses = np.sum((y[None, :] - betas @ X.T) ** 2, axis=1) / (2 * n)
    return betas, losses


@dataclass(frozen=True)
class LinearNetworkPrediction:
    """Plateau levels (and, for whitened inputs, jump times) of a two-layer linear network."""

    levels: tuple[float, ...]
    times: tuple[float, ...] | None
    modes: tuple[float, ...]
    statement: str

    def to_dict(self) -> dict:
        return asdict(self)


def linear_network_levels(Sxx, Syx, Syy_trace: float | None = None) -> LinearNetworkPrediction:
    """Loss levels of a fully connected linear network learning one mode per jump [SMG14, KMC25].

    With Sigma_xx = E[x x^T], Sigma_yx = E[y x^T] and mu_1 >= mu_2 >= ... the eigenvalues of
    Sigma_yx Sigma_xx^-1 Sigma_yx^T, the level after k jumps is 1/2 (tr Sigma_yy - sum_{i<=k}
    mu_i) (= 1/2 sum_{i>k} mu_i for realizable targets; loss 1/2 E||y - f(x)||^2). For
    Sigma_xx = I, Sigma_yx = U diag(s) V^T, mu_i = s_i^2 and mode i grows from alpha like
    exp(s_i t) independently of the others, so the jumps happen at rescaled times 1/s_i
    [KMC25, Section 4]. For non-whitened inputs ``times`` is None: see
    :func:`linear_network_jump_times` (first two jumps) and :func:`neuroalg.dynamics.agf`.
    """
    Sxx = np.atleast_2d(np.asarray(Sxx, dtype=float))
    Syx = np.atleast_2d(np.asarray(Syx, dtype=float))
    if Sxx.shape[0] != Sxx.shape[1] or Syx.shape[1] != Sxx.shape[0]:
        raise SpecError(f"Sigma_xx must be square (d_in x d_in) and Sigma_yx d_out x d_in; got "
                        f"{Sxx.shape} and {Syx.shape}")
    mu = np.sort(np.linalg.eigvalsh(Syx @ np.linalg.solve(Sxx, Syx.T)))[::-1]
    mu = mu[mu > 1e-14 * max(1.0, mu[0])]
    total = float(np.sum(mu)) if Syy_trace is None else float(Syy_trace)
    levels = tuple(float(0.5 * (total - np.sum(mu[: k + 1]))) for k in range(len(mu)))
    times = None
    if np.allclose(Sxx, np.eye(len(Sxx)), atol=1e-12):
        times = tuple(float(1 / np.sqrt(m)) for m in mu)
    return LinearNetworkPrediction(levels, times, tuple(map(float, mu)),
                                   "levels 1/2 (tr Syy - sum_{i<=k} mu_i); times 1/s_i for Sxx = I")


def linear_network_jump_times(Sxx, Syx) -> LinearNetworkPrediction:
    """The first two AGF jump times of a two-layer linear network for generic (non-whitened)
    inputs, in rescaled time t / log(1/alpha) (alpha -> 0).

    Plateau k (after k jumps) is reduced-rank regression: f = P_k Syx Sxx^-1 with P_k the
    projector on the top-k eigenvectors of K = Syx Sxx^-1 Syx^T, so the residual
    cross-covariance is beta_k = (I - P_k) Syx, with singular values s_1^(k) >= s_2^(k) >= ...
    A dormant neuron (w, a) has utility a^T beta_k w: its component along a singular pair grows
    like exp(s_j^(k) t), i.e. its exponent rho (size alpha^(-rho)) rises at rate s_j^(k) per
    unit of rescaled time, from rho = -1. The first jump is at tau_1 = 1/s_1^(0). The dormant
    neurons then keep, generically, the exponent rho_1 = -1 + s_2^(0) tau_1 of their second
    component, which overlaps the new top singular pair, so

        tau_2 = tau_1 - rho_1 / s_1^(1).

    Later jumps have no recursion of this kind: the second activation takes a whole
    combination of the dormant neurons, with all its components, and what remains depends on
    every earlier component (use :func:`neuroalg.dynamics.agf`, validated against a
    high-precision finite-alpha computation). An earlier version continued the recursion with
    rho_{k+1} = rho_k + s_2^(k) (tau_{k+1} - tau_k); that is wrong from the third jump on
    (e.g. 1.63 where the limit is 5.209). For Sigma_xx = I the modes never mix and
    tau_k = 1/s_k for every k (:func:`linear_network_levels`).

    Returns the levels 1/2 (sum mu - sum_{i<=k} mu_i) (realizable targets) of every plateau
    and ``times`` for the first min(2, #modes) jumps.
    """
    base = linear_network_levels(Sxx, Syx)
    Sxx = np.atleast_2d(np.asarray(Sxx, dtype=float))
    Syx = np.atleast_2d(np.asarray(Syx, dtype=float))
    K = Syx @ np.linalg.solve(Sxx, Syx.T)
    _, V = np.linalg.eigh(0.5 * (K + K.T))
    V = V[:, ::-1]
    s0 = np.append(np.linalg.svd(Syx, compute_uv=False), 0.0)
    times = [float(1 / s0[0])]
    if len(base.modes) > 1:
        s1 = np.linalg.svd((np.eye(len(K)) - V[:, :1] @ V[:, :1].T) @ Syx, compute_uv=False)
        rho = -1.0 + s0[1] * times[0]
        times.append(float(times[0] - rho / s1[0]))
    return LinearNetworkPrediction(base.levels, tuple(times), base.modes,
                                   "first two jumps: tau_1 = 1/s_1(Syx), tau_2 = tau_1 - rho_1 / "
                                   "s_1(beta_1), rho_1 = -1 + s_2(Syx) tau_1 (later jumps: the "
                                   "AGF engine)")


def linear_attention_levels(lams, n_context: int) -> tuple[float, ...]:
    """Plateau levels of an attention-only linear transformer on in-context linear regression.

    Level after k heads have learned the top-k principal components of the input covariance
    Lambda (eigenvalues lambda_1 >= ...), with N = ``n_context`` examples in context
    [KMC25, Section 5]: 1/2 [tr Lambda - sum_{i<=k} lambda_i / (1 + (1 + tr Lambda / lambda_i) / N)].
    Returned for k = 0, 1, ..., d.

    Examples
    --------
    >>> linear_attention_levels([1.0], 1)
    (0.5, 0.33333333333333337)
    """
    lam = np.sort(np.asarray(lams, dtype=float))[::-1]
    if lam.ndim != 1 or len(lam) == 0 or np.any(lam <= 0):
        raise SpecError(f"Lambda eigenvalues must be a nonempty list of positive numbers; got {lams}")
    if isinstance(n_context, bool) or not isinstance(n_context, (int, np.integer)) or n_context < 1:
        raise SpecError(f"n_context must be a positive integer; got {n_context!r}")
    tr = float(lam.sum())
    gains = lam / (1 + (1 + tr / lam) / n_context)
    return tuple(float(0.5 * (tr - gains[:k].sum())) for k in range(len(lam) + 1))


@dataclass(frozen=True)
class ModularPrediction:
    """Fourier frequencies of a template in learning order, with the loss levels between jumps."""

    frequencies: tuple[int, ...]
    magnitudes: tuple[float, ...]
    levels: tuple[float, ...]
    normalization: str

    def to_dict(self) -> dict:
        return asdict(self)


def template_addition_data(template):
    """The modular-addition task with template x in R^p [KMC25, Section 6].

    Samples are all pairs (a, b) in Z_p^2; the input is (rho(a) x, rho(b) x) in R^{2p} with
    rho(a) x[n] = x[n - a] (cyclic shift) and the target is rho(a + b) x in R^p.
    Returns (X of shape (p^2, 2p), Y of shape (p^2, p)).
    """
    x = np.asarray(template, dtype=float).reshape(-1)
    p = len(x)
    if p < 2 or not np.all(np.isfinite(x)):
        raise SpecError(f"template must be a finite vector of length p >= 2; got length {p}")
    shifts = np.stack([np.roll(x, a) for a in range(p)])
    a, b = np.divmod(np.arange(p * p), p)
    return np.concatenate([shifts[a], shifts[b]], axis=1), shifts[(a + b) % p]


def modular_levels(template, *, rtol: float = 1e-9) -> ModularPrediction:
    """Learning order and loss levels of a quadratic network on modular addition [KMC25, Section 6].

    Components of the target, by the DFT x_hat of the template: the constant k = 0, the pairs
    (k, p - k) for 0 < k < p/2, and k = p/2 (p even). A neuron (u, v, w) tuned to one component,
    f(a, b) = w (u . rho(a) x + v . rho(b) x)^2 with ||(u, v, w)|| = 1, has maximal utility

        U*_k = c_k |x_hat_k|^3 / (3 sqrt(3) p^(5/2)),   c_k = 2^(3/2) (0 < k < p/2),
                                                         c_{p/2} = 4,  c_0 = 8

    (for 0 < k < p/2 only the cross term 2 (u.rho(a)x)(v.rho(b)x) correlates with the target's
    frequency k in a + b; for k = p/2 the cross term with (-1)^(a+b); for k = 0 the whole
    square, with u = v constant: the constant component *is* learnable when the template has
    nonzero mean). Learning of orthogonal components does not change the others' utilities, so
    components are learned in decreasing order of U*_k, i.e. of c_k^(1/3) |x_hat_k| / sqrt(2):
    |x_hat_k|, 2^(1/6) |x_hat_{p/2}| and sqrt(2) |x_hat_0|; components with equal keys (within
    ``rtol``) are learned in one jump. After learning a set S the loss is the power of the target
    outside S. Normalization: the mean over samples and output coordinates of (y - f)^2 (no
    factor 1/2), L = (1/p) E_(a,b) ||y - f||^2, level = (1/p^2) sum_{k not in S} |x_hat_k|^2
    (Parseval); it makes the levels of the template cos(2 pi n/20) + 0.5 cos(6 pi n/20) +
    0.25 cos(10 pi n/20) equal 0.65625, 0.15625, 0.03125, 0.

    Checked against gradient descent (tests/dynamics/test_modular.py): a template with mean 0.4
    learns the constant before frequency 1 (key 11.3 vs 10) and ends at loss 0, not at the
    constant's power 0.16; a Nyquist component of magnitude 9.4 goes before frequency 1
    (key 10.55 vs 10). With a nonzero mean, the neurons of other frequencies can also fit part
    of the constant (their output weights may have a constant part), so gradient descent's
    intermediate plateaus may lie below the predicted levels by up to the constant's power.

    Examples
    --------
    >>> import numpy as np
    >>> n = np.arange(20)
    >>> x = np.cos(2*np.pi*n/20) + 0.5*np.cos(6*np.pi*n/20) + 0.25*np.cos(10*np.pi*n/20)
    >>> m = modular_levels(x)
    >>> m.frequencies, [round(v, 10) for v in m.levels]
    ((1, 3, 5), [0.65625, 0.15625, 0.03125, 0.0])
    >>> modular_levels(x + 0.1).frequencies  # the constant (key 2.83) goes before 5 (2.5)
    (1, 3, 0, 5)
    """
    x = np.asarray(template, dtype=float).reshape(-1)
    p = len(x)
    if p < 2 or not np.all(np.isfinite(x)):
        raise SpecError(f"template must be a finite vector of length p >= 2; got length {p}")
    xh = np.fft.fft(x)
    power = np.abs(xh) ** 2 / p**2  # contribution of each k in 0..p-1 to the level
    ks = np.arange(0, p // 2 + 1)
    mags = np.abs(xh[ks])
    factor = np.ones(len(ks))
    factor[0] = np.sqrt(2.0)
    if p % 2 == 0:
        factor[-1] = 2.0 ** (1 / 6)
    keys = factor * mags
    tol = rtol * max(1.0, float(mags.max()))
    order = [int(k) for k in ks[np.argsort(-keys, kind="stable")] if mags[k] > tol]
    level = float(power.sum())
    levels = [level]
    freqs, out_mags = [], []
    i = 0
    while i < len(order):
        group = [order[i]]
        while (i + len(group) < len(order)
               and abs(keys[order[i + len(group)]] - keys[order[i]]) <= tol):
            group.append(order[i + len(group)])
        for k in group:
            level -= power[k] + (power[p - k] if 0 < k and p - k != k else 0.0)
            freqs.append(k)
            out_mags.append(float(abs(xh[k])))
        levels.append(float(level) if abs(level) > 1e-12 else 0.0)
        i += len(group)
    return ModularPrediction(tuple(freqs), tuple(out_mags), tuple(levels),
                             "L = mean over samples and outputs of (y - f)^2 (no 1/2)")
