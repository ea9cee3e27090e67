"""Where secrets and credential carriers go inside one function.

Sources are names the vocabulary classifies (`password`, `self.token`,
`auth['password']`, `{'auth_password': pw}`, `connection_info`), plus
`locals()`/`vars()` in a scope holding one, `vars(x)`, `x.__dict__` and
`context.to_dict()`.  From every source the value is followed upward through
its expression (`str()`, `%`, `.format`, f-strings, `+`, `' '.join`,
`json.dumps`, container literals, comprehensions) until it reaches:

- a **sink** input (a logger argument, a raised exception's argument, ...),
  which is what the caller asked about;
- an **assignment** (`msg = "pw=%s" % pw`, `for x in cmd`, `x += pw`), which
  makes the target carry it from that statement on;
- a **store** into a local container (`props['auth_password'] = pw`,
  `cmd.append(pw)`, `opts.update(password=pw)`), which adds to what the
  container already carries;
- anything else (a comparison, `len()`, an unknown call, another attribute
  or key: `token.expires_at`, `credential['id']`), which ends the flow.

Assignments and stores are replayed in statement order, so a later masking
reassignment (`x = strutils.mask_password(x)`) clears what `x` carried, and
a secret-named variable bound to a sanitizer's result, a constant or
`len(...)` no longer counts as a secret.  Sanitizers are matched by
qualified name only.  Loops are not iterated: order is source order.

Mappings keep track of the key a secret sits under, so a `%(key)s`
placeholder, `d['key']` or `.get('key')` shows only that entry:
`"%(user)s" % locals()` does not leak the `password` local.

The analysis runs only on the scopes that contain a sink, and finds its
nodes in the file index, never by walking a subtree.
"""

import ast
import bisect
import operator
import re
import string
from dataclasses import dataclass, field, replace
from itertools import compress
from pathlib import PurePath
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from flake8_rtsec.analysis.display import shown
from flake8_rtsec.analysis.index import FUNCTION_TYPES, FileIndex
from flake8_rtsec.analysis.names import NOT_CONSTANT, resolver_for
from flake8_rtsec.analysis.sensitive import (
    CARRIER,
    NESTED_CARRIER_KEYS,
    SECRET,
    SPECIAL_ATTRIBUTES,
    Vocabulary,
    attribute_kind,
    call_kind,
    handles_credentials,
    is_command_line,
    is_mask_literal,
    is_safe_context_call,
    is_sanitizer,
    is_url_name,
    source_words,
    transport_of,
    vocabulary_for,
    words_of,
)
from flake8_rtsec.analysis.words import ATTRIBUTES, KEYWORDS, NAMES, PARAMETERS, file_words

# Calls whose result shows their argument's content as text.
TEXT_FUNCTIONS = frozenset(
    {
        "builtins.str",
        "builtins.repr",
        "builtins.format",
        "builtins.bytes",
        "json.dumps",
        "oslo_serialization.jsonutils.dumps",
        "oslo_utils.encodeutils.safe_decode",
        "oslo_utils.encodeutils.safe_encode",
        "pprint.pformat",
        "six.text_type",
        "base64.b64encode",
        "base64.standard_b64encode",
        "base64.urlsafe_b64encode",
    }
)
# Calls whose result is the same container, or a copy of it.
COPY_FUNCTIONS = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.set",
        "builtins.sorted",
        "copy.copy",
        "copy.deepcopy",
    }
)
# Translation markers wrap a message without changing what it shows.
TRANSLATORS = frozenset({"_", "_LE", "_LI", "_LW", "_LC", "gettext", "ugettext"})
# Builtins whose result says something about a value without showing it.
DERIVING_FUNCTIONS = frozenset(
    {
        "builtins.len",
        "builtins.bool",
        "builtins.int",
        "builtins.float",
        "builtins.type",
        "builtins.isinstance",
        "builtins.id",
        "builtins.hash",
        "builtins.callable",
        "builtins.hasattr",
    }
)
# Methods of a text or container receiver whose result shows the receiver.
TEXT_METHODS = frozenset(
    {
        "format",
        "format_map",
        "join",
        "encode",
        "decode",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "replace",
        "split",
        "splitlines",
        "__str__",
        "__repr__",
    }
)
# Methods that store their argument into the (local) receiver.
STORING_METHODS = frozenset(
    {"append", "appendleft", "extend", "insert", "add", "update", "setdefault"}
)
_PERCENT_KEY = __import__("re").compile(r"%\(([^)]*)\)")

# Ops applied to labels on the way up (see `_apply`).
WHOLE = ("whole",)
VALUES = ("values",)
ITEMS = ("items",)
KEYS = ("keys",)
INDEX = ("index",)
Ops = Tuple[tuple, ...]

_MAX_LABELS = 12  # per value: enough to report, bounded for huge functions
_MAX_VIA = 3


@dataclass(frozen=True)
class Label:
    """One sensitive thing a value holds.

    `key` is set when the value is a mapping holding it under that key;
    `whole` is the kind the mapping has when shown whole (`locals()` holding
    a password is a carrier) and `container` names it for the report.
    """

    kind: str  # SECRET or CARRIER
    shown: str
    key: Optional[str] = None
    whole: Optional[str] = None
    container: Optional[str] = None
    via: Tuple[str, ...] = ()

    def flattened(self) -> "Label":
        """The label once the mapping holding it is shown as a whole."""
        if self.key is None:
            return self
        shown = f"{self.container} holding {self.shown}" if self.container else self.shown
        return Label(self.whole or self.kind, shown, via=self.via)

    def extracted(self) -> "Label":
        """The label once its entry is read out of the mapping."""
        return Label(self.kind, self.shown, via=self.via)

    def text(self) -> str:
        if not self.via:
            return self.shown
        return f"{self.shown} (via {', '.join(self.via)})"


@dataclass
class Sink:
    """Somewhere a value must not arrive: `node` is what a report points at,
    `inputs` the expressions whose content arrives there, each with the ops
    applied on arrival (a `%(key)s` message only shows those keys)."""

    node: ast.AST
    kind: str
    inputs: Dict[ast.AST, Ops] = field(default_factory=dict)


