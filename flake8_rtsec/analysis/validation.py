"""Which keys of which resource dicts are validated on every path to a point.

One forward pass over the statements of each scope carries a state:

- `validated`: facts (name, key, level) that hold on *every* path here;
  key None means every key, level PRESENT means the key is there, CHECKED
  that its value's type or range was checked too;
- `sources`: names that hold the result of a resource-source call on *some*
  path (reassigning the name ends that);
- `validators`: the validators that ran on the dict on some path, with the
  keys they cover and whether they check values (for messages).

Statements change the state through the events found in them (a validator
call, `d['k'] = v`, `d.pop('k')`, a read `d['k']` that did not raise, a
rebinding of the name); `if`/`while`/`assert` tests and `and`/`or`/`if-else`
expressions add what their condition proves to the branch it guards, so
`if 'k' not in d: raise` validates 'k' after it.  Loops start from what
holds before them minus the names their body changes, so each statement is
visited once.

The state on entry to a private method comes from its `self._m(...)` call
sites through `ClassModel.entry_facts`, the fixpoint RTS1 uses for locks: a
parameter is validated for a key when every call site passes a dict
validated for it (or no resource dict at all).
"""

import ast
from bisect import bisect_right
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, NamedTuple, Optional, Set, Tuple

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.methods import ClassModel, class_models
from flake8_rtsec.analysis.names import bound_names, resolver_for
from flake8_rtsec.analysis.resources import (
    COMPREHENSION_TYPES,
    DEF_TYPES,
    bound_arguments,
    constant_key,
    is_built_locally,
    is_resource_name,
    is_source_call,
    mentions_resource_dicts,
    parameters,
    reads_json,
    resource_named,
    runs_later,
    scope_of,
    serialized_keys,
    source_calls,
    statement_of,
    tested_key,
)
from flake8_rtsec.analysis.validators import (
    VALUE_CHECKS,
    parameter_for,
    validator_call,
)

PRESENT, CHECKED = 1, 2
# The key of the fact "a validator that checks values ran on this dict".
VALUES_VALIDATED = "\0values-validated"
KEY_ERRORS = frozenset({"builtins.KeyError", "builtins.LookupError"})
SUPPRESSORS = frozenset({"contextlib.suppress"})
_TRY_TYPES = tuple(t for t in (ast.Try, getattr(ast, "TryStar", None)) if t)
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)

Fact = Tuple[str, Optional[str], int]
Facts = FrozenSet[Fact]
# A validator that ran on a dict: (name, label, keys or None, level).
Ran = Tuple[str, str, Optional[FrozenSet[str]], int]
EMPTY: Facts = frozenset()


def covers(facts: Iterable[Fact], name: str, key: Optional[str], level: int) -> bool:
    facts = facts if isinstance(facts, (set, frozenset)) else set(facts)
    for held in range(level, CHECKED + 1):
        if (name, key, held) in facts or (name, None, held) in facts:
            return True
    return False


def meet(a: Facts, b: Facts) -> Facts:
    """What holds on both sides: `(d, None, 2)` on one side and `(d, 'k', 1)`
    on the other give `(d, 'k', 1)`."""
    if a is b or a == b:
        return a
    # A fact on both sides holds; only the others need a look, and along a
    # long function the two sides mostly share what came before the branch.
    common = a & b
    weaker = [f for f in a - b if covers(b, *f)] + [f for f in b - a if covers(a, *f)]
    return common.union(weaker) if weaker else common


# Plain tuples (NamedTuple), not frozen dataclasses: one is made per
# statement that changes the state, and each one costs construction time
# and garbage-collector work.
class State(NamedTuple):
    validated: Facts = EMPTY
    sources: FrozenSet[str] = frozenset()
    validators: FrozenSet[Ran] = frozenset()

    def adding(self, facts: Facts) -> "State":
        if not facts or facts <= self.validated:
            return self
        return State(self.validated | facts, self.sources, self.validators)

    def forgetting(self, names: FrozenSet[str], new_sources: FrozenSet[str]) -> "State":
        if not names:
            return self
        return State(
            frozenset(f for f in self.validated if f[0] not in names),
            self.sources | new_sources,
            self.validators,
        )


def _kept(before: frozenset, after: set) -> frozenset:
    """`before` when `after` holds the same, else `after` frozen."""
    return before if after == before else frozenset(after)


def join(a: Optional[State], b: Optional[State]) -> Optional[State]:
    """Paths meet: None is a path that never gets here."""
    if a is None:
        return b
    if b is None or a == b:
        return a
    return State(
        meet(a.validated, b.validated), _union(a.sources, b.sources),
        _union(a.validators, b.validators),
    )


def _union(a: frozenset, b: frozenset) -> frozenset:
    return a if b <= a else b if a <= b else a | b


class Entry(NamedTuple):
    """What holds on entry to a method, in terms of its parameters."""

    validated: Facts = EMPTY
    resources: FrozenSet[str] = frozenset()  # parameters passed a resource dict
    validators: FrozenSet[Ran] = frozenset()


NO_ENTRY = Entry()


def _meet_entries(a: Entry, b: Entry) -> Entry:
    if a is b:  # most call sites of a helper pass it no resource dict
        return a
    return Entry(
        meet(a.validated, b.validated), a.resources | b.resources, a.validators | b.validators
    )


class Event(NamedTuple):
    """One thing a statement does to a dict, by name."""

    kind: str  # validate, present, checked, drop, bind
    name: str
    key: Optional[str] = None  # None: every key
    keys: Optional[FrozenSet[str]] = None  # validate: the keys; None: all
    level: int = PRESENT
    label: str = ""  # validate: the validator as written
    bound: str = ""  # bind: source, local or other


