"""Running the four checkers in this process, for properties flake8 cannot show."""

import ast

from flake8_rtsec import options
from flake8_rtsec.checkers.excepts import ExceptChecker
from flake8_rtsec.checkers.locks import LockChecker
from flake8_rtsec.checkers.logs import LogChecker
from flake8_rtsec.checkers.resources import ResourceChecker
from flake8_rtsec.rules import BY_CODE

CHECKERS = (LockChecker, ExceptChecker, LogChecker, ResourceChecker)
EVERY_CODE = options.Config(enabled_codes=frozenset(BY_CODE))


def run_all(tree: ast.AST, source: str, filename: str = "example.py", config=EVERY_CODE):
    """(line, column, code) reports of every family, as flake8 would get them."""
    previous = options._current
    options._current = config
    try:
        lines = source.splitlines(keepends=True)
        return sorted(
            (line, column, message.split()[0])
            for checker in CHECKERS
            for line, column, message, _ in checker(tree, filename, lines).run()
        )
    finally:
        options._current = previous
