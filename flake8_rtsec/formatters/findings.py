"""When two reports are the same finding, across unrelated edits.

A finding is keyed on its code, its file's path, the qualified name of the
function or class around it and a hash of its line with whitespace
collapsed. Line numbers are left out on purpose: adding lines above a
finding or moving the function it sits in keeps its key, while editing the
offending line changes it. Equal keys in one file are told apart by
counting them in file order, never by position.

The checkers key their reports from the node they report (climbing the
index's parents); the formatters only see flake8's path, line and column,
so they index the file again and key the node found at that position. Every
node starting at one position has the same enclosing functions and classes
(a `def` or `class` starts before all of its children), so both agree.
"""

import ast
import hashlib
import os
import tokenize
from collections import Counter, defaultdict
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from flake8 import utils
from flake8.violation import Violation

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.options import Config

_NAMED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class FindingKey(NamedTuple):
    code: str
    path: str
    scope: str
    line_hash: str


class Finding(NamedTuple):
    """A flake8 violation with its key, and which duplicate of that key it is."""

    violation: Violation
    key: FindingKey
    occurrence: int
    line: str


def normalised(line: str) -> str:
    return " ".join(line.lstrip("\ufeff").split())


def line_hash(line: str) -> str:
    return hashlib.sha256(normalised(line).encode("utf-8")).hexdigest()[:16]


def relative_path(filename: str, root: str) -> str:
    """`filename` relative to the directory `root`, with forward slashes."""
    return os.path.relpath(os.path.abspath(filename), root).replace(os.sep, "/")


def line_at(lines: Sequence[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def scope_name(index: FileIndex, node: ast.AST) -> str:
    """`Class.method` around `node`; empty at module level. Lambdas have no name."""
    names = [a.name for a in index.ancestors(node) if isinstance(a, _NAMED_SCOPES)]
    return ".".join(reversed(names))


def key_for(code: str, path: str, scope: str, line: str) -> FindingKey:
    return FindingKey(code, path, scope, line_hash(line))


def occurrences(keys: Iterable[FindingKey]) -> List[int]:
    """For each key, how many equal keys came before it."""
    seen: Counter = Counter()
    counts = []
    for key in keys:
        counts.append(seen[key])
        seen[key] += 1
    return counts


class SourceFile:
    """A reported file, read and indexed again to find what a position is in."""

    def __init__(self, filename: str, lines: List[str]) -> None:
        self.lines = lines
        try:
            tree = ast.parse("".join(lines))
        except (SyntaxError, ValueError):
            # flake8 reports E999 (or E902) for it; keys fall back to module scope.
            tree = None
        self.index = FileIndex(tree, filename, lines, Config()) if tree else None
        self._at: Dict[Tuple[int, int], ast.AST] = {}
        self._leftmost: Dict[int, ast.AST] = {}
        if self.index is not None:
            self._map_positions(self.index)

    def _map_positions(self, index: FileIndex) -> None:
        # Every node but the module is a key of `parents`; the order does not
        # matter because nodes sharing a position share their scopes.
        for node in index.parents:
            line = getattr(node, "lineno", None)
            if line is None:
                continue
            self._at.setdefault((line, node.col_offset), node)
            leftmost = self._leftmost.get(line)
            if leftmost is None or node.col_offset < leftmost.col_offset:
                self._leftmost[line] = node

    def scope_at(self, line: int, column: int) -> str:
        """The scope of the node at (line, 0-based column), else of the line's
        leftmost node: pycodestyle reports land between nodes."""
        node = self._at.get((line, column)) or self._leftmost.get(line)
        if node is None or self.index is None:
            return ""
        return scope_name(self.index, node)


def read_lines(filename: str, options) -> List[str]:
    """The file's lines as flake8 read them, stdin included."""
    if "-" in (getattr(options, "filenames", None) or ()) and filename == (
        getattr(options, "stdin_display_name", None) or "stdin"
    ):
        lines = utils.stdin_get_value().splitlines(keepends=True)
    else:
        try:
            with tokenize.open(filename) as source:
                lines = source.readlines()
        except (SyntaxError, UnicodeError):
            with open(filename, encoding="latin-1") as source:
                lines = source.readlines()
        except OSError:
            return []
    if lines:
        lines[0] = lines[0].lstrip("\ufeff")
    return lines


def keyed(violations: Sequence[Violation], root: str, options) -> List[Finding]:
    """Each violation keyed with paths relative to `root`, in the given order."""
    by_file: Dict[str, List[int]] = defaultdict(list)
    for number, violation in enumerate(violations):
        by_file[violation.filename].append(number)
    keys: List[Optional[FindingKey]] = [None] * len(violations)
    lines: List[str] = [""] * len(violations)
    for filename, numbers in by_file.items():
        source = SourceFile(filename, read_lines(filename, options))
        path = relative_path(filename, root)
        for number in numbers:
            violation = violations[number]
            line = line_at(source.lines, violation.line_number)
            scope = source.scope_at(violation.line_number, violation.column_number - 1)
            keys[number] = key_for(violation.code, path, scope, line)
            lines[number] = line
    order = sorted(range(len(violations)), key=lambda number: _position(violations[number]))
    duplicates = dict(zip(order, occurrences(keys[n] for n in order)))
    return [
        Finding(violation, keys[number], duplicates[number], lines[number])
        for number, violation in enumerate(violations)
    ]


def _position(violation: Violation):
    return (violation.filename, violation.line_number, violation.column_number)
