"""Networks that are sums of neurons, f(x; Theta) = sum_i f_i(x; theta_i), with their loss.

Conventions (used by every module of :mod:`neuroalg.dynamics`)
---------------------------------------------------------------
* Parameters: ``Theta`` of shape ``(n_neurons, neuron_size)``, one row per neuron.
* Loss: ``L(Theta) = loss_scale / (2 N) * sum_j ||y_j - f(x_j; Theta)||^2`` over the N samples.
  ``loss_scale = 1`` gives the usual 1/2 * mean((y - f)^2) for scalar outputs (diagonal and
  fully connected linear networks); the modular-addition network uses ``loss_scale = 2 / p``, i.e.
  the mean over samples *and* output coordinates of (y - f)^2 without the 1/2 (see
  :func:`neuroalg.dynamics.closed_forms.modular_levels`).
* Utility of neuron i for a residual r = y - f: ``U_i(theta; r) = loss_scale / N *
  sum_j <f_i(x_j; theta), r_j>``, so that ``grad_{theta_i} L = -grad U_i(theta_i; r)`` (Kunin et
  al. 2025, AGF, where the utility is the correlation of the neuron with the residual).
* Time: gradient-flow time ``t`` of ``dTheta/dt = -grad L``; gradient descent with step ``lr``
  reaches time ``t = k * lr`` after k steps.
* Homogeneity: ``f_i(x; c theta) = c^kappa f_i(x; theta)`` for c > 0 (``kappa`` = ``degree``).

References
----------
[KMC25] D. Kunin, G. L. Marchetti, F. Chen, D. Karkada, J. B. Simon, M. R. DeWeese, S. Ganguli,
        N. Miolane (2025), Alternating Gradient Flows: A Theory of Feature Learning in Two-layer
        Neural Networks, arXiv:2506.06489.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..activation import Activation
from ..errors import SpecError
from ..fields import REAL


class SumOfNeurons(abc.ABC):
    """A network f(x) = sum_i f_i(x; theta_i) with a squared loss (conventions: module docstring)."""

    loss_scale: float = 1.0

    if TYPE_CHECKING:
        # Provided by every subclass (a property here); declared for the type checker only, so
        # nothing changes at run time. ``init`` is needed when no initialization is given.
        @property
        def n_neurons(self) -> int: ...

        def init(self, alpha: float, rng: np.random.Generator) -> np.ndarray: ...

    @property
    @abc.abstractmethod
    def neuron_size(self) -> int: ...

    @property
    @abc.abstractmethod
    def n_outputs(self) -> int: ...

    @property
    def degree(self) -> int | None:
        """Claimed homogeneity degree kappa of every neuron (None if not homogeneous)."""
        return None

    @abc.abstractmethod
    def neuron_outputs(self, Theta, X) -> np.ndarray:
        """Outputs of each neuron, shape ``(n_neurons, N, n_outputs)``."""

    @abc.abstractmethod
    def neuron_vjp(self, Theta, X, R) -> np.ndarray:
        """Rows ``d/dtheta_i sum_j <f_i(x_j; theta_i), R_j>``, shape ``(n_neurons, neuron_size)``."""

    def jacobian(self, Theta, X) -> np.ndarray:
        """d f(x_j) / d Theta, shape ``(N, n_outputs, n_neurons, neuron_size)`` (generic: one
        vector-Jacobian product per sample and output; subclasses override)."""
        N = len(X)
        J = np.zeros((N, self.n_outputs, self.n_neurons, self.neuron_size))
        for j in range(N):
            for o in range(self.n_outputs):
                R = np.zeros((1, self.n_outputs))
                R[0, o] = 1
                J[j, o] = self.neuron_vjp(Theta, X[j: j + 1], R)
        return J

    def balanced(self, Theta) -> np.ndarray:
        """Each neuron moved along its rescaling orbit (same function) to the point where the
        quantity that gradient flow conserves vanishes.

        Gradient flow conserves, per neuron, a difference of squared norms of its factors (e.g.
        u_i^2 - v_i^2 for beta_i = u_i v_i); from an initialization of scale alpha -> 0 it is
        0, so the neurons that gradient flow reaches are *balanced*. A cost minimization that
        leaves the balanced set (quasi-Newton steps move freely along rescaling orbits) can
        cross states gradient flow cannot (a balanced bilinear neuron never changes sign
        without passing through zero). The default (no known rescaling) returns ``Theta``.
        """
        return np.array(Theta, dtype=float)

    # --- provided ---------------------------------------------------------------------------
    def forward(self, Theta, X) -> np.ndarray:
        return self.neuron_outputs(Theta, X).sum(axis=0)

    def loss(self, Theta, X, Y) -> float:
        r = np.reshape(Y, (len(X), -1)) - self.forward(Theta, X)
        return float(self.loss_scale * np.sum(r * r) / (2 * len(X)))

    def loss_and_grad(self, Theta, X, Y):
        r = np.reshape(Y, (len(X), -1)) - self.forward(Theta, X)
        loss = float(self.loss_scale * np.sum(r * r) / (2 * len(X)))
        return loss, -self.neuron_vjp(Theta, X, r) * (self.loss_scale / len(X))

    def utility(self, theta, X, R, i: int = 0) -> float:
        """U_i(theta; R) for one neuron ``i`` with parameters ``theta`` (module docstring)."""
        Theta = np.zeros((self.n_neurons, self.neuron_size))
        Theta[i] = theta
        f = self.neuron_outputs(Theta, X)[i]
        return float(self.loss_scale * np.sum(f * R) / len(X))

    def utility_grad(self, theta, X, R, i: int = 0) -> np.ndarray:
        Theta = np.zeros((self.n_neurons, self.neuron_size))
        Theta[i] = theta
        return self.neuron_vjp(Theta, X, R)[i] * (self.loss_scale / len(X))

    def check_data(self, X, Y):
        X = np.asarray(X, dtype=float)
        Y = np.asarray(Y, dtype=float)
        if Y.ndim == 1:
            Y = Y[:, None]
        if X.ndim != 2 or len(X) != len(Y) or len(X) == 0:
            raise SpecError(f"data: X must be an (N, d) array and y have N rows; got X {X.shape}, "
                            f"y {Y.shape}")
        if Y.shape[1] != self.n_outputs:
            raise SpecError(f"data: y must have {self.n_outputs} output(s) per sample; got {Y.shape[1]}")
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
            raise SpecError("data: X and y must be finite numbers (no nan or inf)")
        return X, Y


@dataclass(frozen=True)
class DiagonalLinear(SumOfNeurons):
    """Diagonal linear network beta = u * v, f(x) = <u * v, x>; neuron i is (u_i, v_i), kappa = 2.

    Small initialization (Pesme & Flammarion 2023): u = sqrt(2) alpha, v = 0, for which gradient
    flow gives exactly beta(t) = alpha^2 sinh(2 s(t)), s(t) = -int_0^t grad L(beta) (see
    :func:`neuroalg.dynamics.closed_forms.diagonal_flow`).
    """

    d: int

    def __post_init__(self):
        if isinstance(self.d, bool) or not isinstance(self.d, (int, np.integer)) or self.d < 1:
            raise SpecError(f"diagonal linear network: d must be a positive integer; got {self.d!r}")

    @property
    def n_neurons(self):
        return self.d

    neuron_size = 2
    n_outputs = 1

    @property
    def degree(self):
        return 2

    def beta(self, Theta):
        return Theta[:, 0] * Theta[:, 1]

    def init(self, alpha: float, rng=None):
        Theta = np.zeros((self.d, 2))
        Theta[:, 0] = np.sqrt(2) * alpha
        return Theta

    def neuron_outputs(self, Theta, X):
        b = self.beta(Theta)
        return (X * b).T[:, :, None]

    def neuron_vjp(self, Theta, X, R):
        c = X.T @ R[:, 0]  # (d,)
        return np.stack([Theta[:, 1] * c, Theta[:, 0] * c], axis=1)

    def balanced(self, Theta):
        """|u_i| = |v_i| with u_i v_i unchanged (gradient flow conserves u_i^2 - v_i^2)."""
        T = np.asarray(Theta, dtype=float)
        return _balance_pair(T[:, :1], T[:, 1:])

    def jacobian(self, Theta, X):
        J = np.zeros((len(X), 1, self.d, 2))
        J[:, 0, :, 0] = X * Theta[:, 1]
        J[:, 0, :, 1] = X * Theta[:, 0]
        return J


@dataclass(frozen=True)
class TwoLayer(SumOfNeurons):
    """Two-layer network f(x) = sum_i a_i sigma(w_i . x); neuron i is (w_i, a_i) in R^(d_in + d_out).

    With sigma = c x^r the neurons are homogeneous of degree kappa = r + 1: the fully connected
    linear network (sigma = x, kappa = 2) and the quadratic network (sigma = x^2, kappa = 3) of the
    modular-addition task are special cases. ``loss_scale`` as in the module docstring.
    """

    d_in: int
    width: int
    d_out: int
    activation: Activation
    loss_scale: float = 1.0

    if TYPE_CHECKING:
        # The generated __init__, as the type checker should see it: ``activation`` may also be
        # given as text (parsed in __post_init__); the attribute is always an Activation.
        def __init__(self, d_in: int, width: int, d_out: int, activation: Activation | str,
                     loss_scale: float = 1.0) -> None: ...

    def __post_init__(self):
        for name in ("d_in", "width", "d_out"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise SpecError(f"two-layer network: {name} must be a positive integer; got {v!r}")
        if isinstance(self.activation, str):
            object.__setattr__(self, "activation", Activation.parse(self.activation))
        if self.activation.reciprocal:
            raise SpecError("two-layer network: activation must be a polynomial; got 1/x")

    @property
    def n_neurons(self):
        return self.width

    @property
    def neuron_size(self):
        return self.d_in + self.d_out

    @property
    def n_outputs(self):
        return self.d_out

    @property
    def degree(self):
        r = self.activation.monomial_power
        return None if r is None else r + 1

    def init(self, alpha: float, rng: np.random.Generator):
        """alpha times i.i.d. N(0, 1/(d_in + d_out)) entries (neuron norms ~ alpha)."""
        return alpha * rng.standard_normal((self.width, self.neuron_size)) / np.sqrt(self.neuron_size)

    def neuron_outputs(self, Theta, X):
        W, A = Theta[:, : self.d_in], Theta[:, self.d_in:]
        h = self.activation(X @ W.T, REAL)  # (N, width)
        return h.T[:, :, None] * A[:, None, :]

    def neuron_vjp(self, Theta, X, R):
        W, A = Theta[:, : self.d_in], Theta[:, self.d_in:]
        z = X @ W.T
        return self._vjp(z, self.activation(z, REAL), A, X, R)

    def _vjp(self, z, h, A, X, R):
        gA = h.T @ R  # (width, d_out)
        gz = (R @ A.T) * self.activation.derivative(z, REAL)  # (N, width)
        return np.concatenate([gz.T @ X, gA], axis=1)

    def forward(self, Theta, X):
        """sum_i a_i sigma(w_i . x) as one matrix product (no per-neuron outputs)."""
        return self.activation(X @ Theta[:, : self.d_in].T, REAL) @ Theta[:, self.d_in:]

    def loss_and_grad(self, Theta, X, Y):
        """The loss and its gradient with the hidden activations computed once."""
        W, A = Theta[:, : self.d_in], Theta[:, self.d_in:]
        z = X @ W.T
        h = self.activation(z, REAL)
        r = np.reshape(Y, (len(X), -1)) - h @ A
        loss = float(self.loss_scale * np.sum(r * r) / (2 * len(X)))
        return loss, -self._vjp(z, h, A, X, r) * (self.loss_scale / len(X))

    def balanced(self, Theta):
        """||w_i||^2 = r ||a_i||^2 with a_i sigma(w_i . x) unchanged, for sigma = c x^r
        (gradient flow conserves ||w_i||^2 - r ||a_i||^2); other activations: unchanged."""
        r = self.activation.monomial_power
        T = np.asarray(Theta, dtype=float)
        if r is None:
            return T.copy()
        return _balance_pair(T[:, : self.d_in], T[:, self.d_in:], float(r))

    def optimal_output_weights(self, Theta, X, Y, neurons):
        """Output weights of ``neurons`` minimizing the loss for fixed input weights, all other
        neurons fixed (a linear least-squares problem: "variable projection")."""
        W = Theta[neurons, : self.d_in]
        H = self.activation(X @ W.T, REAL)
        others = np.setdiff1d(np.arange(self.width), neurons)
        R = Y
        if len(others):
            T = Theta.copy()
            T[neurons] = 0
            R = Y - self.forward(T, X)
        return np.linalg.lstsq(H, R, rcond=1e-12)[0]

    def jacobian(self, Theta, X):
        W, A = Theta[:, : self.d_in], Theta[:, self.d_in:]
        z = X @ W.T
        h = self.activation(z, REAL)
        dh = self.activation.derivative(z, REAL)
        N = len(X)
        J = np.zeros((N, self.d_out, self.width, self.neuron_size))
        J[:, :, :, : self.d_in] = (A.T[None, :, :, None] * dh[:, None, :, None]) * X[:, None, None, :]
        for o in range(self.d_out):
            J[:, o, :, self.d_in + o] = h
        return J


def _balance_pair(P, Q, r: float = 1.0) -> np.ndarray:
    """Rescale (p, q) -> (c p, c^-r q), c > 0, so that ||c p||^2 = r ||c^-r q||^2 (row-wise).

    The function p, q -> q h(p) with h homogeneous of degree r is unchanged; gradient flow
    conserves ||p||^2 - r ||q||^2 (Euler's identity), which small initialization makes 0.
    Rows with p = 0 or q = 0 (a zero function) are set to 0.
    """
    P, Q = np.atleast_2d(np.asarray(P, dtype=float)), np.atleast_2d(np.asarray(Q, dtype=float))
    npp = np.sum(P * P, axis=1)
    nq = np.sum(Q * Q, axis=1)
    live = (npp > 0) & (nq > 0)
    c = np.zeros(len(P))
    c[live] = (r * nq[live] / npp[live]) ** (1.0 / (2 + 2 * r))
    return np.concatenate([P * c[:, None], Q * np.where(live, c, 1.0)[:, None] ** -r
                           * live[:, None]], axis=1)


def check_homogeneity(model: SumOfNeurons, X, *, rng: np.random.Generator, n_trials: int = 3,
                      rtol: float = 1e-8) -> int:
    """Numerically verify f_i(x; c theta) = c^kappa f_i(x; theta) for c > 0 and return kappa.

    kappa is estimated as log(||f(2 theta)|| / ||f(theta)||) / log 2 at random theta, rounded,
    then the identity is checked at c = 2 and c = 0.37 for every neuron.

    Raises
    ------
    SpecError
        If the neurons are not positively homogeneous of one integer degree kappa >= 2.
    """
    name = type(model).__name__
    kappas = set()
    for _ in range(n_trials):
        Theta = rng.standard_normal((model.n_neurons, model.neuron_size))
        f1 = model.neuron_outputs(Theta, X)
        n1 = np.linalg.norm(f1)
        if n1 == 0:
            continue
        k = np.log(np.linalg.norm(model.neuron_outputs(2 * Theta, X)) / n1) / np.log(2)
        kappa = int(round(k))
        for c in (2.0, 0.37):
            fc = model.neuron_outputs(c * Theta, X)
            if not np.allclose(fc, c**kappa * f1, rtol=rtol, atol=rtol * n1):
                raise SpecError(f"{name}: neurons are not positively homogeneous (f(c theta) != "
                                f"c^kappa f(theta) at c={c}, best kappa {k:.3f}); AGF needs "
                                "homogeneous neurons, e.g. a monomial activation x^r")
        kappas.add(kappa)
    if len(kappas) != 1:
        raise SpecError(f"{name}: could not determine one homogeneity degree (got {sorted(kappas)})")
    (kappa,) = kappas
    if kappa < 2:
        raise SpecError(f"{name}: AGF needs homogeneity degree kappa >= 2; got {kappa}")
    return kappa


@dataclass(frozen=True)
class LinearAttention(SumOfNeurons):
    """Attention-only linear transformer for in-context linear regression, one layer, H heads.

    A prompt holds N examples (x_n, y_n) and a query x_q; it is given as one row
    ``[x_1, ..., x_N, y_1, ..., y_N, x_q]`` of length N d + N + d. Head h has a rank-one
    key-query matrix q_h k_h^T and a value reading the label channel, so its prediction for the
    query's label is f_h = (q_h . x_q) (k_h . s) with s = (1/N) sum_n y_n x_n (linear attention,
    no softmax). A neuron is (q_h, k_h) in R^(2d); kappa = 2. This is the setting of [KMC25,
    Section 5] in our parameterization (value merged into the key).
    """

    d: int
    heads: int
    n_context: int

    def __post_init__(self):
        for name in ("d", "heads", "n_context"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise SpecError(f"linear attention: {name} must be a positive integer; got {v!r}")

    @property
    def n_neurons(self):
        return self.heads

    @property
    def neuron_size(self):
        return 2 * self.d

    n_outputs = 1

    @property
    def degree(self):
        return 2

    def init(self, alpha: float, rng: np.random.Generator):
        return alpha * rng.standard_normal((self.heads, 2 * self.d)) / np.sqrt(2 * self.d)

    def balanced(self, Theta):
        """||q_h|| = ||k_h|| with q_h k_h^T unchanged (gradient flow conserves ||q||^2 - ||k||^2)."""
        T = np.asarray(Theta, dtype=float)
        return _balance_pair(T[:, : self.d], T[:, self.d:])

    def _features(self, X):
        d, N = self.d, self.n_context
        if X.shape[1] != N * d + N + d:
            raise SpecError(f"linear attention: prompts must have length N d + N + d = "
                            f"{N * d + N + d}; got {X.shape[1]}")
        xs = X[:, : N * d].reshape(len(X), N, d)
        ys = X[:, N * d: N * d + N]
        return X[:, N * d + N:], np.einsum("pn,pnd->pd", ys, xs) / N

    def neuron_outputs(self, Theta, X):
        xq, s = self._features(X)
        a, b = xq @ Theta[:, : self.d].T, s @ Theta[:, self.d:].T
        return (a * b).T[:, :, None]

    def neuron_vjp(self, Theta, X, R):
        xq, s = self._features(X)
        a, b = xq @ Theta[:, : self.d].T, s @ Theta[:, self.d:].T
        r = R[:, 0]
        return np.concatenate([(r[:, None] * b).T @ xq, (r[:, None] * a).T @ s], axis=1)

    def jacobian(self, Theta, X):
        xq, s = self._features(X)
        a, b = xq @ Theta[:, : self.d].T, s @ Theta[:, self.d:].T
        J = np.empty((len(X), 1, self.heads, 2 * self.d))
        J[:, 0, :, : self.d] = b[:, :, None] * xq[:, None, :]
        J[:, 0, :, self.d:] = a[:, :, None] * s[:, None, :]
        return J


def in_context_regression_data(lams, n_context: int, n_prompts: int, *, rng: np.random.Generator,
                               basis=None):
    """Prompts for :class:`LinearAttention`: x ~ N(0, Lambda), Lambda = U diag(lams) U^T (U =
    ``basis`` or the identity), a fresh task beta ~ N(0, I) per prompt, y = beta . x.
    Returns (prompts of shape (n_prompts, N d + N + d), query labels of shape (n_prompts,))."""
    lams = np.asarray(lams, dtype=float)
    d, N = len(lams), n_context
    U = np.eye(d) if basis is None else np.asarray(basis, dtype=float)
    root = U * np.sqrt(lams)
    x = rng.standard_normal((n_prompts, N + 1, d)) @ root.T
    beta = rng.standard_normal((n_prompts, d))
    y = np.einsum("pnd,pd->pn", x, beta)
    X = np.concatenate([x[:, :N].reshape(n_prompts, -1), y[:, :N], x[:, N]], axis=1)
    return X, y[:, N]
