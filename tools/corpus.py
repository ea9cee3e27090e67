"""Download pinned OpenStack releases into a cache outside the repository.

    python tools/corpus.py            # fetch every pinned release, print paths
    python tools/corpus.py nova       # just one

The wheels come from PyPI and are unpacked under $RTSEC_CORPUS_DIR
(default ~/.cache/flake8-rtsec/corpus).  Nothing here is ever committed.
Tests and benchmarks call `corpus_path(name)`, which returns None when the
release is not there, so they can skip with a clear reason.
"""

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Optional

PINNED = {"nova": "34.0.0", "cinder": "29.0.0", "os-brick": "7.1.1"}


def cache_dir() -> Path:
    default = Path.home() / ".cache" / "flake8-rtsec" / "corpus"
    return Path(os.environ.get("RTSEC_CORPUS_DIR", default))


def corpus_path(name: str) -> Optional[Path]:
    """The unpacked release of `name`, or None if it was not fetched."""
    path = cache_dir() / f"{name}-{PINNED[name]}"
    return path if (path / ".complete").exists() else None


def fetch(name: str) -> Path:
    existing = corpus_path(name)
    if existing:
        return existing
    target = cache_dir() / f"{name}-{PINNED[name]}"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as download:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                download,
                f"{name}=={PINNED[name]}",
            ],
            check=True,
        )
        (wheel,) = Path(download).glob("*.whl")
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(target)
    (target / ".complete").write_text(PINNED[name] + "\n")
    return target


def source_files(root: Path, include_tests: bool = False):
    """The release's Python files, without its test suite unless asked."""
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if parts[0].endswith((".data", ".dist-info")):
            continue
        if not include_tests and "tests" in parts:
            continue
        yield path


def main(names) -> None:
    for name in names or PINNED:
        print(fetch(name))


if __name__ == "__main__":
    main(sys.argv[1:])
