"""Run every check of flake8-rtsec over a lot of real code; fail on any exception.

    python tools/sweep.py                      # stdlib + downloaded corpora, both infer modes
    python tools/sweep.py --infer module       # one mode
    python tools/sweep.py --reports out.txt    # also write every report (to diff two versions)
    python tools/sweep.py some/dir file.py     # other code

The four checkers run in this process, as flake8 runs them (one parsed tree
per file, shared by the families), with every code enabled, default-off ones
too.  The default inputs are every `.py` file of the running interpreter's
standard library (its Lib directory, without site-packages) and of the
OpenStack releases `tools/corpus.py` downloaded.  Files Python itself cannot
decode or parse are skipped and counted: flake8 reports those as E902/E999
without running any plugin.  Any exception out of a checker is listed with
the file, the infer mode and the traceback, and the exit status is 1.
"""

import argparse
import ast
import logging
import os
import sys
import sysconfig
import time
import tokenize
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import cache_dir  # noqa: E402

from flake8_rtsec import options  # noqa: E402
from flake8_rtsec.checkers.excepts import ExceptChecker  # noqa: E402
from flake8_rtsec.checkers.locks import LockChecker  # noqa: E402
from flake8_rtsec.checkers.logs import LogChecker  # noqa: E402
from flake8_rtsec.checkers.resources import ResourceChecker  # noqa: E402
from flake8_rtsec.rules import BY_CODE  # noqa: E402

LOG = logging.getLogger("sweep")

CHECKERS = (LockChecker, ExceptChecker, LogChecker, ResourceChecker)
INFER_MODES = ("module", "project")


@dataclass(frozen=True)
class Crash:
    path: Path
    infer: str
    traceback: str

    def describe(self) -> str:
        return f"{self.path} (rtsec-infer={self.infer}):\n{self.traceback}"


@dataclass
class Result:
    files: int = 0
    lines: int = 0
    skipped: List[Path] = field(default_factory=list)  # Python cannot parse them
    crashes: List[Crash] = field(default_factory=list)
    report_count: int = 0
    reports: List[str] = field(default_factory=list)  # "path:line:col: infer message", if kept

    def summary(self, modes: Sequence[str], seconds: float) -> str:
        return (
            f"{self.files:,} files, {self.lines:,} lines checked with rtsec-infer="
            f"{' and '.join(modes)} in {seconds:.0f}s; {len(self.skipped)} files skipped "
            f"(Python cannot parse them); {self.report_count:,} reports; "
            f"{len(self.crashes)} crashes"
        )


def stdlib_files() -> List[Path]:
    """Every `.py` file of the running interpreter's standard library."""
    lib = sysconfig.get_paths()["stdlib"]
    found = []
    for directory, subdirectories, names in os.walk(lib):
        subdirectories[:] = [name for name in subdirectories if name != "site-packages"]
        found.extend(Path(directory, name) for name in names if name.endswith(".py"))
    return sorted(found)


def corpus_files() -> List[Path]:
    """Every `.py` file of the downloaded corpora, tests included."""
    root = cache_dir()
    if not root.is_dir():
        return []
    releases = sorted(path for path in root.iterdir() if (path / ".complete").exists())
    return [path for release in releases for path in sorted(release.rglob("*.py"))]


def sample(paths: Sequence[Path], count: int) -> List[Path]:
    """`count` files spread evenly over `paths`: the same ones on every run."""
    if len(paths) <= count:
        return list(paths)
    return [paths[number * len(paths) // count] for number in range(count)]


def python_files(arguments: Iterable[str]) -> List[Path]:
    found = []
    for argument in arguments:
        path = Path(argument)
        found.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return found


def read_lines(path: Path) -> Optional[List[str]]:
    """The file's lines decoded as flake8 decodes them (coding cookie, BOM), or None."""
    data = path.read_bytes()
    try:
        encoding, _ = tokenize.detect_encoding(iter(data.splitlines(keepends=True)).__next__)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return None
    return text.splitlines(keepends=True)


def parse(lines: List[str]) -> Optional[ast.AST]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse("".join(lines))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


def check(tree: ast.AST, path: str, lines: List[str], config: options.Config) -> List[tuple]:
    """(line, column, message) of every family, in the order flake8 gets them."""
    previous = options._current
    options._current = config
    try:
        return [
            report[:3] for checker in CHECKERS for report in checker(tree, path, lines).run()
        ]
    finally:
        options._current = previous


def sweep(paths: Iterable[Path], modes: Sequence[str] = INFER_MODES, keep_reports=False):
    configs = [options.Config(enabled_codes=frozenset(BY_CODE), infer=mode) for mode in modes]
    result = Result()
    for path in paths:
        lines = read_lines(path)
        tree = parse(lines) if lines is not None else None
        if tree is None:
            result.skipped.append(path)
            continue
        result.files += 1
        result.lines += len(lines)
        for config in configs:
            try:
                reports = check(tree, str(path), lines, config)
            except Exception:
                LOG.exception("crash on %s with rtsec-infer=%s", path, config.infer)
                result.crashes.append(Crash(path, config.infer, traceback.format_exc()))
                continue
            result.report_count += len(reports)
            if keep_reports:
                result.reports.extend(
                    f"{path}:{line}:{column + 1}: {config.infer} {message}"
                    for line, column, message in reports
                )
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="files or directories (default: stdlib + corpora)")
    parser.add_argument("--infer", choices=[*INFER_MODES, "both"], default="both")
    parser.add_argument("--reports", type=Path, help="write every report to this file")
    parser.add_argument("--sample", type=int, help="only this many files, spread evenly")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")

    paths = python_files(arguments.paths) if arguments.paths else stdlib_files() + corpus_files()
    if arguments.sample:
        paths = sample(paths, arguments.sample)
    modes = INFER_MODES if arguments.infer == "both" else (arguments.infer,)
    started = time.monotonic()
    result = sweep(paths, modes, keep_reports=arguments.reports is not None)
    if arguments.reports:
        arguments.reports.write_text("".join(line + "\n" for line in result.reports))
    for crash in result.crashes:
        print(crash.describe())
    print(result.summary(modes, time.monotonic() - started))
    return 1 if result.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