# What a binding does to a secret- or carrier-named target.
OPAQUE, BUILT, SANITIZED = "opaque", "built", "sanitized"


@dataclass
class _Event:
    """An assignment, a store or a sink, replayed in statement order."""

    position: tuple
    name: Optional[str] = None  # the variable bound or stored into
    sink: Optional[Sink] = None
    keeps_previous: bool = False  # stores and `x += ...`
    reset: str = OPAQUE  # for bindings: see `_binding_reset`
    role: str = "whole"  # loop targets: element, value (of `.items()` pairs) or none
    labels: List[Label] = field(default_factory=list)  # created by the event itself
    clears_key: Optional[str] = None  # `props['password'] = '***'`
    # (leaf, its label when fixed, ops on the way): what flows into the event
    incoming: List[Tuple[ast.AST, Optional[Label], Ops]] = field(default_factory=list)
    key_op: Optional[tuple] = None  # applied to everything stored


@dataclass
class _State:
    position: tuple
    labels: Tuple[Label, ...]
    intrinsic: bool  # whether the name's own classification still holds


def sink_labels(index: FileIndex, sinks: Sequence[Sink]) -> Dict[int, List[Label]]:
    """For each sink (by position in `sinks`), the labels that reach it."""
    by_scope: Dict[ast.AST, List[int]] = {}
    for number, sink in enumerate(sinks):
        by_scope.setdefault(index.scope_of(sink.node), []).append(number)
    # Only scopes where something could arrive: a sink with an input that is
    # more than a constant, and a name, key or call that could be a source.
    by_scope = {
        scope: numbers
        for scope, numbers in by_scope.items()
        if any(not all(map(_is_plain_text, sinks[n].inputs)) for n in numbers)
    }
    if not by_scope:
        return {}
    spans = _spans(index, by_scope, sinks)
    source_lines = _source_lines(index)
    by_scope = {
        scope: numbers
        for scope, numbers in by_scope.items()
        if any(_any_between(source_lines, start[0], end[0]) for start, end in spans[scope])
    }
    if not by_scope:
        return {}
    regions = _Regions(index, {scope: spans[scope] for scope in by_scope})
    found: Dict[int, List[Label]] = {}
    for scope, numbers in by_scope.items():
        flow = _ScopeFlow(index, scope, [sinks[n] for n in numbers], regions)
        for number, labels in zip(numbers, flow.run()):
            if labels:
                found[number] = labels
    return found


def _is_plain_text(node: ast.AST) -> bool:
    """A constant or `_("constant")`: an input no value can flow into."""
    if isinstance(node, ast.Constant):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in TRANSLATORS
        and not node.keywords
        and all(isinstance(argument, ast.Constant) for argument in node.args)
    )


def _spans(index: FileIndex, by_scope, sinks) -> Dict[ast.AST, List[Tuple[tuple, tuple]]]:
    """What is analysed of each scope: a function whole; at module or class
    level only the statement around each sink (no flow across import-time
    code)."""
    spans: Dict[ast.AST, List[Tuple[tuple, tuple]]] = {}
    for scope, numbers in by_scope.items():
        if isinstance(scope, FUNCTION_TYPES):
            spans[scope] = [(_start(scope), _end(scope))]
            continue
        for number in numbers:
            statement = _statement_in(index, sinks[number].node, scope)
            spans.setdefault(scope, []).append((_start(statement), _end(statement)))
    return spans


def _source_lines(index: FileIndex) -> List[int]:
    """The sorted lines holding a name, attribute, parameter, keyword or
    string that could start a flow (a superset of what `_leaves` and the
    stores label): a scope without one has nothing to report."""
    return index.memo(_source_lines, lambda: _find_source_lines(index))


_VALUE = operator.attrgetter("value")
_LINENO = operator.attrgetter("lineno")
_GET = frozenset({"get"})
_URL_TEXT = re.compile("connection|url", re.IGNORECASE)


def _find_source_lines(index: FileIndex) -> List[int]:
    # Mostly C-level passes over the buckets: this runs over whole files.
    words = file_words(index)
    lines = set()
    for kind in (NAMES, PARAMETERS, KEYWORDS, ATTRIBUTES):
        sources = source_words(index, kind)
        if kind is NAMES:
            sources = sources.union(("locals", "vars"))
        elif kind is ATTRIBUTES:
            unique = set(words.of(kind))
            sources = sources.union(
                unique.intersection(SPECIAL_ATTRIBUTES),
                ("to_dict",),
                filter(is_url_name, filter(_URL_TEXT.search, unique)),
            )
        found = compress(index.nodes(kind), map(sources.__contains__, words.of(kind)))
        lines.update(map(_LINENO, found))
    texts = list(filter(_is_text, _keyed_children(index)))
    values = list(map(_VALUE, texts))
    sources = vocabulary_for(index.config).sources_among(set(values))
    lines.update(map(_LINENO, compress(texts, map(sources.__contains__, values))))
    return sorted(lines)


def _keyed_children(index: FileIndex) -> List[ast.AST]:
    """Where a string constant is read as a name: the parts of a subscript
    (`auth['password']`), of a dict literal, and the arguments of `.get()`.
    Found from those few parents rather than from every constant."""
    children: List[ast.AST] = []
    for subscript in index.nodes(ast.Subscript):
        children.append(subscript.value)
        children.append(subscript.slice)
    for literal in index.nodes(ast.Dict):
        children.extend(key for key in literal.keys if key is not None)
        children.extend(literal.values)
    ending, _ = file_words(index).callees()
    for call in compress(index.nodes(ast.Call), map(_GET.__contains__, ending)):
        children.extend(call.args)
    return children


def _is_text(node: ast.AST) -> bool:
    return type(node) is ast.Constant and isinstance(node.value, str)


def _any_between(lines: List[int], first: int, last: int) -> bool:
    slot = bisect.bisect_left(lines, first)
    return slot < len(lines) and lines[slot] <= last


_CARRYING_NAMES = frozenset({"locals", "vars"})
# Methods whose calls store into the receiver or read a source out of it.
_CARRYING_METHODS = STORING_METHODS | {"to_dict", "get"}


