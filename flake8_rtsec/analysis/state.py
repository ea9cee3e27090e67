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
from itertools import compress
from typing import Callable, Dict, Iterator, List, NamedTuple, Optional, Sequence, Set, Tuple

from flake8_rtsec.analysis.index import FUNCTION_TYPES, FileIndex
from flake8_rtsec.analysis.methods import class_models
from flake8_rtsec.analysis.words import ATTRIBUTES, calls_named, file_words

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
_UNBOUND: Tuple[ast.AST, ...] = ()


# The records below are NamedTuples, not frozen dataclasses: files make
# thousands of them and keep them until the file is done, and a tuple is one
# object for the garbage collector to track, built without a __setattr__
# per field.  Equality and hashing are by fields either way.


class Write(NamedTuple):
    method: str  # the method (or function) whose state binding the write goes through
    attribute: str  # the attribute of self written ("stats"), or the global's name
    node: ast.AST  # what is reported: the store target or the mutating call
    via: str = ""  # the local alias written through, if any


class StateRef(NamedTuple):
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


class Iteration(NamedTuple):
    node: ast.AST  # what is reported: the iterated expression
    ref: StateRef


def state_resolver(index: FileIndex) -> "StateResolver":
    return index.memo(StateResolver, lambda: StateResolver(index))


def write_sites(index: FileIndex) -> List[Tuple[ast.AST, ast.AST]]:
    """(statement or call that may write state, its function), in file order;
    `StateResolver.written` says what each one writes.  Import-time code is
    left out: it runs before any thread can race it."""
    candidates = _write_candidates(index, bool(state_resolver(index).declared_globals))
    candidates.sort(key=_LOCATION)
    enclosing_function = index.enclosing_function
    sites = []
    for node in candidates:
        function = enclosing_function(node)
        if function is not None:
            sites.append((node, function))
    return sites


def reaching(index: FileIndex, attributes: Set[str], names: Set[str]) -> Callable[[ast.AST], bool]:
    """Whether code in a function may point into the `attributes` of `self`
    or the module globals `names`: that function, or one around it (whose
    locals it sees), spells `.attribute` or the global's name.  A write or
    loop anywhere else resolves to other state, directly or through aliases,
    so it need not be resolved at all."""
    scope_of = index.scope_of
    spelled = map(attributes.__contains__, file_words(index).of(ATTRIBUTES))
    mentioning = set(map(scope_of, compress(index.nodes(ast.Attribute), spelled)))
    by_id = index.names_by_id()
    mentioning.update(scope_of(node) for name in names for node in by_id.get(name, ()))
    answers: Dict[ast.AST, bool] = {}

    def reaches(function: ast.AST) -> bool:
        answer = answers.get(function)
        if answer is None:
            answer = False
            scope = function
            while isinstance(scope, FUNCTION_TYPES):  # the scopes `resolve` looks names up in
                if scope in mentioning:
                    answer = True
                    break
                scope = scope_of(scope)
                while isinstance(scope, ast.ClassDef):
                    scope = scope_of(scope)
            answers[function] = answer
        return answer

    return reaches


def iterations(index: FileIndex, reaches: Callable[[ast.AST], bool]) -> List[Iteration]:
    """`for`, comprehensions, `list(...)`-style copies and `.items()` views
    over shared state, in the functions `reaches` accepts."""
    resolver = state_resolver(index)
    found = []
    candidates = [node.iter for node in index.nodes(ast.For, ast.AsyncFor, ast.comprehension)]
    names = resolver.names
    # A callee that is not a plain builtin's name may still be one renamed
    # (imported or bound at module level); `f()(x)` or `fs[0](x)` never is.
    for call in calls_named(
        index, _ITERATING_NAMES, lambda name: name in _ITERATING_NAMES or names.renames(name)
    ):
        if call.args and names.qualified_name(call.func) in ITERATING_BUILTINS:
            candidates.append(call.args[0])
    enclosing_function = index.enclosing_function
    for expr in candidates:
        function = enclosing_function(expr)
        if function is None or not reaches(function):
            continue
        target = expr
        if _is_view_call(expr):
            target = expr.func.value
        ref = resolver.resolve(target, function)
        if ref is not None:
            found.append(Iteration(expr, ref))
    found.sort(key=lambda it: (it.node.lineno, it.node.col_offset))
    return found


