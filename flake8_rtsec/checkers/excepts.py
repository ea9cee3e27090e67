"""RTS2: broad exception handlers that swallow the error or lose its traceback."""

import ast
from fnmatch import fnmatchcase
from typing import Dict, Iterator, List, Optional, Tuple

from flake8_rtsec.analysis.broad import (
    BARE,
    broad_type,
    catches_base_exception,
    enclosing_decorator_names,
    enclosing_function_names,
    suppress_calls,
    suppressed_broad_type,
)
from flake8_rtsec.analysis.guards import class_guards
from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.lockmodel import lock_model
from flake8_rtsec.analysis.paths import MESSAGE, SILENT, TRACEBACK, swallowing_paths
from flake8_rtsec.analysis.state import Write
from flake8_rtsec.checkers import FamilyChecker, Report

_COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try)

HANDLER_CODES = frozenset({"RTS201", "RTS202", "RTS203", "RTS204", "RTS206"})


def check(index: FileIndex) -> Iterator[Report]:
    enabled = index.config.enabled_codes
    if "RTS205" in enabled:
        yield from check_broad_suppress(index)
    if not enabled & HANDLER_CODES:
        return
    for handler in index.nodes(ast.ExceptHandler):
        kind = broad_type(index, handler.type)
        if kind is None:
            continue
        swallows = swallowing_paths(index, handler)
        if not swallows:
            continue
        caught = BARE if kind == BARE else f"except {kind}"
        levels = {swallow.logged for swallow in swallows}
        if catches_base_exception(kind):
            yield check_base_exception_swallowed(handler, caught, swallows)
        elif SILENT in levels:
            yield check_broad_except_silent(handler, caught, swallows)
        elif MESSAGE in levels:
            yield check_broad_except_traceback_lost(handler, caught, swallows)
        elif "RTS206" in enabled:
            report = check_broad_except_logged(index, handler, caught, swallows)
            if report:
                yield report
        if "RTS204" in enabled:
            report = check_swallowed_in_critical_section(index, handler, caught, swallows)
            if report:
                yield report


def check_broad_except_silent(handler, caught, swallows) -> Report:
    """RTS201: a path out of a broad handler swallows the error and logs nothing."""
    silent = [s for s in swallows if s.logged == SILENT]
    return Report(handler, "RTS201", {"caught": caught, "end_line": _first_line(silent)})


def check_broad_except_traceback_lost(handler, caught, swallows) -> Report:
    """RTS202: every swallowing path logs, but one of them without the traceback."""
    lost = [s for s in swallows if s.logged == MESSAGE]
    return Report(handler, "RTS202", {"caught": caught, "end_line": _first_line(lost)})


def check_base_exception_swallowed(handler, caught, swallows) -> Report:
    """RTS203: a bare or BaseException handler that does not always re-raise."""
    return Report(handler, "RTS203", {"caught": caught, "end_line": _first_line(swallows)})


def check_swallowed_in_critical_section(index, handler, caught, swallows) -> Optional[Report]:
    """RTS204: a broad handler swallows inside a held lock after the try wrote
    state that lock guards, and does not roll that state back."""
    if not lock_model(index).acquisitions():
        return None  # a file that takes no lock holds none anywhere
    method, owner = _method_and_class(index, handler)
    guards = class_guards(index).get(owner) if owner is not None else None
    if guards is None:
        return None
    held = {held.lock for held in lock_model(index).held_at(handler)}
    if index.enclosing_function(handler) is method:
        held |= guards.entry_locks.get(method.name, frozenset())
    if not held:
        return None
    try_node = index.parent(handler)
    under = _guarded_writes_under(index, owner, guards)
    rolled_back = {write.attribute for write, _ in under.get(handler, ())}
    written = [
        write
        for write, child in under.get(try_node, ())
        if guards.guards[write.attribute][0] in held
        and write.attribute not in rolled_back
        and _in_try_body(try_node, child)
    ]
    if not written:
        return None
    first = min(written, key=lambda write: write.node.lineno)
    return Report(
        handler,
        "RTS204",
        {
            "caught": caught,
            "end_line": _first_line(swallows),
            "lock": guards.guards[first.attribute][0].describe(),
            "target": f"self.{first.attribute}",
            "write_line": first.node.lineno,
        },
    )


def check_broad_suppress(index: FileIndex) -> Iterator[Report]:
    """RTS205: `contextlib.suppress(Exception)` swallows silently by another name."""
    for call in suppress_calls(index):
        kind = suppressed_broad_type(index, call)
        if kind is not None:
            yield Report(call, "RTS205", {"caught": kind})


def check_broad_except_logged(index, handler, caught, swallows) -> Optional[Report]:
    """RTS206: a broad handler logs the traceback and carries on, outside the
    functions and decorators listed in `rtsec-broad-except-allowed`."""
    functions = enclosing_function_names(index, handler)
    allowed = index.config.broad_except_allowed
    contexts = [*functions, *enclosing_decorator_names(index, handler)]
    if any(fnmatchcase(name, pattern) for name in contexts for pattern in allowed):
        return None
    traced = [s for s in swallows if s.logged == TRACEBACK]
    return Report(
        handler,
        "RTS206",
        {
            "caught": caught,
            "end_line": _first_line(traced),
            "function": functions[0] if functions else "module-level code",
        },
    )


def _first_line(swallows) -> int:
    return min(swallow.node.lineno for swallow in swallows)


def _method_and_class(index: FileIndex, node: ast.AST):
    """The method of a class that holds `node` (maybe in a nested function)."""
    previous = None
    for ancestor in index.ancestors(node):
        if isinstance(ancestor, ast.ClassDef):
            if isinstance(previous, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return previous, ancestor
            return None, None
        previous = ancestor
    return None, None


def _guarded_writes_under(index: FileIndex, owner: ast.ClassDef, guards) -> Dict:
    """Per node of the class, the writes of guarded state below it, each with
    the child of that node it sits in; in the order of `guards.held`.  Built
    once per class, so a handler looks up its own `try` instead of climbing
    from every write of the class."""

    def collect():
        under: Dict[ast.AST, List[Tuple[Write, ast.AST]]] = {}
        for write in guards.held:
            if write.attribute not in guards.guards:
                continue
            child = write.node
            for ancestor in index.ancestors(write.node):
                under.setdefault(ancestor, []).append((write, child))
                child = ancestor
        return under

    return index.memo((_guarded_writes_under, owner), collect)


def _in_try_body(try_node: ast.AST, child: ast.AST) -> bool:
    """Whether a write under `child` of `try_node` is in the try body with
    more of it to run after: a write in the body's last simple statement
    runs last (an error before it means it never happened), so it cannot be
    left half-done."""
    if not any(statement is child for statement in try_node.body):
        return False
    last = try_node.body[-1]
    return child is not last or isinstance(last, _COMPOUND)


class ExceptChecker(FamilyChecker):
    family = "RTS2"
    check = staticmethod(check)
