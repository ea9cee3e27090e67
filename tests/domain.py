"""Hypothesis strategies for tracker-like modules, and the edits the property tests make.

A `Program` is a small module built from parts the four families care about:
classes that write state with and without their lock, broad and narrow
`except` handlers, log calls with and without a secret, and reads from
resource dicts.  It renders to source with a map from line numbers to the
part on that line, so a property can say "the report on this write" and
find it again after an edit has moved lines.

Every identifier the strategies choose comes from NEUTRAL: names that mean
nothing to any family (no lock, logger, secret, resource or mutating-method
word), so renaming one of them must not change any report.
"""

import io
import tokenize
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Tuple

from hypothesis import strategies as st

HEADER = [
    "import threading",
    "",
    "from oslo_concurrency import lockutils",
    "from oslo_log import log as logging",
    "from oslo_utils import strutils",
    "",
    "LOG = logging.getLogger(__name__)",
    "",
]

NEUTRAL_CLASSES = ("Tracker", "Ledger", "Registry")
NEUTRAL_ATTRIBUTES = ("stats", "usage", "claims", "totals")
NEUTRAL_METHODS = ("refresh", "record", "prune", "audit", "_apply", "_sync")
NEUTRAL_FUNCTIONS = ("collect", "publish", "probe", "rebuild")
NEUTRAL_LOCALS = ("value", "item", "entry")
NEUTRAL = frozenset(
    NEUTRAL_CLASSES + NEUTRAL_ATTRIBUTES + NEUTRAL_METHODS + NEUTRAL_FUNCTIONS + NEUTRAL_LOCALS
)

WRITE_FORMS = {
    "assign": "self.{attr} = {local}",
    "augmented": "self.{attr} += {local}",
    "item": "self.{attr}[{local}] = 1",
    "delete": "del self.{attr}[{local}]",
    "pop": "self.{attr}.pop({local}, None)",
    "append": "self.{attr}.append({local})",
    "deep": "self.{attr}[{local}].count = 0",
}
BROAD_TYPES = ("Exception", "BaseException", "", "(ValueError, Exception)")
NARROW_TYPES = ("KeyError", "(ValueError, TypeError)")
HANDLER_STATEMENTS = (
    "pass",
    "{local} = None",
    'LOG.warning("failed: %s", error)',
    'LOG.info("retrying")',
    'LOG.exception("failed")',
    'LOG.error("failed", exc_info=True)',
)
SECRETS = ("password", "auth_token", "admin_pass", "self.secret", "creds['password']")
SECRET_FORMS = ("{secret}", "str({secret})", 'f"with {{{secret}}}"', '"%s" % {secret}')
LEVELS = ("debug", "info", "warning", "error")


@dataclass(frozen=True)
class Write:
    attribute: str
    form: str
    locked: bool  # inside `with <the class lock>:`


@dataclass(frozen=True)
class Method:
    name: str
    decorated: bool  # the whole method holds the class lock (lockutils classes)
    writes: Tuple[Write, ...]


@dataclass(frozen=True)
class TrackerClass:
    name: str
    lock: str  # "object" (self._lock = threading.Lock()) or "lockutils"
    attributes: Tuple[str, ...]
    methods: Tuple[Method, ...]


@dataclass(frozen=True)
class Handler:
    caught: str  # "" for a bare except
    body: Tuple[object, ...]  # statements, or ("if", then, else) branches
    reraise: bool = False


@dataclass(frozen=True)
class LogCall:
    level: str
    arguments: Tuple[str, ...]  # rendered argument expressions
    secret: Optional[int]  # the argument that carries a secret, if one does
    masked: bool = False  # that argument is passed through strutils.mask_password


