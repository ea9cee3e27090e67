"""Locks: what they are, where they are taken, and which are held at a node.

A lock is identified by its key: the attribute it lives in (`self._lock`,
per class), the module name it is bound to (`LOCK`), or the lockutils name
(`compute_resources`, process-global).  Reentrancy follows the libraries:
RLock, Condition(), lockutils with `fair=True` and fasteners write locks are
reentrant; Lock, Semaphore and plain lockutils locks (a semaphore per name)
are not.  A lock whose identity cannot be known (a lockutils name computed at
run time) still holds, but is never compared with another lock.

Held locks are lexical here: enclosing `with` blocks, the function's lock
decorators, and the statements after a manual `lock.acquire()` up to its
`release()`.  `guards.py` adds what callers hold on entry to a function.
"""

import ast
import operator
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterator, List, NamedTuple, Optional, Tuple

from flake8_rtsec.analysis.display import shown
from flake8_rtsec.analysis.index import FUNCTION_TYPES, FileIndex
from flake8_rtsec.analysis.names import NOT_CONSTANT, resolver_for
from flake8_rtsec.analysis.words import calls_named

# factory qualified name -> reentrant?
LOCK_FACTORIES = {
    "threading.Lock": False,
    "threading.RLock": True,
    "threading.Semaphore": False,
    "threading.BoundedSemaphore": False,
    "threading.Condition": True,
    "_thread.allocate_lock": False,
    "_thread.RLock": True,
    "multiprocessing.Lock": False,
    "multiprocessing.RLock": True,
    "eventlet.semaphore.Semaphore": False,
    "eventlet.semaphore.BoundedSemaphore": False,
    "fasteners.ReaderWriterLock": True,
    "fasteners.lock.ReaderWriterLock": True,
    "fasteners.InterProcessLock": False,
    "fasteners.process_lock.InterProcessLock": False,
    "fasteners.InterProcessReaderWriterLock": False,
    "oslo_concurrency.lockutils.ReaderWriterLock": True,
}
# Factories whose first argument is a count: more than one holder is no exclusion.
COUNTING_FACTORIES = frozenset(
    {
        "threading.Semaphore",
        "threading.BoundedSemaphore",
        "eventlet.semaphore.Semaphore",
        "eventlet.semaphore.BoundedSemaphore",
    }
)
CONDITION_FACTORIES = frozenset({"threading.Condition"})

LOCKUTILS = "oslo_concurrency.lockutils"
LOCKUTILS_DECORATORS = frozenset(
    {f"{LOCKUTILS}.synchronized", f"{LOCKUTILS}.synchronized_with_prefix()"}
)
LOCKUTILS_CONTEXTS = frozenset({f"{LOCKUTILS}.lock", f"{LOCKUTILS}.lock_with_prefix()"})
# lockutils calls that return the per-name lock object itself.
LOCKUTILS_OBJECTS = {f"{LOCKUTILS}.internal_lock": False, f"{LOCKUTILS}.internal_fair_lock": True}
# fasteners decorators that lock attributes of self: name -> shared (read) lock?
FASTENERS_DECORATORS = {
    "fasteners.locked": False,
    "fasteners.lock.locked": False,
    "fasteners.write_locked": False,
    "fasteners.lock.write_locked": False,
    "fasteners.read_locked": True,
    "fasteners.lock.read_locked": True,
}
# The last component of every lockutils callee: `x.y.lock(...)` can only be
# one of them when its attribute is one of these.
_LOCKUTILS_ATTRIBUTES = frozenset(
    name.rsplit(".", 1)[-1]
    for name in (*LOCKUTILS_DECORATORS, *LOCKUTILS_CONTEXTS, *LOCKUTILS_OBJECTS)
)
FASTENERS_PROCESS_DECORATORS = frozenset(
    {
        "fasteners.interprocess_locked",
        "fasteners.interprocess_write_locked",
        "fasteners.process_lock.interprocess_locked",
    }
)


