"""RTS1: shared state written outside the lock that guards it, and lock misuse."""

import ast
from typing import Dict, Iterator, List, Tuple

from flake8_rtsec.analysis.guards import (
    Acquisition,
    ClassGuards,
    acquisitions,
    class_guards,
    holds_by_own_code,
    lock_context,
    module_guards,
)
from flake8_rtsec.analysis.display import shown
from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.lockmodel import Lock, lock_model
from flake8_rtsec.analysis.state import iterations, reaching
from flake8_rtsec.checkers import FamilyChecker, Report, enabled_checks

# Functions that hand a lock to their caller instead of holding it.
_LOCK_WRAPPERS = frozenset({"acquire", "__enter__", "__aenter__", "lock"})


def check(index: FileIndex) -> Iterator[Report]:
    if not lock_model(index).acquisitions():
        # A file that takes no lock guards nothing and cannot misuse one; a
        # lockutils lock created but never taken still counts for RTS106.
        return enabled_checks(index, (("RTS106", check_mixed_lock_fairness),))
    return enabled_checks(index, CHECKS)


def check_unguarded_write(index: FileIndex) -> Iterator[Report]:
    """RTS101: an attribute written under a lock somewhere is written outside it."""
    for prefix, guards in _guarded_state(index):
        for write, held in guards.held.items():
            if write.attribute not in guards.guards or write in guards.exempt:
                continue
            lock, line = guards.guards[write.attribute]
            if lock not in held:
                target = prefix + write.attribute
                if write.via:
                    target += f" (through {write.via})"
                yield Report(
                    write.node,
                    "RTS101",
                    {"target": target, "lock": lock.describe(), "guarded_line": line},
                )


def check_unguarded_iteration(index: FileIndex) -> Iterator[Report]:
    """RTS102: a container written under a lock is iterated outside it."""
    by_owner = dict(class_guards(index))
    globals_ = module_guards(index)
    if globals_ is not None:
        by_owner[index.tree] = globals_
    if not by_owner:
        return
    context = lock_context(index)
    # Only loops that may reach guarded state are resolved.
    attributes = {name for guards in class_guards(index).values() for name in guards.guards}
    reaches = reaching(index, attributes, set(globals_.guards) if globals_ is not None else set())
    for iteration in iterations(index, reaches):
        ref = iteration.ref
        guards = by_owner.get(ref.owner)
        if guards is None or ref.attribute not in guards.guards:
            continue
        # Construction (or a confined lifecycle method) itself, not code it defers.
        function = index.enclosing_function(iteration.node)
        if function is ref.method and getattr(function, "name", None) in guards.construction:
            continue
        lock, line = guards.guards[ref.attribute]
        if not any(held.keeps_out_writers_of(lock) for held in context.at(iteration.node)):
            yield Report(
                iteration.node,
                "RTS102",
                {"target": ref.describe(), "lock": lock.describe(), "guarded_line": line},
            )


def check_non_reentrant_reacquire(index: FileIndex) -> Iterator[Report]:
    """RTS103: a non-reentrant lock is taken again while held, maybe through calls."""
    context = lock_context(index)
    for acquisition in acquisitions(index):
        lock = acquisition.lock
        if lock.reentrant or not lock.comparable or lock not in acquisition.held:
            continue
        if not holds_by_own_code(acquisition, context):
            continue
        yield Report(
            acquisition.node,
            "RTS103",
            {
                "lock": lock.describe(),
                "held_line": context.where_held(acquisition.node, lock),
                "chain": _chain(acquisition, index),
            },
        )


def _chain(acquisition: Acquisition, index: FileIndex) -> str:
    if not acquisition.chain:
        return "this line"
    receiver = ""
    call = acquisition.node
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
        receiver = shown(call.func.value) + "."
    steps = " -> ".join(f"{receiver}{name}()" for name in acquisition.chain)
    return f"{steps} (at line {acquisition.line})"


def check_manual_acquire(index: FileIndex) -> Iterator[Report]:
    """RTS104: `lock.acquire()` not followed at once by try/finally release."""
    locks = lock_model(index)
    for call in locks.acquire_calls():
        function = index.enclosing_function(call)
        if getattr(function, "name", None) in _LOCK_WRAPPERS:
            continue
        if isinstance(index.parent(call), ast.Return):
            continue
        if not locks.release_is_guaranteed(call):
            yield Report(call, "RTS104", {"lock": shown(call.func.value)})