def _is_read(name: ast.Name) -> bool:
    return type(name.ctx) is ast.Load


def _string_key_kind(node, kind_of) -> Optional[str]:
    if type(node) is ast.Constant and type(node.value) is str:
        return kind_of(node.value)
    return None


def _dict_key_matters(key, kind_of) -> bool:
    """A sensitive key, or the `driver_volume_type` that names a transport."""
    if type(key) is ast.Constant and type(key.value) is str:
        return key.value == "driver_volume_type" or kind_of(key.value) is not None
    return False


class _Regions:
    """The nodes of each scope that holds a sink, from the index buckets,
    within that scope's spans (see `_spans`).

    Names are most of a file's nodes and few of them matter: they are
    looked at only by identifier, when a scope asks for the loads of the
    names that can hold something (see `_ScopeFlow._name_leaves`)."""

    BUCKETS = (
        ast.Attribute,
        ast.Subscript,
        ast.Call,
        ast.Dict,
        ast.keyword,
        ast.Assign,
        ast.AnnAssign,
        ast.AugAssign,
        ast.NamedExpr,
        ast.For,
        ast.AsyncFor,
        ast.ListComp,
        ast.SetComp,
        ast.GeneratorExp,
        ast.DictComp,
        ast.Compare,
    )

    def __init__(self, index: FileIndex, spans: Dict[ast.AST, List[Tuple[tuple, tuple]]]) -> None:
        self._index = index
        # Every node lies within a top-level statement's lines.
        last = max((statement.end_lineno for statement in index.tree.body), default=0)
        covered = bytearray(last + 2)
        for ranges in spans.values():
            for start, end in ranges:
                covered[start[0] : end[0] + 1] = b"\x01" * (end[0] + 1 - start[0])
        self._covered = covered
        self._spans = spans
        self._nodes: Dict[ast.AST, Dict[type, List[ast.AST]]] = {scope: {} for scope in spans}
        self._collect()
        self._names_by_word: Optional[Dict[str, List[int]]] = None
        self._loads_by_word: Dict[str, Dict[ast.AST, List[Tuple[int, ast.Name]]]] = {}

    def _collect(self) -> None:
        # Reading a field of an AST node costs a cache miss: the lines of
        # the candidates are read in one C-level pass, and only the few on
        # analysed lines are looked at further (test, scope, position).
        index = self._index
        scope_of = index.scope_of
        spans = self._spans
        on_covered_line = self._covered.__getitem__
        for kind in self.BUCKETS:
            nodes = index.nodes(kind)
            if not nodes:
                continue
            keeps = self._test_for(kind)
            candidates = list(self._preselected(kind, nodes))
            for node in compress(candidates, map(on_covered_line, map(_LINENO, candidates))):
                if keeps is not None and not keeps(node):
                    continue
                line = node.lineno
                scope = scope_of(node)
                ranges = spans.get(scope)
                if ranges is None or scope is node:
                    continue
                position = (line, node.col_offset)
                for start, end in ranges:
                    if start <= position <= end:
                        self._nodes[scope].setdefault(kind, []).append(node)
                        break

    def _preselected(self, kind: type, nodes: List[ast.AST]) -> Iterable[ast.AST]:
        """Attributes and keywords by their word, read once per file: only
        sources matter."""
        words = file_words(self._index)
        if kind is ATTRIBUTES:
            wanted = source_words(self._index, ATTRIBUTES).union(SPECIAL_ATTRIBUTES)
        elif kind is KEYWORDS:
            wanted = source_words(self._index, KEYWORDS)
        elif kind is ast.Call:
            # `locals()`, `vars(x)`, a store into a container,
            # `context.to_dict()`, `d.get(...)`.
            ending, called = words.callees()
            selector = map(
                operator.or_,
                map(_CARRYING_METHODS.__contains__, ending),
                map(_CARRYING_NAMES.__contains__, called),
            )
            return compress(nodes, selector)
        else:
            return nodes
        return compress(nodes, map(wanted.__contains__, words.of(kind)))

    def _test_for(self, kind: type) -> Optional[Callable[[ast.AST], bool]]:
        """What else a node of the bucket must be for `_ScopeFlow` to use it."""
        kind_of = vocabulary_for(self._index.config).kind_of
        if kind is ast.Subscript:
            return lambda node: _string_key_kind(node.slice, kind_of) is not None
        if kind is ast.Dict:
            return lambda node: any(_dict_key_matters(key, kind_of) for key in node.keys)
        return None

    def nodes_of(self, scope: ast.AST) -> Dict[type, List[ast.AST]]:
        return self._nodes[scope]

    def name_loads(self, scope: ast.AST, identifiers: Iterable[str]) -> List[Tuple[int, ast.Name]]:
        """The loads of these identifiers in `scope`'s spans, each with its
        place in the index's Name bucket."""
        found = []
        for identifier in identifiers:
            found.extend(self._loads_of(identifier).get(scope, ()))
        return found

    def _loads_of(self, identifier: str) -> Dict[ast.AST, List[Tuple[int, ast.Name]]]:
        """The loads of an identifier in the analysed spans, by scope: each
        occurrence in the file is looked at once, whichever scope asks."""
        loads = self._loads_by_word.get(identifier)
        if loads is not None:
            return loads
        if self._names_by_word is None:
            # Grouped from the words already read: no Name node is touched.
            grouped: Dict[str, List[int]] = {}
            for number, word in enumerate(file_words(self._index).of(NAMES)):
                places = grouped.get(word)
                if places is None:
                    grouped[word] = [number]
                else:
                    places.append(number)
            self._names_by_word = grouped
        names = self._index.nodes(NAMES)
        loads = self._loads_by_word[identifier] = {}
        for number in self._names_by_word.get(identifier, ()):
            scope = self._analysed_scope(names[number])
            if scope is not None:
                loads.setdefault(scope, []).append((number, names[number]))
        return loads

    def _analysed_scope(self, name: ast.Name) -> Optional[ast.AST]:
        """The analysed scope whose spans hold this load, or None."""
        line = name.lineno
        if not self._covered[line] or not _is_read(name):
            return None
        scope = self._index.scope_of(name)
        position = (line, name.col_offset)
        for start, end in self._spans.get(scope, ()):
            if start <= position <= end:
                return scope
        return None


