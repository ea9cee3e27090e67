"""Validators of resource dicts: which calls are validators, and what they check.

A validator call is a call of a function named in `rtsec-validators`, or
named like one (`_?(verify|validate|check)_*`), or `jsonschema.validate`.
When the validator is defined in the same class or module its body says
what it checks for the dict it is given:

- presence only: membership tests (`k in d`, `k not in d`), `d.get(k)`,
  `is None`, reading `d[k]`;
- values too: `isinstance`, a value comparison (`<`, `>=`, `==` something
  other than None, `d[k] in (...)`), a numeric conversion (`int(d[k])`), a
  schema, or another validator that does;

and, when every key it tests is a constant or comes from a literal list
(`for k in ["vcpus", "memory_mb"]: if k not in d: raise`), which keys.
A validator we cannot see is trusted to check values and every key.
"""

import ast
import re
from dataclasses import dataclass
from itertools import compress
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.names import bound_names, resolver_for
from flake8_rtsec.analysis.words import file_words
from flake8_rtsec.analysis.resources import (
    COMPREHENSION_TYPES,
    DEF_TYPES,
    FunctionLoads,
    bound_arguments,
    is_resource_name,
    is_source_call,
    literal_keys,
    loads_of,
    may_hold_resource_dict,
    mentions_resource_dicts,
    parameters,
    resolve_function,
    resource_name_pattern,
    resource_named,
    skips_first,
    source_calls,
    source_names,
    statements_in_def,
    tested_key,
)

VALIDATOR_NAME = re.compile(r"_?(verify|validate|check)_\w*\Z")
SCHEMA_VALIDATORS = frozenset({"jsonschema.validate"})
VALUE_CHECKS = frozenset(
    {
        "builtins.isinstance",
        "builtins.issubclass",
        "builtins.type",
        "builtins.int",
        "builtins.float",
        "builtins.complex",
        "decimal.Decimal",
    }
)
# Calls whose result still holds the dict's values.
_CARRYING_METHODS = frozenset({"get", "items", "values", "pop", "copy", "setdefault"})
_CARRYING_FUNCTIONS = frozenset(
    {"builtins.list", "builtins.tuple", "builtins.sorted", "builtins.dict", "copy.deepcopy"}
)
_MAX_DELEGATION = 4  # validators calling validators: how deep we look


@dataclass(frozen=True)
class Check:
    """What one validator does with the dict passed as one of its parameters."""

    checks_values: bool  # type or range, a schema, or a body we cannot see
    keys: Optional[FrozenSet[str]]  # the keys it makes sure of; None: all
    tests_presence: bool  # it tests some key of the dict at all
    raises: bool  # its body raises (when something is missing)
    only_checks: bool = False  # the dict is only tested, never used otherwise
    listed: Tuple[str, ...] = ()  # the keys, in the order the validator names them


UNSEEN = Check(checks_values=True, keys=None, tests_presence=True, raises=True)


@dataclass(frozen=True)
class ValidatorCall:
    label: str  # as the user wrote it: "_verify_resources()"
    function: Optional[ast.AST]  # its def, when in this file
    checks: Dict[str, Check]  # parameter -> what is checked; empty when unseen
    key_list: Optional[FrozenSet[str]]  # a literal key list passed with the dict

    def check_for(self, parameter: Optional[str]) -> Check:
        check = self.checks.get(parameter, UNSEEN) if parameter else UNSEEN
        if self.key_list is not None:
            keys = self.key_list if check.keys is None else check.keys & self.key_list
            return Check(
                check.checks_values,
                keys,
                check.tests_presence,
                check.raises,
                check.only_checks,
                tuple(k for k in check.listed if k in keys) if check.keys else tuple(keys),
            )
        return check


def is_validator_name(index: FileIndex, call: ast.Call) -> bool:
    names = resolver_for(index)
    qualified = names.qualified_name(call.func) or ""
    last = names.last_name(call.func) or ""
    validators = index.config.validators
    return (
        VALIDATOR_NAME.match(last) is not None
        or qualified in SCHEMA_VALIDATORS
        or qualified in validators
        or last in validators
    )


def validator_call(index: FileIndex, call: ast.Call) -> Optional[ValidatorCall]:
    """What `call` validates, or None when it is not a validator call."""
    return _validator_call(index, call, 0)


