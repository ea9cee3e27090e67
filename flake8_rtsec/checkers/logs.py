"""RTS3: secrets and credential carriers reaching logs, exceptions, stdout and config dumps."""

import ast
import re
from typing import Dict, Iterator, List

from flake8_rtsec.analysis.flow import Label, Sink, format_text, percent_keys, sink_labels
from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.loggers import LEVELS, logger_level, message_arguments
from flake8_rtsec.analysis.names import NOT_CONSTANT, resolver_for
from flake8_rtsec.analysis.sensitive import (
    CARRIER,
    SECRET,
    is_url_name,
    vocabulary_for,
)
from flake8_rtsec.analysis.words import calls_named
from flake8_rtsec.checkers import FamilyChecker, Report

LOG, RAISE, PRINT = "log", "raise", "print"
_FLOW_CODES = {LOG: ("RTS301", "RTS302"), RAISE: ("RTS303",), PRINT: ("RTS304",)}
WRITERS = frozenset({"sys.stdout.write", "sys.stderr.write"})
PRINTERS = WRITERS | {"builtins.print"}
# oslo.config option classes whose value is text an operator could fill
# with a secret (BoolOpt, IntOpt and friends cannot hold one).
OPTION_CLASSES = frozenset(
    f"oslo_config.cfg.{name}"
    for name in ("Opt", "StrOpt", "URIOpt", "DictOpt", "ListOpt", "MultiStrOpt", "MultiOpt")
)
_OPTION_CLASS_NAMES = frozenset(name.rpartition(".")[2] for name in OPTION_CLASSES)

_PATH_HELP = re.compile(
    r"\s*((the )?(absolute |full )?(file ?name|path|location|directory)( of| to)?\b)",
    re.IGNORECASE,
)


def check(index: FileIndex) -> Iterator[Report]:
    enabled = index.config.enabled_codes
    wanted = {kind for kind, codes in _FLOW_CODES.items() if enabled.intersection(codes)}
    if wanted:
        sinks = find_sinks(index, wanted)
        found = sink_labels(index, sinks)
        for number, labels in sorted(found.items()):
            sink = sinks[number]
            if sink.kind == LOG:
                yield from check_secret_in_log(sink, labels)
                yield from check_credential_container_in_log(sink, labels, "RTS301" in enabled)
            elif sink.kind == RAISE:
                yield from check_secret_in_exception_message(sink, labels)
            else:
                yield from check_secret_in_print(sink, labels)
    if "RTS305" in enabled:
        yield from check_secret_option_not_masked(index)


def check_secret_in_log(sink: Sink, labels: List[Label]) -> Iterator[Report]:
    """RTS301: a sensitive value reaches a logger call, once per call."""
    secrets = [label for label in labels if label.kind == SECRET]
    if secrets:
        yield Report(sink.node, "RTS301", {"value": secrets[0].text()})


def check_credential_container_in_log(sink, labels, secrets_reported) -> Iterator[Report]:
    """RTS302: a credential carrier reaches a logger call unmasked, once per call.

    When the secret itself reaches the call, RTS301 says it more precisely.
    """
    carriers = [label for label in labels if label.kind == CARRIER]
    if secrets_reported and any(label.kind == SECRET for label in labels):
        return
    if carriers:
        yield Report(sink.node, "RTS302", {"value": carriers[0].text()})


def check_secret_in_exception_message(sink: Sink, labels: List[Label]) -> Iterator[Report]:
    """RTS303: a sensitive value or carrier is formatted into a raised exception."""
    yield Report(sink.node, "RTS303", {"value": _described(labels)})


def check_secret_in_print(sink: Sink, labels: List[Label]) -> Iterator[Report]:
    """RTS304: a sensitive value or carrier is printed to stdout or stderr."""
    yield Report(sink.node, "RTS304", {"value": _described(labels)})