@dataclass(frozen=True)
class Lock:
    kind: str  # "object" (a lock held in a variable), "lockutils" or "decorator"
    key: str
    reentrant: bool
    fair: bool = False
    # lockutils keeps one in-process lock per name whatever `external` says,
    # so two uses that differ only there still exclude each other.
    external: bool = field(default=False, compare=False)
    owner: str = ""  # the class (or function) whose lock variable this is
    exclusive: bool = True  # False for read locks and counting semaphores
    known: bool = True  # False when the key is computed at run time
    reading: bool = False  # the shared side of a reader-writer lock

    def describe(self) -> str:
        if self.kind != "object":
            return f"lock {self.key!r}"
        return self.key + (".read_lock()" if self.reading else "")

    def read_side(self) -> "Lock":
        """The shared side of this reader-writer lock: it keeps writers out
        (so reads under it are safe) but not other readers."""
        return Lock(self.kind, self.key, True, owner=self.owner, exclusive=False,
                    known=self.known, reading=True)

    def keeps_out_writers_of(self, other: "Lock") -> bool:
        """Holding self, no one holding `other` for writing runs."""
        return self == other or (self.reading and self == other.read_side())

    @property
    def owned(self) -> bool:
        """A lock object of the class or module itself (`self._lock`, `LOCK`),
        as opposed to a process-wide name that may guard something else."""
        return self.kind == "object" and "@" not in self.owner

    @property
    def comparable(self) -> bool:
        """Its identity is known and holding it excludes everyone else."""
        return self.known and self.exclusive


class HeldLock(NamedTuple):  # one per lock held at a node: a light tuple
    lock: Lock
    taken_at: ast.AST  # the `with` item, decorator or `.acquire()` call that holds it


def lock_model(index: FileIndex) -> "LockModel":
    return index.memo(LockModel, lambda: LockModel(index))