def _validator_call(index: FileIndex, call: ast.Call, depth: int) -> Optional[ValidatorCall]:
    if not is_validator_name(index, call):
        return None
    label = (resolver_for(index).last_name(call.func) or "validator") + "()"
    key_list = None
    for argument in [*call.args, *(k.value for k in call.keywords)]:
        keys = literal_keys(argument)
        if keys is not None:
            key_list = frozenset(keys)
            break
    function = resolve_function(index, call)
    checks: Dict[str, Check] = {}
    if function is not None and depth < _MAX_DELEGATION:
        for name in parameters(function):
            checks[name] = check_of(index, function, name, depth + 1)
    return ValidatorCall(label, function, checks, key_list)


def parameter_for(index: FileIndex, call: ast.Call, argument: ast.AST) -> Optional[str]:
    """The parameter of the called function (when in this file) that receives `argument`."""
    function = resolve_function(index, call)
    if function is None:
        return None
    for name, bound in bound_arguments(function, call, skips_first(index, call)).items():
        if bound is argument:
            return name
    return None


def check_of(index: FileIndex, function: ast.AST, parameter: str, depth: int = 0) -> Check:
    """What `function` checks of the dict passed as `parameter`."""
    key = ("rtsec-check", function, parameter)
    return index.memo(key, lambda: _classify(index, function, parameter, depth))


def _classify(index: FileIndex, function: ast.AST, parameter: str, depth: int) -> Check:
    loads = _loads_by_name(index, function)
    derived = _derived_names(index, function, parameter, loads)
    checks_values = False
    tests_presence = False
    only_checks = True
    keys: Optional[Dict[str, None]] = {}  # ordered as written
    for name in derived:
        for load in loads.get(name, ()):
            end, child = value_end(index, load)
            if name == parameter and not _is_test(index, end, child):
                only_checks = False
            if isinstance(end, ast.Compare):
                kind, tested = _comparison(end, child)
                if kind == "value":
                    checks_values = True
                elif kind == "presence":
                    tests_presence = True
                    if tested is not None and child is load and name == parameter:
                        keys = _add_key(index, keys, tested, end)
            elif isinstance(end, ast.Call) and child is not end.func:
                checks_values = checks_values or _value_check(index, end, child, depth)
            read = _key_read(index, load) if name == parameter else None
            if read is not None:
                tests_presence = True
                keys = _add_key(index, keys, read, load)
    raises = bool(statements_in_def(index, ast.Raise, function))
    return Check(
        checks_values,
        frozenset(keys) if keys is not None and tests_presence else None,
        tests_presence,
        raises,
        only_checks,
        tuple(keys or ()),
    )


def _is_test(index: FileIndex, end: Optional[ast.AST], child: ast.AST) -> bool:
    """Whether the dict's value arrives at a test (a comparison, a condition,
    `not`, a check such as `isinstance`) rather than being used."""
    if isinstance(end, (ast.Compare, ast.UnaryOp)):
        return True
    if isinstance(end, (ast.If, ast.While, ast.Assert, ast.IfExp)):
        return child is end.test
    if isinstance(end, ast.Call) and child is not end.func:
        qualified = resolver_for(index).qualified_name(end.func)
        return qualified in VALUE_CHECKS or is_validator_name(index, end)
    return False


def _loads_by_name(index: FileIndex, function: ast.AST) -> FunctionLoads:
    return index.memo(("rtsec-loads", function), lambda: FunctionLoads(index, function))


def _derived_names(
    index: FileIndex, function: ast.AST, parameter: str, loads: FunctionLoads
) -> Set[str]:
    """`parameter` and the local names that hold values taken from it."""
    derived = {parameter}
    pending = [parameter]
    while pending:
        for load in loads.get(pending.pop(), ()):
            end, child = value_end(index, load)
            for target in _bound_by(end, child):
                if target not in derived:
                    derived.add(target)
                    pending.append(target)
    return derived


def _bound_by(end: Optional[ast.AST], child: ast.AST) -> List[str]:
    """Names that the value arriving at `end` through `child` is bound to."""
    if isinstance(end, (ast.Assign, ast.AnnAssign)) and child is end.value:
        targets = end.targets if isinstance(end, ast.Assign) else [end.target]
    elif isinstance(end, (ast.For, ast.AsyncFor, ast.comprehension)) and child is end.iter:
        targets = [end.target]
    elif isinstance(end, ast.NamedExpr) and child is end.value:
        targets = [end.target]
    else:
        return []
    return bound_names(targets)


