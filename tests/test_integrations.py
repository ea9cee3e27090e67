"""Editors, pre-commit, tox and CI end to end, through the snippets the docs show.

Each page under docs/integrations/ is read here and its snippets are run
as written: `shell` lines that start with a command the test knows
(`flake8`, `pre-commit`), `ini` blocks written to a config file, `yaml`
workflows whose `run:` steps are executed (installs skipped: the plugin is
installed already). Reordering a page's blocks means updating this file.
"""

import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flake8_run import flake8

ROOT = Path(__file__).parent.parent
PAGES = ROOT / "docs" / "integrations"
BIN = Path(sys.executable).parent
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
EXAMPLE = (ROOT / "examples" / "resource_tracker.py").read_text()
INTEGRATIONS = ("ci", "code-scanning", "baseline", "editors", "pre-commit", "tox")
_REPORT = re.compile(r"^(?P<path>[^:\n]+):\d+:\d+: (?P<code>[A-Z]+\d+) ", re.MULTILINE)


def blocks(text, language):
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.DOTALL | re.MULTILINE)


def page_blocks(name, language):
    return blocks((PAGES / f"{name}.md").read_text(), language)


def commands(block, program="flake8"):
    return [line for line in block.splitlines() if line.startswith(program + " ")]


def run(command, cwd, stdin=None, env=None):
    """A snippet's line through bash, with this environment's tools first on PATH."""
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONWARNINGS": "ignore::SyntaxWarning",
            **(env or {}),
        },
        check=False,
    )


def codes(output):
    return sorted(match["code"] for match in _REPORT.finditer(output))


def paths(output):
    return {match["path"] for match in _REPORT.finditer(output)}


@pytest.fixture
def project(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "tracker.py").write_text(EXAMPLE)
    return tmp_path


EXAMPLE_CODES = codes(flake8("--isolated", "--select=RTS,E999", str(ROOT / "examples")).stdout)


def test_example_reports_every_family():
    assert {code[:4] for code in EXAMPLE_CODES} == {"RTS1", "RTS2", "RTS3", "RTS4"}


@pytest.mark.parametrize("name", INTEGRATIONS)
def test_each_integration_has_a_page_in_the_nav(name):
    assert (PAGES / f"{name}.md").is_file()
    assert f"integrations/{name}.md" in (ROOT / "mkdocs.yml").read_text()


# Editors


def test_editor_command_gives_the_same_reports_as_the_file(project):
    (command,) = commands(page_blocks("editors", "shell")[0])
    from_stdin = run(command, project)
    from_file = flake8("--select=RTS,E999", "src/tracker.py", cwd=project)
    assert from_stdin.returncode == from_file.returncode == 1
    assert from_stdin.stdout == from_file.stdout
    assert paths(from_stdin.stdout) == {"src/tracker.py"}
    assert codes(from_stdin.stdout) == EXAMPLE_CODES


def test_editor_arguments_snippet_is_valid_flake8_arguments(project):
    (settings,) = page_blocks("editors", "json")
    arguments = json.loads(settings)["flake8.args"]
    result = flake8(*arguments, "src", cwd=project)
    assert codes(result.stdout) == EXAMPLE_CODES


def _write_baseline(project):
    result = flake8(
        "--select=RTS", "--format=rtsec-baseline", "--output-file=.rtsec-baseline.json", "src",
        cwd=project,
    )
    assert result.stderr == ""


@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
def test_stdin_with_a_baseline_matches_by_display_name(project, absolute):
    _write_baseline(project)
    name = str(project / "src" / "tracker.py") if absolute else "src/tracker.py"
    arguments = ("--select=RTS", "--rtsec-baseline=.rtsec-baseline.json", "-")
    display = f"--stdin-display-name={name}"
    unchanged = flake8(*arguments, display, cwd=project, stdin=EXAMPLE)
    assert unchanged.stdout == ""
    assert unchanged.returncode == 0
    # The buffer gains a second copy of a recorded statement before it is saved.
    statement = '        LOG.debug("reported %s with token %s", self.host, auth_token)\n'
    edited = EXAMPLE.replace(statement, statement * 2)
    assert edited != EXAMPLE
    result = flake8(*arguments, display, cwd=project, stdin=edited)
    assert codes(result.stdout) == ["RTS301"]
    assert paths(result.stdout) == {name}
    # Another display name is another file: nothing of it was recorded.
    other = flake8(*arguments, "--stdin-display-name=src/other.py", cwd=project, stdin=EXAMPLE)
    assert codes(other.stdout) == EXAMPLE_CODES


# CI