class Relevance:
    """The names whose facts some question asks about, per scope.

    Facts are kept per name and never flow from one name to another, except
    across `self._m(...)` calls (entry and exit facts), so a fact about any
    other name can change no answer: the model computes only these.

    `holders` may hold a resource dict: the resource-named names (anywhere),
    the names a scope binds to a source call, and the parameters a call site
    in the class binds a holder or a source call to; only their facts enter
    a method.  Besides those, RTS403 asks what the methods a source's value
    reaches check of their own parameters, and a method's exit facts say
    what it proves of the parameters its call sites bind those to.
    """

    __slots__ = (
        "index", "named", "holders", "by_scope", "any_name", "receivers", "entered", "_calls",
        "_arguments", "_spans", "_occurrences", "_passing", "_caller_of",
    )

    def __init__(self, index: FileIndex) -> None:
        self.index = index
        self._arguments: Dict[ast.Call, Tuple[FrozenSet[str], bool]] = {}
        self.named = resource_named(index)
        self._calls = self._calls_by_caller()
        self._caller_of = {
            call: caller for caller, sites in self._calls.items() for call, _, _ in sites
        }
        self._passing = self._calls_passing_named()
        self.holders = self._source_bound()
        # Methods a call site passes a holder to: only their entry facts
        # can say something about a holder.
        self.entered = self._close(self.holders)
        self.by_scope = defaultdict(set, {s: set(names) for s, names in self.holders.items()})
        self._summarized_parameters()
        # Methods a call site passes a relevant name to: only their exit
        # facts (what they prove of their parameters) can matter.
        self.receivers = self._close(self.by_scope)
        self.any_name = self.named.union(*self.by_scope.values())
        self._spans = self._lines_relevant()
        self._occurrences: Dict[str, List[ast.Name]] = {}

    def holds(self, scope: ast.AST, name: str) -> bool:
        return name in self.named or name in self.by_scope.get(scope, ())

    def statement(self, node: ast.AST, name: str) -> Optional[ast.stmt]:
        """The statement holding `node`, when `name` is relevant in its scope."""
        if name not in self.any_name:
            return None
        statement = statement_of(self.index, node)
        if statement is None or not self.holds(scope_of(self.index, statement), name):
            return None
        return statement

    def occurrences(self, name: str) -> List[ast.Name]:
        """The `Name` nodes of relevant `name` that may sit in a scope where it
        is relevant: all of a resource-named one, else those on the lines of
        the scopes that hold it.  A parameter such as `self` or `instance`
        is relevant in a few methods and occurs all over the file, and the
        events of any other scope would be dropped."""
        found = self._occurrences.get(name)
        if found is None:
            found = self.index.names_by_id().get(name, [])
            lines = self._spans.get(name)
            if lines is not None:
                firsts, lasts = lines
                found = [
                    node for node in found
                    if node.lineno <= lasts[bisect_right(firsts, node.lineno) - 1]
                ]
            self._occurrences[name] = found
        return found

    def _lines_relevant(self) -> Dict[str, Tuple[List[int], List[int]]]:
        """For the names relevant in some functions and classes only, the
        lines of those scopes as (first lines, last lines) of disjoint spans
        in line order, led by an empty span."""
        spans: Dict[str, List[Tuple[int, int]]] = defaultdict(list)
        everywhere = set(self.named)
        for scope, names in self.by_scope.items():
            if isinstance(scope, ast.Module):
                everywhere.update(names)
            else:
                for name in names:
                    spans[name].append((scope.lineno, scope.end_lineno))
        lines = {}
        for name, found in spans.items():
            if name in everywhere:
                continue
            firsts, lasts = [0], [0]
            for first, last in sorted(found):
                if first <= lasts[-1]:  # a scope nested in the one before
                    lasts[-1] = max(lasts[-1], last)
                else:
                    firsts.append(first)
                    lasts.append(last)
            lines[name] = (firsts, lasts)
        return lines

    def caller(self, call: ast.Call) -> ast.AST:
        """The method making the `self._m(...)` call `call`: its scope."""
        return self._caller_of[call]

    def passes_holder(self, caller: ast.AST, call: ast.Call) -> bool:
        """Whether some argument of `call` may be a resource dict."""
        return self._passes(self.holders, caller, call)

    def _source_bound(self) -> Dict[ast.AST, Set[str]]:
        index = self.index
        # Found from the source calls up: most assignments bind no source.
        found: Dict[ast.AST, Set[str]] = defaultdict(set)
        for call in source_calls(index):
            binding = index.parent(call)
            kind = type(binding)
            if kind not in (ast.Assign, ast.AnnAssign, ast.NamedExpr) or binding.value is not call:
                continue
            if kind is ast.NamedExpr:
                statement = statement_of(index, binding)
                if statement is not None:
                    found[scope_of(index, statement)].add(binding.target.id)
                continue
            targets = binding.targets if kind is ast.Assign else [binding.target]
            found[scope_of(index, binding)].update(bound_names(targets))
        return found

    def _summarized_parameters(self) -> None:
        # Imported here: `tracked` asks this module about validation.
        from flake8_rtsec.analysis.tracked import summarized_methods

        summarized = summarized_methods(self.index)
        for model in class_models(self.index):
            for name in summarized.get(model.node, ()):
                method = model.methods[name]
                self.by_scope[method].update(parameters(method))

    def _calls_by_caller(self) -> Dict[ast.AST, List[Tuple[ast.Call, ast.AST, bool]]]:
        """The `self._m(...)` call sites of each method: (call, callee, binds self)."""
        calls: Dict[ast.AST, List[Tuple[ast.Call, ast.AST, bool]]] = defaultdict(list)
        for model in class_models(self.index):
            for callee_name, sites in model.call_sites.items():
                callee = model.methods[callee_name]
                binds_self = model.self_name(callee) is not None
                for caller_name, call in sites:
                    calls[model.methods[caller_name]].append((call, callee, binds_self))
        return calls

    def _calls_passing_named(self) -> Set[ast.Call]:
        """The calls passing a resource-named name or a source call as an
        argument: found from those up, as most calls pass neither."""
        parents = self.index.parents
        by_id = self.index.names_by_id()
        found: Set[ast.Call] = set()
        for values in (*(by_id.get(name, ()) for name in self.named), source_calls(self.index)):
            for value in values:
                call = parents.get(value)
                if type(call) is ast.keyword:
                    call = parents.get(call)
                elif type(call) is ast.Call and call.func is value:
                    continue
                if type(call) is ast.Call:
                    found.add(call)
        return found

    def _close(self, by_scope: Dict[ast.AST, Set[str]]) -> Set[ast.AST]:
        """Close `by_scope` over `self._m(x)`: an `x` in it puts the parameter
        it binds in it for `_m`.  The methods passed one are returned.  Only
        a caller that holds a name in `by_scope`, or passes a resource-named
        name or a source call, can pass one on: the others wait until then."""
        calls = self._calls
        passed_to: Set[ast.AST] = set()
        pending = deque(
            caller for caller, sites in calls.items()
            if by_scope.get(caller) or any(call in self._passing for call, _, _ in sites)
        )
        queued = set(pending)
        while pending:
            caller = pending.popleft()
            queued.discard(caller)
            for call, callee, binds_self in calls[caller]:
                if not self._passes(by_scope, caller, call):
                    continue
                names = by_scope[callee]
                size = len(names)
                for parameter, argument in bound_arguments(callee, call, binds_self).items():
                    if self._in(by_scope, caller, argument):
                        names.add(parameter)
                        passed_to.add(callee)
                if len(names) != size and callee in calls and callee not in queued:
                    queued.add(callee)
                    pending.append(callee)
        return passed_to

    def _passes(self, by_scope, caller: ast.AST, call: ast.Call) -> bool:
        held = by_scope.get(caller, ())
        if not held and call not in self._passing:
            return False
        names, sourced = self._arguments_of(call)
        return sourced or not names.isdisjoint(self.named) or not names.isdisjoint(held)

    def _arguments_of(self, call: ast.Call) -> Tuple[FrozenSet[str], bool]:
        """(the names `call` passes, whether it passes a source call): read
        once, as the closures and the entry fixpoint ask again and again."""
        known = self._arguments.get(call)
        if known is None:
            values = [*call.args, *(k.value for k in call.keywords)]
            known = self._arguments[call] = (
                frozenset(v.id for v in values if isinstance(v, ast.Name)),
                any(isinstance(v, ast.Call) and is_source_call(self.index, v) for v in values),
            )
        return known

    def _in(self, by_scope, caller: ast.AST, argument: ast.AST) -> bool:
        """A name in `by_scope` for `caller` (or resource-named), or a source call."""
        if isinstance(argument, ast.Name):
            return argument.id in self.named or argument.id in by_scope.get(caller, ())
        return isinstance(argument, ast.Call) and is_source_call(self.index, argument)


