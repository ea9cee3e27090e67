"""Every file in tests/examples/ through flake8: reports land exactly where annotated.

A line that should report ends with a comment naming the codes (`# RTS101`,
`# RTS201, RTS203`); every other line must stay silent.  A file may start
with `# rtsec-options: ...` to pass flake8 options.  Files sharing the same
options are checked in one flake8 process.
"""

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from flake8_run import flake8

EXAMPLES = Path(__file__).parent / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.py"))

_EXPECTATION = re.compile(r"#\s*(RTS\d{3}(?:\s*,\s*RTS\d{3})*)\s*$")
_OPTIONS = re.compile(r"#\s*rtsec-options:\s*(.*)$")
_REPORT = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<code>RTS\d{3})$")


def expected_reports(path: Path):
    expected = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = _EXPECTATION.search(line)
        if match:
            expected.update((number, code.strip()) for code in match.group(1).split(","))
    return expected


def options_of(path: Path):
    first = path.read_text().splitlines()[0]
    match = _OPTIONS.match(first)
    return tuple(match.group(1).split()) if match else ()


@pytest.fixture(scope="module")
def actual_reports():
    by_options = defaultdict(list)
    for path in EXAMPLE_FILES:
        by_options[options_of(path)].append(path)
    reports = defaultdict(set)
    for options, paths in by_options.items():
        result = flake8(
            "--isolated",
            "--select=RTS",
            "--format=%(path)s:%(row)d:%(code)s",
            *options,
            *map(str, paths),
        )
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        for line in result.stdout.splitlines():
            match = _REPORT.match(line)
            assert match, f"unexpected flake8 output: {line!r}"
            reports[Path(match["path"]).name].add((int(match["line"]), match["code"]))
    return reports


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_example(path, actual_reports):
    try:
        ast.parse(path.read_text())
    except SyntaxError:
        pytest.skip(f"Python {sys.version_info[:2]} cannot parse {path.name}")
    assert sorted(actual_reports[path.name]) == sorted(expected_reports(path))
