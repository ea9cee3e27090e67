"""RTS1: shared state written outside the lock that guards it, and lock misuse."""

import ast
from typing import Iterator

from flake8_rtsec import options
from flake8_rtsec.analysis.display import shown
from flake8_rtsec.analysis.guards import class_guards
from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.lockmodel import LockModel, lock_model
from flake8_rtsec.checkers import FamilyChecker, Report


def check(index: FileIndex) -> Iterator[Report]:
    enabled = index.config.enabled_codes
    if "RTS101" in enabled:
        yield from check_unguarded_write(index)
    if "RTS107" in enabled:
        yield from check_acquire_without_timeout(index, lock_model(index))


def check_unguarded_write(index: FileIndex) -> Iterator[Report]:
    """RTS101: an attribute written under a lock somewhere is written outside it."""
    for guards in class_guards(index).values():
        for write, held in guards.held.items():
            if write.attribute not in guards.guards or write.method in guards.construction:
                continue
            lock, line = guards.guards[write.attribute]
            if lock not in held:
                yield Report(
                    write.node,
                    "RTS101",
                    {
                        "target": f"self.{write.attribute}",
                        "lock": lock.describe(),
                        "guarded_line": line,
                    },
                )


def check_acquire_without_timeout(index: FileIndex, locks: LockModel) -> Iterator[Report]:
    """RTS107: `lock.acquire()` that can block forever."""
    for call in index.nodes(ast.Call):
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr != "acquire":
            continue
        lock = locks.lock_object(func.value)
        if lock is None or _acquire_is_bounded(call):
            continue
        yield Report(call, "RTS107", {"lock": shown(func.value)})


def _acquire_is_bounded(call: ast.Call) -> bool:
    """`acquire(False)`, `acquire(blocking=False)`, or any timeout given."""
    if len(call.args) > 1 or any(k.arg == "timeout" for k in call.keywords):
        return True
    blocking = call.args[0] if call.args else None
    for keyword in call.keywords:
        if keyword.arg == "blocking":
            blocking = keyword.value
    if blocking is None:
        return False
    # A computed `blocking` may well be False: only a literal true value blocks.
    return not (isinstance(blocking, ast.Constant) and blocking.value)


class LockChecker(FamilyChecker):
    family = "RTS1"
    check = staticmethod(check)

    # The one owner of the plugin's options (two owners crash flake8).
    add_options = staticmethod(options.add_options)
    parse_options = staticmethod(options.parse_options)
