"""`--format=rtsec-sarif`: valid SARIF 2.1.0, rule metadata, stable fingerprints."""

import json
import re
import shutil
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from flake8_run import flake8

from flake8_rtsec.formatters.sarif import DOCS_BASE_URL, RULE_PROPERTIES
from flake8_rtsec.rules import BY_CODE, RULES

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).parent.parent
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
EXAMPLE = "examples/resource_tracker.py"
NOVA_FILE = "nova/compute/resource_tracker.py"

sys.path.insert(0, str(ROOT / "tools"))
from corpus import corpus_path  # noqa: E402

_DEFAULT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>\S+) ")


def validate(log):
    validator = jsonschema.Draft4Validator(
        SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def sarif(*arguments, cwd=ROOT, stdin=None):
    result = flake8("--format=rtsec-sarif", *arguments, cwd=cwd, stdin=stdin)
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout), result


def results(log):
    (run,) = log["runs"]
    return run["results"]


def location(result):
    physical = result["locations"][0]["physicalLocation"]
    return (
        physical["artifactLocation"]["uri"],
        physical["region"]["startLine"],
        physical["region"]["startColumn"],
        result["ruleId"],
    )


def fingerprints(log):
    return [result["partialFingerprints"]["flake8-rtsec/v1"] for result in results(log)]


def default_reports(*arguments, cwd):
    result = flake8(*arguments, cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    found = []
    for line in result.stdout.splitlines():
        match = _DEFAULT_LINE.match(line)
        assert match, line
        found.append((match["path"], int(match["line"]), int(match["column"]), match["code"]))
    return found


def test_example_module_validates_and_matches_the_default_output():
    log, result = sarif("--isolated", EXAMPLE)
    validate(log)
    assert result.returncode == 1
    expected = default_reports("--isolated", EXAMPLE, cwd=ROOT)
    assert sorted(map(location, results(log))) == sorted(expected)
    assert {code for *_, code in expected} >= {"RTS101", "RTS201", "RTS301", "RTS401"}


def test_rule_entries_follow_the_registry():
    log, _ = sarif("--isolated", "--select=RTS", EXAMPLE)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in RULES]
    for rule, entry in zip(RULES, rules):
        assert entry["name"] == rule.name
        assert entry["shortDescription"]["text"] == rule.summary
        assert entry["fullDescription"]["text"].startswith(rule.summary)
        assert entry["helpUri"] == f"{DOCS_BASE_URL}{rule.code}.md"
        assert entry["defaultConfiguration"]["enabled"] is rule.default_on
        properties = entry["properties"]
        assert properties["precision"] in ("very-high", "high", "medium", "low")
        assert 0.0 <= float(properties["security-severity"]) <= 10.0
        assert any(tag.startswith("external/cwe/cwe-") for tag in properties["tags"])


def test_help_uri_names_a_docs_page_that_exists():
    for rule in RULES:
        assert (ROOT / "docs" / "rules" / f"{rule.code}.md").is_file()
    assert DOCS_BASE_URL.endswith("/docs/rules/")


@pytest.mark.parametrize("code", sorted(BY_CODE))
def test_every_registry_code_has_code_scanning_properties(code):
    assert code in RULE_PROPERTIES


def test_secrets_in_logs_are_tagged_security():
    for code, properties in RULE_PROPERTIES.items():
        if code.startswith("RTS3"):
            assert properties.security, code


def test_results_point_at_their_rule_entry():
    log, _ = sarif("--isolated", EXAMPLE)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    for result in results(log):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"].startswith(result["ruleId"] + " ")


def test_non_rts_reports_keep_their_code(tmp_path):
    (tmp_path / "style.py").write_text("import os\nx=1 \n")
    log, _ = sarif("--isolated", "style.py", cwd=tmp_path)
    validate(log)
    codes = sorted(result["ruleId"] for result in results(log))
    assert codes == ["E225", "F401", "W291"]
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert "pycodestyle" in rules["E225"]["helpUri"]
    assert "flake8" in rules["F401"]["helpUri"]


def test_paths_are_relative_to_the_working_directory(tmp_path):
    package = tmp_path / "pkg" / "sub dir"
    package.mkdir(parents=True)
    shutil.copy(ROOT / EXAMPLE, package / "tracker.py")
    log, _ = sarif("--isolated", "--select=RTS", "./pkg", cwd=tmp_path)
    validate(log)
    uris = {location(result)[0] for result in results(log)}
    assert uris == {"pkg/sub%20dir/tracker.py"}
    base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == tmp_path.as_uri() + "/"


def test_output_file_is_replaced_not_appended(tmp_path):
    output = tmp_path / "out" / "rtsec.sarif"
    for _ in range(2):
        flake8("--isolated", "--format=rtsec-sarif", f"--output-file={output}", EXAMPLE, cwd=ROOT)
    log = json.loads(output.read_text())
    validate(log)
    assert len(results(log)) == len(default_reports("--isolated", EXAMPLE, cwd=ROOT))


def test_statistics_and_benchmarks_do_not_break_the_document():
    log, _ = sarif("--isolated", "--statistics", "--benchmark", "--show-source", EXAMPLE)
    validate(log)


