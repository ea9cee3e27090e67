"""flake8-rtsec's RTS2 next to the broad-except checks of its peers, on real code.

    python benchmarks/compare_peers.py                  # nova 34.0.0, non-test code
    python benchmarks/compare_peers.py --corpus cinder --details hits.tsv

Installs pinned peers in their own venvs under the corpus cache
(~/.cache/flake8-rtsec/peer-venvs): ruff (BLE001, E722, S110, S112), pylint
(W0718, W0702), flake8-bugbear (B001, B036) and flake8-blind-except
(B901, B902; its own venv, since its codes collide with bugbear's), and
this checkout with the same flake8.  Every tool runs over the same files;
each hit is mapped to the `except` handler it is about.

Every handler is classified once, by flake8-rtsec's path analysis: it
re-raises on every path, hands the exception object on, records the
traceback on every path that swallows, logs only a message on some path, or
swallows silently on some path.  The table shows, per tool, how many
handlers it flags and how they split over those classes: hits on handlers
that re-raise, hand the error on or log the traceback are the ones a user
has to read and dismiss.
"""

import argparse
import ast
import csv
import json
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

from corpus import cache_dir, fetch, source_files  # noqa: E402

from flake8_rtsec.analysis.broad import broad_type, catches_base_exception  # noqa: E402
from flake8_rtsec.analysis.index import FileIndex  # noqa: E402
from flake8_rtsec.analysis.paths import disposition  # noqa: E402
from flake8_rtsec.options import Config  # noqa: E402

FLAKE8 = "flake8==7.5.0"
VENVS = {
    "peers": ["ruff==0.17.5", "pylint==4.1.4", FLAKE8, "flake8-bugbear==26.10.27"],
    "blind-except": [FLAKE8, "flake8-blind-except==0.2.1"],
    "rtsec": [FLAKE8],
}
# Classes of handlers, in the order the table shows them.
REPORTABLE = ("silent", "message")
CORRECT = ("reraises", "hands-on", "traceback")
CLASSES = (*REPORTABLE, "base-logged", *CORRECT, "narrow")
HEADINGS = {
    "silent": "swallow, no log",
    "message": "swallow, no traceback",
    "base-logged": "bare/Base, logged",
    "reraises": "re-raise",
    "hands-on": "hand on",
    "traceback": "log traceback",
    "narrow": "not broad",
}


@dataclass(frozen=True)
class Handler:
    path: str
    line: int  # the `except` line
    header_end: int  # last line of `except ...:` (a long tuple spans several)
    end: int  # last line of the handler's body
    kind: Optional[str]  # broad type, or None for a narrow handler
    klass: str  # one of CLASSES


def classify(root: Path, files: List[Path]) -> Dict[str, List[Handler]]:
    """Every `except` handler of the files, classified by flake8-rtsec's analysis."""
    config = Config()
    handlers: Dict[str, List[Handler]] = {}
    for path in files:
        source = path.read_text()
        tree = ast.parse(source)
        index = FileIndex(tree, str(path), source.splitlines(keepends=True), config)
        found = []
        name = _relative(root, path)
        for node in index.nodes(ast.ExceptHandler):
            kind = broad_type(index, node.type)
            if kind is None:
                klass = "narrow"
            else:
                klass = disposition(index, node)
                if catches_base_exception(kind) and klass == "traceback":
                    klass = "base-logged"  # RTS203: logging does not make it right
            header_end = node.type.end_lineno if node.type is not None else node.lineno
            found.append(
                Handler(name, node.lineno, header_end, node.end_lineno, kind, klass)
            )
        handlers[name] = found
    return handlers


def _relative(root: Path, path) -> str:
    return str(Path(path).resolve().relative_to(root.resolve()))


def handler_at(handlers: List[Handler], line: int) -> Optional[Handler]:
    """The handler a hit on `line` is about: the one whose `except ...:` header
    holds the line, else the innermost one whose body does."""
    for handler in handlers:
        if handler.line <= line <= handler.header_end:
            return handler
    holding = [h for h in handlers if h.line <= line <= h.end]
    return max(holding, key=lambda h: h.line) if holding else None


def venv(name: str) -> Path:
    path = cache_dir().parent / "peer-venvs" / name
    python = path / "bin" / "python"
    mine = [str(ROOT)] if name == "rtsec" else []
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        pip(python, *VENVS[name], *mine)
    elif mine:
        pip(python, "--force-reinstall", "--no-deps", *mine)  # the checkout moves
    return path


def pip(python: Path, *arguments) -> None:
    command = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    result = subprocess.run([*command, *arguments], capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"pip install {' '.join(arguments)} failed:\n{result.stderr}")


