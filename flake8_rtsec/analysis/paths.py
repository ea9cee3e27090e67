"""What each path through an `except` body does with the error.

A path re-raises (`raise` in any form, a no-return call, the end of a
`with excutils.save_and_reraise_exception():` block), or it swallows the
error; a swallowing path may have logged it, with or without the
traceback.  The analysis follows `if`/`else`, loops with `break` and
`continue`, nested `try`/`finally`, `match`, and early `return`; a raise
inside a nested function or class does not count.

Paths are merged by how much they logged, so at most three are live at any
point and the cost is linear in the size of the handler.
"""

import ast
from dataclasses import dataclass, field
from typing import Dict, List, Set

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.loggers import (
    is_traceback_formatter,
    is_traceback_reporter,
    logger_level,
    records_traceback,
)
from flake8_rtsec.analysis.names import NOT_CONSTANT, resolver_for

# How much a path logged, in increasing order.
SILENT, MESSAGE, TRACEBACK = 0, 1, 2

NORETURN_FUNCTIONS = frozenset(
    {
        "sys.exit",
        "os._exit",
        "os.abort",
        "oslo_utils.excutils.raise_with_cause",
        "six.reraise",
        "builtins.exit",
        "builtins.quit",
    }
)
RERAISING_CONTEXTS = frozenset({"oslo_utils.excutils.save_and_reraise_exception"})

_TRY_TYPES = tuple(t for t in (ast.Try, getattr(ast, "TryStar", None)) if t)
_SKIPPED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)

# live paths: how much they logged -> the last statement they ran
Paths = Dict[int, ast.AST]


@dataclass(frozen=True)
class Swallow:
    logged: int  # SILENT, MESSAGE or TRACEBACK
    node: ast.AST  # where the path leaves the handler


@dataclass
class _Walk:
    index: FileIndex
    swallows: List[Swallow] = field(default_factory=list)
    loops: List[dict] = field(default_factory=list)  # break/continue paths per open loop
    traceback_names: Set[str] = field(default_factory=set)


def swallowing_paths(index: FileIndex, handler: ast.ExceptHandler) -> List[Swallow]:
    """Every way out of `handler` that does not re-raise, merged by logging."""
    walk = _Walk(index)
    for level, node in _block(walk, handler.body, {SILENT: handler}).items():
        walk.swallows.append(Swallow(level, node))
    return walk.swallows


def _merge(*groups: Paths) -> Paths:
    merged: Paths = {}
    for paths in groups:
        for level, node in paths.items():
            merged.setdefault(level, node)
    return merged


def _block(walk: _Walk, statements: List[ast.stmt], paths: Paths) -> Paths:
    for statement in statements:
        if not paths:
            break
        paths = _statement(walk, statement, {level: statement for level in paths})
    return paths


def _leave(walk: _Walk, paths: Paths) -> None:
    walk.swallows.extend(Swallow(level, node) for level, node in paths.items())


def _statement(walk: _Walk, statement: ast.stmt, paths: Paths) -> Paths:
    if isinstance(statement, ast.Raise):
        return {}
    if isinstance(statement, ast.Return):
        _leave(walk, paths)
        return {}
    if isinstance(statement, (ast.Break, ast.Continue)):
        if walk.loops:
            walk.loops[-1][type(statement)].append(paths)
        else:
            _leave(walk, paths)  # leaves the handler for the enclosing loop
        return {}
    if isinstance(statement, ast.If):
        return _if(walk, statement, paths)
    if isinstance(statement, (ast.For, ast.AsyncFor, ast.While)):
        return _loop(walk, statement, paths)
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        if _reraises_on_exit(walk, statement):
            _block(walk, statement.body, paths)
            return {}
        return _block(walk, statement.body, paths)
    if isinstance(statement, _TRY_TYPES):
        return _try(walk, statement, paths)
    if isinstance(statement, getattr(ast, "Match", ())):
        return _match(walk, statement, paths)
    if isinstance(statement, _SKIPPED):
        return paths
    return _simple(walk, statement, paths)


def _simple(walk: _Walk, statement: ast.stmt, paths: Paths) -> Paths:
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.Call):
        return paths
    index = walk.index
    if isinstance(statement, ast.Assign) and is_traceback_formatter(index, value):
        walk.traceback_names.update(t.id for t in statement.targets if isinstance(t, ast.Name))
        return paths
    if is_noreturn(index, value):
        return {}
    if is_traceback_reporter(index, value):
        return _raise_level(paths, TRACEBACK)
    level = logger_level(index, value)
    if level is None:
        return paths
    logged = TRACEBACK if records_traceback(index, value, level, walk.traceback_names) else MESSAGE
    return _raise_level(paths, logged)


