"""What each path through an `except` body does with the error.

A path re-raises (`raise` in any form, a call that never returns, the end of
a `with excutils.save_and_reraise_exception():` block whose re-raise is still
on), or it swallows the error; a swallowing path may have logged it, with or
without the traceback.  The analysis follows `if`/`else`, loops with `break`
and `continue`, nested `try`/`except`/`finally`, `match`, and early
`return`; a raise inside a nested function or class does not count.

A live path is keyed by how much it logged and by which enclosing
`save_and_reraise_exception` blocks it switched off (`ctxt.reraise =
False`); paths with the same key are merged, so only a handful are live at
any point and the cost is linear in the size of the handler.
"""

import ast
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.loggers import (
    is_traceback_formatter,
    is_traceback_reporter,
    logger_level,
    records_traceback,
)
from flake8_rtsec.analysis.names import NOT_CONSTANT, resolver_for

# How much a path logged, in increasing order.  A path that handed the
# exception object on (returned it, stored it, passed it to a call) lost
# nothing: it does not swallow, whatever it logged.
SILENT, MESSAGE, TRACEBACK, HANDED_ON = 0, 1, 2, 3

NORETURN_FUNCTIONS = frozenset(
    {
        "sys.exit",
        "os._exit",
        "os.abort",
        "oslo_utils.excutils.raise_with_cause",
        "six.reraise",
        "future.utils.raise_",
        "builtins.exit",
        "builtins.quit",
    }
)
RERAISING_CONTEXTS = frozenset({"oslo_utils.excutils.save_and_reraise_exception"})
NORETURN_ANNOTATIONS = frozenset(
    {
        "typing.NoReturn",
        "typing.Never",
        "typing_extensions.NoReturn",
        "typing_extensions.Never",
    }
)

# Calls that only turn the exception into text (`six.text_type(e)`,
# `encodeutils.exception_to_unicode(e)`, `_(...)`): passing it to them hands
# nothing on.  Matched against the words of the callee's last name.
_FORMATTER_WORDS = frozenset(
    {"str", "text", "unicode", "repr", "format", "message", "msg", "decode", "encode"}
)

_PRINTERS = frozenset({"builtins.print", "sys.stderr.write", "sys.stdout.write"})
# A post-mortem debugger shows the traceback to the person running the tool.
_DEBUGGERS = frozenset({"pdb.post_mortem", "pdb.pm", "ipdb.post_mortem"})
_MAX_ARGUMENT_NODES = 50  # how far into a call's arguments a traceback is looked for

_TRY_TYPES = tuple(t for t in (ast.Try, getattr(ast, "TryStar", None)) if t)
_SKIPPED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# A `finally` is walked twice (for errors and for normal exits); nested
# deeper than this, once with both merged, so the cost stays bounded.
_MAX_FINALLY_DEPTH = 4

# A live path: (how much it logged, the re-raising blocks it switched off).
Key = Tuple[int, FrozenSet[ast.AST]]
# live paths -> the last statement each ran
Paths = Dict[Key, ast.AST]


@dataclass(frozen=True)
class Swallow:
    logged: int  # SILENT, MESSAGE, TRACEBACK (or HANDED_ON: not a swallow)
    node: ast.AST  # where the path leaves the handler


@dataclass
class _Loop:
    reraising_depth: int  # re-raising blocks open when the loop started
    breaks: List[Paths] = field(default_factory=list)
    continues: List[Paths] = field(default_factory=list)


@dataclass
class _ReraisingBlock:
    statement: ast.AST  # the `with` statement
    alias: Optional[str]  # `ctxt` in `with save_and_reraise_exception() as ctxt:`


@dataclass
class _Walk:
    index: FileIndex
    swallows: List[Swallow] = field(default_factory=list)
    loops: List[_Loop] = field(default_factory=list)
    reraising: List[_ReraisingBlock] = field(default_factory=list)
    traceback_names: Set[str] = field(default_factory=set)
    # the caught exception's name, and names bound to sys.exc_info() in the handler
    error_names: Set[str] = field(default_factory=set)
    finally_depth: int = 0
    follow_local: bool = True  # whether calls to this file's functions are looked into


def swallowing_paths(index: FileIndex, handler: ast.ExceptHandler) -> List[Swallow]:
    """Every way out of `handler` that neither re-raises nor hands the
    exception on, merged by logging."""
    return [s for s in _ways_out(index, handler) if s.logged != HANDED_ON]


