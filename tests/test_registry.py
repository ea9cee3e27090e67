"""The registry is the source of truth: docs, examples, README and checkers agree with it."""

import re
from pathlib import Path

import pytest
from flake8_run import flake8

from flake8_rtsec.options import OPTIONS
from flake8_rtsec.rules import BY_CODE, FAMILIES, RULES

ROOT = Path(__file__).parent.parent
RULE_PAGES = ROOT / "docs" / "rules"
HEADINGS = [
    "## What it does",
    "## Why is this bad?",
    "## Known problems",
    "## Example",
    "## Use instead",
    "## Options",
    "## References",
]
_CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
ALL_CODES = sorted(BY_CODE)


def test_codes_names_and_families_are_well_formed():
    assert len(BY_CODE) == len(RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"RTS[1-4]\d\d", rule.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule.name)
        assert rule.family in FAMILIES


def test_every_page_belongs_to_a_code():
    assert sorted(page.stem for page in RULE_PAGES.glob("*.md")) == ALL_CODES


@pytest.mark.parametrize("code", ALL_CODES)
def test_page_has_the_rule_headings(code):
    text = (RULE_PAGES / f"{code}.md").read_text()
    assert text.splitlines()[0] == f"# {code} {BY_CODE[code].name}"
    positions = [text.find(heading + "\n") for heading in HEADINGS]
    assert -1 not in positions, [h for h, p in zip(HEADINGS, positions) if p == -1]
    assert positions == sorted(positions)


@pytest.mark.parametrize("code", ALL_CODES)
def test_page_options_exist(code):
    text = (RULE_PAGES / f"{code}.md").read_text()
    flags = {spec.flag for spec in OPTIONS}
    assert set(re.findall(r"--rtsec-[a-z-]+[a-z]", text)) <= flags


def _section(text, heading):
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


@pytest.fixture(scope="module")
def page_snippet_reports(tmp_path_factory):
    """Each page's Example and Use instead blocks through one flake8 run."""
    folder = tmp_path_factory.mktemp("snippets")
    for code in ALL_CODES:
        text = (RULE_PAGES / f"{code}.md").read_text()
        for kind in ("Example", "Use instead"):
            blocks = _CODE_BLOCK.findall(_section(text, f"## {kind}"))
            assert blocks, f"{code}: no python block under {kind}"
            for number, block in enumerate(blocks):
                name = f"{code}_{kind.replace(' ', '_')}_{number}.py"
                (folder / name).write_text(block)
    result = flake8(
        "--isolated",
        "--select=RTS,E999",
        f"--extend-select={','.join(ALL_CODES)}",
        "--format=%(path)s %(code)s",
        str(folder),
    )
    reports = {}
    for line in result.stdout.splitlines():
        path, code = line.split()
        reports.setdefault(Path(path).name, set()).add(code)
    return reports


@pytest.mark.parametrize("code", ALL_CODES)
def test_page_example_reports_the_code_and_fix_does_not(code, page_snippet_reports):
    examples = {n: c for n, c in page_snippet_reports.items() if n.startswith(f"{code}_Example")}
    assert any(code in codes for codes in examples.values()), page_snippet_reports
    for name, codes in page_snippet_reports.items():
        if name.startswith(f"{code}_Use_instead"):
            assert code not in codes and "E999" not in codes, (name, codes)


@pytest.mark.parametrize("code", ALL_CODES)
def test_code_has_an_annotated_example(code):
    annotated = "\n".join(path.read_text() for path in (ROOT / "tests" / "examples").glob("*.py"))
    assert re.search(rf"#.*\b{code}\b", annotated)


@pytest.mark.parametrize("code", ALL_CODES)
def test_code_has_a_check_named_after_its_slug(code):
    rule = BY_CODE[code]
    source = "\n".join(p.read_text() for p in (ROOT / "flake8_rtsec" / "checkers").glob("*.py"))
    slug = rule.name.replace("-", "_")
    assert re.search(rf'def check_{slug}\(.*\n\s+"""{code}: ', source), slug


@pytest.mark.parametrize("code", ALL_CODES)
def test_readme_lists_the_code(code):
    readme = (ROOT / "README.md").read_text()
    assert re.search(rf"^\| *\[?{code}\b.*\| *{BY_CODE[code].name} *\|", readme, re.MULTILINE)
