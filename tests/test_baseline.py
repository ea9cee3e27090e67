"""`--format=rtsec-baseline` and `--rtsec-baseline`: old findings stay quiet, new ones report."""

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from flake8_run import flake8

ROOT = Path(__file__).parent.parent
BASELINE = ".rtsec-baseline.json"

TRACKER = textwrap.dedent(
    """\
    import logging
    import threading

    LOG = logging.getLogger(__name__)


    class Tracker:
        def __init__(self):
            self._lock = threading.Lock()
            self.nodes = {}

        def claim(self, name):
            with self._lock:
                self.nodes[name] = 1

        def remove(self, name):
            self.nodes.pop(name, None)

        def report(self, client, password):
            try:
                client.put(self.nodes)
            except Exception:
                pass
            LOG.info("reported with %s", password)
    """
)
OFFENDING = {
    "RTS101": "        self.nodes.pop(name, None)\n",
    "RTS201": "        except Exception:\n",
    "RTS301": '        LOG.info("reported with %s", password)\n',
}


@pytest.fixture
def project(tmp_path):
    (tmp_path / "tracker.py").write_text(TRACKER)
    return tmp_path


def write_baseline(project, *arguments, output=BASELINE):
    result = flake8(
        "--isolated",
        "--select=RTS",
        "--format=rtsec-baseline",
        f"--output-file={output}",
        *arguments,
        ".",
        cwd=project,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads((project / output).read_text())


def check(project, *arguments, baseline=BASELINE):
    result = flake8(
        "--isolated", "--select=RTS", f"--rtsec-baseline={baseline}", *arguments, ".", cwd=project
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def reports(result):
    """(line, code) of each report."""
    found = []
    for line in result.stdout.splitlines():
        _, number, _, message = line.split(":", 3)
        found.append((int(number), message.split()[0]))
    return found


def edit(project, old, new):
    path = project / "tracker.py"
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def line_of(project, text, occurrence=1):
    lines = (project / "tracker.py").read_text().splitlines(keepends=True)
    numbers = [number for number, line in enumerate(lines, start=1) if line == text]
    return numbers[occurrence - 1]


def test_the_module_reports_without_a_baseline(project):
    result = flake8("--isolated", "--select=RTS", ".", cwd=project)
    assert sorted(code for _, code in reports(result)) == sorted(OFFENDING)


def test_written_baseline_silences_every_finding(project):
    document = write_baseline(project)
    assert document["version"] == 1
    assert len(document["findings"]) == len(OFFENDING)
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_entries_key_on_scope_and_line_not_line_numbers(project):
    document = write_baseline(project)
    entries = {entry["code"]: entry for entry in document["findings"]}
    assert entries["RTS101"]["scope"] == "Tracker.remove"
    assert entries["RTS201"]["scope"] == "Tracker.report"
    assert {entry["path"] for entry in entries.values()} == {"tracker.py"}
    assert set(entries["RTS301"]) == {"code", "path", "scope", "line_hash", "message"}


def test_ten_lines_above_a_finding_keep_it_silent(project):
    write_baseline(project)
    edit(project, "class Tracker:\n", "# note\n" * 10 + "class Tracker:\n")
    result = check(project)
    assert result.stdout == ""
    assert result.returncode == 0


def test_a_duplicated_statement_is_exactly_one_new_finding(project):
    write_baseline(project)
    statement = OFFENDING["RTS301"]
    edit(project, statement, statement * 2)
    result = check(project)
    assert reports(result) == [(line_of(project, statement, occurrence=2), "RTS301")]
    assert result.returncode == 1


def test_moving_a_function_keeps_the_match(project):
    write_baseline(project)
    remove = "    def remove(self, name):\n        self.nodes.pop(name, None)\n\n"
    edit(project, remove, "")
    (project / "tracker.py").write_text((project / "tracker.py").read_text() + "\n" + remove)
    assert line_of(project, OFFENDING["RTS101"]) > 20
    result = check(project)
    assert result.stdout == ""


def test_reindenting_the_offending_line_keeps_the_match(project):
    write_baseline(project)
    moved = "        if name:\n            self.nodes.pop(name,   None)\n"
    edit(project, OFFENDING["RTS101"], moved)
    assert check(project).stdout == ""


def test_changing_the_offending_line_reports_it(project):
    write_baseline(project)
    changed = '        LOG.info("reported to %s with %s", client, password)\n'
    edit(project, OFFENDING["RTS301"], changed)
    result = check(project)
    assert reports(result) == [(line_of(project, changed), "RTS301")]


def test_the_same_line_in_another_function_reports_it(project):
    write_baseline(project)
    edit(
        project,
        "    def report(self, client, password):\n",
        "    def login(self, password):\n"
        '        LOG.info("reported with %s", password)\n\n'
        "    def report(self, client, password):\n",
    )
    result = check(project)
    assert reports(result) == [(line_of(project, OFFENDING["RTS301"]), "RTS301")]


def test_counts_allow_as_many_equal_findings_as_recorded(project):
    statement = OFFENDING["RTS301"]
    edit(project, statement, statement * 2)
    document = write_baseline(project)
    assert [e["code"] for e in document["findings"]].count("RTS301") == 2
    assert check(project).stdout == ""
    edit(project, statement * 2, statement * 3)
    result = check(project)
    assert reports(result) == [(line_of(project, statement, occurrence=3), "RTS301")]


def test_another_file_with_the_same_code_is_not_covered(project):
    write_baseline(project)
    shutil.copy(project / "tracker.py", project / "copy.py")
    result = check(project)
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {"./copy.py"}


def test_baseline_holds_only_rts_findings(project):
    edit(project, "import logging\n", "import logging\nimport os\n")
    result = flake8(
        "--isolated", "--format=rtsec-baseline", f"--output-file={BASELINE}", ".", cwd=project
    )
    assert "F401" in flake8("--isolated", ".", cwd=project).stdout
    assert result.returncode == 1
    codes = {entry["code"] for entry in json.loads((project / BASELINE).read_text())["findings"]}
    assert codes == set(OFFENDING)


def test_baseline_written_to_stdout_uses_paths_from_the_working_directory(project):
    result = flake8("--isolated", "--select=RTS", "--format=rtsec-baseline", ".", cwd=project)
    findings = json.loads(result.stdout)["findings"]
    assert {entry["path"] for entry in findings} == {"tracker.py"}


def test_paths_are_relative_to_the_baseline_file_from_any_directory(project):
    (project / "ci").mkdir()
    document = write_baseline(project, output="ci/baseline.json")
    assert {entry["path"] for entry in document["findings"]} == {"../tracker.py"}
    sub = project / "sub"
    sub.mkdir()
    result = flake8(
        "--isolated",
        "--select=RTS",
        "--rtsec-baseline=../ci/baseline.json",
        "../tracker.py",
        cwd=sub,
    )
    assert result.stdout == ""
    assert result.returncode == 0


@pytest.mark.parametrize("value", [BASELINE, f"./{BASELINE}"])
def test_config_file_path_is_relative_to_the_config_file(project, value):
    write_baseline(project)
    (project / "setup.cfg").write_text(f"[flake8]\nselect = RTS\nrtsec-baseline = {value}\n")
    sub = project / "sub"
    sub.mkdir()
    shutil.move(project / "tracker.py", sub / "tracker.py")
    # The entries name tracker.py at the top; the moved file is a new path.
    result = flake8("tracker.py", cwd=sub)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    shutil.move(sub / "tracker.py", project / "tracker.py")
    result = flake8("../tracker.py", cwd=sub)
    assert result.stderr == ""
    assert result.stdout == ""
    assert result.returncode == 0


def test_writing_a_baseline_ignores_the_configured_one(project):
    """Regenerating records every finding, even when the old file is gone."""
    (project / "setup.cfg").write_text(f"[flake8]\nselect = RTS\nrtsec-baseline = {BASELINE}\n")
    result = flake8("--format=rtsec-baseline", f"--output-file={BASELINE}", ".", cwd=project)
    assert result.stderr == ""
    findings = json.loads((project / BASELINE).read_text())["findings"]
    assert len(findings) == len(OFFENDING)
    regenerated = flake8("--format=rtsec-baseline", f"--output-file={BASELINE}", ".", cwd=project)
    assert regenerated.stderr == ""
    assert json.loads((project / BASELINE).read_text())["findings"] == findings
    assert flake8(".", cwd=project).stdout == ""


def test_output_is_sorted_and_the_same_with_parallel_jobs(project):
    for number in range(3):
        shutil.copy(project / "tracker.py", project / f"m{number}.py")
    one = write_baseline(project, "-j1", output="one.json")
    two = write_baseline(project, "-j2", output="two.json")
    assert one == two
    keys = [(e["path"], e["code"], e["scope"], e["line_hash"]) for e in one["findings"]]
    assert keys == sorted(keys)


def test_parallel_jobs_apply_the_baseline(project):
    for number in range(3):
        shutil.copy(project / "tracker.py", project / f"m{number}.py")
    write_baseline(project)
    (project / "new.py").write_text(TRACKER)
    result = check(project, "-j2")
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {"./new.py"}
    assert len(result.stdout.splitlines()) == len(OFFENDING)


def test_noqa_still_silences_what_the_baseline_does_not_hold(project):
    write_baseline(project)
    statement = OFFENDING["RTS301"]
    edit(project, statement, statement + statement.rstrip("\n") + "  # noqa: RTS301\n")
    assert check(project).stdout == ""


MALFORMED = [
    ("{", "is not JSON"),
    ("[]", "is not a version 1 flake8-rtsec baseline"),
    ('{"version": 2, "findings": []}', "is not a version 1 flake8-rtsec baseline"),
    ('{"version": 1}', "has no 'findings' list"),
    ('{"version": 1, "findings": [3]}', "finding 1 is not an object"),
    ('{"version": 1, "findings": [{"code": "RTS101"}]}', "finding 1 has no string 'path'"),
    (
        '{"version": 1, "findings": [{"code": "RTS101", "path": "a.py", "scope": "",'
        ' "line_hash": "12:34"}]}',
        "finding 1 has a malformed 'line_hash'",
    ),
    ("\udcff", "is not JSON"),
]


@pytest.mark.parametrize("content, problem", MALFORMED)
def test_malformed_baseline_is_one_line_naming_the_option(project, content, problem):
    (project / BASELINE).write_bytes(content.encode("utf-8", "surrogateescape"))
    result = check(project)
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.startswith(f"flake8-rtsec: --rtsec-baseline: {project / BASELINE}")
    assert problem in result.stderr


def test_missing_baseline_is_one_line_naming_the_option(project):
    result = check(project, baseline="nowhere.json")
    assert result.returncode != 0
    assert result.stderr.strip() == (
        f"flake8-rtsec: --rtsec-baseline: cannot read {project / 'nowhere.json'} "
        "(No such file or directory)"
    )


def test_missing_baseline_from_config_file(project):
    (project / "tox.ini").write_text("[flake8]\nrtsec-baseline = ci/missing.json\n")
    result = flake8("tracker.py", cwd=project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"flake8-rtsec: --rtsec-baseline: cannot read {project / 'ci' / 'missing.json'} "
        "(No such file or directory)"
    )