def relevance(index: FileIndex) -> Relevance:
    return index.memo(Relevance, lambda: Relevance(index))


def validation_model(index: FileIndex) -> "ValidationModel":
    return index.memo(ValidationModel, lambda: ValidationModel(index))


class ValidationModel:
    """The per-file answer: the state before every statement of a scope,
    computed for the scopes asked about, with the facts of relevant names."""

    def __init__(self, index: FileIndex) -> None:
        self.index = index
        self.relevance = relevance(index)
        self.events = _collect_events(index, self.relevance)
        self.changed, self.sourced = _changed_names(index, self.events)
        self._flows: Dict[Tuple[ast.AST, Entry], Dict[ast.stmt, State]] = {}
        self._conditions: Dict[ast.AST, Tuple[Facts, Facts]] = {}
        self._calls: Dict[Tuple[ast.Call, Entry], Entry] = {}
        self._unchecked: Dict[ast.AST, Entry] = {}
        self._own: Dict[ast.AST, Tuple[bool, List[str]]] = {}
        self.helper_calls = _helper_calls(index, self.relevance.receivers)
        self.exits: Dict[ast.AST, Facts] = {}
        self._exit_facts()
        self.entries = self._entry_facts()

    # -- questions ---------------------------------------------------------

    def entry(self, scope: ast.AST) -> Entry:
        return self.entries.get(scope, NO_ENTRY)

    def state_before(self, node: ast.AST) -> Optional[State]:
        """The state before the statement holding `node`, None if unreachable."""
        scope = scope_of(self.index, node)
        statement = statement_of(self.index, node)
        return self.flow(scope, self.entry(scope)).get(statement)

    def holds_resource(self, scope: ast.AST, name: str, state: State) -> bool:
        return (
            is_resource_name(self.index, name)
            or name in self.entry(scope).resources
            or name in state.sources
        )

    def guards(self, node: ast.AST) -> Facts:
        """What the expressions around `node` in its statement prove: the
        earlier operands of `and`/`or`, the test of `x if test else y`."""
        found: Set[Fact] = set()
        child = node
        for ancestor in self.index.ancestors(node):
            if isinstance(ancestor, ast.stmt):
                break
            if isinstance(ancestor, ast.BoolOp):
                for value in ancestor.values:
                    if value is child:
                        break
                    true, false = self.condition(value)
                    found |= true if isinstance(ancestor.op, ast.And) else false
            elif isinstance(ancestor, ast.IfExp) and child is not ancestor.test:
                true, false = self.condition(ancestor.test)
                found |= true if child is ancestor.body else false
            elif isinstance(ancestor, COMPREHENSION_TYPES) and child not in ancestor.generators:
                for generator in ancestor.generators:
                    for test in generator.ifs:
                        found |= self.condition(test)[0]
            child = ancestor
        return frozenset(found)

    def condition(self, test: ast.AST) -> Tuple[Facts, Facts]:
        """(facts when `test` is true, facts when it is false)."""
        negated = False
        while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test = test.operand
            negated = not negated
        if test not in self._conditions:
            self._conditions[test] = self._condition(test)
        true, false = self._conditions[test]
        return (false, true) if negated else (true, false)

    def _condition(self, test: ast.AST) -> Tuple[Facts, Facts]:
        if isinstance(test, ast.BoolOp):
            parts = [self.condition(value) for value in test.values]
            trues = [true for true, _ in parts]
            falses = [false for _, false in parts]
            if isinstance(test.op, ast.Or):
                trues, falses = falses, trues
            union = frozenset().union(*trues)
            common = falses[0]
            for facts in falses[1:]:
                common = meet(common, facts)
            return (union, common) if isinstance(test.op, ast.And) else (common, union)
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, right = test.ops[0], test.comparators[0]
            if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, ast.Name):
                if right.id not in self.relevance.any_name:
                    return EMPTY, EMPTY
                key = tested_key(self.index, test.left)
                if key is None:
                    return EMPTY, EMPTY
                fact = frozenset({(right.id, key, PRESENT)})
                return (fact, EMPTY) if isinstance(op, ast.In) else (EMPTY, fact)
            if isinstance(right, ast.Constant) and right.value is None:
                fact = self._get_fact(test.left)
                if isinstance(op, (ast.IsNot, ast.NotEq)):
                    return fact, EMPTY
                if isinstance(op, (ast.Is, ast.Eq)):
                    return EMPTY, fact
            return EMPTY, EMPTY
        if isinstance(test, ast.Call):
            fact = self._get_fact(test)
            if fact:
                return fact, EMPTY
            names = resolver_for(self.index)
            if names.qualified_name(test.func) == "builtins.isinstance" and test.args:
                read = _read_of(self.index, test.args[0], None, self.relevance.any_name)
                if read is not None:
                    return frozenset({(*read, CHECKED)}), EMPTY
        return EMPTY, EMPTY

    def _get_fact(self, node: ast.AST) -> Facts:
        """`d.get('k')`: a true (or not None) result proves 'k' is there."""
        if _is_dict_get(node) and node.func.value.id in self.relevance.any_name:
            key = tested_key(self.index, node.args[0])
            if key is not None:
                return frozenset({(node.func.value.id, key, PRESENT)})
        return EMPTY

    # -- the walk ----------------------------------------------------------

    def flow(self, scope: ast.AST, entry: Entry) -> Dict[ast.stmt, State]:
        memo = (scope, entry)
        if memo not in self._flows:
            walk = _Walk(self)
            walk.block(scope.body, State(entry.validated, frozenset(), entry.validators))
            self._flows[memo] = walk.before
        return self._flows[memo]

    def apply(self, state: State, statement: ast.stmt) -> State:
        events = self.events.get(statement, ())
        helpers = self.helper_calls.get(statement, ())
        if not events and not any(self.exits.get(callee) for _, callee, _ in helpers):
            return state
        validated = set(state.validated)
        sources = set(state.sources)
        validators = set(state.validators)
        for event in events:
            if event.kind == "drop":
                # Dropping one key also ends "every key is validated".
                validated = {f for f in validated if not _dropped(f, event)}
        for event in events:
            if event.kind == "validate":
                for key in sorted(event.keys) if event.keys is not None else [None]:
                    validated.add((event.name, key, event.level))
                if event.level == CHECKED:
                    validated.add((event.name, VALUES_VALIDATED, CHECKED))
                validators.add((event.name, event.label, event.keys, event.level))
            elif event.kind == "present":
                validated.add((event.name, event.key, PRESENT))
            elif event.kind == "checked":
                validated.add((event.name, event.key, CHECKED))
        for call, callee, skip_first in helpers:
            exits = self.exits.get(callee)
            if exits:
                bound = bound_arguments(callee, call, skip_first)
                for parameter, key, level in exits:
                    argument = bound.get(parameter)
                    if isinstance(argument, ast.Name):
                        validated.add((argument.id, key, level))
        for event in events:
            if event.kind == "bind":
                validated = {f for f in validated if f[0] != event.name}
                validators = {v for v in validators if v[0] != event.name}
                sources.discard(event.name)
                if event.bound == "source":
                    sources.add(event.name)
                    # JSON in the file's own format has the keys it writes.
                    validated |= {(event.name, k, PRESENT) for k in event.keys or ()}
                elif event.bound == "local":
                    validated.add((event.name, None, CHECKED))
        # Most statements leave most of the state as it was: keep those parts
        # (a flow holds a state for every statement of its scope).
        after = State(
            _kept(state.validated, validated),
            _kept(state.sources, sources),
            _kept(state.validators, validators),
        )
        return state if after == state else after

    def changed_in(self, statements: List[ast.stmt]) -> Tuple[FrozenSet[str], FrozenSet[str]]:
        """Names that `statements` (nested ones too) rebind or drop keys of,
        and those they bind to a resource-source call."""
        changed: Set[str] = set()
        sourced: Set[str] = set()
        for statement in statements:
            changed |= self.changed.get(statement, set())
            sourced |= self.sourced.get(statement, set())
        return frozenset(changed), frozenset(sourced)

    # -- exit facts --------------------------------------------------------

    def _exit_facts(self) -> None:
        """What a private helper proves about its parameters when it returns:
        a key it reads (or tests and raises without) on every path.  The
        caller's dict has that key after `self._m(d)`.  Helpers are done
        callees first; a recursive call counts as proving nothing."""
        receivers = self.relevance.receivers
        if not receivers:
            return
        for model in class_models(self.index):
            if receivers.isdisjoint(model.methods.values()):
                continue  # no caller asks what any of its methods proves
            for method in _callees_first(model):
                if method not in receivers:
                    continue  # no caller asks what it proves
                walk = _Walk(self)
                end = walk.block(method.body, State())
                for returned in walk.returns:
                    end = join(end, returned)
                if end is None:
                    continue
                own = set(parameters(method)) - {model.self_name(method)}
                own -= self.changed_in(method.body)[0]
                facts = frozenset(f for f in end.validated if f[0] in own)
                if facts:
                    self.exits[method] = facts

    # -- entry facts -------------------------------------------------------

    def _entry_facts(self) -> Dict[ast.AST, Entry]:
        entries: Dict[ast.AST, Entry] = {}
        for model in class_models(self.index):
            if not any(m in self.relevance.entered for m in model.methods.values()):
                continue  # no entry fact would be about a resource dict
            facts = model.entry_facts(
                entry=lambda name: NO_ENTRY,
                at_call=lambda fact, call, model=model: self._at_call(model, fact, call),
                meet=_meet_entries,
            )
            for name, fact in facts.items():
                if fact != NO_ENTRY:
                    entries[model.methods[name]] = fact
        return entries

    def _at_call(self, model: ClassModel, caller_entry: Entry, call: ast.Call) -> Entry:
        # The fixpoint asks again for every call site of a callee whenever
        # one of its callers changes: most answers are already known.
        known = (call, caller_entry)
        if known not in self._calls:
            self._calls[known] = self._entry_at_call(model, caller_entry, call)
        return self._calls[known]

    def _entry_at_call(self, model: ClassModel, caller_entry: Entry, call: ast.Call) -> Entry:
        callee = model.methods[call.func.attr]
        known = self._own.get(callee)
        if known is None:
            skip_first = model.self_name(callee) is not None
            known = self._own[callee] = (
                skip_first, parameters(callee)[1:] if skip_first else parameters(callee)
            )
        skip_first, own = known
        if not own:
            return NO_ENTRY
        caller = self.relevance.caller(call)
        if not self.relevance.passes_holder(caller, call):
            # As below when no argument can hold a resource dict, with no walk.
            return self._all_checked(callee, own)
        state = self.flow(caller, caller_entry).get(statement_of(self.index, call))
        if state is None:  # an unreachable call says nothing
            return self._all_checked(callee, own)
        state = state.adding(self.guards(call))
        bound = bound_arguments(callee, call, skip_first)
        validated: Set[Fact] = set()
        resources: Set[str] = set()
        validators: Set[Ran] = set()
        for parameter in own:
            argument = bound.get(parameter)
            if isinstance(argument, ast.Name) and (
                is_resource_name(self.index, argument.id)
                or argument.id in caller_entry.resources
                or argument.id in state.sources
            ):
                resources.add(parameter)
                validated |= {(parameter, *f[1:]) for f in state.validated if f[0] == argument.id}
                validators |= {(parameter, *v[1:]) for v in state.validators if v[0] == argument.id}
            elif argument is not None and is_source_call(self.index, argument):
                resources.add(parameter)
            else:  # a default, or a value that is not a resource dict
                validated.add((parameter, None, CHECKED))
        return Entry(frozenset(validated), frozenset(resources), frozenset(validators))

    def _all_checked(self, callee: ast.AST, own: List[str]) -> Entry:
        """Every parameter of `callee` but `self` checked: one entry per callee
        for all the call sites that pass it no resource dict."""
        entry = self._unchecked.get(callee)
        if entry is None:
            entry = self._unchecked[callee] = Entry(frozenset((p, None, CHECKED) for p in own))
        return entry