def _if(walk: _Walk, statement: ast.If, paths: Paths) -> Paths:
    # An `elif` is an `if` alone in the `orelse` of the one before: walk the
    # chain in a loop, as a long chain (hundreds of `elif`s are valid Python)
    # would otherwise recurse once per branch.
    branches = []
    while True:
        branches.append(_block(walk, statement.body, paths))
        orelse = statement.orelse
        if len(orelse) != 1 or not isinstance(orelse[0], ast.If):
            branches.append(_block(walk, orelse, paths))
            return _merge(*branches)
        statement = orelse[0]
        paths = {level: statement for level in paths}


def _raise_level(paths: Paths, logged: int) -> Paths:
    raised: Paths = {}
    for level, node in paths.items():
        raised.setdefault(max(level, logged), node)
    return raised


def _loop(walk: _Walk, loop: ast.stmt, paths: Paths) -> Paths:
    walk.loops.append({ast.Break: [], ast.Continue: []})
    after_body = _block(walk, loop.body, paths)
    exits = walk.loops.pop()
    runs_forever = (
        isinstance(loop, ast.While)
        and isinstance(loop.test, ast.Constant)
        and bool(loop.test.value)
    )
    finished = {} if runs_forever else _merge(paths, after_body, *exits[ast.Continue])
    return _merge(_block(walk, loop.orelse, finished), *exits[ast.Break])


def _try(walk: _Walk, statement: ast.stmt, paths: Paths) -> Paths:
    if not statement.finalbody:
        return _try_without_finally(walk, statement, paths)
    inner = _Walk(walk.index, loops=walk.loops, traceback_names=walk.traceback_names)
    before_finally = _try_without_finally(inner, statement, paths)
    # Whatever leaves the try goes through `finally`; one that cannot
    # complete (it raises or returns on every path) replaces every exit.
    probe = _Walk(walk.index, traceback_names=walk.traceback_names)
    if not _block(probe, statement.finalbody, _merge(paths, before_finally)):
        walk.swallows.extend(probe.swallows)
        return {}
    walk.swallows.extend(inner.swallows)
    return _block(walk, statement.finalbody, before_finally) if before_finally else {}


def _try_without_finally(walk: _Walk, statement: ast.stmt, paths: Paths) -> Paths:
    after_body = _block(walk, statement.body, paths)
    handled = [_block(walk, handler.body, paths) for handler in statement.handlers]
    return _merge(_block(walk, statement.orelse, after_body), *handled)


def _match(walk: _Walk, statement: ast.stmt, paths: Paths) -> Paths:
    cases = [_block(walk, case.body, paths) for case in statement.cases]
    irrefutable = any(
        isinstance(case.pattern, ast.MatchAs)
        and case.pattern.pattern is None
        and case.guard is None
        for case in statement.cases
    )
    return _merge(*cases) if irrefutable else _merge(paths, *cases)


def is_noreturn(index: FileIndex, call: ast.Call) -> bool:
    qualified = resolver_for(index).qualified_name(call.func)
    return qualified in NORETURN_FUNCTIONS or qualified in index.config.noreturn_functions


def _reraises_on_exit(walk: _Walk, statement: ast.stmt) -> bool:
    """`with excutils.save_and_reraise_exception():` re-raises when the block
    ends, unless told not to (`reraise=False`, or `ctxt.reraise = False`)."""
    names = resolver_for(walk.index)
    for item in statement.items:
        call = item.context_expr
        if not isinstance(call, ast.Call):
            continue
        qualified = names.qualified_name(call.func) or ""
        if qualified not in RERAISING_CONTEXTS and not qualified.endswith(
            ".save_and_reraise_exception"
        ):
            continue
        for keyword in call.keywords:
            if keyword.arg == "reraise":
                value = names.constant(keyword.value)
                if value is NOT_CONSTANT or not value:
                    return False
        alias = item.optional_vars.id if isinstance(item.optional_vars, ast.Name) else None
        return alias is None or not _switches_off_reraise(walk.index, statement, alias)
    return False


def _switches_off_reraise(index: FileIndex, statement: ast.stmt, alias: str) -> bool:
    """Whether `alias.reraise = <anything but True>` appears inside `statement`."""
    for assign in index.memo(_switches_off_reraise, lambda: _reraise_assignments(index)):
        target = next(t for t in assign.targets if isinstance(t, ast.Attribute))
        if (
            isinstance(target.value, ast.Name)
            and target.value.id == alias
            and any(ancestor is statement for ancestor in index.ancestors(assign))
        ):
            return True
    return False


def _reraise_assignments(index: FileIndex) -> List[ast.Assign]:
    """`x.reraise = ...` statements that do not set it to True."""
    return [
        assign
        for assign in index.nodes(ast.Assign)
        if any(isinstance(t, ast.Attribute) and t.attr == "reraise" for t in assign.targets)
        and not (isinstance(assign.value, ast.Constant) and assign.value.value is True)
    ]