TRACKER = textwrap.dedent(
    """\
    import logging

    LOG = logging.getLogger(__name__)


    class Tracker:
        def report(self, password):
            LOG.info("login %s", password)
            return True
    """
)


def test_fingerprints_survive_lines_added_above(tmp_path):
    (tmp_path / "tracker.py").write_text(TRACKER)
    before, _ = sarif("--isolated", "tracker.py", cwd=tmp_path)
    (tmp_path / "tracker.py").write_text("# a header\n" * 10 + TRACKER)
    after, _ = sarif("--isolated", "tracker.py", cwd=tmp_path)
    shifted = [location(result)[1] + 10 for result in results(before)]
    assert shifted == [location(result)[1] for result in results(after)]
    assert fingerprints(before) == fingerprints(after)


def test_a_duplicated_statement_gets_a_new_fingerprint(tmp_path):
    (tmp_path / "tracker.py").write_text(TRACKER)
    before, _ = sarif("--isolated", "--select=RTS", "tracker.py", cwd=tmp_path)
    duplicated = TRACKER.replace(
        '        LOG.info("login %s", password)\n', '        LOG.info("login %s", password)\n' * 2
    )
    (tmp_path / "tracker.py").write_text(duplicated)
    after, _ = sarif("--isolated", "--select=RTS", "tracker.py", cwd=tmp_path)
    assert len(fingerprints(after)) == 2
    assert len(set(fingerprints(after))) == 2
    assert fingerprints(before)[0] == fingerprints(after)[0]


def test_columns_count_characters_not_bytes(tmp_path):
    (tmp_path / "mod.py").write_text(
        "import logging\nLOG = logging.getLogger(__name__)\n\n\n"
        'def f(password):\n    x = "é"; LOG.info("%s", password)  # noqa: E702\n    return x\n'
    )
    log, _ = sarif("--isolated", "--select=RTS", "mod.py", cwd=tmp_path)
    validate(log)
    (result,) = results(log)
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"
    line = (tmp_path / "mod.py").read_text().splitlines()[5]
    assert location(result)[2] == line.index("LOG") + 1


def test_parallel_jobs_give_the_same_log(tmp_path):
    for number in range(4):
        (tmp_path / f"m{number}.py").write_text(TRACKER)
    one, _ = sarif("--isolated", "-j1", ".", cwd=tmp_path)
    two, _ = sarif("--isolated", "-j2", ".", cwd=tmp_path)
    assert one == two
    assert len(results(one)) == 4


def test_stdin_uses_the_display_name_and_the_buffer(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "tracker.py").write_text(TRACKER)
    from_file, _ = sarif("--isolated", "pkg/tracker.py", cwd=tmp_path)
    # An editor's unsaved buffer: two more lines than the file on disk.
    buffer = "\n\n" + TRACKER
    from_stdin, _ = sarif(
        "--isolated", "-", "--stdin-display-name=pkg/tracker.py", cwd=tmp_path, stdin=buffer
    )
    validate(from_stdin)
    assert [location(r)[0] for r in results(from_stdin)] == ["pkg/tracker.py"]
    assert [location(r)[1] for r in results(from_stdin)] == [
        location(r)[1] + 2 for r in results(from_file)
    ]
    assert fingerprints(from_stdin) == fingerprints(from_file)


def test_plain_stdin_is_named_stdin(tmp_path):
    log, _ = sarif("--isolated", "-", cwd=tmp_path, stdin=TRACKER)
    validate(log)
    assert [location(r)[0] for r in results(log)] == ["stdin"]


def test_syntax_error_is_an_error_result(tmp_path):
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n")
    log, _ = sarif("--isolated", "--select=RTS,E999", "broken.py", cwd=tmp_path)
    validate(log)
    (result,) = results(log)
    assert (result["ruleId"], result["level"]) == ("E999", "error")


def _nova():
    nova = corpus_path("nova")
    if nova is None:
        pytest.skip("nova 34.0.0 corpus absent: run `python tools/corpus.py nova`")
    return nova


def test_real_openstack_file_validates():
    nova = _nova()
    log, _ = sarif("--isolated", NOVA_FILE, cwd=nova)
    validate(log)
    found = results(log)
    assert found
    assert {location(r)[0] for r in found} == {NOVA_FILE}
    rule_ids = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in found} <= rule_ids
    assert any(r["ruleId"].startswith("RTS") for r in found)


def test_openstack_package_same_findings_as_the_default_formatter():
    """Acceptance: nova/compute through both formatters, every code on."""
    nova = _nova()
    expected = default_reports("--isolated", "nova/compute", cwd=nova)
    log, _ = sarif("--isolated", "nova/compute", cwd=nova)
    validate(log)
    found = results(log)
    assert len(found) == len(expected)
    assert Counter((uri, line, code) for uri, line, _, code in map(location, found)) == Counter(
        (path.removeprefix("./"), line, code) for path, line, _, code in expected
    )
    assert any(r["ruleId"].startswith("RTS") for r in found)