class LockModel:
    """Lock objects of the file, and the locks held at any node."""

    def __init__(self, index: FileIndex) -> None:
        self._index = index
        self._names = resolver_for(index)
        self._factories = dict(LOCK_FACTORIES)
        self._factories.update((name, False) for name in index.config.lock_factories)
        self._decorators = frozenset(index.config.lock_decorators)
        self._classes = {node.name: node for node in index.nodes(ast.ClassDef)}
        # `a.b.Lock()` is a factory call only if `Lock` ends a factory's name:
        # most calls are told apart by their attribute, before any resolving.
        self._factory_attributes = frozenset(
            name.rsplit(".", 1)[-1]
            for name in (*self._factories, *LOCKUTILS_OBJECTS, *CONDITION_FACTORIES)
        )
        self._release_calls: Optional[Dict[ast.AST, List[ast.AST]]] = None
        self._regions: Optional[Dict[ast.AST, List[HeldLock]]] = None
        self._acquire_calls: Optional[List[ast.Call]] = None
        self._takers: Optional[FrozenSet[Optional[ast.AST]]] = None
        self._taken: Dict[ast.AST, Tuple[HeldLock, ...]] = {}
        self.objects: Dict[Tuple[str, str], Lock] = {}
        self._find_lock_objects()

    # -- lock objects ----------------------------------------------------

    def _find_lock_objects(self) -> None:
        """`self._lock = threading.Lock()`, `LOCK = threading.RLock()`, class-level too.

        Conditions built on a known lock are that lock, so they are found last.
        """
        conditions = []
        factory_attributes = self._factory_attributes
        for assign in self._factory_assigns():
            for call in _created_values(assign.value):
                func = call.func
                if isinstance(func, ast.Attribute) and func.attr not in factory_attributes:
                    continue
                qualified = self._names.qualified_name(call.func) or ""
                if qualified in CONDITION_FACTORIES and call.args:
                    conditions.append((assign, call))
                    continue
                lock = self._created_lock(call, qualified)
                if lock is not None:
                    self._bind(assign, lock)
                    break
        for assign, call in conditions:
            underlying = self.lock_object(call.args[0])
            self._bind(assign, underlying or Lock("object", "", True))

    def _factory_assigns(self) -> List[ast.AST]:
        """The assignments whose value may be a factory call, in file order:
        found from the calls of a callee that may be a factory (`x.Lock()`,
        a bare name reading as one, or `f()()`), up through `a or Lock()` and
        `b if c else Lock()`, instead of reading every assignment."""
        factories = {*self._factories, *LOCKUTILS_OBJECTS, *CONDITION_FACTORIES}
        resolved = self._names.resolved
        calls = calls_named(
            self._index,
            self._factory_attributes,
            lambda name: resolved(name) in factories,
            _any_callee,
        )
        parent_of = self._index.parents.get
        assigns = {}
        for call in calls:
            node, parent = call, parent_of(call)
            while isinstance(parent, ast.BoolOp) or (
                isinstance(parent, ast.IfExp) and node is not parent.test
            ):
                node, parent = parent, parent_of(parent)
            if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is node:
                assigns[parent] = None
        return sorted(assigns, key=_LOCATION)

    def _created_lock(self, call: ast.Call, qualified: str) -> Optional[Lock]:
        if qualified in LOCKUTILS_OBJECTS:
            return self._lockutils_lock(call, fair=LOCKUTILS_OBJECTS[qualified])
        reentrant = self._factories.get(qualified)
        if reentrant is None:
            return None
        exclusive = True
        if qualified in COUNTING_FACTORIES:
            count = call.args[0] if call.args else None
            for keyword in call.keywords:
                if keyword.arg == "value":
                    count = keyword.value
            exclusive = count is None or self._names.constant(count) == 1
        return Lock("object", "", reentrant, exclusive=exclusive)

    def _bind(self, assign: ast.AST, lock: Lock) -> None:
        targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
        for target in targets:
            place = self._place(target)
            if place is None:
                continue
            owner, key = place
            bound = lock  # a Condition on a known lock, or a lockutils lock object
            if lock.kind == "object" and not lock.key:
                bound = Lock("object", key, lock.reentrant, owner=owner, exclusive=lock.exclusive)
            self.objects[owner, key] = bound

    def _place(self, expr: ast.AST) -> Optional[Tuple[str, str]]:
        """(owner, key) of a variable or attribute that can hold a lock.

        Attributes of `self` (or of the class) belong to the class; a name
        belongs to the module, the class body, or the function binding it.
        """
        scope = self._index.scope_of(expr)
        if isinstance(expr, ast.Name):
            if isinstance(scope, ast.Module):
                return "", expr.id
            if isinstance(scope, ast.ClassDef):
                return scope.name, "self." + expr.id
            return _function_owner(scope), expr.id
        if not (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)):
            return None
        receiver = expr.value.id
        cls = self._class_of(expr)
        if cls is not None and (receiver == self._self_name(expr, cls) or receiver == cls.name):
            return cls.name, "self." + expr.attr
        if receiver in self._classes:
            return receiver, "self." + expr.attr
        return None

    def _self_name(self, node: ast.AST, cls: ast.ClassDef) -> Optional[str]:
        """The first parameter of the method of `cls` that `node` is in."""
        child = node
        for ancestor in self._index.ancestors(node):
            if ancestor is cls:
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    positional = [*child.args.posonlyargs, *child.args.args]
                    return positional[0].arg if positional else None
                return None
            child = ancestor
        return None

    def _class_of(self, node: ast.AST) -> Optional[ast.ClassDef]:
        for ancestor in self._index.ancestors(node):
            if isinstance(ancestor, ast.ClassDef):
                return ancestor
        return None

    def lock_object(self, expr: ast.AST) -> Optional[Lock]:
        """The lock object `expr` names (`self._lock`, `LOCK`), if it is one."""
        if not self.objects:
            return None
        if isinstance(expr, ast.Name):
            for scope in [self._index.scope_of(expr), *self._scopes_above(expr)]:
                if isinstance(scope, ast.Module):
                    found = self.objects.get(("", expr.id))
                elif isinstance(scope, FUNCTION_TYPES):
                    found = self.objects.get((_function_owner(scope), expr.id))
                else:
                    continue
                if found is not None:
                    return found
            return None
        place = self._place(expr)
        if place is None:
            return None
        owner, key = place
        seen = set()
        pending = [owner]
        while pending:  # the class, then its bases defined in this file
            owner = pending.pop(0)
            if owner in seen:
                continue
            seen.add(owner)
            found = self.objects.get((owner, key))
            if found is not None:
                return found
            cls = self._classes.get(owner)
            if cls is not None:
                pending.extend(b.id for b in cls.bases if isinstance(b, ast.Name))
        return None

    def _scopes_above(self, node: ast.AST) -> Iterator[ast.AST]:
        scope = self._index.scope_of(node)
        while not isinstance(scope, ast.Module):
            scope = self._index.scope_of(scope)
            yield scope

    # -- acquisitions ----------------------------------------------------

    def acquired_by(self, context_expr: ast.AST) -> Optional[Lock]:
        """The lock a `with` item takes: a lock object, `lockutils.lock(NAME)`,
        or a fasteners `rw.write_lock()` / `rw.read_lock()`.  Any other
        context manager holds nothing, however it is named: `with
        self.rt.instance_claim(...)` has released its lock before the body runs."""
        if isinstance(context_expr, ast.Call):
            qualified = self._names.qualified_name(context_expr.func) or ""
            if qualified in LOCKUTILS_CONTEXTS:
                return self._lockutils_lock(context_expr)
            func = context_expr.func
            if isinstance(func, ast.Attribute) and func.attr in ("write_lock", "read_lock"):
                lock = self.lock_object(func.value)
                if lock is not None and func.attr == "read_lock":
                    return lock.read_side()
                return lock
            return None
        return self.lock_object(context_expr)

    def held_by_decorator(self, decorator: ast.AST) -> Optional[Lock]:
        """`@lockutils.synchronized(NAME)`, a project's `utils.synchronized(NAME)`,
        fasteners' `@locked`, or a decorator listed in `rtsec-lock-decorators`."""
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = self._names.qualified_name(func) or ""
        if isinstance(decorator, ast.Call) and (
            qualified in LOCKUTILS_DECORATORS or self._names.last_name(func) == "synchronized"
        ):
            return self._lockutils_lock(decorator)
        if qualified in FASTENERS_DECORATORS:
            return self._fasteners_lock(decorator, FASTENERS_DECORATORS[qualified])
        if isinstance(decorator, ast.Call) and qualified in FASTENERS_PROCESS_DECORATORS:
            return self._keyed_lock("interprocess", decorator, reentrant=True)
        if qualified in self._decorators:
            if isinstance(decorator, ast.Call):
                return self._keyed_lock("decorator", decorator, reentrant=True)
            return Lock("decorator", qualified, reentrant=True)
        return None

    def lockutils_uses(self) -> Iterator[Tuple[ast.Call, Lock]]:
        """Every lockutils lock the file takes or creates, by name, in file order."""
        for call in self._lockutils_candidates():
            qualified = self._names.qualified_name(call.func) or ""
            if qualified in LOCKUTILS_CONTEXTS or qualified in LOCKUTILS_OBJECTS:
                lock = self._lockutils_lock(call, fair=LOCKUTILS_OBJECTS.get(qualified))
                yield call, lock
            elif qualified in LOCKUTILS_DECORATORS or (
                self._names.last_name(call.func) == "synchronized"
                and self._index.parent(call) is not None
                and call in getattr(self._index.parent(call), "decorator_list", ())
            ):
                yield call, self._lockutils_lock(call)

    def _lockutils_candidates(self) -> List[ast.AST]:
        """The calls that may be lockutils uses, cheaply, in file order.

        A use's callee ends with the last part of a lockutils name (or is
        a decorator named `synchronized`), or is a bare name the file
        imports or binds, or a call's result (`synchronized_with_prefix(p)(n)`).
        Found from the file's shared callee words; only the few calls of
        neither an attribute nor a name are read again."""
        names = self._names
        return list(
            calls_named(
                self._index,
                _LOCKUTILS_ATTRIBUTES,
                lambda name: name == "synchronized" or names.renames(name),
                lambda func: isinstance(func, ast.Call),  # not `fs[0](x)`
            )
        )

    def _lockutils_lock(self, call: ast.Call, fair: Optional[bool] = None) -> Lock:
        name_arg = call.args[0] if call.args else _keyword(call, "name")
        name = self._names.constant(name_arg) if name_arg is not None else NOT_CONSTANT
        known = isinstance(name, str)
        key = name if known else "<" + shown(name_arg if name_arg else call) + ">"
        if fair is None:
            fair = self._flag(call, "fair")
        external_arg = call.args[2] if len(call.args) > 2 else _keyword(call, "external")
        external = self._truthy(external_arg)
        return Lock("lockutils", key, reentrant=fair, fair=fair, external=external, known=known)

    def _keyed_lock(self, kind: str, call: ast.Call, reentrant: bool) -> Lock:
        name_arg = call.args[0] if call.args else None
        name = self._names.constant(name_arg) if name_arg is not None else NOT_CONSTANT
        known = isinstance(name, str)
        key = name if known else "<" + shown(name_arg if name_arg else call) + ">"
        return Lock(kind, key, reentrant=reentrant, known=known)

    def _fasteners_lock(self, decorator: ast.AST, shared: bool) -> Optional[Lock]:
        """`@fasteners.locked` holds `self._lock`; `lock='_other'` names another."""
        attribute: object = "_lock"
        if isinstance(decorator, ast.Call):
            argument = _keyword(decorator, "lock")
            if argument is not None:
                attribute = self._names.constant(argument)
        if not isinstance(attribute, str):
            return None
        cls = self._class_of(decorator)
        owner = cls.name if cls is not None else ""
        key = "self." + attribute
        found = self.objects.get((owner, key))
        if shared:
            return (found or Lock("object", key, True, owner=owner)).read_side()
        return found or Lock("object", key, True, owner=owner)

    def _flag(self, call: ast.Call, name: str) -> bool:
        return self._truthy(_keyword(call, name))

    def _truthy(self, value: Optional[ast.AST]) -> bool:
        if value is None:
            return False
        folded = self._names.constant(value)
        return folded is not NOT_CONSTANT and bool(folded)

    # -- manual acquire / release ----------------------------------------

    def _find_releases(self) -> Dict[ast.AST, List[ast.AST]]:
        """`try` statements -> the lock expressions their `finally` releases."""
        releases: Dict[ast.AST, List[ast.AST]] = {}
        for call in calls_named(self._index, _RELEASE):
            func = call.func
            child = call
            for ancestor in self._index.ancestors(call):
                if isinstance(ancestor, FUNCTION_TYPES):
                    break
                if isinstance(ancestor, _TRY_TYPES) and _in_block(ancestor.finalbody, child):
                    releases.setdefault(ancestor, []).append(func.value)
                    break
                child = ancestor
        return releases

    def released_in_finally(self, try_node: ast.AST, lock: Lock) -> bool:
        if self._release_calls is None:
            self._release_calls = self._find_releases()
        releases = self._release_calls.get(try_node, ())
        return any(self.lock_object(expr) == lock for expr in releases)

    def _manual_regions(self) -> Dict[ast.AST, List[HeldLock]]:
        """Statements run while a lock taken by hand is held: those after
        `x.acquire()` in its block up to `x.release()`, the body of `if
        x.acquire(...):` (or of `if got:` after `got = x.acquire(...)`), and
        those after `if not x.acquire(...): <leave>`."""
        if self._regions is not None:
            return self._regions
        self._regions = {}
        for call in self.acquire_calls():
            held = HeldLock(self.lock_object(call.func.value), call)
            for statement in self._held_after(call, held.lock):
                self._regions.setdefault(statement, []).append(held)
        return self._regions

    def _held_after(self, call: ast.Call, lock: Lock) -> List[ast.AST]:
        parent = self._index.parent(call)
        negated = isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)
        if negated:
            parent = self._index.parent(parent)
        if isinstance(parent, ast.If) and _is_test(parent, call):
            if not negated:
                return list(parent.body)
            return self._until_release(parent, lock) if _leaves(parent.body[-1]) else []
        if isinstance(parent, ast.Expr):
            return self._until_release(parent, lock)
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            following = self._next_statement(parent)
            target = parent.targets[0]
            if isinstance(following, ast.If) and isinstance(target, ast.Name):
                test = following.test
                if isinstance(test, ast.Name) and test.id == target.id:
                    return list(following.body)
                if (
                    isinstance(test, ast.UnaryOp)
                    and isinstance(test.op, ast.Not)
                    and isinstance(test.operand, ast.Name)
                    and test.operand.id == target.id
                    and _leaves(following.body[-1])
                ):
                    return self._until_release(following, lock)
        return []

    def _until_release(self, statement: ast.AST, lock: Lock) -> List[ast.AST]:
        block, position = _block_of(self._index.parent(statement), statement)
        held = []
        for following in (block or ())[position + 1 :]:
            releases = self._releases_lock(following, lock)
            if releases and not isinstance(following, _TRY_TYPES):
                break
            held.append(following)
            if releases:  # a `try` whose `finally` releases it
                break
        return held

    def release_is_guaranteed(self, call: ast.Call) -> bool:
        """`x.acquire()` is followed at once by a `try` whose `finally`
        releases `x`, directly or in the branch where the acquire succeeded:

            x.acquire()                    if x.acquire(blocking=False):
            try: ... finally: x.release()      try: ... finally: x.release()

            if not x.acquire(timeout=t):   got = x.acquire(timeout=t)
                raise / return             if got: try: ... finally: ...
            try: ... finally: x.release()
        """
        lock = self.lock_object(call.func.value)
        parent = self._index.parent(call)
        negated = isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)
        if negated:
            parent = self._index.parent(parent)
        if isinstance(parent, ast.If) and _is_test(parent, call):
            return self._guarded_branch(parent, negated, lock)
        if isinstance(parent, ast.Expr):
            return self._next_releases(parent, lock)
        if (
            isinstance(parent, ast.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            following = self._next_statement(parent)
            if isinstance(following, ast.If):
                test, negated = following.test, False
                if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
                    test, negated = test.operand, True
                if isinstance(test, ast.Name) and test.id == parent.targets[0].id:
                    return self._guarded_branch(following, negated, lock)
        return False

    def _guarded_branch(self, branch: ast.If, negated: bool, lock: Lock) -> bool:
        if not negated:
            return self._releases_lock(branch.body[0], lock)
        if not _leaves(branch.body[-1]):
            return False
        return self._next_releases(branch, lock)

    def _next_releases(self, statement: ast.AST, lock: Lock) -> bool:
        return self._releases_lock(self._next_statement(statement), lock)

    def _releases_lock(self, statement: Optional[ast.AST], lock: Lock) -> bool:
        """A `try` releasing `lock` in `finally`, or the release itself (a probe)."""
        if isinstance(statement, _TRY_TYPES):
            return self.released_in_finally(statement, lock)
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            func = statement.value.func
            return (
                isinstance(func, ast.Attribute)
                and func.attr == "release"
                and self.lock_object(func.value) == lock
            )
        return False

    def _next_statement(self, statement: ast.AST) -> Optional[ast.AST]:
        block, position = _block_of(self._index.parent(statement), statement)
        if block is None or position + 1 >= len(block):
            return None
        return block[position + 1]

    # -- held locks ------------------------------------------------------

    def held_at(self, node: ast.AST) -> Tuple[HeldLock, ...]:
        """Locks held at `node` by the code around it in its own function:
        enclosing `with` blocks (and earlier items of its own `with`),
        statements after a manual acquire, and the function's lock
        decorators.  A nested function or lambda starts with none here: it
        may run after the release (`guards.py` knows when it cannot)."""
        function = self._index.enclosing_function(node)
        if function is not None and function not in self.taking_functions():
            return ()  # its own code takes no lock: nothing to climb for
        held = []
        child = node
        regions = self._manual_regions()
        for ancestor in self._index.ancestors(node):
            held.extend(regions.get(child, ()))
            if isinstance(ancestor, (ast.With, ast.AsyncWith)):
                if isinstance(child, ast.withitem):
                    for item in ancestor.items:
                        if item is child:
                            break
                        lock = self.acquired_by(item.context_expr)
                        if lock is not None:
                            held.append(HeldLock(lock, item.context_expr))
                else:
                    held.extend(self._taken_by(ancestor))
            elif isinstance(ancestor, FUNCTION_TYPES):
                if child not in getattr(ancestor, "decorator_list", ()):
                    held.extend(self._taken_by(ancestor))
                break
            child = ancestor
        return tuple(held)

    def taking_functions(self) -> FrozenSet[Optional[ast.AST]]:
        """The functions (None: module level) whose own code takes a lock:
        anywhere else `held_at` finds nothing."""
        if self._takers is None:
            nearest = self._index.nearest
            self._takers = frozenset(
                nearest(held.taken_at, FUNCTION_TYPES) for held in self.acquisitions()
            )
        return self._takers

    def _taken_by(self, node: ast.AST) -> Tuple[HeldLock, ...]:
        """The locks a `with` statement's items or a function's decorators
        take; worked out once per node, as every node below it asks."""
        taken = self._taken.get(node)
        if taken is None:
            if isinstance(node, (ast.With, ast.AsyncWith)):
                taken = tuple(
                    HeldLock(lock, item.context_expr)
                    for item, lock in ((i, self.acquired_by(i.context_expr)) for i in node.items)
                    if lock is not None
                )
            else:
                taken = tuple(self.held_by_function(node))
            self._taken[node] = taken
        return taken

    def held_by_function(self, function: ast.AST) -> Iterator[HeldLock]:
        for decorator in getattr(function, "decorator_list", ()):
            lock = self.held_by_decorator(decorator)
            if lock is not None:
                yield HeldLock(lock, decorator)

    def acquisitions(self) -> List[HeldLock]:
        """Every place the file takes a lock: decorators, `with` items and
        `.acquire()` calls on lock objects, in file order."""
        return self._index.memo(("lock-acquisitions",), self._find_acquisitions)

    def _find_acquisitions(self) -> List[HeldLock]:
        found = []
        for kind in (ast.FunctionDef, ast.AsyncFunctionDef):  # sorted below
            for function in self._index.nodes(kind):
                if function.decorator_list:
                    found.extend(self.held_by_function(function))
        for item in self._index.nodes(ast.withitem):
            lock = self.acquired_by(item.context_expr)
            if lock is not None:
                found.append(HeldLock(lock, item.context_expr))
        for call in self.acquire_calls():
            found.append(HeldLock(self.lock_object(call.func.value), call))
        found.sort(key=lambda held: (held.taken_at.lineno, held.taken_at.col_offset))
        return found

    def acquire_calls(self) -> List[ast.Call]:
        """`x.acquire(...)` where `x` is a known lock object."""
        if self._acquire_calls is None:
            # Without a lock object in the file no receiver is one: skip the calls.
            self._acquire_calls = [
                call
                for call in (calls_named(self._index, _ACQUIRE) if self.objects else ())
                if self.lock_object(call.func.value) is not None
            ]
        return list(self._acquire_calls)


_LOCATION = operator.attrgetter("lineno", "col_offset")
_ACQUIRE = frozenset({"acquire"})
_RELEASE = frozenset({"release"})


def _any_callee(func: ast.AST) -> bool:
    """Any callee but an attribute or a name may be a factory (`f()()`)."""
    return True


_TRY_TYPES = tuple(t for t in (ast.Try, getattr(ast, "TryStar", None)) if t)
_LEAVING = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def _created_values(value: Optional[ast.AST]) -> Iterator[ast.Call]:
    """Calls whose result `value` may be: `Lock()`, `lock or Lock()`, `a if c else Lock()`."""
    pending = [value]
    while pending:
        value = pending.pop()
        if isinstance(value, ast.Call):
            yield value
        elif isinstance(value, ast.BoolOp):
            pending.extend(value.values)
        elif isinstance(value, ast.IfExp):
            pending.extend((value.body, value.orelse))


def _acquire_calls(node: ast.AST) -> Iterator[ast.Call]:
    """`x.acquire(...)` as a statement, a test, or an assigned value."""
    if isinstance(node, (ast.Expr, ast.Assign)):
        node = node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "acquire":
            yield node


def _is_test(branch: ast.If, call: ast.AST) -> bool:
    test = branch.test
    if isinstance(test, ast.UnaryOp):
        test = test.operand
    return test is call


def _leaves(statement: ast.AST) -> bool:
    return isinstance(statement, _LEAVING)


def _in_block(block: List[ast.AST], node: ast.AST) -> bool:
    return any(statement is node for statement in block)


def _block_of(parent: Optional[ast.AST], statement: ast.AST) -> Tuple[Optional[list], int]:
    """The statement list of `parent` holding `statement`, and its position."""
    if parent is None:
        return None, -1
    for name in ("body", "orelse", "finalbody"):
        block = getattr(parent, name, None)
        if isinstance(block, list):
            for position, item in enumerate(block):
                if item is statement:
                    return block, position
    return None, -1


def _keyword(call: ast.Call, name: str) -> Optional[ast.AST]:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _function_owner(function: ast.AST) -> str:
    return f"{getattr(function, 'name', 'lambda')}@{function.lineno}"