def disposition(index: FileIndex, handler: ast.ExceptHandler) -> str:
    """One word for what the handler does with the error: `reraises` (every
    path), `hands-on` (every other path hands the exception object on),
    `silent` (some path logs nothing), `message` (some path logs without the
    traceback) or `traceback` (every swallowing path records it)."""
    levels = {way.logged for way in _ways_out(index, handler)}
    if not levels:
        return "reraises"
    return ("silent", "message", "traceback", "hands-on")[min(levels)]


def _ways_out(index: FileIndex, handler: ast.ExceptHandler) -> List[Swallow]:
    def compute():
        walk = _Walk(index)
        if handler.name:
            walk.error_names.add(handler.name)
        _leave(walk, _block(walk, handler.body, {(SILENT, frozenset()): handler}))
        return walk.swallows

    return index.memo(("ways_out", handler), compute)


def _merge(*groups: Paths) -> Paths:
    merged: Paths = {}
    for paths in groups:
        for key, node in paths.items():
            merged.setdefault(key, node)
    return merged


def _block(walk: _Walk, statements: List[ast.stmt], paths: Paths) -> Paths:
    for statement in statements:
        if not paths:
            break
        paths = _statement(walk, statement, {key: statement for key in paths})
    return paths


def _crossing(paths: Paths, blocks: List[_ReraisingBlock]) -> Paths:
    """The paths that get out of `blocks` without their re-raise firing."""
    crossed = frozenset(block.statement for block in blocks)
    kept: Paths = {}
    for (level, off), node in paths.items():
        if crossed <= off:
            kept.setdefault((level, off - crossed), node)
    return kept


def _leave(walk: _Walk, paths: Paths) -> None:
    """Paths that leave the handler (end, `return`) and so swallow the error."""
    for (level, _), node in _crossing(paths, walk.reraising).items():
        walk.swallows.append(Swallow(level, node))


def _statement(walk: _Walk, statement: ast.stmt, paths: Paths) -> Paths:
    if isinstance(statement, ast.Raise):
        return {}
    if isinstance(statement, ast.Return):
        value = statement.value
        if isinstance(value, ast.Call) and _never_returns(walk, value):
            return {}
        if value is not None and _hands_on(walk, value):
            paths = _raise_level(paths, HANDED_ON)
        _leave(walk, paths)
        return {}
    if isinstance(statement, (ast.Break, ast.Continue)):
        _jump(walk, statement, paths)
        return {}
    if isinstance(statement, ast.If):
        return _if(walk, statement, paths)
    if isinstance(statement, (ast.For, ast.AsyncFor, ast.While)):
        return _loop(walk, statement, paths)
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return _with(walk, statement, paths)
    if isinstance(statement, _TRY_TYPES):
        return _try(walk, statement, paths)
    if isinstance(statement, getattr(ast, "Match", ())):
        return _match(walk, statement, paths)
    if isinstance(statement, _SKIPPED):
        return paths
    if isinstance(statement, ast.Assign):
        switched = _switch_reraise(walk, statement, paths)
        if switched is not None:
            return switched
    return _simple(walk, statement, paths)


def _jump(walk: _Walk, statement: ast.stmt, paths: Paths) -> None:
    if not walk.loops:
        _leave(walk, paths)  # leaves the handler for the enclosing loop
        return
    loop = walk.loops[-1]
    kept = _crossing(paths, walk.reraising[loop.reraising_depth :])
    (loop.breaks if isinstance(statement, ast.Break) else loop.continues).append(kept)


def _simple(walk: _Walk, statement: ast.stmt, paths: Paths) -> Paths:
    value = getattr(statement, "value", None)
    if isinstance(value, (ast.Await, ast.Yield, ast.YieldFrom)):
        value = value.value
        if isinstance(statement.value, ast.Yield) and value is not None:
            if _hands_on(walk, value):
                return _raise_level(paths, HANDED_ON)
    if value is None:
        return paths
    index = walk.index
    if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        if isinstance(value, ast.Call) and _records_into_names(walk, statement, value):
            return paths
        if _hands_on(walk, value):
            return _raise_level(paths, HANDED_ON)
    if not isinstance(value, ast.Call):
        return paths
    if _never_returns(walk, value):
        return {}
    if is_traceback_reporter(index, value) or _is_reporter(index, value):
        return _raise_level(paths, TRACEBACK)
    level = logger_level(index, value)
    if level is not None:
        traced = records_traceback(index, value, level, walk.traceback_names)
        traced = traced or _shows_traceback(walk, value)
        return _raise_level(paths, TRACEBACK if traced else MESSAGE)
    if _is_printer(index, value):
        # A command line tool's output is its log.
        return _raise_level(paths, TRACEBACK if _shows_traceback(walk, value) else MESSAGE)
    if _hands_on(walk, value):
        return _raise_level(paths, HANDED_ON)
    helper = local_function(index, value) if walk.follow_local else None
    if helper is not None:
        return _raise_level(paths, _helper_level(index, helper))
    return paths