class _ScopeFlow:
    """The replay for one scope."""

    def __init__(self, index: FileIndex, scope, sinks: List[Sink], regions: _Regions) -> None:
        self.index = index
        self.scope = scope
        self.sinks = sinks
        self.regions = regions
        self.nodes = regions.nodes_of(scope)
        self.names = resolver_for(index)
        self.vocabulary: Vocabulary = vocabulary_for(index.config)
        self.events: List[_Event] = []
        self.sink_inputs: Dict[ast.AST, Tuple[_Event, Ops]] = {}
        self.value_events: Dict[ast.AST, List[_Event]] = {}
        self.store_calls: Dict[ast.AST, _Event] = {}
        self.states: Dict[str, List[_State]] = {}
        self._positions: Dict[str, List[tuple]] = {}
        self.parameters = _parameters(scope)
        self.bound = set(self.parameters)
        self.carrier_kwargs = self._carrier_kwargs()
        self._own_kinds: Dict[str, Optional[str]] = {}
        self._resets: Dict[str, set] = {}
        self._carrier_literals: List[Tuple[str, ast.Dict]] = []
        self._climbs: Dict[ast.AST, Optional[Tuple[List[_Event], Ops]]] = {}
        self._connection_credentials: Optional[bool] = None

    def kind_of(self, name: str) -> Optional[str]:
        """The vocabulary's answer, minus connection carriers that hold no
        credential here (see `_connections_hold_credentials`)."""
        kind = self.vocabulary.kind_of(name)
        if kind == CARRIER and self.vocabulary.is_connection_carrier(name):
            if self._connection_credentials is None:
                self._connection_credentials = self._connections_hold_credentials()
            if not self._connection_credentials:
                return None
        return kind

    def _connections_hold_credentials(self) -> bool:
        """Whether volume connection info can hold a credential in this scope.

        It does for transports that have one (iSCSI CHAP, RBD, ScaleIO, SMB)
        and never for the others (Fibre Channel, NVMe, VMDK, NFS).  The
        transport is read from the function's name, from the connection
        types it compares or sets (`== 'fibre_channel'`), then from its
        class and module names.  When none names one, connection info is a
        carrier only in a module that handles credentials at all: os-brick's
        LightOS and Huawei connectors never name one, and their connection
        properties hold none.
        """
        index = self.index
        scope = self.scope
        constants = []
        for compare in self.nodes.get(ast.Compare, ()):
            for side in (compare.left, *compare.comparators):
                items = side.elts if isinstance(side, (ast.Tuple, ast.List, ast.Set)) else [side]
                constants.extend(_string(item) for item in items)
        for literal in self.nodes.get(ast.Dict, ()):
            for key, value in zip(literal.keys, literal.values):
                if _string(key) == "driver_volume_type":
                    constants.append(_string(value))
        named = [words_of(text.lower()) for text in constants if text and text.isidentifier()]
        owner = index.scope_of(scope) if isinstance(scope, FUNCTION_TYPES) else None
        levels = [
            words_of(getattr(scope, "name", "")),
            tuple(word for words in named for word in words),
            words_of(owner.name) if isinstance(owner, ast.ClassDef) else (),
            words_of(PurePath(index.filename).stem),
        ]
        for words in levels:
            transport = transport_of(words)
            if transport is not None:
                return transport
        return handles_credentials(index)

    # -- building the events ------------------------------------------------

    def run(self) -> List[List[Label]]:
        sink_events = []
        for sink in self.sinks:
            event = _Event(_end(sink.node), sink=sink)
            sink_events.append(event)
            self.events.append(event)
            for node, ops in sink.inputs.items():
                self.sink_inputs[node] = (event, ops)
        self._bindings()
        self._comprehensions()
        self._stores()
        fixed = list(self._fixed_leaves())
        for leaf, label in self._leaves(fixed):
            destination = self._climb(leaf)
            if destination is not None:
                events, ops = destination
                for event in events:
                    event.incoming.append((leaf, label, ops))
        self.events.sort(key=lambda event: event.position)
        for event in self.events:
            self._replay(event)
        return [_unique(label.flattened() for label in event.labels) for event in sink_events]

    def _bindings(self) -> None:
        nodes = self.nodes
        for assign in nodes.get(ast.Assign, ()):
            for target in assign.targets:
                self._bind_target(target, assign.value, _end(assign))
        for assign in nodes.get(ast.AnnAssign, ()):
            if assign.value is not None:
                self._bind_target(assign.target, assign.value, _end(assign))
        for assign in nodes.get(ast.AugAssign, ()):
            target = assign.target
            if isinstance(target, ast.Name):
                event = self._new_event(_end(assign), target.id, assign.value, keeps_previous=True)
                self.bound.add(target.id)
            elif isinstance(target, ast.Subscript):
                event = self._store_event(target, assign.value, _end(assign))
            else:
                continue
            if event is not None:
                self.value_events.setdefault(assign.value, []).append(event)
        for walrus in nodes.get(ast.NamedExpr, ()):
            self._bind_target(walrus.target, walrus.value, _end(walrus))
        for loop in (*nodes.get(ast.For, ()), *nodes.get(ast.AsyncFor, ())):
            self._bind_loop(loop.target, loop.iter, _end(loop.iter), ())

    def _comprehensions(self) -> None:
        for kind in (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp):
            for comprehension in self.nodes.get(kind, ()):
                # Generators bind before the element is computed, which is
                # written first: the bindings sit at the expression's start.
                start = _start(comprehension)
                for number, generator in enumerate(comprehension.generators):
                    position = start + (number,)
                    self._bind_loop(generator.target, generator.iter, position, generator.ifs)

    def _bind_loop(self, target, iterable, position, conditions) -> None:
        if isinstance(target, ast.Name):
            targets = [(target, "element")]
        elif isinstance(target, (ast.Tuple, ast.List)):
            elements = target.elts
            value_role = "value"
            if len(elements) == 2 and _drops_keys(elements[0], conditions):
                value_role = "none"  # {k: v for k, v in d.items() if k not in HIDDEN}
            targets = [(element, "none") for element in elements]
            if len(elements) == 2:
                targets[1] = (elements[1], value_role)
        else:
            targets = []
        for element, role in targets:
            if isinstance(element, ast.Name):
                event = self._new_event(position, element.id, None, role=role)
                self.bound.add(element.id)
                self.value_events.setdefault(iterable, []).append(event)

    def _bind_target(self, target, value, position) -> None:
        if isinstance(target, ast.Name):
            self.bound.add(target.id)
            event = self._new_event(position, target.id, value)
            self.value_events.setdefault(value, []).append(event)
            if isinstance(value, ast.Dict):
                self._carrier_literals.append((target.id, value))
        elif isinstance(target, ast.Subscript):
            event = self._store_event(target, value, position)
            if event is not None:
                self.value_events.setdefault(value, []).append(event)
        elif isinstance(target, (ast.Tuple, ast.List)):
            elements = target.elts
            pairs = (
                isinstance(value, (ast.Tuple, ast.List))
                and len(value.elts) == len(elements)
                and not any(isinstance(e, ast.Starred) for e in (*elements, *value.elts))
            )
            for number, element in enumerate(elements):
                if pairs:
                    self._bind_target(element, value.elts[number], position)
                elif isinstance(element, ast.Name):
                    # Unpacking an opaque value: the parts are not known.
                    self.bound.add(element.id)
                    self._new_event(position, element.id, None)

    def _new_event(self, position, name, value, keeps_previous=False, role="whole") -> _Event:
        event = _Event(
            position,
            name=name,
            keeps_previous=keeps_previous,
            reset=OPAQUE if value is None else self._binding_reset(value),
            role=role,
        )
        self._resets.setdefault(name, set()).add(event.reset)
        self.events.append(event)
        return event

    def _is_transparent(self, name: str) -> bool:
        """A local only ever bound to literals, constants or masked values:
        what it holds is known from the flow, not from its name."""
        resets = self._resets.get(name)
        return bool(resets) and OPAQUE not in resets and name not in self.parameters

    def _store_event(self, target: ast.Subscript, value, position) -> Optional[_Event]:
        """`d['k'] = v` and `d['data']['auth_password'] = v`: a store into the
        local `d`, under its first-level key."""
        keys = [target.slice]
        while isinstance(target.value, ast.Subscript):
            target = target.value
            keys.append(target.slice)
        container = target.value
        if not isinstance(container, ast.Name):
            return None
        texts = [_string(key) for key in reversed(keys)]  # outermost key first
        key = texts[0]
        event = _Event(position, name=container.id, keeps_previous=True)
        event.key_op = ("key", key) if key is not None else WHOLE
        self.bound.add(container.id)
        kinds = [self.kind_of(text) for text in texts if text is not None]
        kind = SECRET if SECRET in kinds else next((k for k in kinds if k), None)
        if kind is not None:
            shown = container.id + "".join(f"[{text!r}]" for text in texts if text)
            if len(texts) == 1 and self._binding_reset(value) == SANITIZED:
                event.clears_key = key
            elif self._binding_reset(value) != SANITIZED:
                event.labels.append(Label(kind, shown, key=key))
        self.events.append(event)
        return event

    def _stores(self) -> None:
        for call in self.nodes.get(ast.Call, ()):
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in STORING_METHODS
                and isinstance(func.value, ast.Name)
            ):
                event = _Event(_end(call), name=func.value.id, keeps_previous=True)
                if func.attr in ("append", "appendleft", "extend", "insert", "add"):
                    event.key_op = WHOLE
                self.bound.add(func.value.id)
                self.store_calls[call] = event
                self.events.append(event)

    def _nested_carriers(self) -> Iterable[Tuple[ast.AST, Label]]:
        """`connection_info = {'data': self._properties(volume)}`: the function
        built the outer dict, but what it put under `data` it cannot see."""
        for name, value in self._carrier_literals:
            if self.kind_of(name) != CARRIER:
                continue
            for key, item in zip(value.keys, value.values):
                text = _string(key)
                if text in NESTED_CARRIER_KEYS and self._holds(CARRIER, item):
                    yield item, Label(CARRIER, f"{name}[{text!r}]")

    # -- sources ------------------------------------------------------------

    def _leaves(self, fixed) -> Iterable[Tuple[ast.AST, Optional[Label]]]:
        """Every node a sensitive value can start from; the label is fixed
        for all but names and `locals()`, which depend on the statement."""
        carriers = list(self._nested_carriers())
        yield from carriers
        yield from self._name_leaves([leaf for leaf, _ in (*carriers, *fixed)])
        yield from fixed

    def _name_leaves(self, starts: List[ast.AST]) -> Iterable[Tuple[ast.Name, None]]:
        """The loads of names that can hold something when read: those named
        like a secret, and those a binding or store can put something in,
        found from the other leaves outward.  Every other load would bring
        nothing to where it goes."""
        regions = self.regions
        own = [
            name
            for name in {*source_words(self.index, NAMES), *self.carrier_kwargs}
            if self._own_kind(name) is not None
        ]
        found = regions.name_loads(self.scope, own)
        holding = {event.name for event in self.events if event.labels}
        holding.discard(None)
        pending = [*starts, *(node for _, node in found)]
        asked = set(own)
        while True:
            for leaf in pending:
                destination = self._climb(leaf)
                if destination is not None:
                    holding.update(event.name for event in destination[0])
            holding.discard(None)
            new = holding.difference(asked)
            if not new:
                break
            asked.update(new)
            loads = regions.name_loads(self.scope, sorted(new))
            found.extend(loads)
            pending = [node for _, node in loads]
        for _, name in sorted(found, key=operator.itemgetter(0)):
            yield name, None

    def _fixed_leaves(self) -> Iterable[Tuple[ast.AST, Optional[Label]]]:
        """The leaves other than names (`locals()` has no fixed label)."""
        kind_of = self.kind_of
        nodes = self.nodes
        for attribute in nodes.get(ast.Attribute, ()):
            if isinstance(attribute.ctx, ast.Load):
                kind = attribute_kind(attribute, self.kind_of)
                if kind is not None:
                    yield attribute, Label(kind, _shown(attribute))
        for subscript in nodes.get(ast.Subscript, ()):
            key = _string(subscript.slice)
            if key and isinstance(subscript.ctx, ast.Load):
                kind = kind_of(key)
                if kind is not None:
                    yield subscript, Label(kind, _shown(subscript))
        for call in nodes.get(ast.Call, ()):
            if _is_locals(call):
                yield call, None
                continue
            kind = call_kind(call, self.kind_of)
            if kind is not None:
                yield call, Label(kind, _shown(call))
        for literal in nodes.get(ast.Dict, ()):
            for key, value in zip(literal.keys, literal.values):
                text = _string(key)
                kind = kind_of(text) if text else None
                if kind is not None and self._holds(kind, value):
                    yield value, Label(kind, f"{{{text!r}: ...}}")
        for keyword in nodes.get(ast.keyword, ()):
            kind = kind_of(keyword.arg) if keyword.arg else None
            if kind is not None and self._holds(kind, keyword.value):
                yield keyword.value, Label(kind, f"{keyword.arg}=...")

    def _holds(self, kind: str, value) -> bool:
        """Whether a value put under a sensitive key holds what the key says:
        not `'***'` or `None`; for a carrier, not a literal built right here."""
        if isinstance(value, ast.Name) and self._is_transparent(value.id):
            return False
        reset = self._binding_reset(value)
        return reset != SANITIZED if kind == SECRET else reset == OPAQUE

    def _own_kind(self, name: str) -> Optional[str]:
        """What the name says the value is, for a local or a parameter."""
        if name not in self._own_kinds:
            self._own_kinds[name] = self._classify_name(name)
        return self._own_kinds[name]

    def _classify_name(self, name: str) -> Optional[str]:
        if name in self.carrier_kwargs:
            return CARRIER
        kind = self.kind_of(name)
        if kind is None or name in self.bound or name in self.parameters:
            return kind
        # A module constant or an imported module is not a secret value:
        # `PASSWORD_KEY = 'password'`, `from keystoneauth1 import token`.
        probe = ast.Name(id=name, ctx=ast.Load())
        if self.names.qualified_name(probe) != name:
            return None
        if self.names.constant(probe) is not NOT_CONSTANT:
            return None
        return kind

    def _carrier_kwargs(self) -> frozenset:
        """`**kwargs` of a function that takes a secret: its siblings travel there."""
        arguments = getattr(self.scope, "args", None)
        if arguments is None or arguments.kwarg is None:
            return frozenset()
        named = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        if any(self.vocabulary.kind_of(argument.arg) == SECRET for argument in named):
            return frozenset({arguments.kwarg.arg})
        return frozenset()

    # -- following a value up its expression ------------------------------

    def _climb(self, leaf: ast.AST) -> Optional[Tuple[List[_Event], Ops]]:
        """Where `leaf`'s content goes in its own expression, with the ops
        that change what it shows on the way; None when the flow ends.

        Every node passed on the way remembers where it leads, so the leaves
        of one long expression (`a + b + c + ...`) share a single climb.
        """
        memo = self._climbs
        path: List[Tuple[ast.AST, int]] = []  # nodes passed, with len(ops) there
        ops: List[tuple] = []
        node = leaf
        while True:
            if node in memo:
                found = memo[node]
                result = None if found is None else (found[0], (*ops, *found[1]))
                break
            path.append((node, len(ops)))
            result = self._arrival(node, ops)
            if result is not None:
                break
            parent = self.index.parent(node)
            key = node.arg if isinstance(node, ast.keyword) else None
            step = None
            if isinstance(parent, ast.keyword):
                step = (parent, ())
            elif parent is not None:
                step = self._step(node, parent, key)
            if step is None:
                break
            if isinstance(step, _Arrival):
                result = ([step.event], (*ops, *step.ops))
                break
            node, added = step
            ops.extend(added)
        for passed, done in path:
            memo[passed] = None if result is None else (result[0], result[1][done:])
        return result

    def _arrival(self, node, ops) -> Optional[Tuple[List[_Event], Ops]]:
        if node in self.sink_inputs:
            event, arrival = self.sink_inputs[node]
            return [event], (*ops, *arrival)
        events = self.value_events.get(node)
        if events is not None:
            return events, tuple(ops)
        return None

    def _step(self, node, parent, key):
        """One step up: (next node, ops), a store event, or None."""
        if isinstance(parent, ast.Call):
            return self._into_call(node, parent, key)
        if isinstance(parent, ast.Attribute):
            return self._method_of(parent)
        if isinstance(parent, ast.Subscript):
            if node is not parent.value:
                return None
            text = _string(parent.slice)
            if text is not None:
                return parent, (("get", text),)
            return parent, (() if isinstance(parent.slice, ast.Slice) else (INDEX,))
        if isinstance(parent, (ast.JoinedStr, ast.FormattedValue)):
            return (parent, (WHOLE,)) if node is not getattr(parent, "format_spec", None) else None
        if isinstance(parent, ast.BinOp):
            return parent, self._formatting(node, parent)
        if isinstance(parent, ast.BoolOp):
            return parent, ()
        if isinstance(parent, ast.IfExp):
            if node is parent.test:
                return None
            other = parent.orelse if node is parent.body else parent.body
            if isinstance(other, ast.Constant) and is_mask_literal(other.value):
                return None  # '***' if key == 'password' else value
            return parent, ()
        if isinstance(parent, (ast.Tuple, ast.List, ast.Set, ast.Starred)):
            return parent, ()
        if isinstance(parent, ast.Dict):
            if any(key_node is node for key_node in parent.keys):
                return None
            position = next(n for n, value in enumerate(parent.values) if value is node)
            key_node = parent.keys[position]
            if key_node is None:
                return parent, ()  # {**other}
            text = _string(key_node)
            return parent, ((("key", text),) if text is not None else (WHOLE,))
        if isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return (parent, ()) if node is parent.elt else None
        if isinstance(parent, ast.DictComp):
            return (parent, (WHOLE,)) if node is parent.value else None
        if isinstance(parent, ast.Await):
            return parent, ()
        return None

    def _into_call(self, node, call: ast.Call, key: Optional[str]):
        if node is call.func:
            return None
        store = self.store_calls.get(call)
        if store is not None:
            if call.func.attr == "setdefault" and len(call.args) == 2 and node is call.args[1]:
                text = _string(call.args[0])
                return None if text is None else _Arrival(store, (("key", text),))
            return _Arrival(store, (("key", key),) if key else ())
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in ("format", "format_map"):
            fields = _brace_fields(self._text(func.value))
            if key is not None:
                ops: Tuple[tuple, ...] = (("key", key),)
            elif func.attr == "format_map" or _is_double_star(call, node):
                ops = ()
            else:
                return call, (WHOLE,)
            if fields is not None:
                ops += (("filter", fields),)
            return call, ops + (WHOLE,)
        if isinstance(func, ast.Attribute) and func.attr in ("join", "replace"):
            return call, (WHOLE,)
        if isinstance(func, ast.Name) and func.id in TRANSLATORS:
            return call, ()
        qualified = self.names.qualified_name(func)
        if qualified in TEXT_FUNCTIONS:
            return call, (WHOLE,)
        if qualified in COPY_FUNCTIONS:
            return call, ((("key", key),) if key else ())
        return None

    def _method_of(self, attribute: ast.Attribute):
        call = self.index.parent(attribute)
        if not isinstance(call, ast.Call) or call.func is not attribute:
            return None
        method = attribute.attr
        if method in TEXT_METHODS:
            return call, (WHOLE,)
        if method == "copy":
            return call, ()
        if method == "values":
            return call, (VALUES,)
        if method == "items":
            return call, (ITEMS,)
        if method == "keys":
            return call, (KEYS,)
        if method in ("get", "pop") and call.args:
            text = _string(call.args[0])
            return call, ((("get", text),) if text is not None else ())
        return None

    def _formatting(self, node, binop: ast.BinOp) -> Tuple[tuple, ...]:
        """`"%(user)s" % mapping` shows only the mapping's `user` entry."""
        if isinstance(binop.op, ast.Mod) and node is binop.right:
            text = self._text(binop.left)
            if text is not None:
                keys = _PERCENT_KEY.findall(text)
                if keys and not isinstance(binop.right, (ast.Tuple, ast.List)):
                    return (("filter", frozenset(keys)), WHOLE)
        return (WHOLE,)

    def _text(self, node) -> Optional[str]:
        return format_text(self.index, node)

    # -- what bindings do to a name ----------------------------------------

    def _binding_reset(self, value) -> str:
        """SANITIZED: the value shows no secret (a constant, `len(x)`, a masking
        call).  BUILT: the function built it from parts it can see (a literal,
        a formatted string).  OPAQUE: anything else."""
        if isinstance(value, (ast.Constant, ast.Compare)):
            return SANITIZED
        if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
            return SANITIZED
        if isinstance(value, ast.JoinedStr):
            if not any(isinstance(part, ast.FormattedValue) for part in value.values):
                return SANITIZED
            return BUILT
        if isinstance(value, ast.IfExp):
            branches = (value.body, value.orelse)
            if any(isinstance(b, ast.Constant) and is_mask_literal(b.value) for b in branches):
                return SANITIZED
            return OPAQUE
        if isinstance(value, ast.Call):
            func = value.func
            if is_safe_context_call(value):
                return SANITIZED
            qualified = self.names.qualified_name(func)
            if qualified in DERIVING_FUNCTIONS or is_sanitizer(qualified, self.index.config):
                return SANITIZED
            return OPAQUE
        if isinstance(
            value,
            (ast.Dict, ast.List, ast.Tuple, ast.Set, ast.ListComp, ast.SetComp, ast.DictComp,
             ast.GeneratorExp, ast.BinOp),
        ):
            return BUILT
        return OPAQUE

    # -- replay -------------------------------------------------------------

    def _replay(self, event: _Event) -> None:
        arrived: List[Label] = []
        for leaf, label, ops in event.incoming:
            if event.role == "none" or (event.role == "value" and ITEMS not in ops):
                continue  # the key half of `.items()`, or parts of an opaque tuple
            labels = self._apply(self._labels_of(leaf, label), ops)
            if event.role == "element" and ITEMS not in ops:
                # Iterating a mapping yields its keys, not what it holds.
                labels = [label for label in labels if label.key is None]
            arrived.extend(labels)
        if event.key_op is not None:
            arrived = list(self._apply(arrived, (event.key_op,)))
        if event.sink is not None:
            event.labels = _unique([*event.labels, *arrived])
            return
        name = event.name
        if is_command_line(name):
            # A command line built with a secret is a carrier (RTS302), the
            # way processutils sees it: the secret is one argument among many.
            arrived = [_in_command(label, name) for label in arrived]
        else:
            arrived = [_through(label, name) for label in arrived]
        labels = [*arrived, *event.labels]
        history = self.states.setdefault(name, [])
        previous = history[-1] if history else None
        intrinsic = self._keeps_intrinsic(name, event, previous)
        if event.keeps_previous and previous is not None:
            kept = [
                label
                for label in previous.labels
                if event.clears_key is None or label.key != event.clears_key
            ]
            labels = [*kept, *labels]
        history.append(_State(event.position, tuple(_unique(labels)), intrinsic))
        self._positions.setdefault(name, []).append(event.position)

    def _keeps_intrinsic(self, name, event: _Event, previous: Optional[_State]) -> bool:
        if event.keeps_previous:
            return previous.intrinsic if previous is not None else True
        kind = self.kind_of(name)
        if kind == SECRET:
            return event.reset != SANITIZED
        return event.reset == OPAQUE

    def _labels_of(self, leaf: ast.AST, fixed: Optional[Label]) -> List[Label]:
        if fixed is not None:
            return [fixed]
        if isinstance(leaf, ast.Call):
            return self._locals_labels(leaf)
        return self._name_labels(leaf.id, _start(leaf))

    def _name_labels(self, name: str, position: tuple) -> List[Label]:
        state = self._state_before(name, position)
        labels = list(state.labels) if state is not None else []
        if state is None or state.intrinsic:
            kind = self._own_kind(name)
            if kind is not None:
                shown = f"**{name}" if name in self.carrier_kwargs else name
                labels.insert(0, Label(kind, shown))
        return labels

    def _state_before(self, name: str, position: tuple) -> Optional[_State]:
        history = self.states.get(name)
        if not history:
            return None
        slot = bisect.bisect_left(self._positions[name], position) - 1
        return history[slot] if slot >= 0 else None

    def _locals_labels(self, call: ast.Call) -> List[Label]:
        """`locals()`: every local holding something, keyed by its name."""
        position = _start(call)
        shown = _shown(call)
        labels = []
        for name in sorted(self.bound | set(self.parameters)):
            for label in self._name_labels(name, position):
                inner = label.flattened()
                labels.append(
                    Label(inner.kind, inner.shown, key=name, whole=CARRIER, container=shown)
                )
        return sorted(labels, key=lambda label: label.kind != SECRET)

    def _apply(self, labels: Iterable[Label], ops: Ops) -> List[Label]:
        current = list(labels)
        for op in ops:
            if not current:
                break
            kind = op[0]
            if kind == "whole":
                current = [label.flattened() for label in current]
            elif kind == "key":
                flat = [label.flattened() for label in current]
                current = [Label(f.kind, f.shown, key=op[1], via=f.via) for f in flat]
            elif kind == "get":
                current = [out for label in current for out in self._get(label, op[1])]
            elif kind == "filter":
                current = [out for label in current for out in self._filter(label, op[1])]
            elif kind in ("values", "items"):
                current = [label.extracted() if label.key else label for label in current]
            elif kind == "keys":
                current = []
            elif kind == "index":
                # An unknown entry of a carrier is most often an identifier.
                current = [label for label in current if label.kind != CARRIER or label.key]
        return current[:_MAX_LABELS]

    def _get(self, label: Label, key: str) -> List[Label]:
        if label.key is not None:
            return [label.extracted()] if label.key == key else []
        if label.kind == CARRIER and (key in NESTED_CARRIER_KEYS or self.kind_of(key) == CARRIER):
            return [replace(label, shown=f"{label.shown}[{key!r}]")]
        return []

    def _filter(self, label: Label, keys: frozenset) -> List[Label]:
        if label.key is not None:
            return [label.extracted()] if label.key in keys else []
        if label.kind != CARRIER:
            return [label]
        shown = []
        for key in sorted(keys):
            kind = self.kind_of(key)
            if kind is not None:
                shown.append(Label(kind, f"{label.shown}[{key!r}]", via=label.via))
        return shown


