"""What flake8-rtsec costs a flake8 run, measured on real code.

    python benchmarks/bench.py                     # nova slice, 5 rounds
    python benchmarks/bench.py --rounds 3 --paths nova/compute/resource_tracker.py

Builds side-by-side venvs (cached next to the corpus) that share one flake8
version: `plain` (flake8 alone), `rtsec` (plus this checkout), and
`bugbear` (plus flake8-bugbear and flake8-blind-except, the anchor).  Every
configuration runs once per round, in alternating order, with `-j1`; the
table shows the median CPU seconds of the flake8 process, the ratio to plain
flake8 measured in the same run, and its peak memory.

The `rtsec` venv also runs with only some codes selected: since a family with
no selected code does no work, `--select E,F,W,C90,RTS1` minus
`--select E,F,W,C90` is what RTS1 costs, and the latter minus `plain` is what
the installed-but-unselected plugin costs every user.
"""

import argparse
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from corpus import cache_dir, fetch, source_files  # noqa: E402

FLAKE8 = "flake8==7.5.0"
PEERS = ["flake8-bugbear==26.10.27", "flake8-blind-except==0.2.1"]
DEFAULT_PATHS = ["nova/compute", "nova/virt/libvirt"]
BASE_SELECT = "E,F,W,C90"

_MEASURE = textwrap.dedent(
    """
    import resource, subprocess, sys
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
    """
)


def venv(name: str, packages) -> Path:
    """A venv under the cache; `rtsec` is reinstalled each time (the code moves)."""
    path = cache_dir().parent / "bench-venvs" / name
    python = path / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        pip(python, FLAKE8, *packages)
    elif name == "rtsec":
        pip(python, "--force-reinstall", "--no-deps", *packages)
    return path


def pip(python: Path, *arguments) -> None:
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *arguments],
        check=True,
    )


def measure(environment: Path, arguments) -> tuple:
    flake8 = environment / "bin" / "flake8"
    output = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(flake8), "--isolated", "-j1", *arguments],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(output[0]), int(output[1]) / 1024


def configurations(environments, paths, infer_modes):
    plain, rtsec, bugbear = environments
    rows = [
        ("plain flake8", plain, []),
        ("flake8 + bugbear + blind-except", bugbear, []),
        ("rtsec installed, not selected", rtsec, [f"--select={BASE_SELECT}"]),
    ]
    for mode in infer_modes:
        rows.append((f"flake8 + rtsec (infer={mode})", rtsec, [f"--rtsec-infer={mode}"]))
    for family in ("RTS1", "RTS2", "RTS3", "RTS4"):
        rows.append((f"  only {family}", rtsec, [f"--select={BASE_SELECT},{family}"]))
    return [(label, env, [*options, *paths]) for label, env, options in rows]


def run(rows, rounds: int):
    samples = {label: [] for label, _, _ in rows}
    for round_number in range(rounds):
        ordered = rows if round_number % 2 == 0 else list(reversed(rows))
        for label, environment, arguments in ordered:
            samples[label].append(measure(environment, arguments))
    return samples


def report(samples, lines: int) -> str:
    base = statistics.median(cpu for cpu, _ in samples["plain flake8"])
    idle = statistics.median(cpu for cpu, _ in samples["rtsec installed, not selected"])
    table = ["| configuration | CPU s (median) | ratio to plain | peak MiB | lines/s |"]
    table.append("|---|---|---|---|---|")
    for label, values in samples.items():
        cpu = statistics.median(value for value, _ in values)
        memory = max(value for _, value in values)
        ratio = cpu / base
        if label.startswith("  only"):
            extra = f" (+{(cpu - idle) / base:.1%} of plain)"
        else:
            extra = ""
        table.append(
            f"| {label} | {cpu:.2f} | {ratio:.3f}{extra} | {memory:.0f} | {lines / cpu:,.0f} |"
        )
    return "\n".join(table)


def count_lines(root: Path, paths) -> int:
    total = 0
    for path in paths:
        target = root / path
        files = [target] if target.is_file() else source_files(target)
        total += sum(len(f.read_bytes().splitlines()) for f in files)
    return total


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="nova")
    parser.add_argument("--paths", nargs="+", default=DEFAULT_PATHS)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--infer", choices=["module", "project", "both"], default="both")
    options = parser.parse_args(argv)

    root = fetch(options.corpus)
    environments = (
        venv("plain", []),
        venv("rtsec", [str(ROOT)]),
        venv("bugbear", PEERS),
    )
    modes = ["module", "project"] if options.infer == "both" else [options.infer]
    paths = [str(root / path) for path in options.paths]
    rows = configurations(environments, paths, modes)
    lines = count_lines(root, options.paths)
    samples = run(rows, options.rounds)
    print(f"{options.corpus}: {' '.join(options.paths)} ({lines:,} lines), {options.rounds} rounds")
    print(report(samples, lines))


if __name__ == "__main__":
    main()