def value_end(index: FileIndex, node: ast.AST) -> Tuple[Optional[ast.AST], ast.AST]:
    """Where the value of `node` goes: the first node that does not simply
    hold it (a comparison, a call it is passed to, an assignment), with the
    child it arrives through."""
    names = resolver_for(index)
    while True:
        parent = index.parent(node)
        if parent is None:
            return None, node
        if isinstance(parent, ast.Subscript):
            if node is not parent.value:
                return parent, node
        elif isinstance(parent, ast.Attribute):
            call = index.parent(parent)
            if isinstance(call, ast.Call) and call.func is parent:
                if parent.attr not in _CARRYING_METHODS:
                    return call, parent
                parent = call
        elif isinstance(parent, ast.Call):
            if node is parent.func:
                return parent, node
            if names.qualified_name(parent.func) not in _CARRYING_FUNCTIONS:
                return parent, node
        elif isinstance(parent, ast.keyword):
            call = index.parent(parent)
            return call, node
        elif isinstance(parent, ast.IfExp):
            if node is parent.test:
                return parent, node
        elif isinstance(parent, ast.UnaryOp):
            if isinstance(parent.op, ast.Not):
                return parent, node
        elif isinstance(parent, ast.Dict):
            if any(key is node for key in parent.keys):
                return parent, node
        elif not isinstance(
            parent,
            (ast.BinOp, ast.BoolOp, ast.Tuple, ast.List, ast.Set, ast.Starred, ast.JoinedStr,
             ast.FormattedValue),
        ):
            return parent, node
        node = parent


def _comparison(compare: ast.Compare, child: ast.AST) -> Tuple[str, Optional[ast.AST]]:
    """("value" | "presence" | "", tested key expression) for `child` in `compare`."""
    operands = [compare.left, *compare.comparators]
    position = next(i for i, operand in enumerate(operands) if operand is child)
    pairs = []
    if position > 0:
        pairs.append((compare.ops[position - 1], operands[position - 1], "right"))
    if position < len(compare.ops):
        pairs.append((compare.ops[position], operands[position + 1], "left"))
    for op, other, side in pairs:
        if isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)):
            return "value", None
        if isinstance(op, (ast.Eq, ast.NotEq)):
            if not (isinstance(other, ast.Constant) and other.value is None):
                return "value", None
            return "presence", None
        if isinstance(op, (ast.In, ast.NotIn)):
            if side == "left":
                return "value", None  # d['type'] in ('a', 'b')
            return "presence", other
        return "presence", None  # is / is not
    return "", None


def _value_check(index: FileIndex, call: ast.Call, child: ast.AST, depth: int) -> bool:
    names = resolver_for(index)
    qualified = names.qualified_name(call.func) or ""
    if qualified in VALUE_CHECKS:
        return True
    last = names.last_name(call.func) or ""
    if "schema" in last.lower():
        return True
    validator = _validator_call(index, call, depth) if depth < _MAX_DELEGATION else None
    if validator is None:
        return False
    argument = child.value if isinstance(child, ast.keyword) else child
    return validator.check_for(parameter_for(index, call, argument)).checks_values


def _key_read(index: FileIndex, load: ast.Name) -> Optional[ast.AST]:
    """The key expression when `load` is read with one: `d[k]`, `d.get(k)`."""
    parent = index.parent(load)
    if isinstance(parent, ast.Subscript) and parent.value is load:
        if isinstance(parent.ctx, ast.Load):
            return parent.slice
        return None
    if isinstance(parent, ast.Attribute) and parent.attr == "get":
        call = index.parent(parent)
        if isinstance(call, ast.Call) and call.func is parent and call.args:
            return call.args[0]
    return None


def _add_key(
    index: FileIndex, keys: Optional[Dict[str, None]], tested: Optional[ast.AST], at: ast.AST
) -> Optional[Dict[str, None]]:
    """Add the keys `tested` stands for; None (all keys) once one is unknown."""
    if keys is None or tested is None:
        return None
    key = tested_key(index, tested)
    if key is not None:
        return {**keys, key: None}
    listed = _looped_literal(index, tested, at) if isinstance(tested, ast.Name) else None
    return {**keys, **dict.fromkeys(listed)} if listed is not None else None


