"""Safe functions of x typed by a user, evaluated on arrays and differentiated exactly.

A typed formula such as ``2*x**2 + sin(x)`` is read with Python's own parser (``ast``) and
then checked against a short whitelist: numbers, the variable ``x``, the constants ``pi``
and ``e``, ``+ - * / **`` (``^`` is accepted as a power too), unary minus and a few named
functions.  Anything else (attribute access, imports, lambdas, comprehensions, other
names, keyword arguments ...) is refused with a readable message.  Nothing the user types
is ever passed to ``eval``: the checked tree is rebuilt into our own small node classes.

Absurd input is refused *before* anything is computed: text longer than
``MAX_TEXT_LENGTH``, more than ``MAX_NODES`` nodes, and constant exponents larger than
``MAX_EXPONENT`` in size (so ``9**9**9`` never starts a long integer power).

Every node evaluates on NumPy arrays (vectorised) and also carries its exact derivative by
forward-mode automatic differentiation: each node returns the pair (value, d value / dx),
built with the usual rules (sum, product, quotient, chain rule).  Unlike a finite
difference there is no step size, so the result is exact up to floating-point round-off.

Where a function has no derivative, it says so instead of inventing one.  ``abs`` and ``relu``
have a corner where their argument is 0, and there the pair is computed twice, once from each
side: the argument u moves with x at the rate u′, so from the right it takes the sign of u′ and
from the left the opposite one, and each side uses the slope of the branch it lands on. The
function is differentiable only where the two one-sided slopes agree: |x| at 0 gives −1 and 1
(no derivative), x·|x| gives 0 and 0 (derivative 0), and a corner elsewhere, |x − 1| at 1 or
relu(sin x) at 0, is found the same way, where the argument is exactly 0 in floating point (relu(sin x)
at π is not: sin(π) rounds to 1.2e-16). Where the function itself is undefined (1/x at 0,
log x at x ≤ 0, sqrt x at x < 0) its value is not finite, and neither is any slope.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from engine.activations import sigmoid

MAX_TEXT_LENGTH = 200
MAX_NODES = 120
MAX_EXPONENT = 100.0
MAX_LITERAL = 1e300

VARIABLE = "x"
CONSTANTS = {"pi": math.pi, "e": math.e}

# Built-in presets for the Derivatives tab: label -> text the parser accepts.
PRESETS: dict[str, str] = {
    "2x": "2*x",
    "2x²": "2*x**2",
    "x²": "x**2",
    "x³ − 3x": "x**3 - 3*x",
    "sin x": "sin(x)",
    "eˣ": "exp(x)",
    "|x|": "abs(x)",
    "ReLU": "relu(x)",
    "sigmoid": "sigmoid(x)",
}


class ExpressionError(ValueError):
    """The text is not a function of x we accept; the message says why in one line."""


Pair = tuple[np.ndarray, np.ndarray]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return sigmoid(np.asarray(z, dtype=float))  # the network's own, overflow-safe sigmoid


# name -> (function, derivative of the function at its argument)
FUNCTIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]] = {
    "sin": (np.sin, np.cos),
    "cos": (np.cos, lambda u: -np.sin(u)),
    "tan": (np.tan, lambda u: 1.0 / np.cos(u) ** 2),
    "exp": (np.exp, np.exp),
    "log": (np.log, lambda u: 1.0 / u),
    "sqrt": (np.sqrt, lambda u: 0.5 / np.sqrt(u)),
    "abs": (np.abs, np.sign),  # slope 0 chosen at the kink x = 0
    "tanh": (np.tanh, lambda u: 1.0 - np.tanh(u) ** 2),
    "relu": (lambda u: np.maximum(u, 0.0), lambda u: (u > 0).astype(np.float64)),
    "sigmoid": (_sigmoid, lambda u: _sigmoid(u) * (1.0 - _sigmoid(u))),
}

# Functions that only appear in derivatives (|x|' = sign x, relu' = step): evaluable, not typeable.
DERIVATIVE_FUNCTIONS = {
    "sign": (np.sign, np.zeros_like),
    "step": (lambda u: (u > 0).astype(np.float64), np.zeros_like),
}
_EVALUABLE = {**FUNCTIONS, **DERIVATIVE_FUNCTIONS}

# The slope of each piecewise function just beside its break at u = 0, on the side where u
# has the sign of `towards` (sign and step jump there, so from either side they have no slope).
ONE_SIDED: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "abs": np.sign,
    "relu": lambda towards: (towards > 0).astype(np.float64),
    "sign": lambda towards: np.where(towards == 0, 0.0, np.nan),
    "step": lambda towards: np.where(towards == 0, 0.0, np.nan),
}


# --------------------------------------------------------------------------- tree nodes
class Node:
    """One node of a parsed expression."""

    depends_on_x: bool = False

    def pair(self, x: np.ndarray, side: int = 0) -> Pair:
        """Return (f(x), f'(x)) elementwise for a float64 array x.

        `side` +1 or −1 gives the one-sided derivative from the right or the left at a corner
        of abs or relu; 0 takes the corner's conventional slope (0), as NumPy's sign does.
        """
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError

    def constant_value(self) -> float | None:
        """The number this node stands for when it does not depend on x, else None."""
        if self.depends_on_x:
            return None
        with np.errstate(all="ignore"):
            value, _ = self.pair(np.zeros(1))
        return float(value[0])


@dataclass(frozen=True)
class Number(Node):
    value: float
    name: str | None = None  # "pi" or "e" when typed as a constant

    def pair(self, x: np.ndarray, side: int = 0) -> Pair:
        return np.full_like(x, self.value), np.zeros_like(x)

    def text(self) -> str:
        return self.name or repr(self.value).removesuffix(".0")


@dataclass(frozen=True)
class Variable(Node):
    depends_on_x = True

    def pair(self, x: np.ndarray, side: int = 0) -> Pair:
        return x.copy(), np.ones_like(x)

    def text(self) -> str:
        return VARIABLE


@dataclass(frozen=True)
class Negate(Node):
    operand: Node

    @property
    def depends_on_x(self) -> bool:  # type: ignore[override]
        return self.operand.depends_on_x

    def pair(self, x: np.ndarray, side: int = 0) -> Pair:
        u, du = self.operand.pair(x, side)
        return -u, -du

    def text(self) -> str:
        return f"-({self.operand.text()})"


@dataclass(frozen=True)
class Binary(Node):
    op: str  # one of + - * / **
    left: Node
    right: Node

    @property
    def depends_on_x(self) -> bool:  # type: ignore[override]
        return self.left.depends_on_x or self.right.depends_on_x

    def pair(self, x: np.ndarray, side: int = 0) -> Pair:
        u, du = self.left.pair(x, side)
        v, dv = self.right.pair(x, side)
        if self.op == "+":
            return u + v, du + dv
        if self.op == "-":
            return u - v, du - dv
        if self.op == "*":
            return u * v, du * v + u * dv  # product rule
        if self.op == "/":
            return u / v, (du * v - u * dv) / (v * v)  # quotient rule
        return self._power(u, du, v, dv)

    def _power(self, u, du, v, dv) -> Pair:
        value = np.power(u, v)
        if not self.right.depends_on_x:
            # d(u^c) = c·u^(c-1)·u'  — valid for negative u too (x**2 at x < 0).
            # Where u' = 0 the term vanishes, even if u^(c-1) is infinite (e.g. 0**0.5).
            slope = np.where(du == 0, 0.0, v * np.power(u, v - 1.0) * du)
            return value, slope
        # General case: d(u^v) = u^v · (v'·ln u + v·u'/u)
        log_term = np.where(dv == 0, 0.0, dv * np.log(u))
        if not self.left.depends_on_x:
            return value, value * log_term
        return value, value * (log_term + v * du / u)

    def text(self) -> str:
        return f"({self.left.text()} {self.op} {self.right.text()})"


@dataclass(frozen=True)
class Call(Node):
    name: str
    argument: Node

    @property
    def depends_on_x(self) -> bool:  # type: ignore[override]
        return self.argument.depends_on_x

    def pair(self, x: np.ndarray, side: int = 0) -> Pair:
        u, du = self.argument.pair(x, side)
        function, slope = _EVALUABLE[self.name]
        value = function(u)
        outer = slope(u)
        if side and self.name in ONE_SIDED:
            # At the corner (u = 0) x moving towards `side` carries u towards the sign of u′·side.
            outer = np.where(u == 0, ONE_SIDED[self.name](du * side), outer)
        # Chain rule; a constant argument contributes no slope (avoids 0·inf = nan).
        return value, np.where(du == 0, 0.0, outer * du)

    def text(self) -> str:
        return f"{self.name}({self.argument.text()})"


# --------------------------------------------------------------------------- public object
class Expression:
    """A parsed, safe function of x: ``expr(x)`` values, ``expr.derivative(x)`` exact slopes."""

    def __init__(self, source: str, root: Node):
        self.source = source
        self.root = root

    def one_sided(self, x) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(f(x), slope from the left, slope from the right) as float64 arrays shaped like x.

        Both slopes are NaN where f itself is undefined (log x for x <= 0 has no 1/x there).
        """
        xs = np.asarray(x, dtype=np.float64)
        flat = np.atleast_1d(xs).ravel()
        with np.errstate(all="ignore"):
            value, left = self.root.pair(flat, side=-1)
            _, right = self.root.pair(flat, side=+1)
        defined = np.isfinite(value)
        left, right = np.where(defined, left, np.nan), np.where(defined, right, np.nan)
        return value.reshape(xs.shape), left.reshape(xs.shape), right.reshape(xs.shape)

    def value_and_derivative(self, x) -> tuple[np.ndarray, np.ndarray]:
        """(f(x), f'(x)) as float64 arrays shaped like x; NaN where f or its derivative does not exist.

        The derivative exists where the slopes from the left and from the right agree; it is
        NaN at a corner (|x| at 0) as well as where f is undefined. An infinite slope (sqrt x
        at 0) stays infinite.
        """
        value, left, right = self.one_sided(x)
        return value, np.where(left == right, left, np.nan)

    def slope_at(self, x: float) -> "SlopeAt":
        """f and its one-sided slopes at one point, which say whether and why f′(x) exists."""
        value, left, right = self.one_sided(float(x))
        return SlopeAt(float(x), float(value), float(left), float(right))

    def __call__(self, x):
        value, _ = self.value_and_derivative(x)
        return value if value.ndim else float(value)

    def derivative(self, x):
        _, slope = self.value_and_derivative(x)
        return slope if slope.ndim else float(slope)

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"


@dataclass(frozen=True)
class SlopeAt:
    """f at one point x and its slopes from the left and the right (NaN where f is undefined)."""

    x: float
    value: float
    left: float
    right: float

    @property
    def defined(self) -> bool:
        return math.isfinite(self.value)

    @property
    def differentiable(self) -> bool:
        return self.defined and math.isfinite(self.left) and self.left == self.right

    @property
    def slope(self) -> float:
        """f′(x), or NaN where there is none."""
        return self.left if self.differentiable else math.nan

    @property
    def kind(self) -> str:
        """'smooth' (f′ exists), 'undefined' (no f), 'corner' (two different one-sided slopes),
        'vertical' (an infinite slope) or 'none' (no slope for another reason)."""
        if not self.defined:
            return "undefined"
        if self.differentiable:
            return "smooth"
        if math.isinf(self.left) or math.isinf(self.right):
            return "vertical"
        return "corner" if math.isfinite(self.left) and math.isfinite(self.right) else "none"

    def why_not(self) -> str:
        """Why f′(x) does not exist, in one sentence; "" where it does."""
        at = f"x = {self.x:g}"
        return {"smooth": "",
                "undefined": f"f is not defined at {at}",
                "vertical": f"the slope of f is infinite at {at} (a vertical tangent)",
                "corner": (f"f has a corner at {at}: its slope is {self.left:g} from the left and "
                           f"{self.right:g} from the right, so there is no tangent"),
                "none": f"f has no derivative at {at}"}[self.kind]


def parse_expression(text: str) -> Expression:
    """Check ``text`` against the whitelist and return an Expression, or raise ExpressionError."""
    if not isinstance(text, str):
        raise ExpressionError("the function must be text")
    source = text.strip()
    if not source:
        raise ExpressionError("type a function of x, for example 2*x**2")
    if len(source) > MAX_TEXT_LENGTH:
        raise ExpressionError(f"the function is too long ({len(source)} characters, at most {MAX_TEXT_LENGTH})")
    # Teachers write powers as x^2; Python's ^ is xor, which we do not offer anyway.
    source_for_python = source.replace("^", "**")
    try:
        tree = ast.parse(source_for_python, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        detail = getattr(exc, "msg", None) or "cannot be read"
        raise ExpressionError(f"not a valid formula: {detail}") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExpressionError(f"the function is too complicated ({count} parts, at most {MAX_NODES})")
    root = _convert(tree.body)
    return Expression(source, root)


_BINARY_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


def _convert(node: ast.AST) -> Node:
    """Rebuild a whitelisted ast node as our own Node; refuse everything else."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExpressionError(f"only numbers are allowed, not {value!r}"[:120])
        if isinstance(value, int) and value.bit_length() > 1000:
            raise ExpressionError("a number in the function is too large")
        number = float(value)
        if not math.isfinite(number) or abs(number) > MAX_LITERAL:
            raise ExpressionError("a number in the function is too large")
        return Number(number)
    if isinstance(node, ast.Name):
        if node.id == VARIABLE:
            return Variable()
        if node.id in CONSTANTS:
            return Number(CONSTANTS[node.id], node.id)
        if node.id in FUNCTIONS:
            raise ExpressionError(f"{node.id} needs an argument, for example {node.id}(x)")
        raise ExpressionError(f"unknown name '{node.id}': use x, pi, e and {_function_list()}")
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            return Negate(_convert(node.operand))
        if isinstance(node.op, ast.UAdd):
            return _convert(node.operand)
        raise ExpressionError("only + and - may stand in front of a term")
    if isinstance(node, ast.BinOp):
        op = _BINARY_OPS.get(type(node.op))
        if op is None:
            raise ExpressionError("only + - * / and ** (or ^) are allowed between terms")
        left = _convert(node.left)
        right = _convert(node.right)
        if op == "**":
            _check_exponent(left, right)
        return Binary(op, left, right)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute):
            raise ExpressionError("attribute access (a dot after a name) is not allowed")
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            called = node.func.id if isinstance(node.func, ast.Name) else "that"
            raise ExpressionError(f"'{called}' is not an allowed function; use {_function_list()}"[:160])
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ExpressionError(f"{node.func.id} takes exactly one argument, for example {node.func.id}(x)")
        return Call(node.func.id, _convert(node.args[0]))
    if isinstance(node, ast.Attribute):
        raise ExpressionError("attribute access (a dot after a name) is not allowed")
    raise ExpressionError(f"'{type(node).__name__}' is not allowed in a function of x")


def _check_exponent(base: Node, exponent: Node) -> None:
    """Refuse powers whose size is absurd, before anything is computed."""
    power = exponent.constant_value()
    if power is None:
        return  # x**x and friends: NumPy floats overflow to inf, they cannot hang
    if not math.isfinite(power) or abs(power) > MAX_EXPONENT:
        raise ExpressionError(f"exponent too large (at most {MAX_EXPONENT:g} in size)")


def _function_list() -> str:
    return ", ".join(FUNCTIONS)