class _Walk:
    """One pass over a scope's statements, recording the state before each."""

    def __init__(self, model: ValidationModel) -> None:
        self.model = model
        self.before: Dict[ast.stmt, State] = {}
        self.breaks: List[List[State]] = []
        self.returns: List[State] = []

    def block(self, statements: List[ast.stmt], state: Optional[State]) -> Optional[State]:
        for statement in statements:
            if state is None:
                return None
            state = self.statement(statement, state)
        return state

    def statement(self, statement: ast.stmt, state: State) -> Optional[State]:
        self.before[statement] = state
        model = self.model
        if isinstance(statement, ast.If):
            state = model.apply(state, statement)
            true, false = model.condition(statement.test)
            return join(
                self.block(statement.body, state.adding(true)),
                self.block(statement.orelse, state.adding(false)),
            )
        if isinstance(statement, (ast.For, ast.AsyncFor, ast.While)):
            return self.loop(statement, state)
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            return self.block(statement.body, model.apply(state, statement))
        if isinstance(statement, _TRY_TYPES):
            return self.try_(statement, state)
        if isinstance(statement, getattr(ast, "Match", ())):
            return self.match(statement, model.apply(state, statement))
        if isinstance(statement, ast.Return):
            self.returns.append(model.apply(state, statement))
            return None
        if isinstance(statement, (ast.Raise, ast.Continue)):
            return None
        if isinstance(statement, ast.Break):
            if self.breaks:
                self.breaks[-1].append(state)
            return None
        if isinstance(statement, ast.Assert):
            state = model.apply(state, statement)
            return state.adding(model.condition(statement.test)[0])
        if isinstance(statement, (*DEF_TYPES, ast.ClassDef)):
            return state
        return model.apply(state, statement)

    def loop(self, loop: ast.stmt, state: State) -> Optional[State]:
        model = self.model
        # What the body changes may differ on the next iteration; the loop's
        # own header (test, target) runs again at the head.
        head = model.apply(state.forgetting(*model.changed_in(loop.body)), loop)
        if isinstance(loop, ast.While):
            true, false = model.condition(loop.test)
            body_start, exhausted = head.adding(true), head.adding(false)
            if isinstance(loop.test, ast.Constant) and loop.test.value:
                exhausted = None
        else:
            body_start = exhausted = head
        self.breaks.append([])
        self.block(loop.body, body_start)
        after = self.block(loop.orelse, exhausted) if exhausted is not None else None
        for broken in self.breaks.pop():
            after = join(after, broken)
        return after

    def try_(self, statement: ast.stmt, state: State) -> Optional[State]:
        model = self.model
        normal = self.block(statement.orelse, self.block(statement.body, state))
        failed = state.forgetting(*model.changed_in(statement.body))
        for handler in statement.handlers:
            normal = join(normal, self.block(handler.body, failed))
        if not statement.finalbody:
            return normal
        start = join(normal, failed)
        end = self.block(statement.finalbody, start)
        if normal is None or end is None:
            return None
        # What the finally block adds or removes applies to the normal path.
        removed = start.validated - end.validated
        return State(
            (normal.validated - removed) | (end.validated - start.validated),
            normal.sources | end.sources,
            normal.validators | end.validators,
        )

    def match(self, statement: ast.stmt, state: State) -> Optional[State]:
        after = None
        exhaustive = False
        for case in statement.cases:
            start = state
            if case.guard is not None:
                start = state.adding(self.model.condition(case.guard)[0])
            elif isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None:
                exhaustive = True
            after = join(after, self.block(case.body, start))
        return after if exhaustive else join(after, state)


