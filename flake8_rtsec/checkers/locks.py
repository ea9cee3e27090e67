"""RTS1: shared state written outside the lock that guards it, and lock misuse."""

import ast
from typing import Dict, FrozenSet, Iterator

from flake8_rtsec import options
from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.lockmodel import Lock, LockModel, lock_model
from flake8_rtsec.analysis.methods import ClassModel, class_models, construction_methods
from flake8_rtsec.analysis.state import Write, writes_by_class
from flake8_rtsec.checkers import FamilyChecker, Report


def check(index: FileIndex) -> Iterator[Report]:
    enabled = index.config.enabled_codes
    locks = lock_model(index)
    if "RTS101" in enabled:
        yield from check_unguarded_write(index, locks)
    if "RTS107" in enabled:
        yield from check_acquire_without_timeout(index, locks)


def check_unguarded_write(index: FileIndex, locks: LockModel) -> Iterator[Report]:
    """RTS101: an attribute written under a lock somewhere is written outside it."""
    writes_of = writes_by_class(index)
    for model in class_models(index):
        writes = writes_of.get(model.node)
        if not writes:
            continue
        held = _locks_held_at_writes(model, writes, locks)
        guarded: Dict[str, tuple] = {}
        for write in writes:
            for lock in sorted(held[write], key=lambda lock: lock.key):
                guarded.setdefault(write.attribute, (lock, write.node.lineno))
        if not guarded:
            continue  # a class that never writes under a lock is not analysed
        exempt = construction_methods(model)
        for write in writes:
            if write.attribute not in guarded or write.method in exempt:
                continue
            lock, line = guarded[write.attribute]
            if lock not in held[write]:
                yield Report(
                    write.node,
                    "RTS101",
                    {
                        "target": f"self.{write.attribute}",
                        "lock": lock.describe(),
                        "guarded_line": line,
                    },
                )


def _locks_held_at_writes(
    model: ClassModel, writes, locks: LockModel
) -> Dict[Write, FrozenSet[Lock]]:
    """Locks held at each write: those around it in its method, plus those held
    on every path into the method (see `ClassModel.entry_facts`)."""

    def held_here(node: ast.AST) -> FrozenSet[Lock]:
        return frozenset(held.lock for held in locks.held_at(node))

    on_entry = model.entry_facts(
        entry=lambda name: frozenset(),
        at_call=lambda caller_holds, call: caller_holds | held_here(call),
        meet=lambda a, b: a & b,
    )
    return {write: on_entry[write.method] | held_here(write.node) for write in writes}


def check_acquire_without_timeout(index: FileIndex, locks: LockModel) -> Iterator[Report]:
    """RTS107: `lock.acquire()` that can block forever."""
    for call in index.nodes(ast.Call):
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr != "acquire":
            continue
        lock = locks.lock_object(func.value)
        if lock is None or _acquire_is_bounded(call):
            continue
        yield Report(call, "RTS107", {"lock": ast.unparse(func.value)})


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