def check_lock_order_inversion(index: FileIndex) -> Iterator[Report]:
    """RTS105: two locks taken in opposite orders in one module."""
    first: Dict[Tuple[Lock, Lock], Acquisition] = {}
    for acquisition in acquisitions(index):
        inner = acquisition.lock
        if not inner.comparable:
            continue
        for outer in acquisition.held:
            if outer != inner and outer.comparable:
                first.setdefault((outer, inner), acquisition)
    reported = set()
    for (outer, inner), acquisition in first.items():
        reverse = first.get((inner, outer))
        if reverse is None or frozenset((outer, inner)) in reported:
            continue
        reported.add(frozenset((outer, inner)))
        later, other = sorted((acquisition, reverse), key=_position)[::-1]
        later_inner, later_outer = (inner, outer) if later is acquisition else (outer, inner)
        yield Report(
            later.node,
            "RTS105",
            {
                "inner": later_inner.describe(),
                "outer": later_outer.describe(),
                "other_line": other.node.lineno,
            },
        )


def _position(acquisition: Acquisition):
    return (acquisition.node.lineno, acquisition.node.col_offset)


def check_mixed_lock_fairness(index: FileIndex) -> Iterator[Report]:
    """RTS106: one lockutils name used with different fair=/external= settings."""
    locks = lock_model(index)
    uses: Dict[str, List[Tuple[ast.Call, Lock]]] = {}
    for call, lock in locks.lockutils_uses():
        if lock.known:
            uses.setdefault(lock.key, []).append((call, lock))
    for name_uses in uses.values():
        settings = [(lock.fair, lock.external) for _, lock in name_uses]
        if len(set(settings)) < 2:
            continue
        # The setting most uses agree on is the intended one; ties go to the first.
        usual = max(settings, key=lambda s: (settings.count(s), -settings.index(s)))
        witness = name_uses[settings.index(usual)][0]
        for (call, lock), setting in zip(name_uses, settings):
            if setting != usual:
                yield Report(
                    call,
                    "RTS106",
                    {
                        "lock": lock.describe(),
                        "setting": _describe_setting(setting, usual),
                        "other_setting": _describe_setting(usual, setting),
                        "other_line": witness.lineno,
                        "consequence": _consequence(setting, usual),
                    },
                )


def _consequence(setting: Tuple[bool, bool], other: Tuple[bool, bool]) -> str:
    if setting[0] != other[0]:
        return "oslo keeps fair and plain locks apart, so the two do not exclude each other"
    return "only one of them takes the inter-process file lock"


def _describe_setting(setting: Tuple[bool, bool], other: Tuple[bool, bool]) -> str:
    parts = []
    if setting[0] != other[0]:
        parts.append(f"fair={setting[0]}")
    if setting[1] != other[1]:
        parts.append(f"external={setting[1]}")
    return ", ".join(parts)


def check_acquire_without_timeout(index: FileIndex) -> Iterator[Report]:
    """RTS107: `lock.acquire()` that can block forever."""
    locks = lock_model(index)
    for call in locks.acquire_calls():
        if not _acquire_is_bounded(call):
            yield Report(call, "RTS107", {"lock": shown(call.func.value)})


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


def _guarded_state(index: FileIndex) -> Iterator[Tuple[str, ClassGuards]]:
    for guards in class_guards(index).values():
        yield "self.", guards
    globals_ = module_guards(index)
    if globals_ is not None:
        yield "", globals_


CHECKS = (
    ("RTS101", check_unguarded_write),
    ("RTS102", check_unguarded_iteration),
    ("RTS103", check_non_reentrant_reacquire),
    ("RTS104", check_manual_acquire),
    ("RTS105", check_lock_order_inversion),
    ("RTS106", check_mixed_lock_fairness),
    ("RTS107", check_acquire_without_timeout),
)


class LockChecker(FamilyChecker):
    family = "RTS1"
    check = staticmethod(check)
