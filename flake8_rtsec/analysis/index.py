"""The per-file index: one pass over flake8's tree, shared by the four families.

flake8 gives every tree plugin the same tree object, so the first family to
run builds the index and the others find it in a one-entry cache holding
the last file's index.  The tree is only read: parents, buckets and derived facts live here.
"""

import ast
from collections import defaultdict
from typing import Callable, Dict, Iterator, List, Optional, Type

from flake8_rtsec.options import Config

# Operator and context nodes carry no position and are shared objects.
_LEAF_TYPES = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)

FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
SCOPE_TYPES = FUNCTION_TYPES + (ast.ClassDef, ast.Module)

# Only the last file's index: flake8 runs all families on one tree before the
# next file.  A weak cache keyed by the tree kept every file alive, since the
# index refers to its tree (and a growing heap makes every GC pass slower).
_LAST: List["FileIndex"] = []


def index_for(tree: ast.AST, filename: str, lines: List[str], config: Config) -> "FileIndex":
    if _LAST and _LAST[0].tree is tree and _LAST[0].config is config:
        return _LAST[0]
    index = FileIndex(tree, filename, lines, config)
    _LAST[:] = [index]
    return index


class FileIndex:
    """Nodes by type in source order, parent links, and a memo for derived facts."""

    __slots__ = ("tree", "filename", "lines", "config", "parents", "_by_type", "_memo")

    def __init__(self, tree: ast.AST, filename: str, lines: List[str], config: Config) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines
        self.config = config
        self.parents: Dict[ast.AST, ast.AST] = {}
        self._by_type: Dict[type, List[ast.AST]] = defaultdict(list)
        self._memo: Dict[object, object] = {}
        self._collect(tree)

    def _collect(self, tree: ast.AST) -> None:
        # Iterative pre-order walk: deeply nested code must not hit the
        # recursion limit, and children are pushed reversed to keep order.
        parents = self.parents
        by_type = self._by_type
        stack = [tree]
        while stack:
            node = stack.pop()
            by_type[type(node)].append(node)
            children = []
            for name in node._fields:
                value = getattr(node, name, None)
                if isinstance(value, list):
                    children.extend(
                        item
                        for item in value
                        if isinstance(item, ast.AST) and not isinstance(item, _LEAF_TYPES)
                    )
                elif isinstance(value, ast.AST) and not isinstance(value, _LEAF_TYPES):
                    children.append(value)
            for child in reversed(children):
                parents[child] = node
                stack.append(child)

    def nodes(self, *types: Type[ast.AST]) -> List[ast.AST]:
        """All nodes of the given types, in source order."""
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        found = [node for kind in types for node in self._by_type.get(kind, ())]
        found.sort(key=_position)
        return found

    def parent(self, node: ast.AST) -> Optional[ast.AST]:
        return self.parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        parent = self.parents.get(node)
        while parent is not None:
            yield parent
            parent = self.parents.get(parent)

    def scope_of(self, node: ast.AST) -> ast.AST:
        """The innermost function, lambda, class or module containing `node`."""
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, SCOPE_TYPES):
                return ancestor
        return self.tree

    def enclosing_function(self, node: ast.AST) -> Optional[ast.AST]:
        scope = self.scope_of(node)
        return scope if isinstance(scope, FUNCTION_TYPES) else None

    def memo(self, key: object, compute: Callable[[], object]) -> object:
        """Compute a derived fact once per file, whichever family asks first."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


def _position(node: ast.AST):
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
