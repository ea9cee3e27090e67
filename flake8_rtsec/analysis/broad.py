"""Which exception types are broad: bare `except:`, `Exception`, `BaseException`.

Also their `builtins.` spellings, tuples holding one (nested, starred or
joined with `+`), names bound to any of these (module level, class level
through `self.X`/`cls.X`/`Class.X`, or once in the enclosing function),
classes listed in `rtsec-broad-exceptions`, and, with `rtsec-infer=project`,
names imported from the project that astroid resolves to one of these.
"""

import ast
import operator
import os
from itertools import repeat
from typing import Dict, Iterator, List, Optional

from flake8_rtsec.analysis.index import FUNCTION_TYPES, FileIndex
from flake8_rtsec.analysis.display import shown
from flake8_rtsec.analysis.names import resolver_for
from flake8_rtsec.analysis.words import calls_named, file_words

BARE = "bare except"
BROAD_BUILTINS = {"BaseException": "BaseException", "Exception": "Exception"}
# Modules through which the builtins are spelled: `builtins.Exception`,
# Python 2's `__builtin__`, and `six.moves.builtins`.
_BUILTIN_MODULES = ("builtins.", "__builtin__.", "six.moves.builtins.")
# When a tuple holds several, the broadest one names it.
_RANK = {BARE: 3, "BaseException": 2, "Exception": 1}

_MAX_NODES = 200  # a type expression larger than this is not a catch-all

SUPPRESS = frozenset({"contextlib.suppress"})
_SUPPRESS_ATTRIBUTE = frozenset({"suppress"})


def broad_type(index: FileIndex, type_expr: Optional[ast.AST]) -> Optional[str]:
    """`bare except`, `BaseException`, `Exception` or the configured broad class
    that `type_expr` catches; None when it catches only narrow types."""
    if type_expr is None:
        return BARE
    return _broadest(index, [type_expr])


def suppressed_broad_type(index: FileIndex, call: ast.Call) -> Optional[str]:
    """The broad type a `contextlib.suppress(...)` call swallows, if any."""
    func = call.func
    if isinstance(func, ast.Name):
        if resolver_for(index).resolved(func.id) not in SUPPRESS:
            return None
    elif not isinstance(func, ast.Attribute) or func.attr != "suppress":
        return None  # a qualified name ends with the callee's own last part
    elif resolver_for(index).qualified_name(func) not in SUPPRESS:
        return None
    return _broadest(index, list(call.args))


def suppress_calls(index: FileIndex) -> Iterator[ast.Call]:
    """The calls that may be `contextlib.suppress(...)`, in file order: of an
    attribute `suppress`, or of a bare name that resolves to it; read from
    the callees' last parts instead of every call's nodes.

    A name resolves to `contextlib.suppress` only through an import or an
    attribute that spells `suppress`: a file that never writes it has none
    (an ASCII one: identifiers are compared once NFKC-normalized)."""
    lines = index.lines
    if (
        lines
        and all(map(str.isascii, lines))
        and not any(map(operator.contains, lines, repeat("suppress")))
    ):
        return iter(())
    names = resolver_for(index)
    return calls_named(index, _SUPPRESS_ATTRIBUTE, lambda name: names.resolved(name) in SUPPRESS)


def catches_base_exception(kind: Optional[str]) -> bool:
    """Bare and BaseException handlers also catch SystemExit and KeyboardInterrupt."""
    return kind in (BARE, "BaseException")


def _broadest(index: FileIndex, expressions: List[ast.AST]) -> Optional[str]:
    found = None
    for kind in _kinds(index, expressions):
        if _RANK.get(kind, 1) > _RANK.get(found, 0):
            found = kind
    return found


def _kinds(index: FileIndex, expressions: List[ast.AST]) -> Iterator[str]:
    """The broad classes among the types `expressions` name, following
    tuples, `+`, `*` and names bound to them (each binding once)."""
    names = resolver_for(index)
    configured = index.config.broad_exceptions
    pending = list(expressions)
    followed = set()
    seen = 0
    while pending and seen < _MAX_NODES:
        expr = pending.pop()
        seen += 1
        if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
            pending.extend(expr.elts)
        elif isinstance(expr, ast.Starred):
            pending.append(expr.value)
        elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            pending.extend((expr.left, expr.right))
        elif isinstance(expr, (ast.Name, ast.Attribute)):
            bound = _bound_value(index, expr)
            if bound is not None:
                if bound not in followed:
                    followed.add(bound)
                    pending.append(bound)
                continue
            written = shown(expr)
            qualified = names.qualified_name(expr) or written
            kind = _builtin_kind(index, expr, qualified)
            if kind is None and (qualified in configured or written in configured):
                kind = written
            if kind is None:
                kind = _imported_kind(index, expr, qualified)
            if kind:
                yield kind


def _builtin_kind(index: FileIndex, expr: ast.AST, qualified: str) -> Optional[str]:
    for module in _BUILTIN_MODULES:
        if qualified.startswith(module):
            kind = BROAD_BUILTINS.get(qualified[len(module) :])
            if kind and not (isinstance(expr, ast.Name) and _shadowed(index, expr.id)):
                return kind
    return None


