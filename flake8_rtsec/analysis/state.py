"""Shared state and the places that write or iterate it.

State is an attribute of `self` (named by the attribute, however deep the
store goes: `self.stats[node].failed = 1` writes `stats`) or a module
global (`_CACHE[key] = value` in a function).  Local names that alias it
count too: `cn = self.compute_nodes[n]; cn.free_ram_mb = 0` writes
`compute_nodes`, and `stats = self.stats; stats.clear()` writes `stats`.
A local is an alias only when every binding of it in its function is a pure
attribute/subscript chain of state (or `.get()`/`.setdefault()` of one, or
the loop variable over one); an object the function created, or got back
from any other call, is its own (`resources = self.driver.get_resources()`
is not `self.driver`).
"""

import ast
import operator
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Set, Tuple

from flake8_rtsec.analysis.index import FUNCTION_TYPES, FileIndex
from flake8_rtsec.analysis.methods import class_models

MUTATING_METHODS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "pop",
        "popitem",
        "remove",
        "discard",
        "add",
        "update",
        "clear",
        "setdefault",
        "sort",
        "reverse",
    }
)
# Calls whose result is (part of) the receiver itself, not a new object.
_ALIASING_CALLS = frozenset({"get", "setdefault"})
_VIEW_CALLS = frozenset({"items", "keys", "values"})
ITERATING_BUILTINS = frozenset(
    f"builtins.{name}" for name in ("list", "tuple", "sorted", "dict", "set", "frozenset")
)

_ITERATING_NAMES = frozenset(name.split(".", 1)[1] for name in ITERATING_BUILTINS)
_MAX_ALIAS_HOPS = 8
_LOCATION = operator.attrgetter("lineno", "col_offset")
_STORE_PARENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)


@dataclass(frozen=True)
class Write:
    method: str  # the method (or function) whose state binding the write goes through
    attribute: str  # the attribute of self written ("stats"), or the global's name
    node: ast.AST  # what is reported: the store target or the mutating call
    via: str = ""  # the local alias written through, if any


@dataclass(frozen=True)
class StateRef:
    """Where an expression points into shared state."""

    owner: ast.AST  # the ClassDef whose instance holds it, or the Module for globals
    method: ast.AST  # the function binding `self` (or the one using the global)
    attribute: str
    via: str = ""

    def describe(self) -> str:
        name = self.attribute
        if isinstance(self.owner, ast.ClassDef):
            name = "self." + name
        return f"{name} (through {self.via})" if self.via else name


@dataclass(frozen=True)
class Iteration:
    node: ast.AST  # what is reported: the iterated expression
    ref: StateRef


def state_resolver(index: FileIndex) -> "StateResolver":
    return index.memo(StateResolver, lambda: StateResolver(index))


def writes_by_class(index: FileIndex) -> Dict[ast.ClassDef, List[Write]]:
    """Writes to `self` state, by class (construction included)."""
    return _all_writes(index)[0]


def global_writes(index: FileIndex) -> List[Write]:
    """Writes to module globals made inside functions (import time is not a race)."""
    return _all_writes(index)[1]


def iterations(index: FileIndex) -> List[Iteration]:
    """`for`, comprehensions, `list(...)`-style copies and `.items()` views
    over shared state, anywhere in a function."""
    return index.memo(Iteration, lambda: _collect_iterations(index))


def _all_writes(index: FileIndex):
    return index.memo(Write, lambda: _collect_writes(index))


def _collect_writes(index: FileIndex):
    by_class: Dict[ast.ClassDef, List[Write]] = {}
    globals_: List[Write] = []
    resolver = state_resolver(index)
    enclosing_function = index.enclosing_function
    may_write = resolver.may_write
    # Filtered per type, then put in file order: sorting every call of the
    # file would cost more than the few writes among them.
    candidates = [
        node
        for kind in (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete, ast.Call)
        for node in index.nodes(kind)
        if may_write(node)
    ]
    candidates.sort(key=_LOCATION)
    for node in candidates:
        function = enclosing_function(node)
        if function is None:
            continue
        for ref, reported in resolver.written(node, function):
            write = Write(getattr(ref.method, "name", "<lambda>"), ref.attribute, reported, ref.via)
            if isinstance(ref.owner, ast.ClassDef):
                by_class.setdefault(ref.owner, []).append(write)
            else:
                globals_.append(write)
    return by_class, globals_


