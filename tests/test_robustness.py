"""The tree flake8 shares is never changed, and odd but valid code never crashes us."""

import ast
import gc
import sys
import textwrap
import weakref
from pathlib import Path

import pytest
from checkers_in_process import EVERY_CODE, run_all
from flake8_run import flake8

from flake8_rtsec import options

PROJECT = options.Config(enabled_codes=EVERY_CODE.enabled_codes, infer="project")

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_tree_is_identical_after_every_family_ran(path):
    source = path.read_text()
    tree = ast.parse(source)
    before = ast.dump(tree, include_attributes=True)
    reports = run_all(tree, source, str(path))
    assert reports, "the example should report something"
    assert ast.dump(tree, include_attributes=True) == before


def test_no_tree_outlives_its_file():
    """Once every family ran on a file, nothing of ours holds its tree (a
    cache that did would keep every file's tree until flake8 exits)."""
    source = EXAMPLES[0].read_text()
    tree = ast.parse(source)
    collector_was_on = gc.isenabled()
    gc.disable()  # freed by reference counting alone: no cycles either
    try:
        assert run_all(tree, source)
        gone = weakref.ref(tree)
        del tree
        assert gone() is None
    finally:
        if collector_was_on:
            gc.enable()


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


def _elif_chain(depth):
    branches = "".join("    elif ready:\n        LOG.info('waiting')\n" for _ in range(depth))
    return "try:\n    pass\nexcept Exception:\n    if ready:\n        pass\n" + branches


# Each of these made the plugin raise RecursionError before it walked them in
# a loop (valid Python: the parser of 3.11 takes ~900 levels, 3.13's ~3000).
DEEP_SOURCES = {
    "attribute-chain-secret": lambda depth: "LOG.info(" + "x." * depth + "password)\n",
    "subscript-chain-secret": lambda depth: "LOG.info(x" + "[0]" * depth + "['password'])\n",
    "call-chain-lock-name": lambda depth: (
        "class A:\n    @utils.synchronized(f" + "()" * depth + ")\n"
        "    def g(self):\n        self.a = 1\n    def h(self):\n        self.a = 2\n"
    ),
    "attribute-chain-except": lambda depth: (
        "try:\n    pass\nexcept " + "x." * depth + "Error:\n    pass\n"
    ),
    "attribute-chain-acquire": lambda depth: (
        "import threading\nLOCK = threading.Lock()\n" + "x." * depth + "acquire()\n"
    ),
    "elif-chain-in-handler": _elif_chain,
    "binary-chain-secret": lambda depth: "LOG.info(" + " + ".join(["password"] * depth) + ")\n",
    "resource-key-chain": lambda depth: (
        "def f(resources):\n    return resources" + "['a']" * depth + "\n"
    ),
}


@pytest.mark.parametrize("depth", [600, 1400, 2900])
@pytest.mark.parametrize("case", sorted(DEEP_SOURCES))
def test_deeply_nested_code_does_not_raise_recursion_error(case, depth):
    source = DEEP_SOURCES[case](depth)
    try:
        tree = ast.parse(source)
    except (SyntaxError, RecursionError, MemoryError):
        pytest.skip(f"this Python cannot parse {depth} levels")
    for config in (EVERY_CODE, PROJECT):
        run_all(tree, source, config=config)


def test_a_long_elif_chain_still_finds_the_silent_branch():
    source = _elif_chain(700).replace("        pass\n", "        LOG.info('x')\n", 1)
    source += "    else:\n        pass\n"
    tree = ast.parse(source)
    assert run_all(tree, source) == [(3, 0, "RTS201")]


# -- encodings, through the real flake8 -------------------------------------

TRACKER = textwrap.dedent(
    """\
    import logging
    import threading

    LOG = logging.getLogger(__name__)


    class Pool:
        \"\"\"Réserve les ressources: café, naïve, ü.\"\"\"

        def __init__(self):
            self._lock = threading.Lock()
            self.free = {}

        def take(self, node):
            with self._lock:
                self.free[node] = "occupé"

        def drop(self, node, password):
            self.free.pop(node, None)
            LOG.info("réinitialisé %s", password)
            try:
                node.ping()
            except Exception:
                pass
    """
)
EXPECTED = ["19:9: RTS101", "20:9: RTS301", "23:9: RTS201"]


def _reports(path):
    """`line:column: CODE` of every report flake8 prints for `path`."""
    result = flake8("--isolated", "--select=RTS,E999,E902", str(path))
    assert "failed during execution" not in result.stdout + result.stderr
    return [
        " ".join(line[len(str(path)) + 1:].split(" ", 2)[:2])
        for line in result.stdout.splitlines()
    ]


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: ("# -*- coding: latin-1 -*-\n" + text).encode("latin-1"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf-8", "latin-1-cookie", "utf-8-bom", "crlf", "bom-and-crlf"],
)
def test_encodings_give_the_same_reports(tmp_path, encode):
    path = tmp_path / "pool.py"
    data = encode(TRACKER)
    path.write_bytes(data)
    shift = 1 if data.startswith(b"# -*-") else 0
    expected = [
        f"{int(line) + shift}:{rest}" for line, rest in (item.split(":", 1) for item in EXPECTED)
    ]
    assert _reports(path) == expected


# -- newer syntax, through the real flake8 ----------------------------------

NEWER_SYNTAX = {
    "match-secret": (
        (3, 10),
        """\
        import logging
        LOG = logging.getLogger(__name__)
        def f(message):
            match message:
                case {"password": password}:
                    LOG.info("got %s", password)
                case _:
                    pass
        """,
        ["6:13: RTS301"],
    ),
    "except-star": (
        (3, 11),
        """\
        def f(task):
            try:
                task()
            except* Exception:
                pass
        """,
        ["4:5: RTS201"],
    ),
    "pep695-generic-class": (
        (3, 12),
        """\
        import threading
        class Box[T]:
            def __init__(self):
                self._lock = threading.Lock()
                self.items: list[T] = []
            def add[U](self, item: T, extra: U) -> None:
                with self._lock:
                    self.items.append(item)
            def clear(self) -> None:
                self.items.clear()
        """,
        ["10:9: RTS101"],
    ),
    "type-statement": (
        (3, 12),
        """\
        import logging
        type Secret[T] = dict[str, T]
        LOG = logging.getLogger(__name__)
        def f[T](token: Secret[T]) -> None:
            LOG.debug("token %s", token)
        """,
        ["5:5: RTS301"],
    ),
    "type-parameter-defaults": (
        (3, 13),
        """\
        def f[T = int](x: T) -> T:
            try:
                return x
            except BaseException:
                return x
        """,
        ["4:5: RTS203"],
    ),
}


@pytest.mark.parametrize("case", sorted(NEWER_SYNTAX))
def test_newer_syntax_through_flake8(tmp_path, case):
    version, source, expected = NEWER_SYNTAX[case]
    source = textwrap.dedent(source)
    try:
        ast.parse(source)
    except SyntaxError:
        pytest.skip(f"needs Python {'.'.join(map(str, version))}")
    assert sys.version_info >= version
    path = tmp_path / "newer.py"
    path.write_text(source)
    assert _reports(path) == expected
