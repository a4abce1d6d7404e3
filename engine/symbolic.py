"""The derivative of a typed function as a formula, by the rules a student learns.

``differentiate`` walks the tree that ``engine.expressions`` built and applies the sum, product,
quotient, power and chain rules, producing a new tree; ``simplify`` tidies it (0·u = 0, 1·u = u,
u + 0 = u, numbers multiplied out) so that 2*x**2 gives ``4*x`` rather than
``0*x**2 + 2*(2*x**1*1)``; ``to_text`` prints it with only the parentheses that are needed.

The values the app computes come from forward-mode differentiation in ``expressions.py``; this
module gives the same derivative as readable text (the tests check the two agree).
"""

from __future__ import annotations

import math
from fractions import Fraction

from engine.expressions import Binary, Call, Expression, Negate, Node, Number, Variable

ZERO, ONE, TWO = Number(0.0), Number(1.0), Number(2.0)


# --------------------------------------------------------------------------- building blocks
def _number(node: Node) -> float | None:
    """The value of a plain number; None for anything else, pi and e included (kept by name)."""
    return node.value if isinstance(node, Number) and node.name is None else None


def add(a: Node, b: Node) -> Node:
    x, y = _number(a), _number(b)
    if x is not None and y is not None:
        return Number(x + y)
    if x == 0:
        return b
    if y == 0:
        return a
    if isinstance(b, Negate):
        return sub(a, b.operand)
    if y is not None and y < 0:
        return sub(a, Number(-y))
    return Binary("+", a, b)


def sub(a: Node, b: Node) -> Node:
    x, y = _number(a), _number(b)
    if x is not None and y is not None:
        return Number(x - y)
    if y == 0:
        return a
    if x == 0:
        return neg(b)
    if a == b:
        return ZERO
    if isinstance(b, Negate):
        return add(a, b.operand)
    return Binary("-", a, b)


def mul(a: Node, b: Node) -> Node:
    x, y = _number(a), _number(b)
    if x is not None and y is not None:
        return Number(x * y)
    if x == 0 or y == 0:
        return ZERO
    if x == 1:
        return b
    if y == 1:
        return a
    if x == -1:
        return neg(b)
    if y == -1:
        return neg(a)
    if y is not None:  # keep numbers in front: 2*x, not x*2
        return mul(b, a)
    if x is not None and abs(x) < 1 and (1 / x).is_integer():  # 1/7·u reads better as u/7
        return div(b, Number(1 / x))
    if isinstance(a, Negate):
        return neg(mul(a.operand, b))
    if isinstance(b, Negate):
        return neg(mul(a, b.operand))
    if _is_reciprocal(a):  # (1/v)·u = u/v
        return div(b, a.right)
    if _is_reciprocal(b):
        return div(a, b.right)
    if x is not None and isinstance(b, Binary) and b.op == "*" and _number(b.left) is not None:
        return mul(Number(x * b.left.value), b.right)  # 2*(3*u) = 6*u
    return Binary("*", a, b)


def _is_reciprocal(node: Node) -> bool:
    return isinstance(node, Binary) and node.op == "/" and _number(node.left) == 1


def div(a: Node, b: Node) -> Node:
    x, y = _number(a), _number(b)
    if x == 0:
        return ZERO
    if y == 1:
        return a
    if a == b:
        return ONE
    if x is not None and y is not None and y != 0:
        return Number(x / y)
    if isinstance(a, Negate):
        return neg(div(a.operand, b))
    return Binary("/", a, b)


def power(a: Node, b: Node) -> Node:
    y = _number(b)
    if y == 0:
        return ONE
    if y == 1:
        return a
    x = _number(a)
    if x is not None and y is not None:
        with_value = x**y if x > 0 or float(y).is_integer() else math.nan
        if math.isfinite(with_value):
            return Number(with_value)
    return Binary("**", a, b)


def neg(a: Node) -> Node:
    x = _number(a)
    if x is not None:
        return Number(-x)
    if isinstance(a, Negate):
        return a.operand
    return Negate(a)


def call(name: str, a: Node) -> Node:
    node = Call(name, a)
    value = node.constant_value()  # log(e) = 1, sin(0) = 0; log(2) stays readable as log(2)
    if value is not None and math.isfinite(value) and value.is_integer():
        return Number(value)
    return node


# --------------------------------------------------------------------------- the rules
def differentiate(node: Node) -> Node:
    """d(node)/dx as a simplified tree."""
    if isinstance(node, Number):
        return ZERO
    if isinstance(node, Variable):
        return ONE
    if isinstance(node, Negate):
        return neg(differentiate(node.operand))
    if isinstance(node, Binary):
        u, v = node.left, node.right
        du, dv = differentiate(u), differentiate(v)
        if node.op == "+":
            return add(du, dv)
        if node.op == "-":
            return sub(du, dv)
        if node.op == "*":  # product rule
            return add(mul(du, v), mul(u, dv))
        if node.op == "/":
            if not v.depends_on_x:  # dividing by a constant: (u/c)' = u'/c
                return div(du, v)
            return div(sub(mul(du, v), mul(u, dv)), power(v, TWO))  # quotient rule
        if not v.depends_on_x:  # power rule: d(u^c) = c·u^(c−1)·u'
            c = _folded(v)
            return mul(mul(c, power(u, sub(c, ONE))), du)
        if not u.depends_on_x:  # d(c^v) = c^v·ln(c)·v'
            return mul(mul(node, call("log", u)), dv)
        # d(u^v) = u^v·(v'·ln u + v·u'/u)
        return mul(node, add(mul(dv, call("log", u)), div(mul(v, du), u)))
    if isinstance(node, Call):
        u = node.argument
        du = differentiate(u)
        return mul(_outer_derivative(node.name, u), du)  # chain rule
    raise TypeError(f"cannot differentiate {node!r}")