def _collect_iterations(index: FileIndex) -> List[Iteration]:
    resolver = state_resolver(index)
    found = []
    candidates = [node.iter for node in index.nodes(ast.For, ast.AsyncFor, ast.comprehension)]
    names = resolver.names
    for call in index.nodes(ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr not in _ITERATING_NAMES:
            continue  # its name ends with that attribute
        if call.args and names.qualified_name(func) in ITERATING_BUILTINS:
            candidates.append(call.args[0])
    enclosing_function = index.enclosing_function
    for expr in candidates:
        function = enclosing_function(expr)
        if function is None:
            continue
        target = expr
        if _is_view_call(expr):
            target = expr.func.value
        ref = resolver.resolve(target, function)
        if ref is not None:
            found.append(Iteration(expr, ref))
    found.sort(key=lambda it: (it.node.lineno, it.node.col_offset))
    return found


def _is_view_call(expr: ast.AST) -> bool:
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr in _VIEW_CALLS
        and not expr.args
    )


class StateResolver:
    """Resolves expressions to the shared state they point into."""

    def __init__(self, index: FileIndex) -> None:
        from flake8_rtsec.analysis.names import resolver_for

        self._index = index
        self.names = resolver_for(index)
        self._scope_of = index.scope_of
        # (scope, name) -> binding nodes: Name stores, parameters, defs, imports
        # scope -> name -> its binding node, or a list of them when rebound
        self._bindings: Dict[ast.AST, Dict[str, object]] = {}
        self._declared_global: Set[Tuple[ast.AST, str]] = set()
        self._module_state: Set[str] = set()
        self._methods: Dict[ast.AST, ast.ClassDef] = {}
        self._self_names: Dict[ast.AST, Optional[str]] = {}
        self._aliases: Dict[Tuple[ast.AST, str], Optional[StateRef]] = {}
        self._collect()

    def _collect(self) -> None:
        index = self._index
        scope_of = self._scope_of
        for model in class_models(index):
            for method in model.methods.values():
                self._methods[method] = model.node
                self._self_names[method] = model.self_name(method)
        not_state = set()
        for name in index.nodes(ast.Name):
            if isinstance(name.ctx, ast.Store):
                scope = scope_of(name)
                self._bind(scope, name.id, name)
                if isinstance(scope, ast.Module):
                    self._module_state.add(name.id)
        for arg in index.nodes(ast.arg):
            function = index.parent(index.parent(arg))
            self._bind(function, arg.arg, arg)
        for node in index.nodes(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            scope = scope_of(node)
            self._bind(scope, node.name, node)
            not_state.add(node.name)
        for node in index.nodes(ast.Import, ast.ImportFrom):
            scope = scope_of(node)
            for alias in node.names:
                bound = alias.asname or alias.name.split(".", 1)[0]
                self._bind(scope, bound, node)
                not_state.add(bound)
        for handler in index.nodes(ast.ExceptHandler):
            if handler.name:
                self._bind(scope_of(handler), handler.name, handler)
        for declaration in index.nodes(ast.Global):
            scope = scope_of(declaration)
            for name in declaration.names:
                self._declared_global.add((scope, name))
        self._module_state -= not_state

    def _bind(self, scope: ast.AST, name: str, node: ast.AST) -> None:
        # Most names are bound once: keep the node itself, a list only when rebound.
        names = self._bindings.setdefault(scope, {})
        bound = names.get(name)
        if bound is None:
            names[name] = node
        elif isinstance(bound, list):
            bound.append(node)
        else:
            names[name] = [bound, node]

    def _bindings_of(self, scope: ast.AST, name: str) -> List[ast.AST]:
        bound = self._bindings[scope][name]
        return bound if isinstance(bound, list) else [bound]

    # -- resolution ------------------------------------------------------

    def resolve(self, expr: ast.AST, function: ast.AST, _hops: int = 0) -> Optional[StateRef]:
        """The state `expr` is, or is part of: `self.x[k].y` -> x, an alias -> its state."""
        attribute = None
        layers = 0
        while isinstance(expr, (ast.Attribute, ast.Subscript)):
            if isinstance(expr, ast.Attribute):
                attribute = expr.attr
            expr = expr.value
            layers += 1
        if not isinstance(expr, ast.Name):
            return None
        scope = self._binding_scope(expr.id, function)
        if isinstance(scope, ast.Module):
            if expr.id in self._module_state:
                return StateRef(self._index.tree, function, expr.id)
            return None
        if scope is None:
            return None
        if self._is_self(expr.id, scope):
            if layers == 0:
                return None
            return StateRef(self._methods[scope], scope, attribute)
        if _hops >= _MAX_ALIAS_HOPS:
            return None
        ref = self._alias(scope, expr.id, _hops + 1)
        if ref is None:
            return None
        return StateRef(ref.owner, ref.method, ref.attribute, expr.id)

    def _binding_scope(self, name: str, function: ast.AST) -> Optional[ast.AST]:
        """The function (or the module) whose binding of `name` `function` sees."""
        scope = function
        while isinstance(scope, FUNCTION_TYPES):
            if (scope, name) in self._declared_global:
                return self._index.tree
            if name in self._bindings.get(scope, ()):
                return scope
            scope = self._scope_of(scope)
            while isinstance(scope, ast.ClassDef):  # class bodies are not enclosing scopes
                scope = self._scope_of(scope)
        if isinstance(scope, ast.Module):
            return scope
        return None

    def _is_self(self, name: str, scope: ast.AST) -> bool:
        if self._self_names.get(scope) != name:
            return False
        # `self` rebound in the method is not the instance any more.
        return all(isinstance(b, ast.arg) for b in self._bindings_of(scope, name))

    def _alias(self, scope: ast.AST, name: str, hops: int) -> Optional[StateRef]:
        key = (scope, name)
        if key in self._aliases:
            return self._aliases[key]
        self._aliases[key] = None  # a cycle of aliases points at nothing
        found: Optional[StateRef] = None
        for binding in self._bindings_of(scope, name):
            ref = self._aliased_by(binding, scope, hops)
            if ref is None or (found is not None and (ref.owner, ref.attribute) != (
                found.owner,
                found.attribute,
            )):
                found = None
                break
            found = ref
        self._aliases[key] = found
        return found

    def _aliased_by(self, binding: ast.AST, scope: ast.AST, hops: int) -> Optional[StateRef]:
        """What state one binding of a local makes it an alias of, if any."""
        if not isinstance(binding, ast.Name):
            return None
        parent = self._index.parent(binding)
        value = None
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            if binding is getattr(parent, "target", None) or binding in getattr(
                parent, "targets", ()
            ):
                value = _unwrap_aliasing_call(parent.value)
        elif isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)):
            if parent.target is binding:
                value = _element_source(parent.iter, pair=False)
        elif isinstance(parent, ast.Tuple) and len(parent.elts) == 2 and parent.elts[1] is binding:
            loop = self._index.parent(parent)
            if isinstance(loop, (ast.For, ast.AsyncFor, ast.comprehension)) and (
                loop.target is parent
            ):
                value = _element_source(loop.iter, pair=True)
        if value is None or not isinstance(value, (ast.Name, ast.Attribute, ast.Subscript)):
            return None
        return self.resolve(value, scope, hops)

    # -- writes ----------------------------------------------------------

    def may_write(self, node: ast.AST) -> bool:
        """False when `written` surely finds nothing, wherever `node` is:
        a call of no mutating method, or an assignment to plain names only
        in a file that declares no global."""
        if isinstance(node, ast.Call):
            func = node.func
            return isinstance(func, ast.Attribute) and func.attr in MUTATING_METHODS
        if self._declared_global:
            return True
        if isinstance(node, ast.Assign):
            return not all(isinstance(target, ast.Name) for target in node.targets)
        if isinstance(node, ast.Delete):
            return True
        return not isinstance(node.target, ast.Name)

    def written(self, node: ast.AST, function: ast.AST) -> Iterator[Tuple[StateRef, ast.AST]]:
        """(state, reported node) for each write `node` makes."""
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in MUTATING_METHODS:
                ref = self.resolve(func.value, function)
                if ref is not None:
                    yield ref, node
            return
        if isinstance(node, ast.AnnAssign) and node.value is None:
            return
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        stack = list(targets)
        while stack:
            target = stack.pop()
            if isinstance(target, (ast.Tuple, ast.List)):
                stack.extend(target.elts)
            elif isinstance(target, ast.Starred):
                stack.append(target.value)
            elif isinstance(target, ast.Name):
                # A bare name is rebound, not written through, unless global.
                scope = self._binding_scope(target.id, function)
                if (
                    isinstance(scope, ast.Module)
                    and (function, target.id) in self._declared_global
                    and target.id in self._module_state
                ):
                    yield StateRef(scope, function, target.id), target
            else:
                ref = self.resolve(target, function)
                if ref is not None:
                    yield ref, target


def _unwrap_aliasing_call(value: ast.AST) -> ast.AST:
    """`self.stats.get(n)` is part of `self.stats`; any other call result is owned."""
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in _ALIASING_CALLS
    ):
        return value.func.value
    return value


def _element_source(iterable: ast.AST, pair: bool) -> Optional[ast.AST]:
    """The container a loop variable is an element of: `for v in d.values()`,
    `for k, v in d.items()` (pair), `for v in d`."""
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute):
        if not iterable.args and iterable.func.attr == ("items" if pair else "values"):
            return iterable.func.value
        return None
    return None if pair else iterable
