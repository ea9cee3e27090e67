"""End to end through the flake8 executable: selection, noqa, stdin, errors."""

import textwrap

import pytest
from flake8_run import flake8

SOURCE = textwrap.dedent(
    """\
    import threading


    class Counter:
        def __init__(self):
            self._lock = threading.Lock()
            self.value = 0

        def increment(self):
            with self._lock:
                self.value += 1

        def reset(self):
            self.value = 0

        def manual(self):
            self._lock.acquire()
            try:
                return self.value
            finally:
                self._lock.release()
    """
)


@pytest.fixture
def module(tmp_path):
    path = tmp_path / "counter.py"
    path.write_text(SOURCE)
    return path


def codes(result):
    return [line.split(":", 3)[3].split()[0] for line in result.stdout.splitlines()]


def test_version_lists_the_plugin():
    result = flake8("--version")
    assert "flake8-rtsec" in result.stdout


def test_select_rts_reports_only_rts_and_no_default_off_code(module):
    result = flake8("--isolated", "--select=RTS", str(module))
    assert result.returncode == 1
    assert codes(result) == ["RTS101"]


def test_plain_run_keeps_default_off_code_off(module):
    result = flake8("--isolated", str(module))
    assert "RTS101" in codes(result)
    assert "RTS107" not in codes(result)


def test_extend_select_enables_a_default_off_code(module):
    result = flake8("--isolated", "--select=RTS", "--extend-select=RTS107", str(module))
    assert codes(result) == ["RTS101", "RTS107"]


def test_prefix_does_not_enable_a_default_off_code(module):
    result = flake8("--isolated", "--select=RTS10", str(module))
    assert codes(result) == ["RTS101"]


def test_config_file_select_enables_default_off_code(module):
    (module.parent / "setup.cfg").write_text("[flake8]\nselect = RTS,RTS107\n")
    result = flake8(module.name, cwd=module.parent)
    assert codes(result) == ["RTS101", "RTS107"]


def test_unselected_family_reports_nothing(module):
    result = flake8("--isolated", "--select=RTS2", str(module))
    assert result.returncode == 0
    assert result.stdout == ""


def test_noqa_silences_the_code(module):
    module.write_text(SOURCE.replace("self.value = 0\n\n", "self.value = 0  # noqa: RTS101\n\n"))
    result = flake8("--isolated", "--select=RTS", str(module))
    assert result.returncode == 0, result.stdout


def test_noqa_for_another_code_does_not(module):
    module.write_text(SOURCE.replace("self.value = 0\n\n", "self.value = 0  # noqa: RTS201\n\n"))
    result = flake8("--isolated", "--select=RTS", str(module))
    assert codes(result) == ["RTS101"]


def test_stdin_gives_the_same_report_as_the_file(module):
    from_file = flake8("--isolated", "--select=RTS", str(module))
    from_stdin = flake8(
        "--isolated", "--select=RTS", "-", f"--stdin-display-name={module}", stdin=SOURCE
    )
    assert from_stdin.stdout == from_file.stdout
    assert from_stdin.returncode == from_file.returncode == 1


@pytest.mark.parametrize(
    "option, named",
    [
        ("--rtsec-infer=everything", "--rtsec-infer"),
        ("--rtsec-sensitive-names=pass(", "--rtsec-sensitive-names"),
        ("--rtsec-lock-decorators=utils.synchronized()", "--rtsec-lock-decorators"),
    ],
)
def test_bad_option_is_one_line_naming_it(module, option, named):
    result = flake8("--isolated", option, str(module))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith(f"flake8-rtsec: {named}:")
    assert result.stdout == ""


def test_bad_option_in_config_file(module):
    (module.parent / "tox.ini").write_text("[flake8]\nrtsec-infer = projekt\n")
    result = flake8(module.name, cwd=module.parent)
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "flake8-rtsec: --rtsec-infer: 'projekt' is not one of off, module, project"
    )


def test_syntax_error_is_e999_not_a_plugin_crash(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n    pass\n")
    result = flake8("--isolated", "--select=RTS,E999", str(broken))
    assert result.returncode == 1
    assert codes(result) == ["E999"]
    assert "failed during execution" not in result.stdout + result.stderr


def test_options_from_config_file_change_findings(tmp_path):
    source = tmp_path / "audit.py"
    source.write_text(
        "import logging\n"
        "AUDIT = logging.getLogger('audit')\n"
        "def f(vault_pin, journal):\n"
        "    journal.info('pin %s', vault_pin)\n"
    )
    assert flake8("--isolated", "--select=RTS", str(source)).stdout == ""
    (tmp_path / ".flake8").write_text(
        "[flake8]\nselect = RTS\nrtsec-logger-names = journal\nrtsec-sensitive-names = pin\n"
    )
    result = flake8(source.name, cwd=tmp_path)
    assert codes(result) == ["RTS301"]


def test_parallel_jobs_give_the_same_output(tmp_path):
    for number in range(4):
        (tmp_path / f"m{number}.py").write_text(SOURCE)
    one = flake8("--isolated", "--select=RTS", "-j1", str(tmp_path))
    two = flake8("--isolated", "--select=RTS", "-j2", str(tmp_path))
    assert sorted(one.stdout.splitlines()) == sorted(two.stdout.splitlines())
    assert len(one.stdout.splitlines()) == 4
