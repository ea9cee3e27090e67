"""A sample of the no-crash sweep (`tools/sweep.py`), and the sweep's own checks.

The full sweep runs every check over the whole standard library and the
downloaded OpenStack releases; here the same code runs over 40 standard
library files and 40 corpus files, spread evenly and the same on every run.
"""

import ast
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import sweep  # noqa: E402

from flake8_rtsec import options  # noqa: E402
from flake8_rtsec.analysis.index import FileIndex  # noqa: E402
from flake8_rtsec.checkers.excepts import ExceptChecker  # noqa: E402

STDLIB_SAMPLE = sweep.sample(sweep.stdlib_files(), 40)
CORPUS_SAMPLE = sweep.sample(sweep.corpus_files(), 40)


def test_stdlib_sample_does_not_crash():
    result = sweep.sweep(STDLIB_SAMPLE)
    assert not result.crashes, "\n".join(crash.describe() for crash in result.crashes)
    assert result.files >= 35, "the sample should be mostly parseable code"


@pytest.mark.skipif(not CORPUS_SAMPLE, reason="corpus not downloaded (python tools/corpus.py)")
def test_corpus_sample_does_not_crash():
    result = sweep.sweep(CORPUS_SAMPLE)
    assert not result.crashes, "\n".join(crash.describe() for crash in result.crashes)
    assert result.files == len(CORPUS_SAMPLE)


def test_sample_is_the_same_on_every_run():
    assert sweep.sample(sweep.stdlib_files(), 40) == STDLIB_SAMPLE
    assert len(set(STDLIB_SAMPLE)) == 40


def test_sweep_lists_a_crash_with_file_and_traceback(tmp_path, monkeypatch):
    module = tmp_path / "handler.py"
    module.write_text("try:\n    pass\nexcept Exception:\n    pass\n")

    def broken_check(index):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(ExceptChecker, "check", staticmethod(broken_check))
    assert sweep.main([str(tmp_path), "--infer", "module"]) == 1
    result = sweep.sweep([module], ["module", "project"])
    assert [(crash.path, crash.infer) for crash in result.crashes] == [
        (module, "module"),
        (module, "project"),
    ]
    assert "ZeroDivisionError: planted" in result.crashes[0].traceback
    assert "RTS2" in result.crashes[0].traceback


def test_sweep_skips_what_python_cannot_parse_and_counts_the_rest(tmp_path):
    (tmp_path / "broken.py").write_text("def f(:\n")
    (tmp_path / "undecodable.py").write_bytes(b"# -*- coding: no-such-codec -*-\nx = 1\n")
    (tmp_path / "fine.py").write_text("x = 1\ny = 2\n")
    result = sweep.sweep(sweep.python_files([str(tmp_path)]), keep_reports=True)
    assert sorted(path.name for path in result.skipped) == ["broken.py", "undecodable.py"]
    assert (result.files, result.lines, result.crashes) == (1, 2, [])
    assert sweep.main([str(tmp_path)]) == 0


@pytest.mark.parametrize("path", STDLIB_SAMPLE[:10], ids=lambda path: path.name)
def test_index_holds_every_node_with_its_parent(path):
    """The index's fast walk finds what `ast.iter_child_nodes` finds, in order."""
    lines = sweep.read_lines(path)
    tree = sweep.parse(lines) if lines else None
    if tree is None:
        pytest.skip("Python cannot parse it")
    index = FileIndex(tree, str(path), lines, options.Config())
    expected_parents = {}
    expected_order = []
    stack = [tree]
    while stack:
        node = stack.pop()
        expected_order.append(node)
        children = [
            child for child in ast.iter_child_nodes(node) if not isinstance(child, _SHARED)
        ]
        for child in children:
            expected_parents[child] = node
        stack.extend(reversed(children))
    assert index.parents == expected_parents
    for kind in {type(node) for node in expected_order}:
        assert index.nodes(kind) == [node for node in expected_order if type(node) is kind]


_SHARED = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