def test_ci_commands_report_and_require_the_plugin(project):
    shell = page_blocks("ci", "shell")[0]
    (command,) = commands(shell)
    (project / "src" / "broken.py").write_text("def f(:\n")
    result = run(command, project)
    assert result.returncode == 1
    assert codes(result.stdout) == sorted(EXAMPLE_CODES + ["E999"])
    missing = run(command.replace("flake8-rtsec", "flake8-rtsec-missing"), project)
    assert missing.returncode != 0
    assert "flake8-rtsec-missing" in missing.stdout + missing.stderr
    assert codes(missing.stdout) == []


def test_ci_config_snippet(project):
    (config,) = page_blocks("ci", "ini")
    (project / "setup.cfg").write_text(config)
    (project / "src" / "style.py").write_text("import os\nx=1\n")
    result = flake8("src/", cwd=project)
    assert codes(result.stdout) == EXAMPLE_CODES
    (project / "setup.cfg").write_text(config.replace("flake8-rtsec", "flake8-rtsec-missing"))
    missing = flake8("src/", cwd=project)
    assert missing.returncode != 0
    assert "missing: flake8-rtsec-missing" in missing.stdout + missing.stderr


def workflow_steps(text):
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load(text)
    (job,) = workflow["jobs"].values()
    return workflow, job, job["steps"]


def run_steps(steps, project):
    """Every `run:` step but the installs; the last one's result."""
    result = None
    for step in steps:
        if "run" in step and not step["run"].startswith("pip install"):
            result = run(step["run"], project)
            assert "Traceback" not in result.stderr, result.stderr
    return result


def test_ci_workflow_runs(project):
    (workflow,) = page_blocks("ci", "yaml")
    _, _, steps = workflow_steps(workflow)
    result = run_steps(steps, project)
    assert result.returncode == 1
    assert codes(result.stdout) == EXAMPLE_CODES


# GitHub code scanning