@dataclass(frozen=True)
class Program:
    classes: Tuple[TrackerClass, ...]
    handlers: Tuple[Handler, ...]
    logs: Tuple[LogCall, ...]
    validated_reads: Tuple[bool, ...]  # one resource read per entry, validated or not

    def render(self) -> Tuple[str, Dict[int, Tuple[str, object]]]:
        """The source, and line number -> (part kind, part id) for the lines
        reports land on: ("write", (class, method, index)), ("handler", n),
        ("log", n), ("read", n)."""
        lines = list(HEADER)
        marks: Dict[int, Tuple[str, object]] = {}

        def emit(text: str, indent: int, mark=None) -> None:
            lines.append("    " * indent + text)
            if mark is not None:
                marks[len(lines)] = mark

        for number, tracker in enumerate(self.classes):
            _render_class(tracker, number, emit)
        for number, handler in enumerate(self.handlers):
            name = NEUTRAL_FUNCTIONS[number % len(NEUTRAL_FUNCTIONS)] + f"_{number}"
            emit("", 0)
            emit(f"def {name}(connection, value):", 0)
            emit("try:", 1)
            emit("connection.ping(value)", 2)
            caught = f"except {handler.caught} as error:" if handler.caught else "except:"
            emit(caught, 1, ("handler", number))
            _render_block(handler.body, 2, emit)
            if handler.reraise:
                emit("raise", 2)
        for number, call in enumerate(self.logs):
            emit("", 0)
            emit(f"def publish_{number}(self, password, auth_token, admin_pass, creds, item):", 0)
            arguments = [
                f"strutils.mask_password({argument})"
                if call.masked and position == call.secret
                else argument
                for position, argument in enumerate(call.arguments)
            ]
            emit(f'LOG.{call.level}("state %s", {", ".join(arguments)})', 1, ("log", number))
        for number, validated in enumerate(self.validated_reads):
            emit("", 0)
            emit(f"def probe_{number}(resources):", 0)
            if validated:
                emit('if "vcpus" not in resources:', 1)
                emit("return 0", 2)
            emit('return resources["vcpus"]', 1, ("read", number))
        return "\n".join(lines) + "\n", marks


def _render_class(tracker: TrackerClass, number: int, emit) -> None:
    lock_name = f"{tracker.name.lower()}-{number}"
    if tracker.lock == "object":
        take = "with self._lock:"
    else:
        take = f'with lockutils.lock("{lock_name}"):'
    emit("", 0)
    emit("", 0)
    emit(f"class {tracker.name}{number}:", 0)
    emit("def __init__(self):", 1)
    emit("self._lock = threading.Lock()", 2)
    for attribute in tracker.attributes:
        emit(f"self.{attribute} = {{}}", 2)
    for method in tracker.methods:
        emit("", 0)
        if method.decorated:
            emit(f'@lockutils.synchronized("{lock_name}")', 1)
        emit(f"def {method.name}(self, value, item, entry):", 1)
        if not method.writes:
            emit("return None", 2)
        for position, write in enumerate(method.writes):
            statement = WRITE_FORMS[write.form].format(attr=write.attribute, local="value")
            mark = ("write", (number, method.name, position))
            if write.locked:
                emit(take, 2)
                emit(statement, 3, mark)
            else:
                emit(statement, 2, mark)


def _render_block(statements, indent: int, emit) -> None:
    for statement in statements:
        if isinstance(statement, tuple):
            _, then, otherwise = statement
            emit("if value:", indent)
            _render_block(then, indent + 1, emit)
            emit("else:", indent)
            _render_block(otherwise, indent + 1, emit)
        else:
            emit(statement.format(local="value"), indent)


def flagged_writes(program: Program) -> set:
    """The writes RTS101 must report: outside the lock, in a method that is
    not a constructor, to an attribute the lock guards.  A lock object the
    class creates guards an attribute as soon as one write holds it; a
    process-wide lockutils name only when most of the attribute's writes
    hold it (the RTS101 page says why).  (Generated classes call no method
    of their own, so every method is an entry point and starts with no lock.)"""
    flagged = set()
    for number, tracker in enumerate(program.classes):
        locked: dict = {}
        total: dict = {}
        for method in tracker.methods:
            for write in method.writes:
                total[write.attribute] = total.get(write.attribute, 0) + 1
                if write.locked or method.decorated:
                    locked[write.attribute] = locked.get(write.attribute, 0) + 1
        guarded = {
            attribute
            for attribute, count in locked.items()
            if tracker.lock == "object" or 2 * count > total[attribute]
        }
        for method in tracker.methods:
            for position, write in enumerate(method.writes):
                if not (write.locked or method.decorated) and write.attribute in guarded:
                    flagged.add((number, method.name, position))
    return flagged


# -- strategies ---------------------------------------------------------------