def _helper_calls(
    index: FileIndex, receivers: Set[ast.AST]
) -> Dict[ast.stmt, List[Tuple[ast.Call, ast.AST, bool]]]:
    """Per statement, its `self._m(...)` calls of the methods that may have
    exit facts (`receivers`): (call, callee, binds self)."""
    found: Dict[ast.stmt, List[Tuple[ast.Call, ast.AST, bool]]] = {}
    for model in class_models(index):
        for name, sites in model.call_sites.items():
            callee = model.methods[name]
            if callee not in receivers:
                continue
            binds_self = model.self_name(callee) is not None
            for _, call in sites:
                statement = statement_of(index, call)
                if statement is not None and not runs_later(index, call):
                    found.setdefault(statement, []).append((call, callee, binds_self))
    return found


def _callees_first(model: ClassModel) -> List[ast.AST]:
    """The methods `self._m(...)` calls, each after the methods it calls
    (an iterative depth-first post-order; cycles are cut)."""
    calls: Dict[str, List[str]] = {}
    for callee, sites in model.call_sites.items():
        for caller, _ in sites:
            calls.setdefault(caller, []).append(callee)
    order: List[ast.AST] = []
    seen: Set[str] = set()
    for root in model.call_sites:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(calls.get(root, ())))]
        while stack:
            name, pending = stack[-1]
            following = next((c for c in pending if c not in seen), None)
            if following is None:
                stack.pop()
                order.append(model.methods[name])
            else:
                seen.add(following)
                stack.append((following, iter(calls.get(following, ()))))
    return order


# -- events ----------------------------------------------------------------