def _is_reporter(index: FileIndex, call: ast.Call) -> bool:
    qualified = _qualified(index, call)
    return qualified in _DEBUGGERS or _matches(qualified, index.config.traceback_reporters)


def _qualified(index: FileIndex, call: ast.Call) -> str:
    return resolver_for(index).qualified_name(call.func) or ""


def _is_printer(index: FileIndex, call: ast.Call) -> bool:
    """`print(...)`, `sys.stderr.write(...)`: a command line tool's log."""
    return _qualified(index, call) in _PRINTERS


def _shows_traceback(walk: _Walk, call: ast.Call) -> bool:
    """A formatted traceback somewhere in the call's arguments:
    `print(_("failed:\n%s") % traceback.format_exc())`, `LOG.error(f"{tb}")`."""
    pending = [*call.args, *(keyword.value for keyword in call.keywords)]
    seen = 0
    while pending and seen < _MAX_ARGUMENT_NODES:
        expr = pending.pop()
        seen += 1
        if isinstance(expr, ast.Name) and expr.id in walk.traceback_names:
            return True
        if isinstance(expr, ast.Call):
            if is_traceback_formatter(walk.index, expr):
                return True
            pending.extend(expr.args)
        elif isinstance(expr, ast.BinOp):
            pending.extend((expr.left, expr.right))
        elif isinstance(expr, ast.JoinedStr):
            pending.extend(expr.values)
        elif isinstance(expr, ast.FormattedValue):
            pending.append(expr.value)
        elif isinstance(expr, (ast.Tuple, ast.List)):
            pending.extend(expr.elts)
        elif isinstance(expr, ast.Dict):
            pending.extend(expr.values)
    return False


def _records_into_names(walk: _Walk, statement: ast.stmt, call: ast.Call) -> bool:
    """`tb = traceback.format_exc()` and `exc_info = sys.exc_info()` bind
    names the rest of the handler may log or hand on."""
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    names = {t.id for t in targets if isinstance(t, ast.Name)}
    if is_traceback_formatter(walk.index, call):
        walk.traceback_names.update(names)
        return True
    if resolver_for(walk.index).qualified_name(call.func) == "sys.exc_info":
        walk.error_names.update(names)
        return True
    return False


def _is_error(walk: _Walk, expr: ast.AST) -> bool:
    """The caught exception itself: its `as` name, or `sys.exc_info()`."""
    if isinstance(expr, ast.Name):
        return expr.id in walk.error_names
    if isinstance(expr, (ast.Tuple, ast.List)):
        return any(_is_error(walk, element) for element in expr.elts)
    if isinstance(expr, ast.Call) and not expr.args:
        return resolver_for(walk.index).qualified_name(expr.func) == "sys.exc_info"
    return False


def _hands_on(walk: _Walk, expr: ast.AST, depth: int = 0) -> bool:
    """Whether `expr` hands the caught exception object on: returns it, or
    passes it (or `sys.exc_info()`) to a call that is not a logger, a
    builtin or a formatter.  The object keeps its traceback
    (`__traceback__`), so the error is not lost: a future, a fault record or
    a caller that re-raises it later has all of it."""
    if _is_error(walk, expr):
        return True
    if not isinstance(expr, ast.Call) or depth > 1:
        return False
    arguments = [*expr.args, *(keyword.value for keyword in expr.keywords)]
    if not any(_is_error(walk, a) or _hands_on(walk, a, depth + 1) for a in arguments):
        return False
    qualified = resolver_for(walk.index).qualified_name(expr.func) or ""
    last = qualified.rsplit(".", 1)[-1]
    if qualified.startswith("builtins.") or logger_level(walk.index, expr) is not None:
        return False
    words = {word.lower() for word in re.split(r"_|(?<=[a-z])(?=[A-Z])", last)}
    return last != "_" and not _FORMATTER_WORDS & words


