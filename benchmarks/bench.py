"""What flake8-rtsec costs a flake8 run, measured on real code.

    python benchmarks/bench.py                     # nova slice, 5 rounds, both infer modes
    python benchmarks/bench.py --rounds 3 --corpus cinder --paths cinder/volume
    python benchmarks/bench.py --check             # exit 1 when over budget

Builds side-by-side venvs (cached next to the corpus) that share one flake8
version: `plain` (flake8 alone), `rtsec` (plus this checkout, reinstalled on
every run), and `bugbear` (plus flake8-bugbear and flake8-blind-except, the
anchor).  Every configuration runs once per round, in alternating order,
with `-j1`; tables show medians over the rounds.

1. flake8 runs: CPU seconds of the flake8 process, the ratio to plain flake8
   measured in the same run, the part of it spent in garbage collection,
   peak memory, lines per second.  The `rtsec`
   venv also runs with one family selected: a family with no selected code
   does no work, so `--select E,F,W,C90,RTS1` minus `--select E,F,W,C90` is
   what RTS1 costs, and the latter minus `plain` is what the installed but
   unselected plugin costs every user.  A diagnostic row runs the whole
   analysis but drops the reports before flake8 sees them: flake8 tokenizes
   a file again for `noqa` at its first report, and when that report comes
   from a tree plugin the file's tree is still alive, which makes the full
   garbage collections of that moment more expensive.
2. The plugin alone (`plugin_time.py`, a fresh process per round): CPU
   seconds of the shared index and of each family over the same files, and
   astroid's share with `rtsec-infer=project`.
3. Scaling: generated modules (`synthetic.py`) of 1k and 20k lines; the
   plugin's cost per line on the larger must stay within twice the smaller's.
"""

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from corpus import cache_dir, fetch  # noqa: E402

FLAKE8 = "flake8==7.5.0"
PEERS = ["flake8-bugbear==26.10.27", "flake8-blind-except==0.2.1"]
DEFAULT_PATHS = ["nova/compute", "nova/virt/libvirt"]
BASE_SELECT = "E,F,W,C90"
FAMILIES = ("RTS1", "RTS2", "RTS3", "RTS4")
BUDGETS = {"module": 1.10, "project": 1.30}
TARGET = {"module": 1.05}
SCALING_SIZES = (1000, 20000)
SCALING_LIMIT = 2.0

PLAIN = "plain flake8"
IDLE = "rtsec installed, not selected"
REPORTS_DISCARDED = "  rtsec (infer=module), its reports discarded"

