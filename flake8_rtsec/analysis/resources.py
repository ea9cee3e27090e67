"""What a resource dict is, which key an expression names, and where code runs.

A resource dict is a value named like one (`rtsec-resource-names`: a
parameter or variable called `resources`, `limits`, ...) or the result of a
call that returns one (`rtsec-resource-sources`: `get_available_resource`,
`jsonutils.loads`, ...).  A dict the function builds itself (a literal, a
comprehension, `dict(...)`) is not one: every key it has was put there by
the code that reads it.

Everything here answers small questions about single nodes; the per-path
validation state lives in `validation.py`.
"""

import ast
import fnmatch
from bisect import bisect_left, bisect_right
import re
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Pattern, Tuple

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.names import NOT_CONSTANT, resolver_for
from flake8_rtsec.analysis.words import calls_named, file_words

# Scopes whose statements run in order: the unit of the per-path analysis.
SCOPE_TYPES = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
DEF_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)
COMPREHENSION_TYPES = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

# A key written as a constant's name: `orc.VCPU` is 'VCPU' by convention.
_CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9_]*\Z")


def matches(name: str, patterns) -> bool:
    """`fnmatch.fnmatchcase` against any of `patterns`, as one compiled regex:
    this runs for every argument and assignment of the file."""
    return _pattern_of(tuple(patterns)).match(name) is not None


@lru_cache(maxsize=32)
def _pattern_of(patterns: tuple) -> Pattern[str]:
    return re.compile("|".join(fnmatch.translate(pattern) for pattern in patterns) or "(?!)")


def resource_name_pattern(index: FileIndex) -> Pattern[str]:
    return _pattern_of(tuple(index.config.resource_names))


def is_resource_name(index: FileIndex, name: str) -> bool:
    return matches(name, index.config.resource_names)


def is_source_call(index: FileIndex, node: ast.AST) -> bool:
    """A call listed in `rtsec-resource-sources`, by qualified or last name."""
    return isinstance(node, ast.Call) and node in source_calls(index)


def source_calls(index: FileIndex) -> Dict[ast.Call, ast.AST]:
    """The file's resource-source calls in source order, each with its scope;
    found once, as every RTS4 step asks."""

    def compute() -> Dict[ast.Call, ast.AST]:
        tails = {source.rpartition(".")[2] for source in index.config.resource_sources}
        names = resolver_for(index)
        return {
            call: scope_of(index, call)
            for call in calls_named(
                index, tails, lambda name: _is_source(index, names.resolved(name), name)
            )
            if _names_source(index, call)
        }

    return index.memo("rtsec-source-calls", compute)


def _names_source(index: FileIndex, node: ast.Call) -> bool:
    names = resolver_for(index)
    qualified = names.qualified_name(node.func) or ""
    return _is_source(index, qualified, names.last_name(node.func) or "")


def _is_source(index: FileIndex, qualified: str, last: str) -> bool:
    """Whether a callee qualified as `qualified`, written `....last`, is a
    resource source."""
    sources = index.config.resource_sources
    return (
        qualified in sources
        or last in sources
        or any(qualified.endswith("." + source) for source in sources)
    )


def source_label(index: FileIndex, call: ast.Call) -> str:
    return (resolver_for(index).last_name(call.func) or "call") + "()"


def is_built_locally(index: FileIndex, node: ast.AST) -> bool:
    """A dict literal, a dict comprehension or `dict(...)`."""
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return True
    return (
        isinstance(node, ast.Call)
        and resolver_for(index).qualified_name(node.func) == "builtins.dict"
    )


