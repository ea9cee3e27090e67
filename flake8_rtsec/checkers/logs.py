"""RTS3: passwords, tokens and credential containers reaching log calls."""

import ast
from typing import Iterator, List, Optional, Tuple

from flake8_rtsec.analysis import display
from flake8_rtsec.analysis.flow import receiving_call
from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.loggers import logger_level
from flake8_rtsec.analysis.sensitive import Vocabulary, vocabulary_for
from flake8_rtsec.checkers import FamilyChecker, Report


def check(index: FileIndex) -> Iterator[Report]:
    yield from check_secret_in_log(index)


def check_secret_in_log(index: FileIndex) -> Iterator[Report]:
    """RTS301: a sensitive value reaches a logger call, once per call."""
    reported = set()
    for source, shown in sensitive_values(index, vocabulary_for(index.config)):
        call = receiving_call(index, source)
        if call is None or call in reported or logger_level(index, call) is None:
            continue
        reported.add(call)
        yield Report(call, "RTS301", {"value": shown})


def sensitive_values(index: FileIndex, vocabulary: Vocabulary) -> List[Tuple[ast.AST, str]]:
    """Expressions whose name says they hold a secret, in source order, with
    how the report shows them: `password`, `self.token`, `auth['password']`."""
    is_sensitive = vocabulary.is_sensitive
    found = []
    for name in index.nodes(ast.Name):
        if isinstance(name.ctx, ast.Load) and is_sensitive(name.id):
            found.append((name, name.id))
    for attribute in index.nodes(ast.Attribute):
        if isinstance(attribute.ctx, ast.Load) and is_sensitive(attribute.attr):
            found.append((attribute, display.shown(attribute)))
    for subscript in index.nodes(ast.Subscript):
        key = _string_key(subscript.slice)
        if key and isinstance(subscript.ctx, ast.Load) and is_sensitive(key):
            found.append((subscript, display.shown(subscript)))
    for call in index.nodes(ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "get" and call.args:
            key = _string_key(call.args[0])
            if key and is_sensitive(key):
                found.append((call, display.shown(call)))
    for literal in index.nodes(ast.Dict):
        for key, value in zip(literal.keys, literal.values):
            text = _string_key(key)
            if text and is_sensitive(text):
                found.append((value, f"{{{text!r}: ...}}"))
    found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    return found


def _string_key(node: Optional[ast.AST]) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class LogChecker(FamilyChecker):
    family = "RTS3"
    check = staticmethod(check)
