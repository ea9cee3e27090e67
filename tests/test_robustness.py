"""The tree flake8 shares is never changed, and odd but valid code never crashes us."""

import ast
from pathlib import Path

import pytest
from checkers_in_process import run_all

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_tree_is_identical_after_every_family_ran(path):
    source = path.read_text()
    tree = ast.parse(source)
    before = ast.dump(tree, include_attributes=True)
    reports = run_all(tree, source, str(path))
    assert reports, "the example should report something"
    assert ast.dump(tree, include_attributes=True) == before


def _deep_blocks(depth):
    lines = ["def f(items, LOG):"]
    for level in range(1, depth + 1):
        lines.append("    " * level + "try:")
    lines.append("    " * (depth + 1) + "pass")
    for level in range(depth, 0, -1):
        lines.append("    " * level + "except Exception:")
        lines.append("    " * (level + 1) + "LOG.info('x %s', items)")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "source",
    [
        "x = " + "+".join(["password"] * 2500) + "\nLOG.info(x)\n",
        "LOG.info(" + "(" * 150 + "password" + ")" * 150 + ")\n",
        _deep_blocks(98),
        "class A:\n"
        + "".join(f"    def _m{i}(self):\n        self._m{i + 1}()\n" for i in range(400)),
    ],
    ids=["long-expression", "deep-parentheses", "deep-blocks", "long-call-chain"],
)
def test_pathological_but_valid_code_does_not_crash(source):
    tree = ast.parse(source)
    run_all(tree, source)


@pytest.mark.parametrize(
    "source",
    [
        "match x:\n    case {'password': p}:\n        LOG.info(p)\n    case _:\n        pass\n",
        "type Alias[T] = list[T]\ndef f[T](x: T) -> T:\n    return x\n",
        "try:\n    pass\nexcept* Exception:\n    pass\n",
        "async def f(lock):\n    async with lock:\n        pass\n",
        "lambda: (yield)\n",
        "",
    ],
    ids=["match", "pep695", "except-star", "async-with", "yield-lambda", "empty"],
)
def test_newer_syntax_does_not_crash(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        pytest.skip("this Python does not parse it")
    run_all(tree, source)
