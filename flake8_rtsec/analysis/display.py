"""How an expression appears in a message: `self.token`, `auth['password']`.

`ast.unparse` recurses once per level of nesting, so a valid expression
nested a few hundred levels deep (`a.b.b.b...password`, `f()()()...`)
would raise RecursionError out of the plugin.  Such an expression is shown
by its position and outermost name instead; looking at most `_MAX_NODES`
nodes deep keeps this cheap for the small expressions messages show.
"""

import ast

_MAX_DEPTH = 64
_MAX_NODES = 512


def shown(expr: ast.AST) -> str:
    """`ast.unparse(expr)`, or `(expression at 3:9).password` when too deep."""
    dotted = _dotted(expr)
    if dotted is not None:
        return dotted
    if _is_shallow(expr):
        return ast.unparse(expr)
    where = f"(expression at {expr.lineno}:{expr.col_offset + 1})"
    if isinstance(expr, ast.Attribute):
        return f"{where}.{expr.attr}"
    return where


def _is_shallow(expr: ast.AST) -> bool:
    pending = [(expr, 1)]
    seen = 0
    while pending:
        node, depth = pending.pop()
        seen += 1
        if depth > _MAX_DEPTH or seen > _MAX_NODES:
            return False
        pending.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return True


def _dotted(expr: ast.AST):
    """`exception.NotFound` as `ast.unparse` writes it, without its cost:
    most shown expressions are names and attributes of names.  None for any
    other expression, or a chain too deep to be shown whole (each link and
    its context count towards `_MAX_DEPTH`)."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        if len(parts) > _MAX_DEPTH - 2:
            return None
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))
