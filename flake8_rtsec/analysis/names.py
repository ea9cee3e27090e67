"""Qualified names and constant values, from the file's imports and bindings.

`from oslo_concurrency import lockutils` makes `lockutils.synchronized` read
as `oslo_concurrency.lockutils.synchronized`; `import logging as std_logging`
makes `std_logging.getLogger` read as `logging.getLogger`.  With
`rtsec-infer=module` or `project`, module-level bindings are followed too:
`synchronized = lockutils.synchronized_with_prefix('nova-')` makes
`synchronized` read as `oslo_concurrency.lockutils.synchronized_with_prefix()`
(a trailing `()` marks "the result of calling"), and `NAME = "x"` folds.
With `project`, imported names that the file cannot see are asked of astroid.
"""

import ast
import builtins
from typing import Dict, Iterator, List, Optional

from flake8_rtsec.analysis.index import FileIndex

BUILTIN_NAMES = frozenset(dir(builtins))


class _NotConstant:
    def __repr__(self) -> str:
        return "NOT_CONSTANT"


NOT_CONSTANT = _NotConstant()

_MAX_HOPS = 8  # alias chains longer than this are not followed


def resolver_for(index: FileIndex) -> "NameResolver":
    return index.memo(NameResolver, lambda: NameResolver(index))


class NameResolver:
    __slots__ = ("_index", "_imports", "_bindings", "_follow_bindings", "_names", "_known")

    def __init__(self, index: FileIndex) -> None:
        self._index = index
        self._follow_bindings = index.config.infer != "off"
        self._imports = _imports_of(index)
        self._bindings = _module_bindings(index.tree) if self._follow_bindings else {}
        self._names: Dict[str, str] = {}  # a bare name -> what it resolves to
        # Every family asks about the same callees: answer each node once.
        self._known: Dict[ast.AST, Optional[str]] = {}

    def qualified_name(self, expr: ast.AST) -> Optional[str]:
        """`a.b.c` spelled with the module the file imported `a` from, or None."""
        known = self._known
        if expr not in known:
            known[expr] = self._qualified(expr, 0)
        return known[expr]

    def _qualified(self, expr: ast.AST, _hops: int) -> Optional[str]:
        # Peeled in a loop, outermost first: `f()()()...` and `a.b.b...` may
        # be nested deeper than the recursion limit.
        suffixes: List[str] = []
        while isinstance(expr, (ast.Attribute, ast.Call)):
            if isinstance(expr, ast.Attribute):
                suffixes.append("." + expr.attr)
                expr = expr.value
            else:
                suffixes.append("()")
                expr = expr.func
        if not isinstance(expr, ast.Name):
            return None
        base = self._name(expr.id, _hops)
        if base is None:
            return None
        return base + "".join(reversed(suffixes))

    def _name(self, name: str, hops: int) -> str:
        if hops == 0:
            if name not in self._names:
                self._names[name] = self._resolve_name(name, 0)
            return self._names[name]
        return self._resolve_name(name, hops)

    def _resolve_name(self, name: str, hops: int) -> str:
        if name in self._imports:
            return self._imports[name]
        bound = self._bindings.get(name)
        if bound is not None and hops < _MAX_HOPS:
            if isinstance(bound, (ast.Name, ast.Attribute, ast.Call)):
                followed = self._qualified(bound, hops + 1)
                if followed is not None:
                    return followed
            return name
        if name in BUILTIN_NAMES:
            return "builtins." + name
        return name

    def constant(self, expr: ast.AST, _depth: int = 0) -> object:
        """The value of `expr` when it folds to a constant, else NOT_CONSTANT."""
        if _depth > _MAX_HOPS * 4:
            return NOT_CONSTANT
        if isinstance(expr, ast.Constant):
            return expr.value
        if isinstance(expr, ast.Name) and expr.id in self._bindings:
            return self.constant(self._bindings[expr.id], _depth + 1)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            left = self.constant(expr.left, _depth + 1)
            right = self.constant(expr.right, _depth + 1)
            if isinstance(left, str) and isinstance(right, str):
                return left + right
            return NOT_CONSTANT
        if isinstance(expr, (ast.Name, ast.Attribute)) and self._index.config.infer == "project":
            qualified = self.qualified_name(expr)
            if qualified and qualified != getattr(expr, "id", None):
                from flake8_rtsec.analysis.infer import imported_constant

                return imported_constant(self._index, qualified)
        return NOT_CONSTANT

    def resolved(self, name: str) -> str:
        """What a bare name reads as anywhere in the file: `qualified_name`
        of a Name spelled `name`."""
        return self._name(name, 0)

    def renames(self, name: str) -> bool:
        """True when the file imports `name` or binds it once at module level
        (followed): only then may it read as something other than itself."""
        return name in self._imports or name in self._bindings

    def bound_value(self, name: str) -> Optional[ast.AST]:
        """What a module-level name is bound to, when bound once (and followed)."""
        return self._bindings.get(name)

    def last_name(self, expr: ast.AST) -> Optional[str]:
        """The final component of a callee, as written: `synchronized` in `utils.synchronized`."""
        if isinstance(expr, ast.Attribute):
            return expr.attr
        if isinstance(expr, ast.Name):
            return expr.id
        return None


def _imports_of(index: FileIndex) -> Dict[str, str]:
    module_level = set(index.tree.body) if isinstance(index.tree, ast.Module) else set()
    imports: Dict[str, str] = {}
    nested: Dict[str, str] = {}
    for node in index.nodes(ast.Import, ast.ImportFrom):
        target = imports if node in module_level else nested
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    target[alias.asname] = alias.name
                else:
                    head = alias.name.split(".", 1)[0]
                    target[head] = head
        else:
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name != "*":
                    joined = f"{module}.{alias.name}" if node.module else module + alias.name
                    target[alias.asname or alias.name] = joined
    for name, qualified in nested.items():
        imports.setdefault(name, qualified)
    return imports


def _module_bindings(tree: ast.AST) -> Dict[str, ast.AST]:
    """Names bound exactly once at module level (import time), to their values."""
    values: Dict[str, ast.AST] = {}
    seen_twice = set()
    # A stack, last statement first: popping the front of a list would be
    # quadratic in the number of module-level statements.
    body = list(reversed(getattr(tree, "body", ())))
    while body:
        statement = body.pop()
        if isinstance(statement, (ast.If, ast.Try)):
            body.extend(reversed([*statement.body, *statement.orelse]))
            continue
        if isinstance(statement, ast.Assign):
            targets = [t.id for t in statement.targets if isinstance(t, ast.Name)]
            value = statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets = [statement.target.id] if isinstance(statement.target, ast.Name) else []
            value = statement.value
        else:
            continue
        for name in targets:
            if name in values:
                seen_twice.add(name)
            values[name] = value
    for name in seen_twice:
        del values[name]
    return values


def unpacked_targets(targets) -> Iterator[ast.AST]:
    """The leaves of assignment targets: `a, (b, *c)` gives a, b, c."""
    pending = list(reversed(targets))
    while pending:
        target = pending.pop()
        if isinstance(target, (ast.Tuple, ast.List)):
            pending.extend(reversed(target.elts))
        elif isinstance(target, ast.Starred):
            pending.append(target.value)
        else:
            yield target


def bound_names(targets) -> List[str]:
    """The plain names assignment targets bind: `a, (b, *c) = ...` gives a, b, c."""
    return [target.id for target in unpacked_targets(targets) if isinstance(target, ast.Name)]