def _write_candidates(index: FileIndex, globals_declared: bool) -> List[ast.AST]:
    """The statements and calls that may write state, leaving out those
    `written` surely finds nothing in: calls of no mutating method and,
    in a file that declares no global, assignments to plain names only.
    Calls are found from the file's shared callee words.  The kinds come in
    a fixed order, which the caller's stable sort keeps for ties."""
    statements = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)
    if globals_declared:
        candidates = [node for kind in statements for node in index.nodes(kind)]
    else:
        name = ast.Name
        candidates = [
            assign
            for assign in index.nodes(ast.Assign)
            # Most have one target: the generator only runs for `a = b = c`.
            if not isinstance(assign.targets[0], name)
            or (len(assign.targets) > 1 and not all(isinstance(t, name) for t in assign.targets))
        ]
        for kind in (ast.AugAssign, ast.AnnAssign):
            candidates.extend(
                node for node in index.nodes(kind) if not isinstance(node.target, name)
            )
        candidates.extend(index.nodes(ast.Delete))
    candidates.extend(calls_named(index, MUTATING_METHODS))
    return candidates


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
        # Bindings are found on demand, only for the names asked about:
        # a name's binding nodes (Name stores, from the index's names by
        # identifier; defs, imports and handlers) grouped by scope once.
        self._names_by_id = index.names_by_id()
        self._other_bindings: Dict[str, List[ast.AST]] = {}
        self._grouped: Dict[str, Tuple[dict, dict]] = {}
        self._bound: Dict[Tuple[ast.AST, str], Sequence[ast.AST]] = {}
        self._not_state: Set[str] = set()  # def, class and import names, anywhere
        self.declared_globals: Set[Tuple[ast.AST, str]] = set()
        self._methods: Dict[ast.AST, ast.ClassDef] = {}
        self._self_names: Dict[ast.AST, Optional[str]] = {}
        self._aliases: Dict[Tuple[ast.AST, str], Optional[StateRef]] = {}
        self._collect()

    def _collect(self) -> None:
        index = self._index
        for model in class_models(index):
            for method in model.methods.values():
                self._methods[method] = model.node
                self._self_names[method] = model.self_name(method)
        others = self._other_bindings
        not_state = self._not_state
        for node in index.nodes(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            others.setdefault(node.name, []).append(node)
            not_state.add(node.name)
        for node in index.nodes(ast.Import, ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".", 1)[0]
                others.setdefault(bound, []).append(node)
                not_state.add(bound)
        for handler in index.nodes(ast.ExceptHandler):
            if handler.name:
                others.setdefault(handler.name, []).append(handler)
        for declaration in index.nodes(ast.Global):
            scope = self._scope_of(declaration)
            for name in declaration.names:
                self.declared_globals.add((scope, name))

    def _bindings_of(self, scope: ast.AST, name: str) -> Sequence[ast.AST]:
        """What binds `name` in `scope` itself, in a fixed order: Name
        stores, parameters, then defs, imports and handlers."""
        key = (scope, name)
        bound = self._bound.get(key)
        if bound is None:
            stores, others = self._by_scope(name)
            bound = list(stores.get(scope, ()))
            arguments = getattr(scope, "args", None)
            if isinstance(arguments, ast.arguments):
                bound.extend(
                    parameter for parameter in _parameters(arguments) if parameter.arg == name
                )
            bound.extend(others.get(scope, ()))
            # Most scopes asked about do not bind the name: they share one
            # empty tuple instead of each keeping a list alive.
            self._bound[key] = bound = bound or _UNBOUND
        return bound

    def _by_scope(self, name: str):
        """The Name stores and the other bindings of `name`, by scope;
        each binding's scope is found once, when its name is first asked."""
        grouped = self._grouped.get(name)
        if grouped is None:
            scope_of = self._scope_of
            grouped = self._grouped[name] = ({}, {})
            stores, others = grouped
            store = ast.Store
            for node in self._names_by_id.get(name, ()):
                if type(node.ctx) is store:
                    stores.setdefault(scope_of(node), []).append(node)
            for node in self._other_bindings.get(name, ()):
                others.setdefault(scope_of(node), []).append(node)
        return grouped

    def _is_module_state(self, name: str) -> bool:
        """A global assigned at module level, not a def, class or import."""
        return name not in self._not_state and any(
            isinstance(node, ast.Name) for node in self._bindings_of(self._index.tree, name)
        )

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
            if self._is_module_state(expr.id):
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
            if (scope, name) in self.declared_globals:
                return self._index.tree
            if self._bindings_of(scope, name):
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
                # A bare name is rebound, not written through, unless declared
                # global in this very function (which then binds it in the module).
                if (function, target.id) in self.declared_globals and self._is_module_state(
                    target.id
                ):
                    yield StateRef(self._index.tree, function, target.id), target
            else:
                ref = self.resolve(target, function)
                if ref is not None:
                    yield ref, target


def _parameters(arguments: ast.arguments) -> Iterator[ast.arg]:
    """A function's parameters, in the index's (source) order."""
    yield from arguments.posonlyargs
    yield from arguments.args
    if arguments.vararg is not None:
        yield arguments.vararg
    yield from arguments.kwonlyargs
    if arguments.kwarg is not None:
        yield arguments.kwarg


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
