"""The plugin alone, in this process: CPU seconds of each part, as JSON.

    python benchmarks/plugin_time.py --infer module FILE...
    python benchmarks/plugin_time.py --scaling 1000 20000

`bench.py` runs this with the benchmark's `rtsec` venv, once per round in a
fresh process, so astroid starts cold as it does in a flake8 run.  Files are
parsed first and not timed; then, per file, the shared index is built and
the four families run in flake8's order with every default-on code enabled.
A family's time includes the shared facts it is the first to ask for.
`astroid` is the time spent inside `rtsec-infer=project` look-ups (astroid's
import included), which the families' times also contain.
"""

import argparse
import ast
import gc
import json
import sys
import time
import warnings

from synthetic import module_source

from flake8_rtsec import options
from flake8_rtsec.analysis import infer
from flake8_rtsec.analysis.index import index_for
from flake8_rtsec.checkers.excepts import ExceptChecker
from flake8_rtsec.checkers.locks import LockChecker
from flake8_rtsec.checkers.logs import LogChecker
from flake8_rtsec.checkers.resources import ResourceChecker

CHECKERS = (LockChecker, ExceptChecker, LogChecker, ResourceChecker)


class AstroidTimer:
    """Wraps the one entry into astroid and adds up its CPU time."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._original = infer.imported_constant
        infer.imported_constant = self

    def __call__(self, *arguments):
        started = time.process_time()
        try:
            return self._original(*arguments)
        finally:
            self.seconds += time.process_time() - started


def parsed(sources):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        files = [(name, ast.parse(text), text.splitlines(keepends=True)) for name, text in sources]
    # The parser's allocations would otherwise trigger a full collection
    # inside the timed part and bill it to whichever family runs then.
    gc.collect()
    return files


def time_plugin(files, infer_mode: str) -> dict:
    """CPU seconds of the index and of each family over `files`."""
    config = options.Config(infer=infer_mode)
    options._current = config
    astroid = AstroidTimer()
    parts = {"index": 0.0, **{checker.family: 0.0 for checker in CHECKERS}}
    for name, tree, lines in files:
        started = time.process_time()
        index_for(tree, name, lines, config)
        parts["index"] += time.process_time() - started
        for checker in CHECKERS:
            started = time.process_time()
            for _ in checker(tree, name, lines).run():
                pass
            parts[checker.family] += time.process_time() - started
    parts["total"] = sum(parts.values())
    parts["astroid"] = astroid.seconds
    parts["lines"] = sum(len(lines) for _, _, lines in files)
    return parts


def read(paths):
    return [(path, open(path, encoding="utf-8").read()) for path in paths]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--infer", default="module")
    parser.add_argument("--scaling", type=int, nargs="+", metavar="LINES")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (--scaling)")
    parser.add_argument("paths", nargs="*")
    arguments = parser.parse_args(argv)
    if arguments.scaling:
        result = {}
        for size in arguments.scaling:
            source = module_source(size)
            runs = [
                time_plugin(parsed([(f"generated_{size}.py", source)]), arguments.infer)
                for _ in range(arguments.repeat)
            ]
            result[size] = {
                "lines": runs[0]["lines"],
                "seconds": sorted(run["total"] for run in runs)[len(runs) // 2],
            }
    else:
        result = time_plugin(parsed(read(arguments.paths)), arguments.infer)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
