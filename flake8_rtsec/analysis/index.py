"""The per-file index: one pass over flake8's tree, shared by the four families.

flake8 gives every tree plugin the same tree object and runs them all on one
file before the next, so the first family to run builds the index and the
others find it in a one-entry cache.  (A weak dict keyed by the tree would
never let go: the index refers to its tree, so every file's tree and index
would live until flake8 exits.)  The tree is only read: parents, buckets and
derived facts live here.
"""

import ast
import operator
import re
from collections import defaultdict
from typing import Callable, Dict, Iterator, List, Optional, Type

from flake8_rtsec.options import Config

# Operator and context nodes carry no position and are shared objects.
_LEAF_TYPES = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)

FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
SCOPE_TYPES = FUNCTION_TYPES + (ast.ClassDef, ast.Module)

_LAST: List["FileIndex"] = []


def index_for(tree: ast.AST, filename: str, lines: List[str], config: Config) -> "FileIndex":
    # The cached index holds its tree, so no other tree can reuse its id.
    index = _LAST[0] if _LAST else None
    if index is None or index.tree is not tree or index.config is not config:
        if index is not None:
            # Derived facts refer back to their index (resolver, lock model):
            # without this, the previous file's index and tree would wait as
            # cyclic garbage for a full collection, which costs every file.
            index._memo.clear()
        index = FileIndex(tree, filename, lines, config)
        _LAST[:] = [index]
    return index


def release(tree: ast.AST) -> None:
    """Drop the cached index of `tree` once no family will ask for it again.

    Until then it holds the file's whole tree, which every garbage collection
    flake8 runs while it works on the next file would have to traverse."""
    if _LAST and _LAST[0].tree is tree:
        _LAST[0]._memo.clear()
        _LAST.clear()


class FileIndex:
    """Nodes by type in source order, parent links, and a memo for derived facts."""

    __slots__ = ("tree", "filename", "lines", "config", "parents", "_by_type", "_memo", "_nearest")

    def __init__(self, tree: ast.AST, filename: str, lines: List[str], config: Config) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines
        self.config = config
        self.parents: Dict[ast.AST, ast.AST] = {}
        self._by_type: Dict[type, List[ast.AST]] = defaultdict(list)
        self._memo: Dict[object, object] = {}
        self._nearest: Dict[tuple, Dict[ast.AST, Optional[ast.AST]]] = {}
        self._collect(tree)

    def _collect(self, tree: ast.AST) -> None:
        # Iterative pre-order walk: deeply nested code must not hit the
        # recursion limit, and children are pushed reversed to keep order.
        # This pass is most of the plugin's cost, so each node class's child
        # fields are looked up once (`_child_fields`), not probed per node.
        parents = self.parents
        by_type = self._by_type
        fields_of = _CHILD_FIELDS
        stack = [tree]
        pop = stack.pop
        push = stack.append
        while stack:
            node = pop()
            kind = type(node)
            by_type[kind].append(node)
            fields = fields_of.get(kind, _MISSING)
            if fields is _MISSING:
                fields = fields_of[kind] = _child_fields(kind)
            if fields is None:
                for child in reversed(_probed_children(node)):
                    parents[child] = node
                    push(child)
                continue
            for name, many in fields:
                value = getattr(node, name, None)
                if many:
                    for child in reversed(value or ()):
                        if child is not None:  # `**spread` has no key in a Dict
                            parents[child] = node
                            push(child)
                elif value is not None:
                    parents[value] = node
                    push(value)

    def nodes(self, *types: Type[ast.AST]) -> List[ast.AST]:
        """All nodes of the given types, in source order."""
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        found = [node for kind in types for node in self._by_type.get(kind, ())]
        try:
            found.sort(key=_LOCATION)  # much faster than _position, when all have one
        except AttributeError:
            found.sort(key=_position)
        return found

    def parent(self, node: ast.AST) -> Optional[ast.AST]:
        return self.parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        parent = self.parents.get(node)
        while parent is not None:
            yield parent
            parent = self.parents.get(parent)

    def nearest(self, node: ast.AST, kinds: tuple) -> Optional[ast.AST]:
        """The nearest proper ancestor of `node` of one of `kinds`, or None.

        Every node climbed through keeps its answer, so the nodes of one
        statement or scope share a single climb instead of each walking up
        through every enclosing block."""
        known = self._nearest.get(kinds)
        if known is None:
            known = self._nearest[kinds] = {}
        parents = self.parents
        climbed = []
        current = node
        while current not in known:
            climbed.append(current)
            parent = parents.get(current)
            if parent is None or isinstance(parent, kinds):
                found = parent
                break
            current = parent
        else:
            found = known[current]
        for climbed_node in climbed:
            known[climbed_node] = found
        return found

    def scope_of(self, node: ast.AST) -> ast.AST:
        """The innermost function, lambda, class or module containing `node`."""
        scope = self.nearest(node, SCOPE_TYPES)
        return self.tree if scope is None else scope

    def enclosing_function(self, node: ast.AST) -> Optional[ast.AST]:
        scope = self.scope_of(node)
        return scope if isinstance(scope, FUNCTION_TYPES) else None

    def names_by_id(self) -> Dict[str, List[ast.Name]]:
        """Name nodes grouped by identifier, each group in source order.

        One pass over the names serves every question about a few
        identifiers, instead of one pass over all of them per question."""
        return self.memo(("names-by-id",), self._group_names)

    def _group_names(self) -> Dict[str, List[ast.Name]]:
        groups: Dict[str, List[ast.Name]] = {}
        for name in self._by_type.get(ast.Name, ()):
            group = groups.get(name.id)
            if group is None:
                groups[name.id] = [name]
            else:
                group.append(name)
        return groups

    def memo(self, key: object, compute: Callable[[], object]) -> object:
        """Compute a derived fact once per file, whichever family asks first."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


_LOCATION = operator.attrgetter("lineno", "col_offset")


def _position(node: ast.AST):
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


# ASDL field types whose values are never child nodes: scalars, and the
# shared operator and context singletons.
_SCALAR_FIELD_TYPES = frozenset(
    {
        "identifier",
        "string",
        "constant",
        "int",
        "expr_context",
        "operator",
        "boolop",
        "unaryop",
        "cmpop",
    }
)
_MISSING = object()
_CHILD_FIELDS: Dict[type, Optional[tuple]] = {}
_SIGNATURE_FIELD = re.compile(r"(\w+)([*?]?) (\w+)")


def _child_fields(kind: type) -> Optional[tuple]:
    """(field, is a list) for the fields of `kind` that hold child nodes, last
    field first; None when `kind` does not document its ASDL signature
    (`BinOp(expr left, operator op, expr right)`), and is then probed per node."""
    head = (kind.__doc__ or "").split("\n", 1)[0]
    prefix = kind.__name__ + "("
    if not head.startswith(prefix):
        return None
    types = {
        name: (field_type, marker)
        for field_type, marker, name in _SIGNATURE_FIELD.findall(head[len(prefix):])
    }
    if set(types) != set(kind._fields):
        return None
    children = tuple(
        (name, types[name][1] == "*")
        for name in kind._fields
        if types[name][0] not in _SCALAR_FIELD_TYPES
    )
    return tuple(reversed(children))


def _probed_children(node: ast.AST) -> List[ast.AST]:
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
    return children