def read_log(path):
    """The SARIF log at `path`, checked against the schema."""
    jsonschema = pytest.importorskip("jsonschema")
    log = json.loads(path.read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return log


def _code_scanning_workflows():
    readme = (ROOT / "README.md").read_text()
    return {
        "docs": page_blocks("code-scanning", "yaml")[0],
        "readme": next(block for block in blocks(readme, "yaml") if "upload-sarif" in block),
    }


@pytest.mark.parametrize("source", ["docs", "readme"])
def test_code_scanning_workflow_uploads_valid_sarif(project, source):
    _, job, steps = workflow_steps(_code_scanning_workflows()[source])
    assert job["permissions"]["security-events"] == "write"
    uploads = "github/codeql-action/upload-sarif"
    (upload,) = [step for step in steps if step.get("uses", "").startswith(uploads)]
    (command,) = [s["run"] for s in steps if "--format=rtsec-sarif" in s.get("run", "")]
    output = re.search(r"--output-file=(\S+)", command).group(1)
    assert upload["with"]["sarif_file"] == output
    result = run_steps(steps, project)
    assert result.returncode == 0
    log = read_log(project / output)
    (sarif_run,) = log["runs"]
    assert sorted(r["ruleId"] for r in sarif_run["results"]) == EXAMPLE_CODES
    assert {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif_run["results"]
    } == {"src/tracker.py"}


def test_code_scanning_commands(project):
    plain, with_baseline = (commands(block)[0] for block in page_blocks("code-scanning", "shell"))
    assert run(plain, project).returncode == 1
    assert read_log(project / "rtsec.sarif")["runs"][0]["results"]
    _write_baseline(project)
    assert run(with_baseline, project).returncode == 0
    assert read_log(project / "rtsec.sarif")["runs"][0]["results"] == []


# Baseline


def test_baseline_workflow_from_the_page(project):
    record, check = (commands(block)[0] for block in page_blocks("baseline", "shell"))
    (config,) = page_blocks("baseline", "ini")
    recorded = run(record, project)
    assert recorded.returncode == 0
    assert (project / ".rtsec-baseline.json").is_file()
    (project / "setup.cfg").write_text(config)
    quiet = run(check, project)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    # From a subdirectory the config file, and so the baseline, is still found.
    (project / "src" / "sub").mkdir()
    assert run("flake8 ../tracker.py", project / "src" / "sub").stdout == ""
    (project / "src" / "new.py").write_text(EXAMPLE)
    new = run(check, project)
    assert new.returncode == 1
    assert paths(new.stdout) == {"src/new.py"}
    assert codes(new.stdout) == EXAMPLE_CODES


def test_the_readme_baseline_commands(project):
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Baseline") :]
    record, check = commands(blocks(section, "")[0])
    assert run(record, project).returncode == 0
    result = run(check, project)
    assert (result.returncode, result.stdout) == (0, "")


# pre-commit

PRE_COMMIT = BIN / "pre-commit"
needs_pre_commit = pytest.mark.skipif(
    not PRE_COMMIT.exists(),
    reason="pre-commit is not installed (pip install pre-commit): the hook is checked by "
    "hand with `pre-commit try-repo <checkout> flake8-rtsec --all-files`",
)


def _git(*arguments, cwd):
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    """This checkout's working tree as a one-commit repository, as try-repo
    does with uncommitted changes, so the hook under test is the one on disk."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of flake8-rtsec")
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    snapshot = tmp_path_factory.mktemp("flake8-rtsec")
    for name in filter(None, listed.stdout.split("\0")):
        if (ROOT / name).is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, snapshot / name)
    _git("init", "-q", cwd=snapshot)
    _git("add", "-A", cwd=snapshot)
    _git("commit", "-q", "-m", "snapshot", cwd=snapshot)
    return snapshot


@pytest.fixture
def git_project(project):
    (project / "src" / "clean.py").write_text("VALUE = 1\n")
    (project / "src" / "broken.py").write_text("def f(:\n")
    _git("init", "-q", cwd=project)
    _git("add", "-A", cwd=project)
    _git("commit", "-q", "-m", "start", cwd=project)
    return project


@needs_pre_commit
def test_shipped_hook_through_try_repo(git_project, snapshot, pre_commit_home):
    (command,) = commands(page_blocks("pre-commit", "shell")[0], program="pre-commit")
    local = command.replace(
        "https://github.com/flake8-rtsec/flake8-rtsec", shlex.quote(str(snapshot))
    )
    assert local != command
    result = run(local, git_project, env={"PRE_COMMIT_HOME": str(pre_commit_home)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert codes(result.stdout) == sorted(EXAMPLE_CODES + ["E999"])
    assert paths(result.stdout) == {"src/tracker.py", "src/broken.py"}


@needs_pre_commit
def test_documented_repository_hook_config(git_project, snapshot, pre_commit_home):
    yaml = pytest.importorskip("yaml")
    config = next(b for b in page_blocks("pre-commit", "yaml") if "id: flake8-rtsec" in b)
    document = yaml.safe_load(config)
    (repository,) = document["repos"]
    repository["repo"] = str(snapshot)
    repository["rev"] = _git("rev-parse", "HEAD", cwd=snapshot).stdout.strip()
    (git_project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(document))
    result = run(
        f"{PRE_COMMIT} run --all-files",
        git_project,
        env={"PRE_COMMIT_HOME": str(pre_commit_home)},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert codes(result.stdout) == sorted(EXAMPLE_CODES + ["E999"])


def test_documented_flake8_hook_matches_the_shipped_hook(project):
    yaml = pytest.importorskip("yaml")
    config = next(b for b in page_blocks("pre-commit", "yaml") if "PyCQA/flake8" in b)
    (hook,) = yaml.safe_load(config)["repos"][0]["hooks"]
    (shipped,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["args"] == shipped["args"]
    assert "flake8-rtsec" in hook["additional_dependencies"]
    # What the hook runs: flake8 with its args and the changed files' names.
    result = flake8(*hook["args"], "src/tracker.py", cwd=project)
    assert codes(result.stdout) == EXAMPLE_CODES


# tox


def _ini(block):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(block)
    return parser


def test_tox_snippet_command(project):
    (block,) = page_blocks("tox", "ini")
    environment = _ini(block)["testenv:rtsec"]
    assert environment.getboolean("skip_install")
    assert "flake8-rtsec" in environment["deps"].split()
    command = environment["commands"]
    assert run(command.replace("{posargs:src}", "src"), project).returncode == 1
    checked = run(command.replace("{posargs:src}", "src/tracker.py"), project)
    assert codes(checked.stdout) == EXAMPLE_CODES
    (project / "clean.py").write_text("VALUE = 1\n")
    assert run(command.replace("{posargs:src}", "clean.py"), project).returncode == 0


def test_project_lint_command_is_clean():
    lint = _ini((ROOT / "tox.ini").read_text())["testenv:lint"]["commands"]
    assert lint.startswith("flake8 ")
    result = run(lint, ROOT)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


@pytest.mark.skipif(
    not (BIN / "tox").exists(),
    reason="tox is not installed: run `tox -e lint` by hand (its command runs in "
    "test_project_lint_command_is_clean)",
)
def test_tox_lint(tmp_path):
    result = subprocess.run(
        [str(BIN / "tox"), "-e", "lint", "--workdir", str(tmp_path / "tox")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
