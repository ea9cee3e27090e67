"""Which state each lock guards, and which locks each write holds.

An attribute is guarded by a lock when some write to it (outside
construction) holds that lock.  RTS101 reports the writes that do not hold
it; RTS204 asks whether a `try` body writes guarded state.
"""

import ast
from dataclasses import dataclass
from typing import Dict, FrozenSet, Tuple

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.lockmodel import Lock, LockModel, lock_model
from flake8_rtsec.analysis.methods import ClassModel, class_models, construction_methods
from flake8_rtsec.analysis.state import Write, writes_by_class


@dataclass(frozen=True)
class ClassGuards:
    entry_locks: Dict[str, FrozenSet[Lock]]  # method -> locks held on every path into it
    held: Dict[Write, FrozenSet[Lock]]  # every write of the class -> locks it holds
    guards: Dict[str, Tuple[Lock, int]]  # attribute -> (its lock, line of a guarded write)
    construction: FrozenSet[str]  # methods exempt from the discipline


def class_guards(index: FileIndex) -> Dict[ast.ClassDef, ClassGuards]:
    """Classes that write some state under a lock; others are not analysed."""
    return index.memo(ClassGuards, lambda: _find_guards(index))


def _find_guards(index: FileIndex) -> Dict[ast.ClassDef, ClassGuards]:
    locks = lock_model(index)
    writes_of = writes_by_class(index)
    found = {}
    for model in class_models(index):
        writes = writes_of.get(model.node)
        if not writes:
            continue
        entry_locks = _entry_locks(model, locks)
        held = {
            write: entry_locks[write.method] | locks_held_at(locks, write.node)
            for write in writes
        }
        construction = construction_methods(model)
        guards: Dict[str, Tuple[Lock, int]] = {}
        for write in writes:
            if write.method in construction:
                continue
            for lock in sorted(held[write], key=lambda lock: lock.key):
                guards.setdefault(write.attribute, (lock, write.node.lineno))
        if guards:
            found[model.node] = ClassGuards(entry_locks, held, guards, construction)
    return found


def locks_held_at(locks: LockModel, node: ast.AST) -> FrozenSet[Lock]:
    return frozenset(held.lock for held in locks.held_at(node))


def _entry_locks(model: ClassModel, locks: LockModel) -> Dict[str, FrozenSet[Lock]]:
    return model.entry_facts(
        entry=lambda name: frozenset(),
        at_call=lambda caller_holds, call: caller_holds | locks_held_at(locks, call),
        meet=lambda a, b: a & b,
    )
