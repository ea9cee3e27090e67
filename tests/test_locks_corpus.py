"""RTS1 on Nova's ResourceTracker, the model case, and on mutations of it.

The file comes from the nova 34.0.0 release downloaded by `tools/corpus.py`
(never committed); every test here is skipped when it is absent.
Mutations are text edits written to a temporary copy.
"""

import ast
import re
import sys
from pathlib import Path

import pytest
from flake8_run import flake8

sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))

from corpus import corpus_path  # noqa: E402

NOVA = corpus_path("nova")
TRACKER = NOVA / "nova" / "compute" / "resource_tracker.py" if NOVA else None

pytestmark = pytest.mark.skipif(
    TRACKER is None or not TRACKER.exists(),
    reason="nova 34.0.0 is not downloaded: run `python tools/corpus.py nova`",
)

DECORATOR = "@utils.synchronized(COMPUTE_RESOURCE_SEMAPHORE, fair=True)"
PLAIN_DECORATOR = "@utils.synchronized(COMPUTE_RESOURCE_SEMAPHORE)"


def rts1_reports(path):
    result = flake8("--isolated", "--select=RTS1", "--format=%(row)d %(code)s", str(path))
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return sorted(
        (int(line.split()[0]), line.split()[1]) for line in result.stdout.splitlines()
    )


def method_lines(source, name):
    """First and last line of the ResourceTracker method `name`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node.lineno, node.end_lineno
    raise AssertionError(f"no method {name}")


def test_remove_node_pops_are_the_only_reports():
    source = TRACKER.read_text()
    first, last = method_lines(source, "remove_node")
    pops = [
        number
        for number, line in enumerate(source.splitlines(), start=1)
        if first <= number <= last and ".pop(nodename, None)" in line
    ]
    assert pops == [888, 889, 890]
    optional = set()
    for name in ("build_failed", "build_succeeded"):
        start, end = method_lines(source, name)
        optional.update((number, "RTS101") for number in range(start, end + 1))
    reports = set(rts1_reports(TRACKER))
    assert {(line, "RTS101") for line in pops} <= reports
    assert reports - {(line, "RTS101") for line in pops} <= optional


def test_reentering_without_fair_is_a_deadlock(tmp_path):
    source = TRACKER.read_text()
    assert source.count(DECORATOR) == 17
    mutated = source.replace(DECORATOR, PLAIN_DECORATOR)
    anchor = "        self._update_usage_from_instance(context, instance, nodename)\n"
    start, end = method_lines(mutated, "instance_claim")
    lines = mutated.splitlines(keepends=True)
    position = next(
        number for number in range(start, end) if lines[number - 1] == anchor
    )
    call = "        self.update_usage(context, instance, nodename)\n"
    lines.insert(position, call)
    path = tmp_path / "resource_tracker.py"
    path.write_text("".join(lines))
    reports = rts1_reports(path)
    assert [r for r in reports if r[1] == "RTS103"] == [(position + 1, "RTS103")]
    assert not [r for r in reports if r[1] == "RTS106"]


def test_the_same_call_with_fair_locks_is_fine(tmp_path):
    source = TRACKER.read_text()
    anchor = "        self._update_usage_from_instance(context, instance, nodename)\n"
    mutated = source.replace(
        anchor, anchor + "        self.update_usage(context, instance, nodename)\n", 1
    )
    assert mutated != source
    path = tmp_path / "resource_tracker.py"
    path.write_text(mutated)
    assert not [r for r in rts1_reports(path) if r[1] == "RTS103"]


def test_one_plain_decorator_mixes_fairness(tmp_path):
    source = TRACKER.read_text()
    lines = source.splitlines(keepends=True)
    start, _ = method_lines(source, "update_usage")
    decorator_line = start - 1
    assert lines[decorator_line - 1].strip() == DECORATOR
    lines[decorator_line - 1] = lines[decorator_line - 1].replace(DECORATOR, PLAIN_DECORATOR)
    path = tmp_path / "resource_tracker.py"
    path.write_text("".join(lines))
    reports = rts1_reports(path)
    assert [r for r in reports if r[1] == "RTS106"] == [(decorator_line, "RTS106")]


def test_message_names_the_lock_and_a_guarded_line():
    result = flake8("--isolated", "--select=RTS101", str(TRACKER))
    messages = [line for line in result.stdout.splitlines() if ":888:" in line]
    assert len(messages) == 1
    assert re.search(r"self\.stats outside lock 'compute_resources' \(written under it "
                     r"at line \d+\)", messages[0])