def run(command, cwd: Path) -> str:
    """A tool's output; linters exit non-zero when they found something."""
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode and not result.stdout.strip():
        raise SystemExit(f"{command[0]} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def ruff_hits(environment: Path, root: Path, files: List[str]):
    output = run(
        [
            str(environment / "bin" / "ruff"),
            "check",
            "--isolated",
            "--no-cache",
            "--select=BLE001,E722,S110,S112",
            "--output-format=json",
            *files,
        ],
        root,
    )
    for hit in json.loads(output or "[]"):
        yield "ruff", hit["code"], _relative(root, hit["filename"]), hit["location"]["row"]


def pylint_hits(environment: Path, root: Path, files: List[str]):
    output = run(
        [
            str(environment / "bin" / "pylint"),
            "--rcfile=/dev/null",
            "--disable=all",
            "--enable=W0718,W0702",
            "--output-format=json2",
            "--score=n",
            "--persistent=n",
            "--jobs=4",
            *files,
        ],
        root,
    )
    for hit in json.loads(output or "{}").get("messages", []):
        yield "pylint", hit["messageId"], _relative(root, root / hit["path"]), hit["line"]


def flake8_hits(tool: str, environment: Path, root: Path, files: List[str], select: str):
    output = run(
        [
            str(environment / "bin" / "flake8"),
            "--isolated",
            f"--select={select}",
            "--format=%(path)s\t%(row)d\t%(code)s",
            *files,
        ],
        root,
    )
    for line in output.splitlines():
        path, row, code = line.split("\t")
        yield tool, code, _relative(root, root / path), int(row)


TOOLS = (
    "ruff BLE001+E722+S110+S112",
    "pylint W0718+W0702",
    "bugbear B001+B036",
    "blind-except B901+B902",
    "flake8-rtsec RTS2",
)


def collect(root: Path, files: List[str]):
    peers, blind, rtsec = venv("peers"), venv("blind-except"), venv("rtsec")
    yield from (("ruff BLE001+E722+S110+S112", *hit[1:]) for hit in ruff_hits(peers, root, files))
    yield from (("pylint W0718+W0702", *hit[1:]) for hit in pylint_hits(peers, root, files))
    yield from flake8_hits("bugbear B001+B036", peers, root, files, "B001,B036")
    yield from flake8_hits("blind-except B901+B902", blind, root, files, "B901,B902")
    yield from flake8_hits("flake8-rtsec RTS2", rtsec, root, files, "RTS2")


def table(handlers: Dict[str, List[Handler]], flagged: Dict[str, set]) -> str:
    every = [h for found in handlers.values() for h in found]
    totals = Counter(h.klass for h in every)
    to_report = {h for h in every if h.klass in (*REPORTABLE, "base-logged")}
    columns = ["tool", "handlers flagged", *(HEADINGS[k] for k in CLASSES)]
    columns += ["re-raise, hand on or traceback among hits", "precision", "recall"]
    rows = ["| " + " | ".join(columns) + " |"]
    rows.append("|---" * (len(CLASSES) + 5) + "|")
    rows.append(
        f"| (all handlers) | {sum(totals[k] for k in CLASSES if k != 'narrow')} broad | "
        + " | ".join(str(totals[k]) for k in CLASSES)
        + " | | | |"
    )
    for tool in TOOLS:
        hits = flagged.get(tool, set())
        split = Counter(h.klass for h in hits)
        correct = sum(split[k] for k in CORRECT)
        found = len(hits & to_report)
        precision = found / len(hits) if hits else 0.0
        recall = found / len(to_report) if to_report else 0.0
        rows.append(
            f"| {tool} | {len(hits)} | "
            + " | ".join(str(split[k]) for k in CLASSES)
            + f" | {correct} | {precision:.2f} | {recall:.2f} |"
        )
    return "\n".join(rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="nova")
    parser.add_argument("--details", help="write every hit with its handler's class here (TSV)")
    options = parser.parse_args(argv)

    root = fetch(options.corpus)
    files = list(source_files(root))
    handlers = classify(root, files)
    relative = [_relative(root, path) for path in files]
    flagged: Dict[str, set] = defaultdict(set)
    details = []
    unmatched = Counter()
    for tool, code, path, line in collect(root, relative):
        handler = handler_at(handlers.get(path, []), line)
        if handler is None:
            unmatched[tool] += 1
            continue
        flagged[tool].add(handler)
        details.append((tool, code, path, line, handler.line, handler.kind or "", handler.klass))
    broad = sum(1 for found in handlers.values() for h in found if h.kind)
    print(f"{options.corpus}: {len(files)} non-test modules, {broad} broad handlers")
    print(table(handlers, flagged))
    print(
        "Classes come from flake8-rtsec's own analysis, so its row matches them by "
        "construction; read its reports to measure its precision."
    )
    if unmatched:
        ignored = ", ".join(f"{tool}: {count}" for tool, count in unmatched.items())
        print(f"hits on no handler (ignored): {ignored}")
    if options.details:
        with open(options.details, "w", newline="") as stream:
            writer = csv.writer(stream, delimiter="\t")
            writer.writerow(("tool", "code", "path", "line", "handler_line", "broad", "class"))
            writer.writerows(sorted(details))


if __name__ == "__main__":
    main()
