"""The four flake8 extensions, one per family, and what they share."""

import ast
import importlib
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, Iterator, List

from flake8.exceptions import PluginExecutionFailed

from flake8_rtsec import __version__, options
from flake8_rtsec.analysis.index import FileIndex, index_for, release
from flake8_rtsec.rules import BY_CODE


@dataclass(frozen=True)
class Report:
    node: ast.AST
    code: str
    fields: Dict[str, object] = field(default_factory=dict)

    @property
    def position(self):
        return (self.node.lineno, self.node.col_offset, self.code)


# family -> "module:class" of its checker, imported on first use.
IMPLEMENTATIONS = {
    "RTS1": "flake8_rtsec.checkers.locks:LockChecker",
    "RTS2": "flake8_rtsec.checkers.excepts:ExceptChecker",
    "RTS3": "flake8_rtsec.checkers.logs:LogChecker",
    "RTS4": "flake8_rtsec.checkers.resources:ResourceChecker",
}


def implementation(family: str) -> type:
    module, _, name = IMPLEMENTATIONS[family].partition(":")
    return getattr(importlib.import_module(module), name)


class FamilyPlugin:
    """flake8's entry point for one family, light to import.

    flake8 imports every installed plugin on every run, selected or not:
    the analyses behind a family are imported only once one of its codes
    can be reported (in `parse_options`, before flake8 forks its workers).
    The reports wait for `report_held` to hand them over."""

    family = ""
    name = "flake8-rtsec"
    version = __version__

    __slots__ = ("tree", "filename", "lines")

    def __init__(self, tree: ast.AST, filename: str, lines: List[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    def run(self):
        if options.current().enables(self.family):
            checker = implementation(self.family)(self.tree, self.filename, self.lines)
            _hold(self.lines, checker.run())
        return ()


# The reports of the file flake8 is on: its `lines`, then (line, column, text).
_HELD: list = []


def _hold(lines: List[str], reports: Iterable[tuple]) -> None:
    if not _HELD or _HELD[0] is not lines:
        _HELD[:] = [lines]
    _HELD.extend((line, column, text) for line, column, text, _ in reports)


def report_held(logical_line: str, lines: List[str]):
    """flake8's logical-line entry point: hands over the reports the family
    entry points found in this file, at its first logical line.

    Reporting is what makes flake8 tokenize a file a second time, for its
    noqa map.  From a tree plugin that happens while flake8 still holds the
    file's tree, and every full garbage collection during it walks the whole
    tree: 54 reports cost 5-7% of flake8's time on nova's compute and
    libvirt code that way, with no analysis at all.  By the first logical
    line flake8 has let the tree go (the next collection frees it).
    A (line, column) offset is absolute."""
    if not _HELD or _HELD[0] is not lines:
        return ()
    reports = [((line, column), text) for line, column, text in _HELD[1:]]
    _HELD.clear()
    return reports


class FamilyChecker(FamilyPlugin):
    """The analysis of one family of codes, behind its `FamilyPlugin`.

    Subclasses name their `family` and the `check` that yields its reports.
    Nothing runs unless a code of the family can be reported, findings
    recorded in the `--rtsec-baseline` file are dropped, and a failure is
    re-raised naming the file, which flake8 does not do for errors raised
    while iterating `run()`.
    """

    check: Callable[[FileIndex], Iterable[Report]]

    __slots__ = ()

    def run(self):
        config = options.current()
        if not config.enables(self.family):
            return
        try:
            index = index_for(self.tree, self.filename, self.lines, config)
            reports = sorted(
                (r for r in type(self).check(index) if r.code in config.enabled_codes),
                key=lambda report: report.position,
            )
            if config.baseline is not None:
                reports = config.baseline.unmatched(index, reports)
        except Exception as error:
            raise PluginExecutionFailed(
                self.filename, f"flake8-rtsec[{self.family}]", error
            ) from error
        if self.family == max(code[:4] for code in config.enabled_codes):
            # flake8 runs the families in code order on a file before the
            # next file: the last one lets the shared index go.
            release(self.tree)
        for report in reports:
            line, column, code = report.position
            yield line, column, BY_CODE[code].message(**report.fields), type(self)


def enabled_checks(index: FileIndex, checks) -> Iterator[Report]:
    """The reports of each `(code, check)` whose code is enabled, in order."""
    enabled = index.config.enabled_codes
    for code, check_code in checks:
        if code in enabled:
            yield from check_code(index)


def parse_options(option_values) -> None:
    options.parse_options(option_values)
    config = options.current()
    for family in IMPLEMENTATIONS:
        if config.enables(family):
            implementation(family)


class LockPlugin(FamilyPlugin):
    family = "RTS1"

    # The one owner of the plugin's options (two owners crash flake8).
    add_options = staticmethod(options.add_options)
    parse_options = staticmethod(parse_options)


class ExceptPlugin(FamilyPlugin):
    family = "RTS2"


class LogPlugin(FamilyPlugin):
    family = "RTS3"


class ResourcePlugin(FamilyPlugin):
    family = "RTS4"
