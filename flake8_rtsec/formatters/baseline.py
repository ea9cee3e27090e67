"""Baselines: turn the plugin on in old code without fixing its history first.

`flake8 --format=rtsec-baseline --output-file=.rtsec-baseline.json` records
today's RTS findings; `--rtsec-baseline=.rtsec-baseline.json` then reports
only findings that are not in it. Entries are matched by `findings.FindingKey`
(code, path, enclosing function or class, hash of the offending line),
never by line number, and by count: two equal entries allow two equal
findings, a third one is reported.

Paths in the file are relative to the file's own directory, so one baseline
matches whatever directory flake8 runs from.
"""

import json
import os
import re
from collections import Counter
from typing import Iterable, List, Optional

from flake8.violation import Violation

from flake8_rtsec import __version__
from flake8_rtsec.formatters.findings import (
    FindingKey,
    key_for,
    keyed,
    line_at,
    relative_path,
    scope_name,
)

BASELINE_FORMAT = "rtsec-baseline"
VERSION = 1
_HASH = re.compile(r"[0-9a-f]{16}\Z")


class Baseline:
    """The findings of a baseline file, counted by key."""

    __slots__ = ("root", "counts", "paths")

    def __init__(self, root: str, keys: Iterable[FindingKey]) -> None:
        self.root = root
        self.counts = Counter(keys)
        self.paths = frozenset(key.path for key in self.counts)

    def unmatched(self, index, reports: List) -> List:
        """`reports` (in file order) less those the baseline allows; when a
        file has more equal findings than the baseline, the later ones stay."""
        path = relative_path(index.filename, self.root)
        if path not in self.paths:
            return reports
        used: Counter = Counter()
        kept = []
        for report in reports:
            line = line_at(index.lines, report.position[0])
            key = key_for(report.code, path, scope_name(index, report.node), line)
            if used[key] < self.counts[key]:
                used[key] += 1
            else:
                kept.append(report)
        return kept


def from_options(options) -> Optional[Baseline]:
    """The baseline flake8's options name, or None.

    Writing a baseline ignores the current one, so that regenerating it
    records every finding rather than only the new ones.
    """
    path = getattr(options, "rtsec_baseline", None)
    if not path or getattr(options, "format", None) == BASELINE_FORMAT:
        return None
    return load(_resolved(path, options))


def _resolved(path: str, options) -> str:
    """An absolute path; a config file's value is relative to that file.

    flake8 resolves a config value against the config file's directory only
    when it contains a path separator, so a bare name from the config file is
    resolved here. An import error only costs that case: the name is then
    relative to the working directory, as on the command line.
    """
    if os.path.isabs(path) or os.sep in path:
        return os.path.abspath(path)
    try:
        from flake8.options.config import load_config
    except ImportError:
        return os.path.abspath(path)
    config, config_dir = load_config(
        getattr(options, "config", None),
        getattr(options, "append_config", None) or [],
        isolated=bool(getattr(options, "isolated", False)),
    )
    for key in ("rtsec-baseline", "rtsec_baseline"):
        if config.has_option("flake8", key) and config.get("flake8", key).strip() == path:
            return os.path.join(config_dir, path)
    return os.path.abspath(path)


def load(path: str) -> Baseline:
    """Read a baseline file; ValueError with one line saying what is wrong."""
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
    except OSError as error:
        raise ValueError(f"cannot read {path} ({error.strerror or error})") from None
    except ValueError as error:
        raise ValueError(f"{path} is not JSON ({error})") from None
    return Baseline(os.path.dirname(os.path.abspath(path)), _keys(path, data))


def _keys(path: str, data) -> List[FindingKey]:
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ValueError(f"{path} is not a version {VERSION} flake8-rtsec baseline")
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise ValueError(f"{path} has no 'findings' list")
    keys = []
    for number, entry in enumerate(findings, start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"{path}: finding {number} is not an object")
        for field in FindingKey._fields:
            if not isinstance(entry.get(field), str):
                raise ValueError(f"{path}: finding {number} has no string {field!r}")
        if not _HASH.match(entry["line_hash"]):
            raise ValueError(f"{path}: finding {number} has a malformed 'line_hash'")
        keys.append(FindingKey(*(entry[field] for field in FindingKey._fields)))
    return keys


def baseline_document(violations: List[Violation], filename: Optional[str], options) -> dict:
    """The baseline file of `violations` (RTS codes only), its paths
    relative to the directory of `filename` (else the working directory)."""
    root = os.path.dirname(os.path.abspath(filename)) if filename else os.getcwd()
    entries = sorted(
        (
            {**finding.key._asdict(), "message": f"{finding.key.code} {finding.violation.text}"}
            for finding in keyed(violations, root, options)
        ),
        key=lambda entry: (entry["path"], entry["code"], entry["scope"], entry["line_hash"]),
    )
    return {"version": VERSION, "tool": f"flake8-rtsec {__version__}", "findings": entries}
