"""Which state each lock guards, and which locks are held anywhere.

The locks held at a node are those of the code around it in its function
(`lockmodel.held_at`) plus those held on entry to the function:

- a method or module function: the fixpoint of `methods.entry_facts`
  (public ones start with none, a private one gets what all its callers
  hold at their `self._m(...)` / `_f(...)` calls);
- a nested function only ever called directly where it is defined (Nova's
  `@utils.synchronized(instance.uuid) def do_x(): ...; do_x()`): what is
  held at all those calls;
- a lambda passed to a builtin that calls it at once (`sorted(key=...)`):
  what is held there;
- any other nested function or lambda: nothing, it may run after the release.

An attribute is guarded by a lock when writes to it (outside construction)
hold that lock: any one write for a lock object of the class or module
itself, most of its writes for a process-wide lockutils name (see
`_guards_of`).  RTS101 reports the writes that do not hold it, RTS102 the
loops over it outside it, RTS204 asks whether a `try` body writes guarded
state.  `acquisitions` lists where locks are taken, directly or through
calls, with what is held there (RTS103, RTS105).
"""

import ast
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Dict, FrozenSet, List, NamedTuple, Optional, Tuple

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.lockmodel import Lock, LockModel, lock_model
from flake8_rtsec.analysis.methods import (
    ClassModel,
    class_models,
    construction_methods,
    module_functions,
    module_model,
)
from flake8_rtsec.analysis.names import resolver_for
from flake8_rtsec.analysis.state import Write, reaching, state_resolver, write_sites

# Builtins that call a function argument before they return.
IMMEDIATE_CONSUMERS = frozenset(
    f"builtins.{name}"
    for name in ("sorted", "min", "max", "map", "filter", "any", "all", "sum", "list", "tuple")
)
_MAX_NESTING = 16  # nested functions followed up when looking for where a lock was taken
# Most nodes hold no lock: they all share this one set, rather than each
# keeping a new empty one alive (an object the garbage collector tracks).
_NO_LOCKS: FrozenSet[Lock] = frozenset()


@dataclass(frozen=True)
class ClassGuards:
    entry_locks: Dict[str, FrozenSet[Lock]]  # method -> locks held on every path into it
    held: Dict[Write, FrozenSet[Lock]]  # every write of the class -> locks it holds
    guards: Dict[str, Tuple[Lock, int]]  # attribute -> (its lock, line of a guarded write)
    construction: FrozenSet[str]  # methods exempt from the discipline (and confined ones)
    exempt: FrozenSet[Write] = frozenset()  # writes that cannot race (construction time)


def class_guards(index: FileIndex) -> Dict[ast.ClassDef, ClassGuards]:
    """Classes that write some state under a lock; others are not analysed."""
    return index.memo(ClassGuards, lambda: _find_guards(index))


def module_guards(index: FileIndex) -> Optional[ClassGuards]:
    """Module globals written under a module-level lock, or None.

    Keyed like a class: `held` maps writes to globals (made in functions)
    to the locks they hold; import-time statements are not writes."""
    return index.memo(("module-guards",), lambda: _find_module_guards(index))


def locks_held_at(locks: LockModel, node: ast.AST) -> FrozenSet[Lock]:
    """The locks the code around `node` in its own function holds."""
    held = locks.held_at(node)
    return frozenset(lock for lock, _ in held) if held else _NO_LOCKS


def _union(first: FrozenSet[Lock], second: FrozenSet[Lock]) -> FrozenSet[Lock]:
    """`first | second`, without a copy when one of them is empty."""
    if not second:
        return first
    return first | second if first else second


def lock_context(index: FileIndex) -> "LockContext":
    return index.memo(LockContext, lambda: LockContext(index))