def _shadowed(index: FileIndex, name: str) -> bool:
    """A module-level `class Exception(...)` or `def` hides the builtin."""

    def collect():
        return frozenset(
            statement.name
            for statement in getattr(index.tree, "body", ())
            if isinstance(statement, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        )

    return name in index.memo(_shadowed, collect)


def _imported_kind(index: FileIndex, expr: ast.AST, qualified: str) -> Optional[str]:
    """With `rtsec-infer=project`, what an imported name is bound to in the
    project's module that defines it (`from .errors import CATCH_ALL`)."""
    if index.config.infer != "project" or qualified == shown(expr):
        return None
    if qualified.startswith(_BUILTIN_MODULES):
        return None
    from flake8_rtsec.analysis.infer import imported_broad_type

    return imported_broad_type(index, qualified)


def _bound_value(index: FileIndex, expr: ast.AST) -> Optional[ast.AST]:
    """What a name or class attribute used as an exception type is bound to,
    when the file binds it once: in the enclosing function, at module level,
    or in a class body (`self.ERRORS`, `cls.ERRORS`, `Class.ERRORS`)."""
    if index.config.infer == "off":
        return None
    if isinstance(expr, ast.Name):
        if _stores_of(index, expr.id):
            function = index.enclosing_function(expr)
            if function is not None:
                local = _local_binding(index, function, expr.id)
                if local is not None:
                    return local
        bound = resolver_for(index).bound_value(expr.id)
        if isinstance(bound, (ast.Tuple, ast.List, ast.BinOp)):
            return bound  # plain names are followed by qualified_name
        return None
    receiver = expr.value
    if not isinstance(receiver, ast.Name):
        return None
    if receiver.id in ("self", "cls"):
        owner = next((a for a in index.ancestors(expr) if isinstance(a, ast.ClassDef)), None)
    else:
        owner = _module_classes(index).get(receiver.id)
    if owner is None:
        return None
    return _class_bindings(index, owner).get(expr.attr)


def _local_binding(index: FileIndex, function: ast.AST, name: str) -> Optional[ast.AST]:
    """What `name` is bound to when assigned exactly once in the function's
    own body (not a parameter, not a loop or `with` target), else None."""

    def compute():
        value = None
        for node in _stores_of(index, name):
            if index.enclosing_function(node) is not function:
                continue
            parent = index.parent(node)
            single = (
                isinstance(parent, ast.Assign)
                and len(parent.targets) == 1
                and parent.targets[0] is node
            )
            if value is not None or not single:
                return None
            value = parent.value
        arguments = function.args
        for argument in [
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            arguments.vararg,
            arguments.kwarg,
        ]:
            if argument is not None and argument.arg == name:
                return None
        return value

    return index.memo(("local-binding", function, name), compute)


def _stores_of(index: FileIndex, name: str) -> List[ast.Name]:
    """The names `name` is bound or deleted through in the file (not loaded).
    Most handler types are never stored: the file's stored words say so
    without grouping its names."""

    def collect():
        if name not in file_words(index).stored():
            return []
        spelled = index.names_by_id().get(name, ())
        return [node for node in spelled if type(node.ctx) is not ast.Load]

    return index.memo(("stores-of", name), collect)


def _module_classes(index: FileIndex) -> Dict[str, ast.ClassDef]:
    def collect():
        return {
            statement.name: statement
            for statement in getattr(index.tree, "body", ())
            if isinstance(statement, ast.ClassDef)
        }

    return index.memo(_module_classes, collect)


def _class_bindings(index: FileIndex, owner: ast.ClassDef) -> Dict[str, ast.AST]:
    """Names bound once in the class body, or else in a base class of the file."""

    def collect():
        found: Dict[str, ast.AST] = {}
        classes = _module_classes(index)
        queue = [owner]
        visited = set()
        while queue:
            klass = queue.pop(0)
            if klass in visited:
                continue
            visited.add(klass)
            own: Dict[str, ast.AST] = {}
            twice = set()
            for statement in klass.body:
                if isinstance(statement, ast.Assign):
                    for target in statement.targets:
                        if isinstance(target, ast.Name):
                            if target.id in own:
                                twice.add(target.id)
                            own[target.id] = statement.value
            for name, value in own.items():
                if name not in twice:
                    found.setdefault(name, value)
            queue.extend(
                classes[base.id]
                for base in klass.bases
                if isinstance(base, ast.Name) and base.id in classes
            )
        return found

    return index.memo((_class_bindings, owner), collect)


def enclosing_function_names(index: FileIndex, node: ast.AST) -> List[str]:
    """The qualified names (`Class.method`, `outer.inner`) of the functions
    around `node`, innermost first; prefixed by the module's dotted name
    when the file sits in a package (`nova.service.Service.start`)."""
    parts: List[ast.AST] = [
        a for a in index.ancestors(node) if isinstance(a, (ast.ClassDef, *FUNCTION_TYPES[:2]))
    ]
    names: List[str] = []
    for position, scope in enumerate(parts):
        if isinstance(scope, ast.ClassDef):
            continue
        qualname = ".".join(s.name for s in reversed(parts[position:]))
        names.append(qualname)
    module = _module_name(index)
    if module:
        names.extend(f"{module}.{name}" for name in list(names))
    return names


def enclosing_decorator_names(index: FileIndex, node: ast.AST) -> List[str]:
    """The decorators of the functions around `node`, each as written
    (`periodic_task.periodic_task`) and by qualified name."""
    names = resolver_for(index)
    found: List[str] = []
    for ancestor in index.ancestors(node):
        for decorator in getattr(ancestor, "decorator_list", ()):
            callee = decorator.func if isinstance(decorator, ast.Call) else decorator
            found.append(shown(callee))
            qualified = names.qualified_name(callee)
            if qualified:
                found.append(qualified)
    return found


def _module_name(index: FileIndex) -> str:
    def compute():
        from flake8_rtsec.analysis.infer import project_location

        location = project_location(index.filename)
        if location is None:
            return ""
        stem = os.path.splitext(os.path.basename(index.filename))[0]
        package = location[1]
        if stem == "__init__":
            return package
        return f"{package}.{stem}" if package else stem

    return index.memo(_module_name, compute)