def _collect_events(index: FileIndex, relevant: Relevance) -> Dict[ast.stmt, List[Event]]:
    """The events of every statement, about relevant names only: each node is
    first matched by the names it could concern, before any costlier look."""
    events: Dict[ast.stmt, List[Event]] = defaultdict(list)
    wanted = relevant.any_name
    if not wanted:
        return events
    carriers = _Carriers(index, relevant)
    names = resolver_for(index)
    calls, compares, subscripts = _candidates(index, relevant, carriers.names)

    def add(node: ast.AST, event: Event) -> None:
        statement = relevant.statement(node, event.name)
        if statement is not None:
            events[statement].append(event)

    for call in calls:
        statement = statement_of(index, call)
        if statement is None:
            continue
        # An event about a name not relevant in the call's scope is dropped
        # (`add`): a call that can have no other is not looked at further.
        scope = scope_of(index, statement)
        func = call.func
        passed = any(
            isinstance(a, ast.Name) and relevant.holds(scope, a.id) for a in call.args
        ) or any(
            isinstance(k.value, ast.Name) and relevant.holds(scope, k.value.id)
            for k in call.keywords
        )
        keyed = (
            isinstance(func, ast.Attribute)
            and func.attr in _EVENT_METHODS
            and isinstance(func.value, ast.Name)
            and relevant.holds(scope, func.value.id)
        )
        checks = (
            bool(call.args)
            and carriers.may_read(call.args[0])
            and names.qualified_name(func) in VALUE_CHECKS
        )
        if not (passed or keyed or checks) or runs_later(index, call):
            continue
        validator = validator_call(index, call)
        if validator is not None:
            for argument in [*call.args, *(k.value for k in call.keywords)]:
                if isinstance(argument, ast.Name) and argument.id in wanted:
                    check = validator.check_for(parameter_for(index, call, argument))
                    level = CHECKED if check.checks_values else PRESENT
                    add(call, Event("validate", argument.id, keys=check.keys, level=level,
                                    label=validator.label))
            continue
        if keyed:
            for event in _method_events(index, call):
                add(call, event)
        if checks:
            checked = _checked_value(index, call.args[0], carriers)
            if checked is not None:
                add(call, Event("checked", *checked))
    for compare in compares:
        if _may_concern(compare, wanted, carriers) and not runs_later(index, compare):
            for event in _compare_events(index, compare, carriers):
                add(compare, event)
    for subscript in subscripts:
        value = subscript.value
        statement = relevant.statement(subscript, value.id)
        if statement is None or runs_later(index, subscript):
            continue
        if isinstance(subscript.ctx, ast.Del):
            events[statement].append(Event("drop", value.id, tested_key(index, subscript.slice)))
        else:
            key = (constant_key if isinstance(subscript.ctx, ast.Load) else tested_key)(
                index, subscript.slice
            )
            if key is not None:
                events[statement].append(Event("present", value.id, key))
    own_keys = None
    for statement, name, bound, value in _bindings(index, relevant):
        keys = None
        if bound == "source" and reads_json(index, value):
            own_keys = serialized_keys(index) if own_keys is None else own_keys
            keys = own_keys
        events[statement].append(Event("bind", name, bound=bound, keys=keys))
    return events


# The methods of a dict whose calls are events (`_method_events`).
_EVENT_METHODS = frozenset({"get", "setdefault", "pop", "clear", "popitem", "update"})


def _candidates(
    index: FileIndex, relevant: Relevance, carried: Set[str]
) -> Tuple[List[ast.Call], List[ast.Compare], List[ast.Subscript]]:
    """The calls, comparisons and subscripts that may hold an event, in source
    order: found from the occurrences of the wanted names (and of the names
    carrying a value of one) up, as most nodes of a file concern none.  The
    calls with a wanted argument, keyword or receiver, or a first argument
    that reads one; the comparisons with an operand that is or reads one;
    the subscripts of one.  A carrier's value may be another name's, so all
    its occurrences are followed."""
    parents = index.parents
    by_id = index.names_by_id()
    wanted = relevant.any_name
    calls: Set[ast.AST] = set()
    compares: Set[ast.AST] = set()
    subscripts: Set[ast.AST] = set()

    def passed_on(node: ast.AST) -> bool:
        """Record the call or comparison `node` is an operand of, if any."""
        holder = parents.get(node)
        kind = type(holder)
        if kind is ast.Call:
            calls.add(holder)
        elif kind is ast.Compare:
            compares.add(holder)
        else:
            return False
        return True

    for name in wanted.union(carried):
        is_wanted = name in wanted
        occurrences = by_id.get(name, ()) if name in carried else relevant.occurrences(name)
        for node in occurrences:
            if passed_on(node) or not is_wanted:
                continue
            parent = parents.get(node)
            kind = type(parent)
            if kind is ast.Subscript:
                if parent.value is node:  # `d[k]`, maybe passed on or compared
                    subscripts.add(parent)
                    passed_on(parent)
            elif kind is ast.Attribute:
                call = parents.get(parent)
                if parent.attr in _EVENT_METHODS and type(call) is ast.Call and call.func is parent:
                    calls.add(call)
                    if parent.attr == "get":  # `d.get(k)`, as `d[k]`
                        passed_on(call)
            elif kind is ast.keyword:
                call = parents.get(parent)
                if type(call) is ast.Call:
                    calls.add(call)
    # In the order of the buckets: a validator's checks are memoized in the
    # order its calls are met.
    return (
        list(filter(calls.__contains__, index.nodes(ast.Call))) if calls else [],
        list(filter(compares.__contains__, index.nodes(ast.Compare))) if compares else [],
        list(filter(subscripts.__contains__, index.nodes(ast.Subscript))) if subscripts else [],
    )


def _may_concern(compare: ast.Compare, wanted: FrozenSet[str], carriers: "_Carriers") -> bool:
    """Whether `_compare_events` could find an event about a wanted name."""
    operands = [compare.left, *compare.comparators]
    for position, op in enumerate(compare.ops):
        right = operands[position + 1]
        if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, ast.Name):
            if right.id in wanted:
                return True
    return any(carriers.may_read(operand) for operand in operands)


def _dropped(fact: Fact, drop: Event) -> bool:
    return fact[0] == drop.name and (drop.key is None or fact[1] in (None, drop.key))


def _method_events(index: FileIndex, call: ast.Call) -> List[Event]:
    func = call.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
        return []
    name = func.value.id
    if func.attr in ("get", "setdefault", "pop"):
        key = tested_key(index, call.args[0]) if call.args else None
    else:
        key = None  # not asked: a key costs an astroid look-up in project mode
    if func.attr == "get" and key is not None and not _in_condition(index, call):
        return [Event("present", name, key)]
    if func.attr == "setdefault" and key is not None:
        return [Event("present", name, key)]
    if func.attr == "pop" and call.args:
        return [Event("drop", name, key)]
    if func.attr in ("clear", "popitem"):
        return [Event("drop", name, None)]
    if func.attr == "update":
        added = [k.arg for k in call.keywords if k.arg]
        for argument in call.args:
            if isinstance(argument, ast.Dict):
                added += [tested_key(index, k) for k in argument.keys if k is not None]
        return [Event("present", name, k) for k in added if k is not None]
    return []


