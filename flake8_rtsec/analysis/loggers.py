"""Logger calls: which calls log, and whether they record the traceback.

Shared by RTS2 (did the handler log the traceback?) and RTS3 (does a
secret reach a log call?).  A logger is `logging` itself, anything bound
from a `getLogger(...)` call (stdlib or oslo_log) or a logger adapter
(`logging.LoggerAdapter`, oslo_log's `KeywordArgumentAdapter`), anything
named like `LOG`, `log`, `logger` (also as `self.log`, `self.logger`), and the names
listed in `rtsec-logger-names`.
"""

import ast
import re
from typing import Optional

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.names import NOT_CONSTANT, resolver_for

LEVELS = frozenset(
    {"debug", "info", "warning", "warn", "error", "critical", "exception", "log"}
)

# Calls whose result logs: loggers and the adapters wrapping them.
LOGGER_FACTORIES = ("getLogger()", "LoggerAdapter()", "KeywordArgumentAdapter()")

_LOGGER_NAME = re.compile(r"_*(log|logger)\Z", re.IGNORECASE)

TRACEBACK_FORMATTERS = frozenset(
    {"traceback.format_exc", "traceback.format_exception", "traceback.format_tb"}
)
TRACEBACK_PRINTERS = frozenset({"traceback.print_exc", "traceback.print_exception"})


def logger_level(index: FileIndex, call: ast.Call) -> Optional[str]:
    """The level a logger call logs at (`"log"` for `LOG.log(...)`), or None."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in LEVELS:
        return None
    receiver = func.value
    qualified = resolver_for(index).qualified_name(receiver) or ""
    if qualified == "logging" or qualified.endswith(LOGGER_FACTORIES):
        return func.attr
    written = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    names = index.config.logger_names
    if _LOGGER_NAME.match(written) or written in names or qualified in names:
        return func.attr
    # `from nova.compute.manager import LOG as COMPUTE_LOG`
    if isinstance(receiver, ast.Name) and _LOGGER_NAME.match(qualified.rpartition(".")[2]):
        return func.attr
    return None


def message_arguments(call: ast.Call, level: str):
    """The arguments that make up the logged text (the level is not one)."""
    arguments = call.args[1:] if level == "log" else call.args
    return [*arguments, *(k.value for k in call.keywords if k.arg in (None, "extra", "msg"))]


def records_traceback(index: FileIndex, call: ast.Call, level: str, traceback_names=()) -> bool:
    """`LOG.exception(...)`, a truthy `exc_info=`, or a formatted traceback as an argument.

    `traceback_names` are local names the caller knows hold a formatted traceback.
    """
    names = resolver_for(index)
    for keyword in call.keywords:
        if keyword.arg == "exc_info":
            value = names.constant(keyword.value)
            return value is NOT_CONSTANT or bool(value)
    if level == "exception":
        return True
    for argument in call.args:
        if isinstance(argument, ast.Name) and argument.id in traceback_names:
            return True
        if isinstance(argument, ast.Call) and is_traceback_formatter(index, argument):
            return True
    return False


def is_traceback_formatter(index: FileIndex, call: ast.Call) -> bool:
    return resolver_for(index).qualified_name(call.func) in TRACEBACK_FORMATTERS


def is_traceback_reporter(index: FileIndex, call: ast.Call) -> bool:
    """A call that records the traceback by itself: `traceback.print_exc()` or
    a callable listed in `rtsec-traceback-reporters`."""
    qualified = resolver_for(index).qualified_name(call.func)
    return qualified in TRACEBACK_PRINTERS or qualified in index.config.traceback_reporters