def constant_key(index: FileIndex, node: ast.AST) -> Optional[str]:
    """The string a key expression always has: a literal or a folded constant."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, (ast.Name, ast.Attribute)) and _may_fold(index, node):
        value = resolver_for(index).constant(node)
        if value is not NOT_CONSTANT and isinstance(value, str):
            return value
    return None


def _may_fold(index: FileIndex, node: ast.AST) -> bool:
    """Whether `node` can name a constant at all: bound at module level, or
    reached through an import.  With `rtsec-infer=project` the resolver asks
    astroid about any dotted name; `instance.uuid` or `self.path`, whose
    base is a local or a builtin, is no other module's constant, and asking
    would build and infer modules for nothing."""
    if index.config.infer != "project":
        return True
    names = resolver_for(index)
    if isinstance(node, ast.Name) and names.bound_value(node.id) is not None:
        return True
    base = node
    while isinstance(base, ast.Attribute):
        base = base.value
    if not isinstance(base, ast.Name):
        return True
    qualified = names.qualified_name(base) or base.id
    return qualified != base.id and not qualified.startswith("builtins.")


def tested_key(index: FileIndex, node: ast.AST) -> Optional[str]:
    """The key a key test names.  Besides constants, a constant's name that
    cannot be folded (`orc.VCPU` imported from another package) stands for
    the key it spells: a test may say less than a read, never more."""
    key = constant_key(index, node)
    if key is not None:
        return key
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
    if name and _CONSTANT_NAME.match(name):
        return name
    return None


def literal_keys(node: ast.AST) -> Optional[Tuple[str, ...]]:
    """The strings of a non-empty list, tuple or set literal of strings."""
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)) or not node.elts:
        return None
    if all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return tuple(e.value for e in node.elts)
    return None


def scope_of(index: FileIndex, node: ast.AST) -> ast.AST:
    """The innermost module, class or function whose statements hold `node`
    (lambdas and comprehensions belong to the statement they sit in)."""
    scope = index.nearest(node, SCOPE_TYPES)
    return index.tree if scope is None else scope


def statement_of(index: FileIndex, node: ast.AST) -> Optional[ast.stmt]:
    """The innermost statement holding `node` (a compound statement for the
    nodes in its header: an `if` test, a `for` iterable)."""
    return index.nearest(node, (ast.stmt,))


def runs_later(index: FileIndex, node: ast.AST) -> bool:
    """Whether `node` sits in a lambda or a comprehension of its statement:
    code that may run any number of times, or never."""
    for ancestor in index.ancestors(node):
        if isinstance(ancestor, ast.stmt):
            return False
        if isinstance(ancestor, (ast.Lambda, *COMPREHENSION_TYPES)):
            return True
    return False


def def_of(index: FileIndex, node: ast.AST) -> Optional[ast.AST]:
    """The innermost `def` holding `node`, through nested lambdas and classes."""
    return index.nearest(node, DEF_TYPES)


def statements_in_def(index: FileIndex, kind: type, function: Optional[ast.AST]) -> List[ast.stmt]:
    """The statements of one type held by `function` (not by a def nested in
    it), in source order.  A bucket of statements is in line order, so only
    those on the def's lines are looked at."""
    if function is None:
        return []

    def compute() -> List[ast.stmt]:
        statements = index.nodes(kind)
        lines = index.memo(("rtsec-statement-lines", kind), lambda: [s.lineno for s in statements])
        first = bisect_left(lines, function.lineno)
        last = bisect_right(lines, function.end_lineno)
        return [s for s in statements[first:last] if def_of(index, s) is function]

    return index.memo(("rtsec-statements-in-def", kind, function), compute)


def resolve_function(index: FileIndex, call: ast.Call) -> Optional[ast.AST]:
    """The def `call` calls, when it is in this file: `self.m(...)` and
    `cls.m(...)` in the caller's class, `Class.m(...)` and `f(...)` at
    module level."""
    return index.memo(("rtsec-resolve", call), lambda: _resolve(index, call))


def _resolve(index: FileIndex, call: ast.Call) -> Optional[ast.AST]:
    func = call.func
    if isinstance(func, ast.Name):
        return _module_defs(index).get(func.id)
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
        return None
    receiver = func.value.id
    owner = _enclosing_class(index, call)
    if owner is not None:
        method, cls = owner
        first = parameters(method)[:1]
        if receiver in first or receiver == cls.name:
            return _methods(index, cls).get(func.attr)
    cls = _module_classes(index).get(receiver)
    return _methods(index, cls).get(func.attr) if cls is not None else None


def skips_first(index: FileIndex, call: ast.Call) -> bool:
    """Whether the call binds the def's first parameter itself (`self.m()`)."""
    function = resolve_function(index, call)
    if function is None or isinstance(call.func, ast.Name):
        return False
    decorators = {getattr(d, "id", None) for d in function.decorator_list}
    if "staticmethod" in decorators:
        return False
    receiver = call.func.value.id
    owner = _enclosing_class(index, call)
    if owner is not None and receiver in parameters(owner[0])[:1]:
        return True
    return "classmethod" in decorators