class LockContext:
    """The locks held at any node, callers' locks included."""

    def __init__(self, index: FileIndex) -> None:
        self._index = index
        self.locks = lock_model(index)
        self._entry: Dict[ast.AST, FrozenSet[Lock]] = {}
        self._lexical: Dict[ast.AST, FrozenSet[Lock]] = {}
        self.class_entry: Dict[ast.ClassDef, Dict[str, FrozenSet[Lock]]] = {}
        self._owner: Dict[ast.AST, Tuple[Dict[str, FrozenSet[Lock]], str]] = {}
        # Callers pass locks on only from methods (or module functions) whose
        # own code takes one: without such a method every entry is empty,
        # and the call graph need not be followed (or, for the module, built).
        takers = self.locks.taking_functions()
        for model in class_models(index):
            if any(method in takers for method in model.methods.values()):
                self._add_model(model, model.node)
            else:
                self._add_facts(model.methods, model.node, {})
        functions = module_functions(index)
        if any(function in takers for function in functions.values()):
            self.module_entry = self._add_model(module_model(index), index.tree)
        else:
            self.module_entry = self._add_facts(functions, index.tree, {})
        self._loads: Dict[str, List[ast.Name]] = {}  # nested function name -> its loads

    def _add_model(self, model: ClassModel, key: ast.AST) -> Dict[str, FrozenSet[Lock]]:
        facts = model.entry_facts(
            entry=lambda name: _NO_LOCKS,
            at_call=lambda caller_holds, call: _union(caller_holds, self.lexical(call)),
            meet=lambda a, b: a & b,
        )
        return self._add_facts(model.methods, key, facts)

    def _add_facts(
        self, methods: Dict[str, ast.AST], key: ast.AST, facts: Dict[str, FrozenSet[Lock]]
    ) -> Dict[str, FrozenSet[Lock]]:
        if isinstance(key, ast.ClassDef):
            self.class_entry[key] = facts
        for name, method in methods.items():
            self._owner[method] = (facts, name)
        return facts

    def may_hold(self, function: ast.AST) -> bool:
        """Some lock may be held somewhere in `function`'s own code."""
        return bool(self.entry(function)) or function in self.locks.taking_functions()

    def is_model_function(self, function: ast.AST) -> bool:
        """A method or module function: its entry locks come from its callers."""
        return function in self._owner

    def function_of(self, node: ast.AST) -> Optional[ast.AST]:
        """The function `node` runs in; a decorator runs around its function."""
        parent = self._index.parent(node)
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            node is decorator for decorator in parent.decorator_list
        ):
            return parent
        return self._index.enclosing_function(node)

    def where_held(self, node: ast.AST, lock: Lock) -> int:
        """The line where `lock`, held at `node`, was taken on the way there:
        around `node` in its function, or at the call of a nested function."""
        for _ in range(_MAX_NESTING):
            for held in self.locks.held_at(node):
                if held.lock == lock:
                    return held.taken_at.lineno
            function = self.function_of(node)
            calls = self._direct_calls(function) if function is not None else []
            if not calls:
                return function.lineno if function is not None else node.lineno
            node = calls[0]
        return node.lineno

    def lexical(self, node: ast.AST) -> FrozenSet[Lock]:
        held = self._lexical.get(node)
        if held is None:
            held = self._lexical[node] = locks_held_at(self.locks, node)
        return held

    def at(self, node: ast.AST) -> FrozenSet[Lock]:
        """Every lock held on every path to `node`."""
        function = self._index.enclosing_function(node)
        entry = self.entry(function) if function is not None else _NO_LOCKS
        return _union(entry, self.lexical(node))

    def entry(self, function: ast.AST) -> FrozenSet[Lock]:
        """Locks held on every path into `function` (before its decorators)."""
        if function in self._entry:
            return self._entry[function]
        # Outermost first, so each nested function finds its definer done.
        chain = [function]
        while True:
            outer = self._index.enclosing_function(chain[-1])
            if outer is None or outer in self._entry or chain[-1] in self._owner:
                break
            chain.append(outer)
        for current in reversed(chain):
            self._entry[current] = self._compute_entry(current)
        return self._entry[function]

    def _compute_entry(self, function: ast.AST) -> FrozenSet[Lock]:
        if function in self._owner:
            facts, name = self._owner[function]
            return facts.get(name, _NO_LOCKS)
        if isinstance(function, ast.Lambda):
            call = self._index.parent(function)
            if isinstance(call, ast.keyword):
                call = self._index.parent(call)
            if (
                isinstance(call, ast.Call)
                and function is not call.func
                and resolver_for(self._index).qualified_name(call.func) in IMMEDIATE_CONSUMERS
            ):
                return self.at(call)
            return _NO_LOCKS
        calls = self._direct_calls(function)
        if not calls:
            return _NO_LOCKS
        held = None
        for call in calls:
            here = self.at(call)
            held = here if held is None else held & here
        return held

    def _direct_calls(self, function: ast.AST) -> List[ast.Call]:
        """The calls of a nested function, if it is only ever called directly
        in the function defining it; else none."""
        definer = self._index.enclosing_function(function)
        if definer is None or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return []
        loads = self._loads.get(function.name)
        if loads is None:
            load = ast.Load
            loads = self._loads[function.name] = [
                name
                for name in self._index.names_by_id().get(function.name, ())
                if type(name.ctx) is load
            ]
        calls = []
        for load in loads:
            scope = self._index.scope_of(load)
            if scope is not definer and definer not in self._index.ancestors(load):
                continue
            call = self._index.parent(load)
            if scope is not definer or not isinstance(call, ast.Call) or call.func is not load:
                return []
            calls.append(call)
        return calls


