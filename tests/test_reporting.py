"""How reports reach flake8: once it has let the file's tree go, and only for their file.

flake8 tokenizes a file a second time, for its noqa map, when the file's
first report arrives; the family entry points hold their reports until the
logical-line entry point hands them over, so that this happens when nothing
holds the tree any more (see `checkers.report_held`).  pyflakes leaves the
tree in a reference cycle, so "let go" means: a collection frees it.
"""

import ast
import gc
import weakref

import pytest
from checkers_in_process import EVERY_CODE
from flake8.api import legacy
from flake8.processor import FileProcessor
from test_cli import SOURCE as COUNTER

from flake8_rtsec import options
from flake8_rtsec.checkers import LockPlugin, report_held

# test_cli's counter, with a second write that noqa silences.
SOURCE = COUNTER + "\n    def clear(self):\n        self.value = None  # noqa: RTS101\n"


@pytest.mark.parametrize("infer", ["module", "project"])
def test_noqa_map_is_built_once_nothing_holds_the_tree(tmp_path, monkeypatch, capsys, infer):
    path = tmp_path / "counter.py"
    path.write_text(SOURCE)
    monkeypatch.setattr(options, "_current", options.current())
    trees, tree_alive_at_noqa = [], []
    build_ast, noqa_line_for = FileProcessor.build_ast, FileProcessor.noqa_line_for

    def recorded_build_ast(processor):
        tree = build_ast(processor)
        trees.append(weakref.ref(tree))
        return tree

    def recorded_noqa_line_for(processor, line_number):
        gc.collect()
        tree_alive_at_noqa.append(trees[-1]() is not None)
        return noqa_line_for(processor, line_number)

    monkeypatch.setattr(FileProcessor, "build_ast", recorded_build_ast)
    monkeypatch.setattr(FileProcessor, "noqa_line_for", recorded_noqa_line_for)
    style = legacy.get_style_guide(select=["RTS"], rtsec_infer=infer)

    style.check_files([str(path)])

    assert capsys.readouterr().out.splitlines() == [
        f"{path}:14:9: RTS101 write to self.value outside self._lock"
        " (written under it at line 11); take the lock",
    ]
    assert tree_alive_at_noqa == [False, False]


def test_held_reports_reach_only_their_own_file(monkeypatch):
    monkeypatch.setattr(options, "_current", EVERY_CODE)
    lines = SOURCE.replace("  # noqa: RTS101", "").splitlines(keepends=True)
    other_lines = ["x = 1\n"]

    assert LockPlugin(ast.parse("".join(lines)), "counter.py", lines).run() == ()

    assert report_held("x = 1", other_lines) == ()
    reported = report_held("import threading", lines)
    assert [(position, text.split()[0]) for position, text in reported] == [
        ((14, 8), "RTS101"),
        ((17, 8), "RTS107"),
        ((24, 8), "RTS101"),
    ]
    assert report_held("class Counter:", lines) == ()