def _compare_events(index: FileIndex, compare: ast.Compare, carriers) -> List[Event]:
    found = []
    operands = [compare.left, *compare.comparators]
    for position, op in enumerate(compare.ops):
        left, right = operands[position], operands[position + 1]
        if isinstance(op, (ast.In, ast.NotIn)):
            if (
                isinstance(right, ast.Name)
                and right.id in carriers.wanted
                and not _in_condition(index, compare)
            ):
                key = tested_key(index, left)
                if key is not None:
                    found.append(Event("present", right.id, key))
            checked = [left]  # d['type'] in ('a', 'b') checks a value
        elif isinstance(op, _ORDERING):
            checked = [left, right]
        elif isinstance(op, (ast.Eq, ast.NotEq)):
            checked = [
                side for side, other in ((left, right), (right, left))
                if not (isinstance(other, ast.Constant) and other.value is None)
            ]
        else:
            checked = []
        for side in checked:
            checked = _checked_value(index, side, carriers)
            if checked is not None:
                found.append(Event("checked", *checked))
    return found


def _checked_value(index: FileIndex, node: ast.AST, carriers) -> Optional[Tuple[str, str]]:
    """What a value check (`isinstance(x, int)`, `x < 0`) checks: a key of a
    dict, or the values of a plain name (a parameter holding one value)."""
    read = _read_of(index, node, carriers, carriers.wanted)
    if read is None and isinstance(node, ast.Name):
        return node.id, VALUES_VALIDATED
    return read


def _is_dict_get(node: ast.AST) -> bool:
    """`d.get(KEY, ...)` on a plain name."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and isinstance(node.func.value, ast.Name)
        and bool(node.args)
    )


def _read_of(
    index: FileIndex,
    node: ast.AST,
    carriers: Optional["_Carriers"],
    wanted: Optional[FrozenSet[str]],
) -> Optional[Tuple[str, str]]:
    """(dict, key) when `node` is `d['k']`, `d.get('k')` or a name bound to
    one (when `carriers` are given).  None for a dict not in `wanted` (when
    given): its key is not looked up, as folding it may ask astroid."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        if wanted is not None and node.value.id not in wanted:
            return None
        key = constant_key(index, node.slice)
        return (node.value.id, key) if key is not None else None
    if _is_dict_get(node):
        if wanted is not None and node.func.value.id not in wanted:
            return None
        key = constant_key(index, node.args[0])
        return (node.func.value.id, key) if key is not None else None
    if isinstance(node, ast.Name) and carriers is not None:
        return carriers.read(scope_of(index, node), node.id)
    return None


class _Carriers:
    """Names bound once in their scope to a value read from a dict, `v = d['k']`:
    checking `v` checks that key.  Looked up by name, for the names that may
    carry a value of a wanted dict only; found from the wanted names' reads up."""

    def __init__(self, index: FileIndex, relevant: Relevance) -> None:
        self.index = index
        self.wanted = relevant.any_name
        self.names: Set[str] = set()
        parents = index.parents
        for name in self.wanted:
            for node in relevant.occurrences(name):
                read = parents.get(node)
                if type(read) is ast.Attribute and read.attr == "get":
                    read = parents.get(read)
                if _read_name(read) != name:
                    continue
                assign = parents.get(read)
                if (
                    type(assign) is ast.Assign
                    and assign.value is read
                    and len(assign.targets) == 1
                    and isinstance(assign.targets[0], ast.Name)
                ):
                    self.names.add(assign.targets[0].id)
        self._known: Dict[Tuple[ast.AST, str], Optional[Tuple[str, str]]] = {}

    def may_read(self, node: ast.AST) -> bool:
        """Whether `_checked_value(node)` may be about a wanted name."""
        if isinstance(node, ast.Name):
            return node.id in self.wanted or node.id in self.names
        return _read_name(node) in self.wanted

    def read(self, scope: ast.AST, name: str) -> Optional[Tuple[str, str]]:
        """(dict, key) that `name` holds in `scope`; a name bound twice holds none."""
        known = (scope, name)
        if known not in self._known:
            index = self.index
            bound = [a for a in self._assigns(name) if scope_of(index, a) is scope]
            # The key is looked up whatever the dict: a name that holds some
            # dict's value is no plain value of its own.
            self._known[known] = (
                _read_of(index, bound[0].value, None, None) if len(bound) == 1 else None
            )
        return self._known[known]

    def _assigns(self, name: str) -> List[ast.Assign]:
        """The assignments whose only target is `name`, in source order."""
        parents = self.index.parents
        found = []
        for node in self.index.names_by_id().get(name, ()):
            assign = parents.get(node)
            if type(assign) is ast.Assign and assign.targets == [node]:
                found.append(assign)
        return found