def _locking_classes(index: FileIndex) -> FrozenSet[ast.AST]:
    """The classes with a lock taken somewhere inside them.

    Locks held in a method come from its own code, its callers in the class,
    or the function defining it: all inside the class.  A class outside
    this set holds no lock anywhere, so none of its state is guarded."""
    return index.memo(("locking-classes",), lambda: _find_locking_classes(index))


def _find_locking_classes(index: FileIndex) -> FrozenSet[ast.AST]:
    classes = set()
    for held in lock_model(index).acquisitions():
        for ancestor in index.ancestors(held.taken_at):
            if isinstance(ancestor, ast.ClassDef):
                if ancestor in classes:
                    break
                classes.add(ancestor)
    return frozenset(classes)


def _guardable_writes(index: FileIndex) -> Tuple[Dict[ast.AST, List[Write]], List[Write]]:
    """The writes, by class, and those to module globals, of the state that
    some write holds a comparable lock for; no other state can be guarded.

    Only functions that may hold a lock are resolved first; then only the
    writes that may reach the state found there (`state.reaching`)."""
    return index.memo(Write, lambda: _find_guardable_writes(index))


def _find_guardable_writes(index: FileIndex) -> Tuple[Dict[ast.AST, List[Write]], List[Write]]:
    context = lock_context(index)
    resolver = state_resolver(index)
    sites = write_sites(index)
    locked: Dict[ast.AST, list] = {}  # site in a function holding a lock -> its writes
    keys = set()  # (owner, attribute) written under a comparable lock
    for node, function in sites:
        if context.may_hold(function):
            written = locked[node] = list(resolver.written(node, function))
            for ref, reported in written:
                if any(lock.comparable for lock in context.at(reported)):
                    keys.add((ref.owner, ref.attribute))
    by_class: Dict[ast.AST, List[Write]] = {}
    globals_: List[Write] = []
    if not keys:
        return by_class, globals_
    reaches = reaching(
        index,
        {attribute for owner, attribute in keys if isinstance(owner, ast.ClassDef)},
        {attribute for owner, attribute in keys if not isinstance(owner, ast.ClassDef)},
    )
    for node, function in sites:
        written = locked.get(node)
        if written is None:
            if not reaches(function):
                continue
            written = resolver.written(node, function)
        for ref, reported in written:
            if (ref.owner, ref.attribute) not in keys:
                continue
            write = Write(getattr(ref.method, "name", "<lambda>"), ref.attribute, reported, ref.via)
            if isinstance(ref.owner, ast.ClassDef):
                by_class.setdefault(ref.owner, []).append(write)
            else:
                globals_.append(write)
    return by_class, globals_