def _enclosing_class(index: FileIndex, node: ast.AST) -> Optional[Tuple[ast.AST, ast.ClassDef]]:
    """(method, class) for the method directly in a class that holds `node`."""
    child = None
    for ancestor in index.ancestors(node):
        if isinstance(ancestor, ast.ClassDef):
            if isinstance(child, DEF_TYPES):
                return child, ancestor
            return None
        child = ancestor
    return None


def _methods(index: FileIndex, cls: ast.ClassDef) -> Dict[str, ast.AST]:
    return index.memo(
        ("rtsec-methods", cls),
        lambda: {s.name: s for s in cls.body if isinstance(s, DEF_TYPES)},
    )


def _module_defs(index: FileIndex) -> Dict[str, ast.AST]:
    body = getattr(index.tree, "body", [])
    return index.memo(
        "rtsec-module-defs", lambda: {s.name: s for s in body if isinstance(s, DEF_TYPES)}
    )


def _module_classes(index: FileIndex) -> Dict[str, ast.ClassDef]:
    body = getattr(index.tree, "body", [])
    return index.memo(
        "rtsec-module-classes",
        lambda: {s.name: s for s in body if isinstance(s, ast.ClassDef)},
    )


def parameters(function: ast.AST) -> List[str]:
    arguments = function.args
    return [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]


def bound_arguments(function: ast.AST, call: ast.Call, skip_first: bool) -> Dict[str, ast.AST]:
    """Parameter name -> argument expression for `call` of `function`;
    parameters past a `*args` of the call, or taken by `**kw`, are left out."""
    arguments = function.args
    positional = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
    if skip_first:
        positional = positional[1:]
    bound: Dict[str, ast.AST] = {}
    for name, argument in zip(positional, call.args):
        if isinstance(argument, ast.Starred):
            break
        bound[name] = argument
    accepted = set(positional) | {a.arg for a in arguments.kwonlyargs}
    for keyword in call.keywords:
        if keyword.arg in accepted:
            bound[keyword.arg] = keyword.value
    return bound


def source_names(index: FileIndex) -> Dict[ast.AST, frozenset]:
    """Per scope, the names some statement binds to a resource-source call."""

    def compute() -> Dict[ast.AST, frozenset]:
        # Found from the source calls up: most assignments bind no source.
        found: Dict[ast.AST, set] = {}
        for call in source_calls(index):
            assign = index.parent(call)
            if type(assign) is ast.Assign and assign.value is call:
                names = {t.id for t in assign.targets if isinstance(t, ast.Name)}
                found.setdefault(scope_of(index, assign), set()).update(names)
        return {scope: frozenset(names) for scope, names in found.items()}

    return index.memo("rtsec-source-names", compute)


def may_hold_resource_dict(index: FileIndex, name: ast.Name) -> bool:
    """A name that holds a resource dict on some path: named like one, or
    bound to a resource-source call somewhere in its scope."""
    return is_resource_name(index, name.id) or name.id in source_names(index).get(
        scope_of(index, name), ()
    )


# Calls that write JSON, and calls (by last name) that read it back.
JSON_WRITERS = frozenset(
    {
        "json.dumps",
        "json.dump",
        "oslo_serialization.jsonutils.dumps",
        "oslo_serialization.jsonutils.dump",
        "oslo_serialization.jsonutils.dump_as_bytes",
    }
)
JSON_READERS = frozenset({"load", "loads"})
_JSON_WRITER_TAILS = frozenset(writer.rpartition(".")[2] for writer in JSON_WRITERS)


def reads_json(index: FileIndex, call: ast.AST) -> bool:
    return isinstance(call, ast.Call) and resolver_for(index).last_name(call.func) in JSON_READERS


def serialized_keys(index: FileIndex) -> frozenset:
    """The constant keys of the dicts this file itself writes as JSON.

    JSON that a module writes and reads back is its own format, so reading
    those keys from a `loads()` result in the same file is not reading
    untrusted input: Nova's `Instance` stores `{'cur': ..., 'old': ...,
    'new': ...}` with `jsonutils.dumps` and reads it back in
    `_flavor_from_db`.  The dict may be a literal, a name the function
    fills with constant keys, or what a function of the file returns.
    """
    return index.memo("rtsec-serialized-keys", lambda: _serialized_keys(index))


