"""Running the real flake8 executable, as users do."""

import os
import subprocess
import sys
from pathlib import Path

FLAKE8 = Path(sys.executable).with_name("flake8")


def flake8(*arguments, cwd=None, stdin=None) -> subprocess.CompletedProcess:
    """Run flake8 with only our configuration: `--isolated` unless a test
    brings its own config file."""
    command = [str(FLAKE8)] if FLAKE8.exists() else [sys.executable, "-m", "flake8"]
    return subprocess.run(
        [*command, *arguments],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore::SyntaxWarning"},
        check=False,
    )