def _find_guards(index: FileIndex) -> Dict[ast.ClassDef, ClassGuards]:
    locking = _locking_classes(index)
    if not locking:
        return {}
    writes_of = _guardable_writes(index)[0]
    if not writes_of:
        return {}
    context = lock_context(index)
    confined = index.config.confined_methods
    found = {}
    for model in class_models(index):
        writes = writes_of.get(model.node)
        if not writes or model.node not in locking:
            continue
        exempt_methods = construction_methods(model, _confined_in(model, confined))
        held = {write: context.at(write.node) for write in writes}
        exempt = frozenset(
            write
            for write in writes
            if write.method in exempt_methods
            and index.enclosing_function(write.node) is model.methods.get(write.method)
        )
        guards = _guards_of(writes, held, exempt)
        if guards:
            found[model.node] = ClassGuards(
                context.class_entry[model.node], held, guards, exempt_methods, exempt
            )
    return found


def _find_module_guards(index: FileIndex) -> Optional[ClassGuards]:
    if not lock_model(index).acquisitions():
        return None  # nothing is held anywhere
    writes = _guardable_writes(index)[1]
    if not writes:
        return None
    context = lock_context(index)
    held = {write: context.at(write.node) for write in writes}
    guards = _guards_of(writes, held, frozenset())
    if not guards:
        return None
    return ClassGuards(context.module_entry, held, guards, frozenset())


def _guards_of(
    writes: List[Write], held: Dict[Write, FrozenSet[Lock]], exempt: FrozenSet[Write]
) -> Dict[str, Tuple[Lock, int]]:
    """attribute -> the lock most of its writes hold, and the first line holding it.

    A lock object of the class (or module) itself exists to guard its state:
    one write holding it is enough.  A process-wide name (a lockutils lock)
    often serializes something else, a device or a file (Nova's
    `nbd-allocation-lock`), so it guards an attribute only when more of the
    attribute's writes hold it than not.  A read lock or a `Semaphore(5)`
    guards nothing, and neither does a name computed at run time."""
    counts: Dict[str, Dict[Lock, List[int]]] = {}
    totals: Dict[str, int] = {}
    for write in writes:
        if write in exempt:
            continue
        totals[write.attribute] = totals.get(write.attribute, 0) + 1
        for lock in held[write]:
            if lock.comparable:
                lines = counts.setdefault(write.attribute, {}).setdefault(lock, [])
                lines.append(write.node.lineno)
    guards = {}
    for attribute, by_lock in counts.items():
        candidates = [
            (lock, lines)
            for lock, lines in by_lock.items()
            if lock.owned or 2 * len(lines) > totals[attribute]
        ]
        if candidates:
            # Most writes first, then the earliest; the key settles the rest
            # (the candidates come from a set, whose order varies by run).
            lock, lines = min(
                candidates, key=lambda item: (-len(item[1]), min(item[1]), item[0].key)
            )
            guards[attribute] = (lock, min(lines))
    return guards


def _confined_in(model: ClassModel, patterns) -> frozenset:
    """Methods named in `rtsec-confined-methods`, as `method` or `Class.method`."""
    if not patterns:
        return frozenset()
    cls = model.node.name
    return frozenset(
        name
        for name in model.methods
        if any(fnmatchcase(name, p) or fnmatchcase(f"{cls}.{name}", p) for p in patterns)
    )