def _read_name(node: ast.AST) -> Optional[str]:
    """`d` in `d[...]` and `d.get(...)`."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return node.value.id
    if _is_dict_get(node):
        return node.func.value.id
    return None


def _in_condition(index: FileIndex, node: ast.AST) -> bool:
    """Whether a key test is the condition of an `if`, `while`, `assert`,
    conditional expression or comprehension filter (possibly under `not`,
    `and`, `or`, `is None`): there what it proves holds on one branch only."""
    child = node
    for parent in index.ancestors(node):
        if isinstance(parent, ast.BoolOp) or (
            isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)
        ):
            child = parent
            continue
        if isinstance(parent, ast.Compare) and child is parent.left and len(parent.ops) == 1:
            other = parent.comparators[0]
            if isinstance(other, ast.Constant) and other.value is None:
                child = parent
                continue
        if isinstance(parent, (ast.If, ast.While, ast.Assert, ast.IfExp)):
            return child is parent.test
        if isinstance(parent, ast.comprehension):
            return any(child is test for test in parent.ifs)
        return isinstance(parent, ast.match_case) if hasattr(ast, "match_case") else False
    return False


def _bindings(
    index: FileIndex, relevant: Relevance
) -> Iterable[Tuple[ast.stmt, str, str, Optional[ast.AST]]]:
    """(statement, name, how, value) for every rebinding of a relevant name."""
    wanted = relevant.any_name
    binders = _binders(index, relevant)
    for kind in (ast.Assign, ast.AnnAssign):
        for assign in filter(binders.__contains__, index.nodes(kind)):
            if assign.value is None:
                continue
            targets = assign.targets if kind is ast.Assign else [assign.target]
            if not _may_bind(targets, wanted):
                continue
            names = [n for n in bound_names(targets) if n in wanted]
            scope = scope_of(index, assign)
            names = [n for n in names if relevant.holds(scope, n)]
            how = _binding_kind(index, assign.value, targets) if names else None
            for name in names:
                if how != "keep":
                    yield assign, name, how, assign.value
                elif not _validates(assign.value, name):
                    yield assign, name, "other", assign.value
    # A loop or `with` variable holds what the function already had (an
    # element of its container, a context it entered): not a resource dict
    # by its name alone.
    for kind in (ast.For, ast.AsyncFor):
        for loop in filter(binders.__contains__, index.nodes(kind)):
            for name in bound_names([loop.target]):
                if name in wanted and relevant.holds(scope_of(index, loop), name):
                    yield loop, name, "local", None
    for kind in (ast.With, ast.AsyncWith):
        for with_ in filter(binders.__contains__, index.nodes(kind)):
            for item in with_.items:
                if item.optional_vars is not None:
                    for name in bound_names([item.optional_vars]):
                        if name in wanted and relevant.holds(scope_of(index, with_), name):
                            yield with_, name, "local", None
    for named in filter(binders.__contains__, index.nodes(ast.NamedExpr)):
        name = named.target.id
        statement = relevant.statement(named, name)
        if statement is not None and not runs_later(index, named):
            how = _binding_kind(index, named.value, [named.target])
            yield statement, name, how if how != "keep" else "other", named.value


_UNPACKING = (ast.Tuple, ast.List, ast.Starred)


def _binders(index: FileIndex, relevant: Relevance) -> Set[ast.AST]:
    """The assignments, loops, `with` statements and `:=` that may bind a
    wanted name: found from its stores up, through unpacking."""
    parents = index.parents
    found: Set[ast.AST] = set()
    for name in relevant.any_name:
        for node in relevant.occurrences(name):
            if type(node.ctx) is not ast.Store:
                continue
            binder = parents.get(node)
            while type(binder) in _UNPACKING:
                binder = parents.get(binder)
            if type(binder) is ast.withitem:
                binder = parents.get(binder)
            found.add(binder)
    return found


def _may_bind(targets, wanted: FrozenSet[str]) -> bool:
    """Whether assignment `targets` may bind a wanted name (most bind one
    plain name, or store into an attribute or a key)."""
    for target in targets:
        if isinstance(target, ast.Name):
            if target.id in wanted:
                return True
        elif isinstance(target, (ast.Tuple, ast.List, ast.Starred)):
            return True
    return False


def _binding_kind(index: FileIndex, value: ast.AST, targets) -> str:
    if is_source_call(index, value):
        return "source"
    if is_built_locally(index, value):
        return "local"
    if isinstance(value, ast.Call) and validator_call(index, value) is not None:
        return "keep"  # d = validate(d): still the dict, and now validated
    return "other"


def _validates(call: ast.Call, name: str) -> bool:
    return any(isinstance(a, ast.Name) and a.id == name for a in call.args)


def _changed_names(index: FileIndex, events: Dict[ast.stmt, List[Event]]):
    """Per statement: the names it or a nested statement rebinds or drops keys
    of, and those it binds to a source call (loops and `try` need them)."""
    changed: Dict[ast.stmt, Set[str]] = defaultdict(set)
    sourced: Dict[ast.stmt, Set[str]] = defaultdict(set)
    for statement, found in events.items():
        names = {e.name for e in found if e.kind in ("drop", "bind")}
        sources = {e.name for e in found if e.kind == "bind" and e.bound == "source"}
        if not names:
            continue
        for holder in (statement, *index.ancestors(statement)):
            if holder is not statement and isinstance(holder, (*DEF_TYPES, ast.ClassDef)):
                break
            if isinstance(holder, ast.stmt):
                changed[holder] |= names
                sourced[holder] |= sources
    return changed, sourced


# -- questions for the checkers ---------------------------------------------


@dataclass(frozen=True)
class KeyRead:
    node: ast.Subscript
    name: str
    key: str
    validators: Tuple[str, ...]  # validators that ran on the dict but not for the key


def unvalidated_reads(index: FileIndex) -> List[KeyRead]:
    """Constant-key reads of resource dicts not validated for that key on
    every path to them (the first such read of a statement)."""
    return index.memo(KeyRead, lambda: _unvalidated_reads(index))


def _unvalidated_reads(index: FileIndex) -> List[KeyRead]:
    if not mentions_resource_dicts(index):
        return []
    model = validation_model(index)
    wanted = model.relevance.any_name
    found = []
    seen: Set[Tuple[ast.stmt, str, str]] = set()
    for read in index.nodes(ast.Subscript):
        if not (isinstance(read.ctx, ast.Load) and isinstance(read.value, ast.Name)):
            continue
        if read.value.id not in wanted:
            continue  # no resource dict, whatever the path
        key = constant_key(index, read.slice)
        if key is None:
            continue
        name = read.value.id
        state = model.state_before(read)
        if state is None or not model.holds_resource(scope_of(index, read), name, state):
            continue
        if covers(state.validated | model.guards(read), name, key, PRESENT):
            continue
        if _guarded_by_key_error(index, read):
            continue
        statement = statement_of(index, read)
        if (statement, name, key) in seen:
            continue
        seen.add((statement, name, key))
        missed = {
            label
            for n, label, keys, _ in state.validators
            if n == name and keys and key not in keys
        }
        labels = tuple(sorted(missed))
        found.append(KeyRead(read, name, key, labels))
    return found


def _guarded_by_key_error(index: FileIndex, node: ast.AST) -> bool:
    """Inside a `try` whose handler catches KeyError (or LookupError), or a
    `with suppress(KeyError)`."""
    names = resolver_for(index)
    child = node
    for ancestor in index.ancestors(node):
        if isinstance(ancestor, (*DEF_TYPES, ast.Lambda)):
            return False
        if isinstance(ancestor, _TRY_TYPES) and any(child is s for s in ancestor.body):
            for handler in ancestor.handlers:
                caught = handler.type
                types = caught.elts if isinstance(caught, ast.Tuple) else [caught]
                if any(t is not None and names.qualified_name(t) in KEY_ERRORS for t in types):
                    return True
        if isinstance(ancestor, (ast.With, ast.AsyncWith)) and child in ancestor.body:
            for item in ancestor.items:
                context = item.context_expr
                if (
                    isinstance(context, ast.Call)
                    and names.qualified_name(context.func) in SUPPRESSORS
                    and any(names.qualified_name(a) in KEY_ERRORS for a in context.args)
                ):
                    return True
        child = ancestor
    return False