def _helper_level(index: FileIndex, function: ast.AST) -> int:
    """How much a function of this file logs when it logs on every path out
    of it (a handler calling `self._log_failure()` logs too), else SILENT.
    Its own calls to other functions of the file are not followed, so each
    function is walked once, and only when a handler calls it."""

    def compute():
        walk = _Walk(index, follow_local=False, finally_depth=_MAX_FINALLY_DEPTH)
        _leave(walk, _block(walk, function.body, {(SILENT, frozenset()): function}))
        logged = min((swallow.logged for swallow in walk.swallows), default=SILENT)
        return logged if SILENT < logged < HANDED_ON else SILENT

    return index.memo(("helper-level", function), compute)


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
    for (level, off), node in paths.items():
        raised.setdefault((max(level, logged), off), node)
    return raised


def _loop(walk: _Walk, loop: ast.stmt, paths: Paths) -> Paths:
    record = _Loop(len(walk.reraising))
    walk.loops.append(record)
    after_body = _block(walk, loop.body, paths)
    walk.loops.pop()
    runs_forever = (
        isinstance(loop, ast.While)
        and isinstance(loop.test, ast.Constant)
        and bool(loop.test.value)
    )
    # A `for` loop in a handler is taken to run at least once: it walks the
    # instances or volumes the failed operation touched, which are not empty.
    skipped = {} if isinstance(loop, (ast.For, ast.AsyncFor)) else paths
    finished = {} if runs_forever else _merge(skipped, after_body, *record.continues)
    return _merge(_block(walk, loop.orelse, finished), *record.breaks)


def _with(walk: _Walk, statement: ast.stmt, paths: Paths) -> Paths:
    """`with excutils.save_and_reraise_exception():` re-raises when the block
    ends, on every path where its re-raise was not switched off
    (`reraise=False`, `ctxt.reraise = False`); a `return` inside it is
    overridden by the re-raise too."""
    found = _reraising_item(walk.index, statement)
    if found is None:
        return _block(walk, statement.body, paths)
    item, starts_on = found
    if not starts_on:
        paths = {(level, off | {statement}): node for (level, off), node in paths.items()}
    alias = item.optional_vars.id if isinstance(item.optional_vars, ast.Name) else None
    walk.reraising.append(_ReraisingBlock(statement, alias))
    after_body = _block(walk, statement.body, paths)
    walk.reraising.pop()
    return _crossing(after_body, [_ReraisingBlock(statement, alias)])


def _reraising_item(index: FileIndex, statement: ast.stmt):
    """The `save_and_reraise_exception(...)` item of a `with`, and whether it
    starts with its re-raise on (`reraise=` absent or a true constant)."""
    names = resolver_for(index)
    for item in statement.items:
        call = item.context_expr
        if not isinstance(call, ast.Call):
            continue
        qualified = names.qualified_name(call.func) or ""
        if qualified not in RERAISING_CONTEXTS and not qualified.endswith(
            ".save_and_reraise_exception"
        ):
            continue
        starts_on = True
        for keyword in call.keywords:
            if keyword.arg == "reraise":
                value = names.constant(keyword.value)
                starts_on = value is not NOT_CONSTANT and bool(value)
        return item, starts_on
    return None


def _switch_reraise(walk: _Walk, statement: ast.Assign, paths: Paths) -> Optional[Paths]:
    """`ctxt.reraise = False` (or anything not surely true) switches the
    re-raise of the open block named `ctxt` off on this path; `= True` back on."""
    targets = [
        t
        for t in statement.targets
        if isinstance(t, ast.Attribute) and t.attr == "reraise" and isinstance(t.value, ast.Name)
    ]
    if not targets:
        return None
    block = next(
        (b for b in reversed(walk.reraising) if b.alias == targets[0].value.id), None
    )
    if block is None:
        return None
    value = resolver_for(walk.index).constant(statement.value)
    switched_on = value is not NOT_CONSTANT and bool(value)
    changed: Paths = {}
    for (level, off), node in paths.items():
        new_off = off - {block.statement} if switched_on else off | {block.statement}
        changed.setdefault((level, new_off), node)
    return changed