@dataclass(frozen=True)
class _Arrival:
    """The climb ended in a store: `cmd.append(pw)`, `opts.update(password=pw)`."""

    event: _Event
    ops: tuple


def _in_command(label: Label, name: str) -> Label:
    if label.kind != SECRET:
        return label
    flat = label.flattened()
    return Label(CARRIER, f"{name} (built with {flat.text()})")


def _through(label: Label, name: str) -> Label:
    if label.via and label.via[-1] == name or len(label.via) >= _MAX_VIA:
        return label
    if label.shown == name:
        return label
    return replace(label, via=(*label.via, name))


def _is_locals(call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Name) and func.id in ("locals", "vars") and not call.args


def _drops_keys(key_target, conditions) -> bool:
    """`if k not in HIDDEN` / `if k != 'password'` on the key of `.items()`."""
    if not isinstance(key_target, ast.Name):
        return False
    for condition in conditions:
        if (
            isinstance(condition, ast.Compare)
            and isinstance(condition.left, ast.Name)
            and condition.left.id == key_target.id
            and all(isinstance(op, (ast.NotIn, ast.NotEq)) for op in condition.ops)
        ):
            return True
    return False


def _is_double_star(call: ast.Call, node) -> bool:
    return any(keyword.arg is None and keyword is node for keyword in call.keywords)


