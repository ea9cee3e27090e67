"""Locks: what they are, where they are taken, and which are held at a node.

A lock is identified by its key: the attribute it lives in (`self._lock`),
the module name it is bound to (`LOCK`), or the lockutils name
(`lockutils:compute_resources`).  Reentrancy follows the libraries: RLock,
lockutils with `fair=True` and fasteners write locks are reentrant; Lock,
Semaphore and plain lockutils locks (a semaphore per name) are not.
"""

import ast
from dataclasses import dataclass
from typing import Dict, Iterator, Optional, Tuple

from flake8_rtsec.analysis.display import shown
from flake8_rtsec.analysis.index import FUNCTION_TYPES, FileIndex
from flake8_rtsec.analysis.names import NOT_CONSTANT, resolver_for

# factory qualified name -> reentrant?
LOCK_FACTORIES = {
    "threading.Lock": False,
    "threading.RLock": True,
    "threading.Semaphore": False,
    "threading.BoundedSemaphore": False,
    "threading.Condition": True,
    "fasteners.ReaderWriterLock": True,
    "fasteners.InterProcessLock": False,
    "fasteners.process_lock.InterProcessLock": False,
}

LOCKUTILS = "oslo_concurrency.lockutils"
LOCKUTILS_DECORATORS = frozenset(
    {f"{LOCKUTILS}.synchronized", f"{LOCKUTILS}.synchronized_with_prefix()"}
)
LOCKUTILS_CONTEXTS = frozenset({f"{LOCKUTILS}.lock"})


@dataclass(frozen=True)
class Lock:
    kind: str  # "object" (a lock held in a variable) or "lockutils"
    key: str
    reentrant: bool
    fair: bool = False
    external: bool = False
    owner: str = ""  # the class whose instances hold an attribute lock

    def describe(self) -> str:
        if self.kind == "lockutils":
            return f"lock {self.key!r}"
        return self.key


@dataclass(frozen=True)
class HeldLock:
    lock: Lock
    taken_at: ast.AST  # the `with` item or decorator that holds it


def lock_model(index: FileIndex) -> "LockModel":
    return index.memo(LockModel, lambda: LockModel(index))


class LockModel:
    """Lock objects of the file, and the locks held at any node."""

    def __init__(self, index: FileIndex) -> None:
        self._index = index
        self._names = resolver_for(index)
        self._factories = dict(LOCK_FACTORIES)
        self._factories.update((name, False) for name in index.config.lock_factories)
        self._decorators = LOCKUTILS_DECORATORS | frozenset(index.config.lock_decorators)
        self._taken: Dict[ast.AST, Tuple[HeldLock, ...]] = {}
        self.objects: Dict[Tuple[str, str], Lock] = self._find_lock_objects()

    def _find_lock_objects(self) -> Dict[Tuple[str, str], Lock]:
        """`self._lock = threading.Lock()`, `LOCK = threading.RLock()`, class-level too."""
        found: Dict[Tuple[str, str], Lock] = {}
        for assign in self._index.nodes(ast.Assign, ast.AnnAssign):
            value = assign.value
            if not isinstance(value, ast.Call):
                continue
            reentrant = self._factories.get(self._names.qualified_name(value.func) or "")
            if reentrant is None:
                continue
            targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
            for target in targets:
                key = _object_key(target)
                if key:
                    owner = self._owner_of(target)
                    found[owner, key] = Lock("object", key, reentrant, owner=owner)
        return found

    def _owner_of(self, expr: ast.AST) -> str:
        """The class an attribute lock belongs to; module names have none."""
        if isinstance(expr, ast.Name):
            return ""
        for ancestor in self._index.ancestors(expr):
            if isinstance(ancestor, ast.ClassDef):
                return ancestor.name
        return ""

    def lock_object(self, expr: ast.AST) -> Optional[Lock]:
        """The lock object `expr` names (`self._lock`, `LOCK`), if it is one."""
        key = _object_key(expr)
        return self.objects.get((self._owner_of(expr), key)) if key else None

    def acquired_by(self, context_expr: ast.AST) -> Optional[Lock]:
        """The lock a `with` item takes: a lock object or `lockutils.lock(NAME)`."""
        if isinstance(context_expr, ast.Call):
            qualified = self._names.qualified_name(context_expr.func) or ""
            if qualified in LOCKUTILS_CONTEXTS:
                return self._lockutils_lock(context_expr)
            if isinstance(context_expr.func, ast.Attribute) and context_expr.func.attr in (
                "write_lock",
                "read_lock",
            ):
                return self.lock_object(context_expr.func.value)
            return None
        return self.lock_object(context_expr)

    def held_by_decorator(self, decorator: ast.AST) -> Optional[Lock]:
        """`@lockutils.synchronized(NAME)`, a project's `utils.synchronized(NAME)`,
        or a decorator listed in `rtsec-lock-decorators`."""
        if not isinstance(decorator, ast.Call):
            return None
        qualified = self._names.qualified_name(decorator.func) or ""
        if qualified in self._decorators or self._names.last_name(decorator.func) == "synchronized":
            return self._lockutils_lock(decorator)
        return None

    def _lockutils_lock(self, call: ast.Call) -> Lock:
        name = self._names.constant(call.args[0]) if call.args else NOT_CONSTANT
        if isinstance(name, str):
            key = name
        else:
            key = "<" + shown(call.args[0] if call.args else call) + ">"
        fair = self._flag(call, "fair")
        external = self._flag(call, "external")
        return Lock("lockutils", key, reentrant=fair, fair=fair, external=external)

    def _flag(self, call: ast.Call, name: str) -> bool:
        for keyword in call.keywords:
            if keyword.arg == name:
                value = self._names.constant(keyword.value)
                return value is not NOT_CONSTANT and bool(value)
        return False

    def held_at(self, node: ast.AST) -> Tuple[HeldLock, ...]:
        """Locks held at `node` by the code around it in its own function:
        enclosing `with` blocks and the function's lock decorators.  A nested
        function or lambda starts with none: it may run after the release."""
        held = []
        for ancestor in self._index.ancestors(node):
            entered = not isinstance(node, ast.withitem)  # the body, not the items
            if isinstance(ancestor, (ast.With, ast.AsyncWith)) and entered:
                held.extend(self._taken_by(ancestor))
            elif isinstance(ancestor, FUNCTION_TYPES):
                held.extend(self._taken_by(ancestor))
                break
            node = ancestor
        return tuple(held)

    def _taken_by(self, node: ast.AST) -> Tuple[HeldLock, ...]:
        """The locks a `with` statement's items or a function's decorators
        take; worked out once per node, as every write below it asks."""
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


def _object_key(expr: ast.AST) -> Optional[str]:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        return f"{expr.value.id}.{expr.attr}"
    return None