def _serialized_keys(index: FileIndex) -> frozenset:
    names = resolver_for(index)
    keys: set = set()

    writers = calls_named(
        index, _JSON_WRITER_TAILS, lambda name: names.resolved(name) in JSON_WRITERS
    )
    for call in writers:
        if not call.args or names.qualified_name(call.func) not in JSON_WRITERS:
            continue
        written = call.args[0]
        if isinstance(written, ast.Call):
            function = resolve_function(index, written)
            if function is None:
                continue
            for returned in statements_in_def(index, ast.Return, function):
                if returned.value is not None:
                    keys |= _dict_keys(index, returned.value, function)
        else:
            keys |= _dict_keys(index, written, scope_of(index, call))
    return frozenset(keys)


def _dict_keys(index: FileIndex, value: ast.AST, scope: ast.AST) -> set:
    """Constant keys of a dict literal, or of the dict a name holds in `scope`."""
    if isinstance(value, ast.Dict):
        return {k for k in (constant_key(index, key) for key in value.keys if key) if k}
    if not isinstance(value, ast.Name):
        return set()
    keys: set = set()
    for assign in _assigns_naming(index, value.id):
        if scope_of(index, assign) is not scope:
            continue
        named = any(isinstance(t, ast.Name) and t.id == value.id for t in assign.targets)
        if named and isinstance(assign.value, ast.Dict):
            keys |= _dict_keys(index, assign.value, scope)
        for target in assign.targets:
            if (
                isinstance(target, ast.Subscript)
                and isinstance(target.value, ast.Name)
                and target.value.id == value.id
            ):
                key = constant_key(index, target.slice)
                if key is not None:
                    keys.add(key)
    return keys


def _assigns_naming(index: FileIndex, name: str) -> List[ast.Assign]:
    """The assignments that bind `name` or store a key of it (`d = ...`,
    `d[k] = ...`), in source order: found from its occurrences up."""

    def compute() -> List[ast.Assign]:
        parents = index.parents
        found: Dict[ast.Assign, None] = {}
        for node in index.names_by_id().get(name, ()):
            target, assign = node, parents.get(node)
            if type(assign) is ast.Subscript and assign.value is node:
                target, assign = assign, parents.get(assign)
            if type(assign) is ast.Assign and any(t is target for t in assign.targets):
                found[assign] = None
        return list(found)

    return index.memo(("rtsec-assigns-naming", name), compute)


def has_source_calls(index: FileIndex) -> bool:
    return bool(source_calls(index))


def source_call_scopes(index: FileIndex) -> FrozenSet[ast.AST]:
    """The scopes whose statements call a resource source."""
    return frozenset(source_calls(index).values())


def loads_of(index: FileIndex, name: str) -> List[ast.Name]:
    """The reads of `name` in the file, in source order, found when asked:
    a question follows a few names, not all of them."""
    known = index.memo("rtsec-loads-of", dict)
    found = known.get(name)
    if found is None:
        found = known[name] = [
            node for node in index.names_by_id().get(name, ()) if type(node.ctx) is ast.Load
        ]
    return found


class FunctionLoads:
    """The reads of each name in one def (not in the defs nested in it), found
    on demand: a question follows a few names, not all of them."""

    __slots__ = ("_index", "_function")

    def __init__(self, index: FileIndex, function: ast.AST) -> None:
        self._index = index
        self._function = function

    def get(self, name: str, default=()) -> List[ast.Name]:
        return _loads_by_def(self._index, name).get(self._function, default)


def _loads_by_def(index: FileIndex, name: str) -> Dict[ast.AST, List[ast.Name]]:
    """The reads of `name` grouped by the innermost def holding them."""
    known = index.memo("rtsec-loads-by-def", dict)
    found = known.get(name)
    if found is None:
        found = known[name] = {}
        for load in loads_of(index, name):
            found.setdefault(def_of(index, load), []).append(load)
    return found


def mentions_resource_dicts(index: FileIndex) -> bool:
    """Whether anything in the file can be a resource dict at all: most files
    need no further look, and the cheap questions are asked first."""

    def compute() -> bool:
        if resource_named(index):
            return True
        pattern = _pattern_of(tuple(index.config.resource_names))
        parameters = set(file_words(index).of(ast.arg))
        return any(map(pattern.match, parameters)) or has_source_calls(index)

    return index.memo("rtsec-mentions-resources", compute)


def resource_named(index: FileIndex) -> FrozenSet[str]:
    """The names used in the file that are named like a resource dict."""

    def compute() -> FrozenSet[str]:
        pattern = _pattern_of(tuple(index.config.resource_names))
        return frozenset(filter(pattern.match, set(file_words(index).of(ast.Name))))

    return index.memo("rtsec-resource-named", compute)