# A pseudo-argument of `_MEASURE`: run the plugin but drop its reports.
DISCARD = "--bench-discard-reports"
_MEASURE = f"DISCARD = {DISCARD!r}\n" + textwrap.dedent(
    """
    import gc, resource, sys, time
    from flake8.main.cli import main

    collecting = [0.0, 0.0]  # seconds spent in collections, start of the current one

    def timed(phase, info):
        if phase == "start":
            collecting[1] = time.process_time()
        else:
            collecting[0] += time.process_time() - collecting[1]

    gc.callbacks.append(timed)
    arguments = sys.argv[1:]
    if DISCARD in arguments:  # the analysis runs, flake8 never sees a report
        from flake8_rtsec import checkers

        checkers._hold = lambda lines, reports: [*reports] and None
        arguments.remove(DISCARD)
    main(arguments)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss, collecting[0], file=sys.stderr)
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
    """(CPU seconds, peak MiB, seconds in garbage collection) of one flake8
    run, in the environment's interpreter so that its collections can be
    timed (`gc.callbacks`).  `-I` keeps the working directory off the
    path: an editable checkout there would be found as an installed plugin."""
    python = str(environment / "bin" / "python")
    errors = subprocess.run(
        [python, "-I", "-c", _MEASURE, "--isolated", "-j1", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    ).stderr
    cpu, peak, collecting = errors.splitlines()[-1].split()
    return float(cpu), int(peak) / 1024, float(collecting)


def plugin_time(environment: Path, arguments) -> dict:
    """One run of plugin_time.py in the rtsec venv."""
    script = ROOT / "benchmarks" / "plugin_time.py"
    output = subprocess.run(
        [str(environment / "bin" / "python"), str(script), *arguments],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def configurations(environments, paths, infer_modes):
    plain, rtsec, bugbear = environments
    rows = [
        (PLAIN, plain, []),
        ("flake8 + bugbear + blind-except", bugbear, []),
        (IDLE, rtsec, [f"--select={BASE_SELECT}"]),
    ]
    for mode in infer_modes:
        rows.append((f"flake8 + rtsec (infer={mode})", rtsec, [f"--rtsec-infer={mode}"]))
    rows.append((REPORTS_DISCARDED, rtsec, [DISCARD]))
    for family in FAMILIES:
        rows.append((f"  only {family}", rtsec, [f"--select={BASE_SELECT},{family}"]))
    return [(label, env, [*options, *paths]) for label, env, options in rows]


def run(rows, in_process, rounds: int):
    """Every flake8 configuration and every in-process measurement, once per
    round, in alternating order; returns the samples of each."""
    jobs = [(label, measure, environment, arguments) for label, environment, arguments in rows]
    jobs += [(label, plugin_time, env, arguments) for label, env, arguments in in_process]
    samples = {label: [] for label, _, _, _ in jobs}
    for round_number in range(rounds):
        ordered = jobs if round_number % 2 == 0 else list(reversed(jobs))
        for label, function, environment, arguments in ordered:
            samples[label].append(function(environment, arguments))
        print(f"round {round_number + 1}/{rounds} done", file=sys.stderr)
    return samples


def median_of(values):
    return statistics.median(values)


def median_cpu(samples, label: str) -> float:
    return median_of(cpu for cpu, _, _ in samples[label])


def flake8_table(samples, rows, lines: int) -> str:
    base = median_cpu(samples, PLAIN)
    idle = median_cpu(samples, IDLE)
    table = [
        "| configuration | CPU s (median) | ratio to plain | of which GC s | peak MiB | lines/s |",
        "|---|---|---|---|---|---|",
    ]
    for label, _, _ in rows:
        cpu = median_cpu(samples, label)
        collecting = median_of(seconds for _, _, seconds in samples[label])
        memory = max(peak for _, peak, _ in samples[label])
        # A family's own cost: above the installed-but-not-selected run.
        extra = f" ({(cpu - idle) / base:+.1%} of plain)" if label.startswith("  only") else ""
        table.append(
            f"| {label} | {cpu:.2f} | {cpu / base:.3f}{extra} | {collecting:.2f} "
            f"| {memory:.0f} | {lines / cpu:,.0f} |"
        )
    return "\n".join(table)


def plugin_table(samples, modes, base: float) -> str:
    parts = ["index", *FAMILIES, "total", "astroid"]
    table = [
        "| plugin alone, in process | " + " | ".join(parts) + " |",
        "|---|" + "---|" * len(parts),
    ]
    for mode in modes:
        runs = samples[f"plugin infer={mode}"]
        cells = []
        for part in parts:
            seconds = median_of(run[part] for run in runs)
            cells.append(f"{seconds:.3f} s ({seconds / base:.1%})")
        table.append(f"| infer={mode} | " + " | ".join(cells) + " |")
    return "\n".join(table)


def scaling_per_line(samples) -> dict:
    per_line = {}
    for size in SCALING_SIZES:
        runs = [run[str(size)] for run in samples[f"scaling {size}"]]
        seconds = median_of(run["seconds"] / run["lines"] for run in runs)
        per_line[size] = (runs[0]["lines"], seconds)
    return per_line


def scaling_table(per_line) -> str:
    table = ["| generated module | lines | plugin µs/line |", "|---|---|---|"]
    for size, (lines, seconds) in per_line.items():
        table.append(f"| {size // 1000}k | {lines:,} | {seconds * 1e6:.1f} |")
    return "\n".join(table)


def verdicts(samples, modes, per_line) -> list:
    """(passed, line) for every budget the issue sets."""
    base = median_cpu(samples, PLAIN)
    found = []
    for mode in modes:
        ratio = median_cpu(samples, f"flake8 + rtsec (infer={mode})") / base
        target = f", target {TARGET[mode]:.2f}" if mode in TARGET else ""
        line = f"infer={mode}: {ratio:.3f}x plain flake8 (budget {BUDGETS[mode]:.2f}{target})"
        found.append((ratio <= BUDGETS[mode], line))
    small, large = (per_line[size][1] for size in SCALING_SIZES)
    line = f"scaling: 20k lines cost {large / small:.2f}x per line of 1k (limit {SCALING_LIMIT})"
    found.append((large <= SCALING_LIMIT * small, line))
    return found


def source_files(root: Path, paths):
    """The files flake8 checks for these arguments."""
    found = []
    for path in paths:
        target = root / path
        found.extend([target] if target.is_file() else sorted(target.rglob("*.py")))
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="nova")
    parser.add_argument("--paths", nargs="+", default=DEFAULT_PATHS)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--infer", choices=["module", "project", "both"], default="both")
    parser.add_argument("--check", action="store_true", help="exit 1 when over a budget")
    options = parser.parse_args(argv)

    root = fetch(options.corpus)
    environments = (
        venv("plain", []),
        venv("rtsec", [str(ROOT)]),
        venv("bugbear", PEERS),
    )
    rtsec = environments[1]
    modes = ["module", "project"] if options.infer == "both" else [options.infer]
    files = source_files(root, options.paths)
    lines = sum(len(path.read_bytes().splitlines()) for path in files)
    rows = configurations(environments, [str(root / path) for path in options.paths], modes)
    in_process = [
        (f"plugin infer={mode}", rtsec, ["--infer", mode, *map(str, files)]) for mode in modes
    ]
    in_process += [
        (f"scaling {size}", rtsec, ["--scaling", str(size)]) for size in SCALING_SIZES
    ]
    samples = run(rows, in_process, options.rounds)

    base = median_cpu(samples, PLAIN)
    per_line = scaling_per_line(samples)
    print(
        f"{datetime.date.today()}, {options.corpus}: {' '.join(options.paths)} "
        f"({len(files)} files, {lines:,} lines), {options.rounds} rounds, "
        f"Python {sys.version.split()[0]}\n"
    )
    print(flake8_table(samples, rows, lines) + "\n")
    print(plugin_table(samples, modes, base) + "\n")
    print(scaling_table(per_line) + "\n")
    results = verdicts(samples, modes, per_line)
    for passed, line in results:
        print(("ok   " if passed else "OVER ") + line)
    return 1 if options.check and not all(passed for passed, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main())