def _try(walk: _Walk, statement: ast.stmt, paths: Paths) -> Paths:
    if not statement.finalbody:
        return _try_without_finally(walk, statement, paths)
    inner = _Walk(
        walk.index,
        loops=walk.loops,
        reraising=walk.reraising,
        traceback_names=walk.traceback_names,
        error_names=walk.error_names,
        finally_depth=walk.finally_depth + 1,
        follow_local=walk.follow_local,
    )
    before_finally = _try_without_finally(inner, statement, paths)
    if walk.finally_depth >= _MAX_FINALLY_DEPTH:
        walk.swallows.extend(inner.swallows)
        return _block(walk, statement.finalbody, _merge(paths, before_finally))
    # An error raised in the try (or its handlers) runs the `finally` and
    # then propagates, unless the `finally` leaves first (`return` in it
    # swallows; those leaves are recorded here).  A `finally` that cannot
    # complete also replaces the `return`s of the try.
    walk.finally_depth += 1
    completes = _block(walk, statement.finalbody, paths)
    if completes:
        walk.swallows.extend(inner.swallows)
    after = _block(walk, statement.finalbody, before_finally) if before_finally else {}
    walk.finally_depth -= 1
    return after


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
    """A call that never returns: `sys.exit(...)` and friends, a function listed
    in `rtsec-noreturn-functions`, or a function of this file that is
    annotated `-> NoReturn` or raises on every path."""
    if _is_known_noreturn(index, call):
        return True
    function = local_function(index, call)
    return function is not None and _is_noreturn_function(index, function)


def _is_known_noreturn(index: FileIndex, call: ast.Call) -> bool:
    qualified = _qualified(index, call)
    return qualified in NORETURN_FUNCTIONS or _matches(qualified, index.config.noreturn_functions)


def _matches(qualified: str, patterns) -> bool:
    """A configured name: exact, or a `*` pattern (`*.raise_error` matches
    `self.raise_error`)."""
    return bool(qualified) and any(fnmatchcase(qualified, pattern) for pattern in patterns)


def _never_returns(walk: _Walk, call: ast.Call) -> bool:
    if walk.follow_local:
        return is_noreturn(walk.index, call)
    return _is_known_noreturn(walk.index, call)


def local_function(index: FileIndex, call: ast.Call) -> Optional[ast.AST]:
    """The function of this file a call reaches by name: a module-level
    `f(...)`, or `self._m(...)` / `cls._m(...)` of the enclosing class."""
    func = call.func
    if isinstance(func, ast.Name):
        return _module_functions(index).get(func.id)
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
        return None
    if func.value.id not in ("self", "cls"):
        return None
    for ancestor in index.ancestors(call):
        if isinstance(ancestor, ast.ClassDef):
            return _class_methods(index, ancestor).get(func.attr)
    return None


def _class_methods(index: FileIndex, klass: ast.ClassDef) -> Dict[str, ast.AST]:
    """The methods of a class body by name, the first one where a name repeats."""

    def collect():
        found: Dict[str, ast.AST] = {}
        for statement in klass.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.setdefault(statement.name, statement)
        return found

    return index.memo(("class-methods", klass), collect)


def _module_functions(index: FileIndex) -> Dict[str, ast.AST]:
    def collect():
        found: Dict[str, ast.AST] = {}
        for statement in getattr(index.tree, "body", ()):
            if isinstance(statement, ast.FunctionDef):
                found[statement.name] = statement
        return found

    return index.memo(_module_functions, collect)


def _is_noreturn_function(index: FileIndex, function: ast.AST) -> bool:
    """Whether a function of the file cannot return normally.

    Decided without following calls to other such functions (so no cycle
    and no ordering issue), only the built-in and configured no-return
    calls; each function once, and only when a handler calls it.
    Generators, coroutines, functions with a decorator (it may catch) and
    functions that raise `NotImplementedError` (subclasses override them)
    never count.
    """
    if not isinstance(function, ast.FunctionDef):
        return False

    def compute():
        if function in _noreturn_excluded(index):
            return False
        if function.returns is not None and (
            resolver_for(index).qualified_name(function.returns) in NORETURN_ANNOTATIONS
        ):
            return True
        if any(not _is_static_or_class(d) for d in function.decorator_list):
            return False
        walk = _Walk(index, follow_local=False, finally_depth=_MAX_FINALLY_DEPTH)
        paths = _block(walk, function.body, {(SILENT, frozenset()): function})
        return not paths and not walk.swallows

    return index.memo(("noreturn", function), compute)


def _noreturn_excluded(index: FileIndex) -> FrozenSet[ast.AST]:
    """Functions that yield, or raise `NotImplementedError`."""

    def collect():
        excluded = {
            index.enclosing_function(node) for node in index.nodes(ast.Yield, ast.YieldFrom)
        }
        for node in index.nodes(ast.Raise):
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
                excluded.add(index.enclosing_function(node))
        return frozenset(excluded)

    return index.memo(_noreturn_excluded, collect)


def _is_static_or_class(decorator: ast.AST) -> bool:
    return isinstance(decorator, ast.Name) and decorator.id in ("staticmethod", "classmethod")
