"""RTS2: broad exception handlers that swallow the error or lose its traceback."""

import ast
from typing import Iterator

from flake8_rtsec.analysis.broad import BARE, broad_type, catches_base_exception
from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.paths import MESSAGE, SILENT, swallowing_paths
from flake8_rtsec.checkers import FamilyChecker, Report


def check(index: FileIndex) -> Iterator[Report]:
    for handler in index.nodes(ast.ExceptHandler):
        kind = broad_type(index, handler.type)
        if kind is None:
            continue
        swallows = swallowing_paths(index, handler)
        if not swallows:
            continue
        caught = BARE if kind == BARE else f"except {kind}"
        if catches_base_exception(kind):
            yield check_base_exception_swallowed(handler, caught, swallows)
            continue
        silent = [s for s in swallows if s.logged == SILENT]
        if silent:
            yield check_broad_except_silent(handler, caught, silent)
            continue
        without_traceback = [s for s in swallows if s.logged == MESSAGE]
        if without_traceback:
            yield check_broad_except_traceback_lost(handler, caught, without_traceback)


def check_broad_except_silent(handler, caught, silent) -> Report:
    """RTS201: a path out of a broad handler swallows the error and logs nothing."""
    return Report(handler, "RTS201", {"caught": caught, "end_line": _first_line(silent)})


def check_broad_except_traceback_lost(handler, caught, without_traceback) -> Report:
    """RTS202: every swallowing path logs, but one of them without the traceback."""
    return Report(handler, "RTS202", {"caught": caught, "end_line": _first_line(without_traceback)})


def check_base_exception_swallowed(handler, caught, swallows) -> Report:
    """RTS203: a bare or BaseException handler that does not always re-raise."""
    return Report(handler, "RTS203", {"caught": caught, "end_line": _first_line(swallows)})


def _first_line(swallows) -> int:
    return min(swallow.node.lineno for swallow in swallows)


class ExceptChecker(FamilyChecker):
    family = "RTS2"
    check = staticmethod(check)
