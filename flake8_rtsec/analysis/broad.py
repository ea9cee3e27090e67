"""Which exception types are broad: bare `except:`, `Exception`, `BaseException`.

Also their `builtins.` spellings, tuples holding one (nested, starred or
joined with `+`), module-level names bound to any of these, and classes
listed in `rtsec-broad-exceptions`.
"""

import ast
from typing import Optional

from flake8_rtsec.analysis.display import shown
from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.names import resolver_for

BARE = "bare except"
_BUILTIN_BROAD = {"builtins.BaseException": "BaseException", "builtins.Exception": "Exception"}
# When a tuple holds several, the broadest one names it.
_RANK = {BARE: 3, "BaseException": 2, "Exception": 1}

_MAX_NODES = 200  # a type expression larger than this is not a catch-all


def broad_type(index: FileIndex, type_expr: Optional[ast.AST]) -> Optional[str]:
    """`bare except`, `BaseException`, `Exception` or the configured broad class
    that `type_expr` catches; None when it catches only narrow types."""
    if type_expr is None:
        return BARE
    names = resolver_for(index)
    configured = index.config.broad_exceptions
    found = None
    pending = [type_expr]
    seen = 0
    while pending and seen < _MAX_NODES:
        expr = pending.pop()
        seen += 1
        if isinstance(expr, (ast.Tuple, ast.List)):
            pending.extend(expr.elts)
        elif isinstance(expr, ast.Starred):
            pending.append(expr.value)
        elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            pending.extend((expr.left, expr.right))
        elif isinstance(expr, (ast.Name, ast.Attribute)):
            bound = names.bound_value(expr.id) if isinstance(expr, ast.Name) else None
            if isinstance(bound, (ast.Tuple, ast.List, ast.BinOp)):
                pending.append(bound)
                continue
            qualified = names.qualified_name(expr) or ""
            kind = _BUILTIN_BROAD.get(qualified)
            if kind is None and (qualified in configured or _written(expr) in configured):
                kind = _written(expr)
            if kind and _RANK.get(kind, 1) > _RANK.get(found, 0):
                found = kind
    return found


def catches_base_exception(kind: Optional[str]) -> bool:
    """Bare and BaseException handlers also catch SystemExit and KeyboardInterrupt."""
    return kind in (BARE, "BaseException")


def _written(expr: ast.AST) -> str:
    return shown(expr)
