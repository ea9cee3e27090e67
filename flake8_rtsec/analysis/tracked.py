"""Untrusted resource dicts that reach tracked state.

Tracked state is an attribute of `self`, or of an object `self` holds: a
store `self.x = v`, `self.x[k] = v`, `cn.x = v` where `cn = self.nodes[n]`
(or `cn` is stored into `self`), a mutating call on such an object
(`self.stats.update(v)`, `cn.update_from_virt_driver(v)`), or `setattr`.

A value reaches a store from a name through subscripts, `.get()`,
arithmetic, containers and f-strings; a call ends it (what the call returns
is another value), except a call of a method of `self` that itself stores
the parameter it receives.  Which parameters a method stores is a summary
computed bottom-up over the class's `self._m(...)` calls: `(p, None)` when
it stores `p` into its own state, `(p, q)` when it stores `p` into its
parameter `q`, which is tracked state wherever the caller passes one.
"""

import ast
import re
from collections import deque
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from flake8_rtsec.analysis.display import shown
from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.methods import ClassModel, class_models
from flake8_rtsec.analysis.names import resolver_for
from flake8_rtsec.analysis.resources import (
    bound_arguments,
    FunctionLoads,
    constant_key,
    def_of,
    has_source_calls,
    parameters,
    source_call_scopes,
    source_calls,
    source_label,
    source_names,
    statement_of,
    statements_in_def,
)
from flake8_rtsec.analysis.state import MUTATING_METHODS
from flake8_rtsec.analysis.validation import (
    CHECKED,
    NO_ENTRY,
    PRESENT,
    VALUES_VALIDATED,
    covers,
    validation_model,
)
from flake8_rtsec.analysis.validators import value_end

# Methods whose name says they copy what they are given into their receiver
# (`cn.update_from_virt_driver(resources)`), besides the container mutators.
# Verbs that also name actions (`extend_volume`, `add_host`) are left out.
MUTATOR_NAME = re.compile(r"(update|set|store|populate|record)_\w")
_KEYED_METHODS = frozenset({"get", "pop", "setdefault"})

# (name whose value arrives, key read from it or None for the dict itself)
Origin = Tuple[str, Optional[str]]


@dataclass(frozen=True)
class Sink:
    node: ast.AST  # the store target, or the call
    origin: Origin
    target: str  # what receives it: "self.stats", "self._update()"
    via: Optional[str] = None  # a parameter that must be tracked state at the call site


@dataclass(frozen=True)
class UntrustedStore:
    node: ast.AST
    value: str  # "resources['memory_mb']", "resources"
    source: str  # "get_available_resource()"
    target: str
    validators: Tuple[str, ...]  # presence-only validators that ran on the dict


def untrusted_stores(index: FileIndex) -> List[UntrustedStore]:
    """Stores (and calls of storing methods) of a resource-source call's
    result, or of a value read from it, into tracked state with no validator
    of types or ranges on the path."""
    return index.memo(UntrustedStore, lambda: _untrusted_stores(index))


def _untrusted_stores(index: FileIndex) -> List[UntrustedStore]:
    found: List[UntrustedStore] = []
    if not has_source_calls(index):
        return found
    validation = validation_model(index)
    calling = source_call_scopes(index)
    for model in class_models(index):
        methods = [m for m in model.methods.values() if m in calling]
        if not methods:
            continue
        summaries = _summaries(index, model)
        for method in methods:
            flows = _method_flows(index, model, method)
            untrusted = source_names(index).get(method, frozenset())
            sinks = flows.sinks(untrusted, summaries)
            for sink in sinks:
                name, key = sink.origin
                statement = statement_of(index, sink.node)
                state = validation.flow(method, validation.entry(method)).get(statement)
                if state is None:
                    continue
                if name in flows.source_calls:
                    name, source = "the dict", flows.source_calls[name]
                elif name not in state.sources or values_checked(state.validated, name, key):
                    continue
                else:
                    source = flows.source_of(name)
                ran = sorted(
                    {label for n, label, _, level in state.validators
                     if n == name and level == PRESENT}
                )
                value = name if key is None else f"{name}[{key!r}]"
                found.append(UntrustedStore(sink.node, value, source, sink.target, tuple(ran)))
    found.sort(key=lambda store: (store.node.lineno, store.node.col_offset))
    return found


def summarized_methods(index: FileIndex) -> Dict[ast.AST, FrozenSet[str]]:
    """Per class, the methods whose summary RTS403 looks up: the helpers
    that a value from a resource source reaches as `self.m(...)` in a method
    calling the source, and those that their parameters' values reach, on."""
    return index.memo("rtsec-summarized-methods", lambda: _summarized_methods(index))