def _parameters(scope) -> Tuple[str, ...]:
    arguments = getattr(scope, "args", None)
    if arguments is None:
        return ()
    named = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    extra = [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return tuple(argument.arg for argument in (*named, *extra))


def format_text(index: FileIndex, node) -> Optional[str]:
    """The constant text of a message: `"..."`, `_("...")`, a module constant."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in TRANSLATORS
        and len(node.args) == 1
    ):
        node = node.args[0]
    value = resolver_for(index).constant(node)
    return value if isinstance(value, str) else None


def percent_keys(text: Optional[str]) -> Optional[frozenset]:
    """The `%(key)s` names of a message, or None when it has none."""
    if text is None:
        return None
    keys = _PERCENT_KEY.findall(text)
    return frozenset(keys) if keys else None


def _brace_fields(text: Optional[str]) -> Optional[frozenset]:
    if text is None:
        return None
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    fields = set()
    for _, name, _, _ in parsed:
        if name is None:
            continue
        head = name.split(".", 1)[0].split("[", 1)[0]
        if not head or head.isdigit():
            return None  # positional fields show the arguments whole
        fields.add(head)
    return frozenset(fields)


def _unique(labels: Iterable[Label]) -> List[Label]:
    return list(dict.fromkeys(labels))[:_MAX_LABELS]


def _string(node) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _shown(node: ast.AST) -> str:
    text = shown(node)
    return text if len(text) <= 60 else text[:57] + "..."


def _start(node) -> tuple:
    return (node.lineno, node.col_offset)


def _end(node) -> tuple:
    return (node.end_lineno, node.end_col_offset)


def _statement_in(index: FileIndex, node: ast.AST, scope: ast.AST) -> ast.AST:
    """The statement directly in `scope`'s body that contains `node`."""
    statement = node
    for ancestor in index.ancestors(node):
        if ancestor is scope:
            break
        statement = ancestor
    return statement
