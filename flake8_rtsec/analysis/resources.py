"""Resource dicts and where they are validated.

A resource dict is a parameter or variable named like one
(`rtsec-resource-names`) or the result of a call that returns one
(`rtsec-resource-sources`), unless the function built it itself.  Before a
key is read, something must have validated the dict for that key: a
validator call, a key test (`'k' in d`, `d.get('k')`), or a surrounding
`try/except KeyError`.
"""

import ast
import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Optional, Pattern, Set

from flake8_rtsec.analysis.index import FUNCTION_TYPES, FileIndex
from flake8_rtsec.analysis.names import resolver_for

VALIDATOR_NAME = re.compile(r"_?(verify|validate|check)_\w*\Z")
SCHEMA_VALIDATORS = frozenset({"jsonschema.validate"})
KEY_ERRORS = frozenset({"builtins.KeyError", "builtins.LookupError"})
_BUILT_LOCALLY = (ast.Dict, ast.DictComp)


@dataclass(frozen=True)
class ResourceDict:
    name: str
    function: ast.AST
    untrusted: bool  # the result of a resource-source call


def matches(name: str, patterns) -> bool:
    """`fnmatch.fnmatchcase` against any of `patterns`, as one compiled regex:
    this runs for every argument and assignment of the file."""
    return _pattern_of(tuple(patterns)).match(name) is not None


@lru_cache(maxsize=32)
def _pattern_of(patterns: tuple) -> Pattern[str]:
    return re.compile("|".join(fnmatch.translate(pattern) for pattern in patterns) or "(?!)")


def resource_dicts(index: FileIndex) -> Dict[ast.AST, Dict[str, ResourceDict]]:
    """Per function: the names that hold resource dicts there."""
    return index.memo(ResourceDict, lambda: _find_resource_dicts(index))


def _find_resource_dicts(index: FileIndex) -> Dict[ast.AST, Dict[str, ResourceDict]]:
    config = index.config
    names = resolver_for(index)
    found: Dict[ast.AST, Dict[str, ResourceDict]] = {}
    for function in index.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        arguments = function.args
        for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            if matches(argument.arg, config.resource_names):
                found.setdefault(function, {})[argument.arg] = ResourceDict(
                    argument.arg, function, untrusted=False
                )
    built_locally: Set[tuple] = set()
    for assign in index.nodes(ast.Assign):
        function = index.enclosing_function(assign)
        if function is None:
            continue
        for target in assign.targets:
            if not isinstance(target, ast.Name):
                continue
            value = assign.value
            if isinstance(value, ast.Call) and _is_source(names, value, config.resource_sources):
                found.setdefault(function, {})[target.id] = ResourceDict(
                    target.id, function, untrusted=True
                )
            elif isinstance(value, _BUILT_LOCALLY) or _is_dict_call(names, value):
                built_locally.add((function, target.id))
            elif matches(target.id, config.resource_names):
                found.setdefault(function, {}).setdefault(
                    target.id, ResourceDict(target.id, function, untrusted=False)
                )
    for function, name in built_locally:
        found.get(function, {}).pop(name, None)
    return found


def _is_source(names, call: ast.Call, sources) -> bool:
    qualified = names.qualified_name(call.func) or ""
    last = names.last_name(call.func) or ""
    return qualified in sources or last in sources or any(
        qualified.endswith("." + source) for source in sources
    )


def _is_dict_call(names, value: ast.AST) -> bool:
    return isinstance(value, ast.Call) and names.qualified_name(value.func) == "builtins.dict"


def is_validator_call(index: FileIndex, call: ast.Call) -> bool:
    names = resolver_for(index)
    qualified = names.qualified_name(call.func) or ""
    last = names.last_name(call.func) or ""
    return (
        VALIDATOR_NAME.match(last) is not None
        or qualified in SCHEMA_VALIDATORS
        or qualified in index.config.validators
        or last in index.config.validators
    )


def validated_keys(call: ast.Call) -> Optional[Set[str]]:
    """The keys a validator call is limited to by a literal key list, or None (all)."""
    for argument in [*call.args, *(k.value for k in call.keywords)]:
        if isinstance(argument, (ast.List, ast.Tuple, ast.Set)) and argument.elts and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in argument.elts
        ):
            return {e.value for e in argument.elts}
    return None


ALL_KEYS = None  # a validation that covers every key of the dict


def validations(index: FileIndex) -> Dict[ast.AST, list]:
    """Per function: (position, dict name, key or ALL_KEYS) for every place a
    dict is validated: validator calls, `'k' in d`, `d.get('k')`."""
    return index.memo(validations, lambda: _find_validations(index))


def _find_validations(index: FileIndex) -> Dict[ast.AST, list]:
    found: Dict[ast.AST, list] = {}

    def add(node: ast.AST, name: str, key: Optional[str]) -> None:
        function = index.enclosing_function(node)
        if function is not None:
            found.setdefault(function, []).append((_position(node), name, key))

    for compare in index.nodes(ast.Compare):
        key = _string(compare.left)
        if key is None:
            continue
        for op, right in zip(compare.ops, compare.comparators):
            if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, ast.Name):
                add(compare, right.id, key)
    for call in index.nodes(ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "get" and call.args:
            key = _string(call.args[0])
            if key is not None and isinstance(func.value, ast.Name):
                add(call, func.value.id, key)
        elif is_validator_call(index, call):
            keys = validated_keys(call)
            for argument in [*call.args, *(k.value for k in call.keywords)]:
                if isinstance(argument, ast.Name):
                    for key in sorted(keys) if keys else [ALL_KEYS]:
                        add(call, argument.id, key)
    return found


def validated_before(index: FileIndex, read: ast.Subscript, name: str, key: str) -> bool:
    """Whether `name` was validated for `key` before `read` in its function,
    or `read` sits inside a `try` that handles KeyError."""
    first = _first_validations(index).get(index.enclosing_function(read), {})
    here = _position(read)
    for validated_key in (key, ALL_KEYS):
        position = first.get((name, validated_key))
        if position is not None and position < here:
            return True
    return _guarded_by_key_error(index, read)


def _first_validations(index: FileIndex) -> Dict[ast.AST, Dict[tuple, tuple]]:
    """Per function: (dict name, key or ALL_KEYS) -> where it is first validated.

    One look-up per read instead of a scan of the function's validations,
    which made long functions quadratic."""

    def earliest() -> Dict[ast.AST, Dict[tuple, tuple]]:
        found: Dict[ast.AST, Dict[tuple, tuple]] = {}
        for function, entries in validations(index).items():
            first = found[function] = {}
            for position, name, key in entries:
                if position < first.get((name, key), position + (1,)):
                    first[name, key] = position
        return found

    return index.memo(_first_validations, earliest)


def _guarded_by_key_error(index: FileIndex, node: ast.AST) -> bool:
    names = resolver_for(index)
    child = node
    for ancestor in index.ancestors(node):
        if isinstance(ancestor, FUNCTION_TYPES):
            return False
        if isinstance(ancestor, ast.Try) and any(child is s for s in ancestor.body):
            for handler in ancestor.handlers:
                caught = handler.type
                types = caught.elts if isinstance(caught, ast.Tuple) else [caught]
                if any(t is not None and names.qualified_name(t) in KEY_ERRORS for t in types):
                    return True
        child = ancestor
    return False


def _string(node: Optional[ast.AST]) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _position(node: ast.AST) -> tuple:
    return (node.lineno, node.col_offset)
