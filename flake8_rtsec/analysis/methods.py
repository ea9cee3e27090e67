"""Classes as call graphs of their methods, and facts carried along `self._m(...)`.

RTS1 carries the locks held into private helpers; RTS4 carries which
resource dicts were validated.  Both ask the same question: what holds on
entry to a method on *every* path into it?  Public methods, dunders, methods
used by reference (thread targets, callbacks) and private methods that the
class never calls are entry points and start from a given fact; any other
private method starts from the meet of the facts at its call sites.
"""

import ast
import operator
from collections import deque
from itertools import compress
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple, TypeVar

from flake8_rtsec.analysis.index import FileIndex

Fact = TypeVar("Fact")

CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__", "setUp"})

_NOT_SELF_BOUND = frozenset({"staticmethod", "classmethod"})
_ATTR = operator.attrgetter("attr")
_ID = operator.attrgetter("id")
_UNKNOWN = object()


def _self_name(method: ast.AST) -> Optional[str]:
    """The name `self` has in `method`, or None for static and class methods."""
    for decorator in method.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id in _NOT_SELF_BOUND:
            return None
    positional = [*method.args.posonlyargs, *method.args.args]
    return positional[0].arg if positional else None


@dataclass
class ClassModel:
    node: ast.ClassDef
    methods: Dict[str, ast.AST] = field(default_factory=dict)
    # callee name -> [(caller name, call node)] for self._m(...) made in a method body
    call_sites: Dict[str, List[Tuple[str, ast.Call]]] = field(default_factory=dict)
    # methods reached some other way: by reference, or from a nested function
    escaping: set = field(default_factory=set)
    # method -> the name `self` has in it, worked out once: every family asks
    self_names: Dict[ast.AST, Optional[str]] = field(default_factory=dict)

    def self_name(self, method: ast.AST) -> Optional[str]:
        """The name `self` has in `method`, or None for static and class methods."""
        known = self.self_names.get(method, _UNKNOWN)
        if known is _UNKNOWN:
            known = self.self_names[method] = _self_name(method)
        return known

    def is_entry(self, name: str) -> bool:
        """True where callers outside the class may reach `name` with nothing held."""
        private = name.startswith("_") and not name.endswith("__")
        return not private or name in self.escaping or name not in self.call_sites

    def entry_facts(
        self,
        entry: Callable[[str], Fact],
        at_call: Callable[[Fact, ast.Call], Fact],
        meet: Callable[[Fact, Fact], Fact],
    ) -> Dict[str, Fact]:
        """The fact on entry to every method: `entry(name)` for entry points,
        else the meet over call sites of `at_call(fact of caller, call)`.

        A method is revisited only when the fact of one of its callers
        changed, and facts only shrink, so this terminates quickly; a private
        cycle that no entry point reaches is given the entry fact, as if
        public.
        """
        facts: Dict[str, Fact] = {
            name: entry(name) for name in self.methods if self.is_entry(name)
        }
        # caller -> its private callees, each once however often it calls it
        callees: Dict[str, Dict[str, None]] = {}
        for callee, sites in self.call_sites.items():
            if callee not in facts:
                for caller, _ in sites:
                    callees.setdefault(caller, {})[callee] = None
        # call -> (the caller's fact it was last asked with, the answer):
        # a callee is recomputed when one caller changed, the others did not.
        answered: Dict[ast.Call, Tuple[Fact, Fact]] = {}
        worklist = deque(facts)
        while worklist:
            for callee in callees.get(worklist.popleft(), ()):
                value = None
                for caller, call in self.call_sites[callee]:
                    if caller in facts:
                        fact = facts[caller]
                        known = answered.get(call)
                        if known is not None and known[0] is fact:
                            here = known[1]
                        else:
                            here = at_call(fact, call)
                            answered[call] = (fact, here)
                        value = here if value is None else meet(value, here)
                if facts.get(callee) != value:
                    facts[callee] = value
                    worklist.append(callee)
        for name in self.methods:
            facts.setdefault(name, entry(name))
        return facts


def class_models(index: FileIndex) -> List[ClassModel]:
    return index.memo(ClassModel, lambda: _build_models(index))