@st.composite
def tracker_classes(draw, number_of_classes: int = 1):
    attributes = tuple(
        draw(st.lists(st.sampled_from(NEUTRAL_ATTRIBUTES), min_size=1, max_size=3, unique=True))
    )
    lock = draw(st.sampled_from(["object", "lockutils"]))
    names = draw(st.lists(st.sampled_from(NEUTRAL_METHODS), min_size=1, max_size=4, unique=True))
    methods = []
    for name in names:
        writes = draw(
            st.lists(
                st.builds(
                    Write,
                    attribute=st.sampled_from(attributes),
                    form=st.sampled_from(sorted(WRITE_FORMS)),
                    locked=st.booleans(),
                ),
                max_size=4,
            )
        )
        decorated = lock == "lockutils" and draw(st.booleans())
        if decorated:
            # The method holds the lock already; taking it again inside would
            # be a real deadlock (RTS103), not the program this strategy means.
            writes = [replace(write, locked=False) for write in writes]
        methods.append(Method(name, decorated, tuple(writes)))
    return TrackerClass(draw(st.sampled_from(NEUTRAL_CLASSES)), lock, attributes, tuple(methods))


def handler_bodies(depth: int = 2):
    simple = st.sampled_from(HANDLER_STATEMENTS)
    if depth == 0:
        return st.lists(simple, min_size=1, max_size=3).map(tuple)
    branch = st.tuples(st.just("if"), handler_bodies(depth - 1), handler_bodies(depth - 1))
    return st.lists(st.one_of(simple, branch), min_size=1, max_size=3).map(tuple)


handlers = st.builds(
    Handler,
    caught=st.sampled_from(BROAD_TYPES + NARROW_TYPES),
    body=handler_bodies(),
)


@st.composite
def log_calls(draw):
    arguments = [draw(st.sampled_from(["item", "len(password)", "self.stats"]))]
    secret = None
    if draw(st.booleans()):
        form = draw(st.sampled_from(SECRET_FORMS))
        secret = draw(st.integers(0, 1))
        arguments.insert(secret, form.format(secret=draw(st.sampled_from(SECRETS))))
    return LogCall(draw(st.sampled_from(LEVELS)), tuple(arguments), secret)


programs = st.builds(
    Program,
    classes=st.lists(tracker_classes(), max_size=2).map(tuple),
    handlers=st.lists(handlers, max_size=3).map(tuple),
    logs=st.lists(log_calls(), max_size=3).map(tuple),
    validated_reads=st.lists(st.booleans(), max_size=2).map(tuple),
)


# -- edits ----------------------------------------------------------------------


def with_write_locked(program: Program, write_id) -> Program:
    number, method_name, position = write_id
    tracker = program.classes[number]
    methods = []
    for method in tracker.methods:
        if method.name == method_name:
            writes = list(method.writes)
            writes[position] = replace(writes[position], locked=True)
            method = replace(method, writes=tuple(writes))
        methods.append(method)
    classes = list(program.classes)
    classes[number] = replace(tracker, methods=tuple(methods))
    return replace(program, classes=tuple(classes))


def with_handler_reraising(program: Program, number: int) -> Program:
    handlers_ = list(program.handlers)
    handlers_[number] = replace(handlers_[number], reraise=True)
    return replace(program, handlers=tuple(handlers_))


def with_log_masked(program: Program, number: int) -> Program:
    logs = list(program.logs)
    logs[number] = replace(logs[number], masked=True)
    return replace(program, logs=tuple(logs))


def renamed(source: str, old: str, new: str) -> str:
    """`source` with every identifier token `old` replaced by `new` (of the
    same length, so every report keeps its column)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return tokenize.untokenize(
        token._replace(string=new)
        if token.type == tokenize.NAME and token.string == old
        else token
        for token in tokens
    )


def used_neutral_names(source: str) -> List[str]:
    names = {
        token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.NAME
    }
    return sorted(names & NEUTRAL)


def reports_by_part(reports, marks) -> Dict[Tuple[str, object], List[str]]:
    """Reports keyed by the part they land on; a report on an unmarked line
    is kept under ("line", number)."""
    found: Dict[Tuple[str, object], List[str]] = {}
    for line, _, code in reports:
        found.setdefault(marks.get(line, ("line", line)), []).append(code)
    return found