def _summarized_methods(index: FileIndex) -> Dict[ast.AST, FrozenSet[str]]:
    found: Dict[ast.AST, FrozenSet[str]] = {}
    calling = source_call_scopes(index)
    if not calling:
        return found
    for model in class_models(index):
        roots = [m for m in model.methods.values() if m in calling]
        if not roots:
            continue
        summarized: Set[str] = set()
        for root in roots:
            flows = _method_flows(index, model, root)
            summarized |= flows.helpers_reached(source_names(index).get(root, frozenset()))
        pending = list(summarized)
        while pending:
            flows = _method_flows(index, model, model.methods[pending.pop()])
            for name in flows.helpers_reached(set(flows.parameters), from_sources=False):
                if name not in summarized:
                    summarized.add(name)
                    pending.append(name)
        found[model.node] = frozenset(summarized)
    return found


def _method_flows(index: FileIndex, model: ClassModel, method: ast.AST) -> "_MethodFlows":
    return index.memo(("rtsec-method-flows", method), lambda: _MethodFlows(index, model, method))


class _MethodFlows:
    """Where values go inside one method, flow-insensitively."""

    def __init__(self, index: FileIndex, model: ClassModel, method: ast.AST) -> None:
        self.index = index
        self.model = model
        self.method = method
        self.self_name = model.self_name(method)
        self.parameters = [p for p in parameters(method) if p != self.self_name]
        self.aliases = self._tracked_aliases()
        self.loads = FunctionLoads(index, method)
        self._carried: Dict[FrozenSet[str], Dict[str, Set[Origin]]] = {}
        # Source calls used as values directly get a synthetic root name.
        self.source_calls: Dict[str, str] = {}
        self._call_roots: Dict[ast.Call, str] = {}
        self._sources: Dict[str, str] = {}
        for call in source_calls(index):
            if def_of(index, call) is not method:
                continue
            root = shown(call.func) + "(...)"
            self._call_roots[call] = root
            self.source_calls[root] = shown(call.func) + "()"
            assign = index.parent(call)
            if isinstance(assign, ast.Assign) and assign.value is call:
                for target in assign.targets:
                    if isinstance(target, ast.Name):
                        self._sources[target.id] = source_label(index, call)

    def source_of(self, name: str) -> str:
        return self._sources.get(name, "a resource source")

    def tracked_base(self, expr: ast.AST) -> Tuple[bool, Optional[str]]:
        """(is tracked state, parameter it belongs to) for a store target.
        `self[k] = v` stores an item of `self`, not an attribute: a dict
        subclass filling itself in is not tracked state."""
        depth = 0
        attribute = False
        while isinstance(expr, (ast.Attribute, ast.Subscript)):
            attribute = attribute or isinstance(expr, ast.Attribute)
            expr = expr.value
            depth += 1
        if not isinstance(expr, ast.Name) or depth == 0:
            return False, None
        if (expr.id == self.self_name and attribute) or expr.id in self.aliases:
            return True, None
        if expr.id in self.parameters:
            return False, expr.id
        return False, None

    def _tracked_aliases(self) -> FrozenSet[str]:
        """Names bound to a plain attribute/subscript chain of `self`
        (`cn = self.compute_nodes[n]`), or stored into tracked state."""
        aliases: Set[str] = set()
        if self.self_name is None:
            return frozenset()
        assigns = statements_in_def(self.index, ast.Assign, self.method)
        for assign in assigns:
            value = assign.value
            if (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr in ("get", "setdefault")
            ):
                value = value.func.value
            if _chain_base(value) == self.self_name:
                aliases.update(t.id for t in assign.targets if isinstance(t, ast.Name))
        for assign in assigns:
            if isinstance(assign.value, ast.Name) and any(
                _chain_base(t) in (self.self_name, *aliases)
                and isinstance(t, (ast.Attribute, ast.Subscript))
                for t in assign.targets
            ):
                aliases.add(assign.value.id)
        return frozenset(aliases)

    def helpers_reached(self, roots: Set[str], from_sources: bool = True) -> Set[str]:
        """The methods `self.m(...)` that values carried from `roots` (and
        from the method's source calls) are passed to: the summaries that
        `sinks` looks up."""
        ends = [
            (end, child)
            for name, origins in self.carried(roots).items()
            for load in self.loads.get(name, ())
            for _, end, child in self._ends(load, origins)
        ]
        if from_sources:
            ends += [value_end(self.index, call) for call in self._call_roots]
        return {
            end.func.attr
            for end, child in ends
            if isinstance(end, ast.Call)
            and child is not end.func
            and self._self_helper(end.func) is not None
        }

    def _self_helper(self, func: ast.AST) -> Optional[ast.AST]:
        """The method of the class that `func` is, when it is `self.m`."""
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == self.self_name
        ):
            return self.model.methods.get(func.attr)
        return None

    def carried(self, roots: Set[str]) -> Dict[str, Set[Origin]]:
        """Names in the method that hold a root or a value read from it."""
        known = frozenset(roots)
        if known not in self._carried:
            self._carried[known] = self._carry(roots)
        return self._carried[known]

    def _carry(self, roots: Set[str]) -> Dict[str, Set[Origin]]:
        carried: Dict[str, Set[Origin]] = {root: {(root, None)} for root in roots}
        pending = deque(roots)
        while pending:
            name = pending.popleft()
            for load in self.loads.get(name, ()):
                for origin, end, child in self._ends(load, carried[name]):
                    if isinstance(end, (ast.Assign, ast.AnnAssign)) and child is end.value:
                        targets = end.targets if isinstance(end, ast.Assign) else [end.target]
                        for target in targets:
                            if isinstance(target, ast.Name) and target.id not in roots:
                                known = carried.setdefault(target.id, set())
                                if origin not in known:
                                    known.add(origin)
                                    pending.append(target.id)
        return carried

    def _ends(self, node: ast.AST, origins) -> List[Tuple[Origin, ast.AST, ast.AST]]:
        """(origin, end, child) for the value of `node` read as it is written."""
        key = None
        parent = self.index.parent(node)
        if isinstance(parent, ast.Subscript) and parent.value is node:
            key = constant_key(self.index, parent.slice)
        elif (
            isinstance(parent, ast.Attribute)
            and parent.attr in _KEYED_METHODS
            and isinstance(self.index.parent(parent), ast.Call)
        ):
            call = self.index.parent(parent)
            if call.func is parent and call.args:
                key = constant_key(self.index, call.args[0])
        end, child = value_end(self.index, node)
        return [
            ((root, known if known is not None else key), end, child)
            for root, known in sorted(origins, key=str)
        ]

    def sinks(self, untrusted: FrozenSet[str], summaries) -> List[Sink]:
        """Sinks of untrusted names and source calls in this method."""
        roots = set(untrusted)
        carried = self.carried(roots)
        found: List[Sink] = []
        for name, origins in carried.items():
            for load in self.loads.get(name, ()):
                found.extend(self._sinks_at(self._ends(load, origins), summaries, False))
        for call, root in self._call_roots.items():
            end, child = value_end(self.index, call)
            found.extend(self._sinks_at([((root, None), end, child)], summaries, False))
        unique: Dict[ast.AST, Sink] = {}
        for sink in sorted(found, key=lambda s: (s.node.lineno, s.node.col_offset, str(s.origin))):
            unique.setdefault(sink.node, sink)
        return list(unique.values())

    def parameter_sinks(self, summaries) -> List[Sink]:
        """Sinks of this method's parameters (for its summary)."""
        carried = self.carried(set(self.parameters))
        found: List[Sink] = []
        for name, origins in carried.items():
            for load in self.loads.get(name, ()):
                found.extend(self._sinks_at(self._ends(load, origins), summaries, True))
        return found

    def _sinks_at(self, ends, summaries, through_parameters: bool) -> List[Sink]:
        found = []
        for origin, end, child in ends:
            if isinstance(end, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and child is end.value:
                targets = end.targets if isinstance(end, ast.Assign) else [end.target]
                for target in targets:
                    sink = self._store(target, origin)
                    if sink is not None:
                        found.append(sink)
            elif isinstance(end, ast.Call) and child is not end.func:
                found.extend(self._call(end, child, origin, summaries))
        if not through_parameters:
            found = [sink for sink in found if sink.via is None]
        return found

    def _store(self, target: ast.AST, origin: Origin) -> Optional[Sink]:
        if not isinstance(target, (ast.Attribute, ast.Subscript)):
            return None
        tracked, parameter = self.tracked_base(target)
        if tracked:
            return Sink(target, origin, shown(target))
        if parameter is not None and parameter != origin[0]:
            return Sink(target, origin, shown(target), via=parameter)
        return None

    def _call(self, call: ast.Call, child: ast.AST, origin: Origin, summaries) -> List[Sink]:
        func = call.func
        argument = child.value if isinstance(child, ast.keyword) else child
        names = resolver_for(self.index)
        if names.qualified_name(func) == "builtins.setattr" and len(call.args) == 3:
            if call.args[2] is argument:
                sink = self._store(
                    ast.Attribute(value=call.args[0], attr="_", ctx=ast.Store()), origin
                )
                return [Sink(call, origin, "setattr()", sink.via)] if sink else []
            return []
        if not isinstance(func, ast.Attribute):
            return []
        receiver = func.value
        # The label is spelled only for a sink: most calls are none.
        if isinstance(receiver, ast.Name) and receiver.id == self.self_name:
            callee = self._self_helper(func)
            if callee is None or not summaries.get(callee.name):
                return []
            label = "tracked state through " + shown(func) + "()"
            return self._method_call(call, callee, argument, origin, summaries, label)
        if not (func.attr in MUTATING_METHODS or MUTATOR_NAME.match(func.attr)):
            return []
        tracked, parameter = self.tracked_base(ast.Attribute(value=receiver, attr="_"))
        if tracked:
            return [Sink(call, origin, shown(func) + "()")]
        if parameter is not None and parameter != origin[0]:
            return [Sink(call, origin, shown(func) + "()", via=parameter)]
        return []

    def _method_call(self, call, callee, argument, origin, summaries, label) -> List[Sink]:
        skip_first = self.model.self_name(callee) is not None
        bound = bound_arguments(callee, call, skip_first)
        receiving = [name for name, value in bound.items() if value is argument]
        found = []
        for parameter, via in summaries.get(callee.name, ()):
            if parameter not in receiving:
                continue
            if via is None:
                found.append(Sink(call, origin, label))
                continue
            holder = bound.get(via)
            if holder is None:
                continue
            tracked, holder_parameter = self.tracked_base(ast.Attribute(value=holder, attr="_"))
            if tracked:
                found.append(Sink(call, origin, label))
            elif holder_parameter is not None and holder_parameter != origin[0]:
                found.append(Sink(call, origin, label, via=holder_parameter))
        return found


def values_checked(validated, name: str, key: Optional[str]) -> bool:
    """A validator that checks values ran on the dict, or the value itself
    was checked (`isinstance(v, int)`, `v < 0`) on every path here."""
    return covers(validated, name, VALUES_VALIDATED, CHECKED) or covers(
        validated, name, key, CHECKED
    )


def _chain_base(expr: ast.AST) -> Optional[str]:
    """`self` for `self.a[b].c` (at least one attribute or subscript)."""
    depth = 0
    while isinstance(expr, (ast.Attribute, ast.Subscript)):
        expr = expr.value
        depth += 1
    return expr.id if isinstance(expr, ast.Name) and depth else None


Summary = Dict[str, FrozenSet[Tuple[str, Optional[str]]]]


def _summaries(index: FileIndex, model: ClassModel) -> Summary:
    """Per method whose summary is looked up (`summarized_methods`):
    (parameter, via) pairs it stores into tracked state with no type or
    range check of the parameter on the way.  A method's summary depends on
    those of the helpers its parameters' values reach only, so the others
    are left out."""

    def compute():
        validation = validation_model(index)
        summaries: Summary = {}
        reached = summarized_methods(index).get(model.node, frozenset())
        flows = {
            name: _method_flows(index, model, m)
            for name, m in model.methods.items()
            if name in reached
        }
        callers: Dict[str, Set[str]] = {}
        for callee, sites in model.call_sites.items():
            for caller, _ in sites:
                callers.setdefault(callee, set()).add(caller)
        pending = deque(name for name in model.methods if name in reached)
        queued = set(pending)
        while pending:
            name = pending.popleft()
            queued.discard(name)
            method = model.methods[name]
            # What the method itself checks: its callers are judged at the call.
            before = validation.flow(method, NO_ENTRY)
            stored = set()
            for sink in flows[name].parameter_sinks(summaries):
                state = before.get(statement_of(index, sink.node))
                parameter, key = sink.origin
                if state is None or values_checked(state.validated, parameter, key):
                    continue
                stored.add((parameter, sink.via))
            if frozenset(stored) != summaries.get(name, frozenset()):
                summaries[name] = frozenset(stored)
                for caller in callers.get(name, ()):
                    if caller not in queued and caller in reached:
                        queued.add(caller)
                        pending.append(caller)
        return summaries

    key = ("rtsec-store-summaries", model.node)
    return index.memo(key, compute)