def _looped_literal(index: FileIndex, name: ast.Name, at: ast.AST) -> Optional[Tuple[str, ...]]:
    """The literal list a loop variable runs over: `for k in ['a', 'b']`,
    `[k for k in KEYS if k not in d]` with `KEYS = ('a', 'b')`."""
    for ancestor in index.ancestors(at):
        generators = []
        if isinstance(ancestor, COMPREHENSION_TYPES):
            generators = ancestor.generators
        elif isinstance(ancestor, (ast.For, ast.AsyncFor)):
            generators = [ancestor]
        elif isinstance(ancestor, DEF_TYPES):
            break
        for generator in generators:
            target = generator.target
            if isinstance(target, ast.Name) and target.id == name.id:
                return _literal_value(index, generator.iter, at)
    return None


def _literal_value(index: FileIndex, node: ast.AST, at: ast.AST) -> Optional[Tuple[str, ...]]:
    keys = literal_keys(node)
    if keys is not None or not isinstance(node, ast.Name):
        return keys
    function = None
    for ancestor in index.ancestors(at):
        if isinstance(ancestor, DEF_TYPES):
            function = ancestor
            break
    bindings = [
        assign
        for assign in statements_in_def(index, ast.Assign, function)
        if any(isinstance(t, ast.Name) and t.id == node.id for t in assign.targets)
    ]
    if len(bindings) == 1:
        return literal_keys(bindings[0].value)
    if not bindings:
        bound = resolver_for(index).bound_value(node.id)
        return literal_keys(bound) if bound is not None else None
    return None


@dataclass(frozen=True)
class ValidatorDef:
    function: ast.AST
    parameter: str
    check: Check


def resource_validators(index: FileIndex) -> List[ValidatorDef]:
    """Validators of a resource dict defined in this file: a function named
    like a validator, or shaped like one (it raises, tests keys and does
    nothing else with the dict), whose
    parameter is named like a resource dict or receives one at a call in
    this file."""
    return index.memo(ValidatorDef, lambda: _find_validators(index))


def _find_validators(index: FileIndex) -> List[ValidatorDef]:
    if not mentions_resource_dicts(index):
        return []
    receiving = _receiving_parameters(index)
    # Only a def with a parameter named like a resource dict, or passed one,
    # can be one: found from those parameters up, not from every def.
    words = file_words(index).of(ast.arg)
    named = set(filter(resource_name_pattern(index).match, set(words)))
    candidates = {function for function, _ in receiving}
    for parameter in compress(index.nodes(ast.arg), map(named.__contains__, words)):
        candidates.add(index.parent(index.parent(parameter)))  # arguments, then def
    if not candidates:
        return []
    found = []
    defs = index.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
    for function in filter(candidates.__contains__, defs):
        named = _named_like_validator(index, function.name)
        for parameter in parameters(function):
            if not (
                is_resource_name(index, parameter) or (function, parameter) in receiving
            ):
                continue
            check = check_of(index, function, parameter)
            if not check.tests_presence:
                continue
            if named or (check.raises and check.only_checks):
                found.append(ValidatorDef(function, parameter, check))
    return found


def _named_like_validator(index: FileIndex, name: str) -> bool:
    validators = index.config.validators
    return VALIDATOR_NAME.match(name) is not None or name in validators or any(
        v.rsplit(".", 1)[-1] == name for v in validators
    )


def _receiving_parameters(index: FileIndex) -> FrozenSet[Tuple[ast.AST, str]]:
    """(def, parameter) pairs that some call in this file passes a resource dict."""
    found = set()
    for call in _calls_passing_candidates(index):
        passed = [
            argument
            for argument in [*call.args, *(k.value for k in call.keywords)]
            if is_source_call(index, argument)
            or (isinstance(argument, ast.Name) and may_hold_resource_dict(index, argument))
        ]
        function = resolve_function(index, call) if passed else None
        if function is None:
            continue
        for name, argument in bound_arguments(function, call, skips_first(index, call)).items():
            if any(argument is p for p in passed):
                found.add((function, name))
    return frozenset(found)


def _calls_passing_candidates(index: FileIndex) -> List[ast.Call]:
    """The calls with an argument that may be a resource dict: a source call,
    or a name named like one or bound to a source call somewhere.  Found from
    those arguments up, as most calls of a file pass none."""
    maybe = resource_named(index).union(*source_names(index).values())
    arguments = [load for name in maybe for load in loads_of(index, name)]
    arguments += source_calls(index)
    found: Dict[ast.Call, None] = {}
    for argument in arguments:
        parent = index.parent(argument)
        if isinstance(parent, ast.keyword):
            parent = index.parent(parent)
        if isinstance(parent, ast.Call) and parent.func is not argument:
            found[parent] = None
    return list(found)
