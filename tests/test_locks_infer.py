"""RTS1 lock names imported from another module of the project fold only
with `--rtsec-infer=project` (astroid follows the import)."""

import textwrap

import pytest
from flake8_run import flake8

TRACKER = textwrap.dedent(
    """\
    from oslo_concurrency import lockutils

    from pkg.names import SEMAPHORE


    class Tracker:
        @lockutils.synchronized(SEMAPHORE)
        def instance_claim(self):
            self.update_usage()

        @lockutils.synchronized(SEMAPHORE)
        def update_usage(self):
            pass

        @lockutils.synchronized("compute_resources", fair=True)
        def audit(self):
            pass
    """
)


@pytest.fixture
def project(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "names.py").write_text('SEMAPHORE = "compute_" + "resources"\n')
    (package / "tracker.py").write_text(TRACKER)
    return tmp_path


def reports(project, mode):
    result = flake8(
        "--isolated",
        "--select=RTS1",
        f"--rtsec-infer={mode}",
        "--format=%(row)d %(code)s",
        "pkg/tracker.py",
        cwd=project,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return sorted(tuple(line.split()) for line in result.stdout.splitlines())


def test_imported_name_folds_in_project_mode(project):
    assert reports(project, "project") == [("15", "RTS106"), ("9", "RTS103")]


def test_imported_name_is_opaque_in_module_mode(project):
    # One lock per value as far as one file can tell: nothing to compare.
    assert reports(project, "module") == []