def check_secret_option_not_masked(index: FileIndex) -> Iterator[Report]:
    """RTS305: an oslo.config option named like a secret lacks secret=True."""
    names = resolver_for(index)
    vocabulary = vocabulary_for(index.config)
    for call in calls_named(index, _OPTION_CLASS_NAMES, _resolving_to(names, OPTION_CLASSES)):
        if names.qualified_name(call.func) not in OPTION_CLASSES:
            continue
        name = _option_name(call)
        if name is None or vocabulary.kind_of(name) is None and not is_url_name(name):
            continue
        keywords = {k.arg: k.value for k in call.keywords}
        secret = keywords.get("secret")
        if secret is not None and names.constant(secret) in (NOT_CONSTANT, True):
            continue
        if "choices" in keywords or _describes_a_path(names.constant(keywords.get("help"))):
            continue  # one of a few fixed words, or where the secret is kept
        yield Report(call, "RTS305", {"option": name})


def find_sinks(index: FileIndex, kinds) -> List[Sink]:
    """Logger calls, raised exceptions and prints, in source order."""
    return index.memo(("rts3-sinks", frozenset(kinds)), lambda: _find_sinks(index, kinds))


def logger_calls(index: FileIndex) -> List[ast.Call]:
    """Every logger call in the file: what RTS301 and RTS302 examine."""
    return [sink.node for sink in find_sinks(index, {LOG}) if sink.kind == LOG]


def _find_sinks(index: FileIndex, kinds) -> List[Sink]:
    sinks = []
    names = resolver_for(index)
    attributes = LEVELS if LOG in kinds else frozenset()
    qualified_names: frozenset = frozenset()
    if PRINT in kinds:
        attributes = attributes.union(name.rpartition(".")[2] for name in WRITERS)
        qualified_names = PRINTERS
    for call in calls_named(index, attributes, _resolving_to(names, qualified_names)):
        if LOG in kinds:
            level = logger_level(index, call)
            if level is not None:
                sinks.append(_log_sink(index, call, level))
                continue
        if PRINT in kinds:
            qualified = names.qualified_name(call.func)
            if qualified in PRINTERS:
                sinks.append(Sink(call, PRINT, {argument: () for argument in call.args}))
    if RAISE in kinds:
        for statement in index.nodes(ast.Raise):
            exception = statement.exc
            if isinstance(exception, ast.Call):
                inputs = [*exception.args, *(k.value for k in exception.keywords)]
                sinks.append(Sink(statement, RAISE, {argument: () for argument in inputs}))
    return sinks


def _resolving_to(names, qualified_names):
    return lambda name: names.resolved(name) in qualified_names


def _log_sink(index: FileIndex, call: ast.Call, level: str) -> Sink:
    inputs: Dict[ast.AST, tuple] = {a: () for a in message_arguments(call, level)}
    positional = call.args[1:] if level == "log" else call.args
    if len(positional) == 2:
        # logging formats `msg % args[0]` when the only argument is a mapping:
        # a `%(user)s` message shows that entry of it and nothing else.
        keys = percent_keys(format_text(index, positional[0]))
        if keys is not None:
            inputs[positional[1]] = (("filter", keys),)
    return Sink(call, LOG, inputs)


def _described(labels: List[Label]) -> str:
    secrets = [label for label in labels if label.kind == SECRET]
    if secrets:
        return f"sensitive value {secrets[0].text()}"
    return f"credential carrier {labels[0].text()}"


def _option_name(call: ast.Call):
    if call.args and isinstance(call.args[0], ast.Constant):
        value = call.args[0].value
    else:
        value = next((k.value.value for k in call.keywords if k.arg == "name"
                      and isinstance(k.value, ast.Constant)), None)
    return value if isinstance(value, str) else None


def _describes_a_path(help_text) -> bool:
    """`help='Filename of private key to use for SSH authentication.'`"""
    return isinstance(help_text, str) and bool(_PATH_HELP.match(help_text))


class LogChecker(FamilyChecker):
    family = "RTS3"
    check = staticmethod(check)