class Acquisition(NamedTuple):
    """A place where a lock is taken, with what is held just before.

    `chain` is empty when the lock is taken right at `node`; for a call
    (`self._m(...)`, or `_f(...)` between module functions) it names the
    callees down to the one that takes the lock, at line `line`.
    """

    lock: Lock
    node: ast.AST  # the `with`, decorator, `.acquire()` call, or the call starting the chain
    held: FrozenSet[Lock]  # locks held on every path to `node`
    lexical: FrozenSet[Lock]  # those of them the function holds itself
    chain: Tuple[str, ...] = ()
    line: int = 0


def acquisitions(index: FileIndex) -> List[Acquisition]:
    """Every lock acquisition in the file, directly or through a call chain."""
    return index.memo(Acquisition, lambda: _find_acquisitions(index))


def _find_acquisitions(index: FileIndex) -> List[Acquisition]:
    context = lock_context(index)
    locks = context.locks
    found: List[Acquisition] = []
    taken_in: Dict[ast.AST, List[Tuple[Lock, int]]] = {}  # function -> locks it takes itself
    for taken in locks.acquisitions():
        node = taken.taken_at
        parent = index.parent(node)
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and node in (
            parent.decorator_list
        ):
            function = parent
            earlier = parent.decorator_list[: parent.decorator_list.index(node)]
            lexical = frozenset(
                lock for lock in map(locks.held_by_decorator, earlier) if lock is not None
            )
            held = context.entry(function) | lexical
        else:
            function = index.enclosing_function(node)
            if isinstance(parent, ast.withitem):
                node = index.parent(parent)  # report the `with` statement
            lexical = context.lexical(taken.taken_at)
            held = context.at(taken.taken_at)
        found.append(Acquisition(taken.lock, node, held, lexical, (), node.lineno))
        if function is not None:
            taken_in.setdefault(function, []).append((taken.lock, node.lineno))
    models = list(class_models(index))
    if any(function in taken_in for function in module_functions(index).values()):
        models.append(module_model(index))  # else no module function takes a lock
    for model in models:
        found.extend(_chained(model, context, taken_in))
    found.sort(key=lambda a: (a.node.lineno, a.node.col_offset))
    return found


def _chained(
    model: ClassModel, context: LockContext, taken_in: Dict[ast.AST, List[Tuple[Lock, int]]]
) -> List[Acquisition]:
    """Locks taken through calls: each method's transitive acquisitions,
    propagated from callees to callers once per (method, lock)."""
    # method -> lock -> (chain of callees, line where the last one takes it)
    summary: Dict[str, Dict[Lock, Tuple[Tuple[str, ...], int]]] = {}
    pending = []
    for name, method in model.methods.items():
        for lock, line in taken_in.get(method, ()):
            if lock not in summary.setdefault(name, {}):
                summary[name][lock] = ((name,), line)
                pending.append((name, lock))
    callers: Dict[str, List[str]] = {}
    for callee, sites in model.call_sites.items():
        for caller, _ in sites:
            callers.setdefault(callee, []).append(caller)
    while pending:
        callee, lock = pending.pop()
        chain, line = summary[callee][lock]
        for caller in callers.get(callee, ()):
            known = summary.setdefault(caller, {})
            if lock not in known:
                known[lock] = ((caller, *chain), line)
                pending.append((caller, lock))
    found = []
    for callee, sites in model.call_sites.items():
        for lock, (chain, line) in summary.get(callee, {}).items():
            for _, call in sites:
                found.append(
                    Acquisition(lock, call, context.at(call), context.lexical(call), chain, line)
                )
    return found


def holds_by_own_code(acquisition: Acquisition, context: LockContext) -> bool:
    """True when the function around `acquisition.node` took its lock itself,
    or is a nested function whose lock comes straight from its definer;
    a method or module function that got it from callers is not: the
    caller's call is where the chain starts."""
    if acquisition.lock in acquisition.lexical:
        return True
    function = context.function_of(acquisition.node)
    return function is not None and not context.is_model_function(function)