def _folded(node: Node) -> Node:
    """A constant subtree as one number when that prints cleanly (1/3 rather than 1/3 − 1)."""
    value = node.constant_value()
    if isinstance(node, Number) or value is None or not math.isfinite(value):
        return node
    return Number(value) if "e" not in _format_number(value) else node


def _outer_derivative(name: str, u: Node) -> Node:
    """d f(u) / du for each allowed function f."""
    if name == "sin":
        return call("cos", u)
    if name == "cos":
        return neg(call("sin", u))
    if name == "tan":
        return div(ONE, power(call("cos", u), TWO))
    if name == "exp":
        return call("exp", u)
    if name == "log":
        return div(ONE, u)
    if name == "sqrt":
        return div(ONE, mul(TWO, call("sqrt", u)))
    if name == "abs":
        return call("sign", u)
    if name == "tanh":
        return sub(ONE, power(call("tanh", u), TWO))
    if name == "relu":
        return call("step", u)
    if name == "sigmoid":
        return mul(call("sigmoid", u), sub(ONE, call("sigmoid", u)))
    if name in ("sign", "step"):
        return ZERO  # flat everywhere except at the jump, where we choose 0 as for abs and relu
    raise ValueError(f"no derivative rule for {name}")


def corner_arguments(expression: Expression) -> list[str]:
    """Where f may have no derivative by the rules: each argument of abs or relu that depends on x.

    |u| and relu(u) have a corner where u = 0, so their rule (sign u, step u) gives f′ there only by
    convention. Whether f really has a corner depends on the point (x·|x| has none at 0): the
    one-sided slopes of ``Expression.slope_at`` decide. Returned as text, first occurrence first.
    """
    found: list[str] = []

    def walk(node: Node) -> None:
        if isinstance(node, Call):
            if node.name in ("abs", "relu") and node.argument.depends_on_x:
                text = to_text(node.argument)
                if text not in found:
                    found.append(text)
            walk(node.argument)
        elif isinstance(node, Negate):
            walk(node.operand)
        elif isinstance(node, Binary):
            walk(node.left)
            walk(node.right)

    walk(expression.root)
    return found


def derivative_expression(expression: Expression) -> Expression:
    """The derivative as an Expression of its own (it evaluates like any parsed function)."""
    tree = differentiate(expression.root)
    return Expression(to_text(tree), tree)


# --------------------------------------------------------------------------- printing
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4}


def _format_number(value: float) -> str:
    for name, constant in (("pi", math.pi), ("e", math.e)):
        if value == constant:
            return name
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    short = f"{value:.6g}"
    if float(short) == value:
        return short
    fraction = Fraction(value).limit_denominator(1000)  # x/2/3 gives 1/6, not 0.16666666666666666
    if abs(fraction.numerator / fraction.denominator - value) <= 1e-12 * abs(value):
        return f"{fraction.numerator}/{fraction.denominator}"
    return repr(value)


def _precedence(node: Node) -> int:
    if isinstance(node, Binary):
        return _PRECEDENCE[node.op]
    if isinstance(node, Number) and "/" in _format_number(node.value):
        return _PRECEDENCE["/"]  # printed as a fraction: bracket it like one
    if isinstance(node, Negate) or (isinstance(node, Number) and node.value < 0):
        return _PRECEDENCE["neg"]
    return 5


def to_text(node: Node) -> str:
    """Readable formula in the same syntax the parser accepts (so it can be pasted back)."""
    if isinstance(node, Number):
        return node.name or _format_number(node.value)
    if isinstance(node, Variable):
        return "x"
    if isinstance(node, Negate):
        inner = to_text(node.operand)
        return f"-{inner}" if _precedence(node.operand) > _PRECEDENCE["neg"] else f"-({inner})"
    if isinstance(node, Call):
        return f"{node.name}({to_text(node.argument)})"
    mine = _PRECEDENCE[node.op]
    left, right = to_text(node.left), to_text(node.right)
    lp, rp = _precedence(node.left), _precedence(node.right)
    if node.op == "**":  # right-associative, and -2**x means -(2**x)
        if lp <= mine:
            left = f"({left})"
        if rp < mine:
            right = f"({right})"
        return f"{left}**{right}"
    if lp < mine:
        left = f"({left})"
    # a − (b + c) and a / (b * c) need the brackets; a + (b + c) does not
    if rp < mine or (rp == mine and node.op in ("-", "/")):
        right = f"({right})"
    return f"{left} {node.op} {right}" if mine == 1 else f"{left}*{right}" if node.op == "*" else f"{left}/{right}"