def _build_models(index: FileIndex) -> List[ClassModel]:
    models: Dict[ast.ClassDef, ClassModel] = {}
    for node in index.nodes(ast.ClassDef):
        model = models[node] = ClassModel(node)
        for statement in node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                model.methods[statement.name] = statement
    if not models:
        return []
    owner_of = {
        method: model for model in models.values() for method in model.methods.values()
    }
    self_names = {method: owner_of[method].self_name(method) for method in owner_of}
    receivers = set(self_names.values())
    receivers.discard(None)
    method_names = {method.name for method in owner_of}
    if len(receivers) == 1:
        # Only `self.x` can be a call site or escape: start from the Name
        # nodes spelled like `self`, in source order, instead of reading
        # every attribute of the file.
        (receiver_name,) = receivers
        parent_of = index.parents.get
        candidates = []
        for receiver in index.names_by_id().get(receiver_name, ()):
            attribute = parent_of(receiver)
            if (
                type(attribute) is ast.Attribute
                and attribute.value is receiver
                and attribute.attr in method_names
            ):
                candidates.append(attribute)
    else:
        attributes = index.nodes(ast.Attribute)
        # Most attributes name no method: dropped at C level before any climbing.
        candidates = compress(attributes, map(method_names.__contains__, map(_ATTR, attributes)))
    scope_of = index.scope_of
    for attribute in candidates:
        receiver = attribute.value
        if not isinstance(receiver, ast.Name) or not isinstance(attribute.ctx, ast.Load):
            continue
        scope = scope_of(attribute)
        method = scope
        while method is not None and method not in owner_of:
            method = index.enclosing_function(method)
        if method is None:
            continue
        model = owner_of[method]
        if attribute.attr not in model.methods or receiver.id != self_names[method]:
            continue
        call = index.parent(attribute)
        if scope is method and isinstance(call, ast.Call) and call.func is attribute:
            model.call_sites.setdefault(attribute.attr, []).append((method.name, call))
        else:
            model.escaping.add(attribute.attr)
    return list(models.values())


def module_model(index: FileIndex) -> ClassModel:
    """The module's top-level functions as one more call graph: a private
    `_f()` called only from functions holding a lock holds it too."""
    return index.memo(("module-model",), lambda: _build_module_model(index))


def module_functions(index: FileIndex) -> Dict[str, ast.AST]:
    """The module's top-level functions by name: the methods of `module_model`,
    without following its calls."""
    return index.memo(("module-functions",), lambda: _find_module_functions(index))


def _find_module_functions(index: FileIndex) -> Dict[str, ast.AST]:
    functions = {}
    for statement in getattr(index.tree, "body", ()):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[statement.name] = statement
    return functions


def _build_module_model(index: FileIndex) -> ClassModel:
    model = ClassModel(index.tree, dict(module_functions(index)))
    if not model.methods:
        return model
    functions = set(model.methods.values())
    scope_of = index.scope_of
    names = index.nodes(ast.Name)
    # Only names of module functions matter: dropped at C level, in file order.
    for name in compress(names, map(model.methods.__contains__, map(_ID, names))):
        if not isinstance(name.ctx, ast.Load):
            continue
        scope = scope_of(name)
        call = index.parent(name)
        if scope in functions and isinstance(call, ast.Call) and call.func is name:
            model.call_sites.setdefault(name.id, []).append((scope.name, call))
        else:
            model.escaping.add(name.id)
    return model


def construction_methods(model: ClassModel, confined: frozenset = frozenset()) -> frozenset:
    """Constructors and the private helpers reached only from them.

    Writes there cannot race: no other thread can see the object yet.
    Methods in `confined` (lifecycle hooks that run before the object is
    shared, such as Nova's `set_service_ref`) are treated the same way.
    """
    facts = model.entry_facts(
        entry=lambda name: name in CONSTRUCTORS or name in confined,
        at_call=lambda caller_is_construction, call: caller_is_construction,
        meet=lambda a, b: a and b,
    )
    return frozenset(name for name, constructing in facts.items() if constructing)
