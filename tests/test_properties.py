"""Properties that hold for every program, checked on generated ones.

hypothesmith's programs (anything the grammar allows) must never crash a
family.  The domain strategies (`domain.py`) build tracker-like modules and
check what a fix does to the reports: taking the lock removes RTS101 from
that write, masking the secret removes RTS301 from that call, re-raising
removes RTS201/202/203 from that handler, and nothing else changes.
Renaming an identifier that means nothing to the plugin changes nothing.
The same input gives the same reports in the same order, in one process
and across processes, with one job or two.
"""

import ast
import warnings

import domain
import hypothesmith
import pytest
from checkers_in_process import EVERY_CODE, run_all
from flake8_run import flake8
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from flake8_rtsec import options
from flake8_rtsec.checkers.excepts import ExceptChecker
from flake8_rtsec.checkers.locks import LockChecker
from flake8_rtsec.checkers.logs import LogChecker
from flake8_rtsec.checkers.resources import ResourceChecker

PROJECT = options.Config(enabled_codes=EVERY_CODE.enabled_codes, infer="project")
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def parsed(source: str) -> ast.AST:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source)


def reports(source: str, config=EVERY_CODE):
    return run_all(parsed(source), source, config=config)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(hypothesmith.from_grammar())
def test_generated_programs_never_crash_a_family(source):
    try:
        tree = parsed(source)
    except (SyntaxError, ValueError):
        assume(False)
    for config in (EVERY_CODE, PROJECT):
        run_all(tree, source, config=config)


@SETTINGS
@given(domain.programs)
def test_domain_programs_report_exactly_the_unguarded_writes(program):
    source, marks = program.render()
    found = domain.reports_by_part(reports(source), marks)
    unguarded = {part for (kind, part), codes in found.items() if "RTS101" in codes}
    assert unguarded == domain.flagged_writes(program)


@SETTINGS
@given(domain.programs, st.data())
def test_taking_the_lock_removes_rts101_from_that_write_only(program, data):
    flagged = sorted(domain.flagged_writes(program))
    assume(flagged)
    write = data.draw(st.sampled_from(flagged))
    before_source, before_marks = program.render()
    after_source, after_marks = domain.with_write_locked(program, write).render()
    before = domain.reports_by_part(reports(before_source), before_marks)
    after = domain.reports_by_part(reports(after_source), after_marks)
    assert "RTS101" in before[("write", write)]
    assert "RTS101" not in after.get(("write", write), [])
    assert _without(before, ("write", write)) == _without(after, ("write", write))


@SETTINGS
@given(domain.programs, st.data())
def test_masking_the_secret_removes_rts301_from_that_call_only(program, data):
    source, marks = program.render()
    before = domain.reports_by_part(reports(source), marks)
    secret_logs = [number for number, call in enumerate(program.logs) if call.secret is not None]
    assume(secret_logs)
    number = data.draw(st.sampled_from(secret_logs))
    assert before.get(("log", number)) == ["RTS301"]
    masked_source, masked_marks = domain.with_log_masked(program, number).render()
    after = domain.reports_by_part(reports(masked_source), masked_marks)
    assert ("log", number) not in after
    assert _without(before, ("log", number)) == _without(after, ("log", number))


@SETTINGS
@given(domain.programs, st.data())
def test_reraising_removes_the_handler_report_only(program, data):
    source, marks = program.render()
    before = domain.reports_by_part(reports(source), marks)
    flagged = [number for kind, number in before if kind == "handler"]
    assume(flagged)
    number = data.draw(st.sampled_from(flagged))
    # Every code on a handler is about what it does with the error; strict
    # mode (RTS206) and the critical-section rule (RTS204) go away with it too.
    handler_codes = {"RTS201", "RTS202", "RTS203", "RTS204", "RTS206"}
    assert set(before[("handler", number)]) <= handler_codes
    fixed_source, fixed_marks = domain.with_handler_reraising(program, number).render()
    after = domain.reports_by_part(reports(fixed_source), fixed_marks)
    assert ("handler", number) not in after
    assert _without(before, ("handler", number)) == _without(after, ("handler", number))


@SETTINGS
@given(domain.programs, st.data())
def test_renaming_a_neutral_identifier_changes_no_report(program, data):
    source, _ = program.render()
    names = domain.used_neutral_names(source)
    assume(names)
    old = data.draw(st.sampled_from(names))
    letters = data.draw(
        st.lists(st.sampled_from("qxzjv"), min_size=len(old), max_size=len(old))
    )
    new = "".join(
        keep if keep == "_" else (letter.upper() if keep.isupper() else letter)
        for keep, letter in zip(old, letters)
    )
    assume(new not in source)
    renamed = domain.renamed(source, old, new)
    assert renamed != source
    assert reports(renamed) == reports(source)
    assert reports(renamed, PROJECT) == reports(source, PROJECT)


CHECKERS = (LockChecker, ExceptChecker, LogChecker, ResourceChecker)


def _in_flake8_order(source: str):
    """Every report as flake8 receives it, unsorted: family by family."""
    tree = parsed(source)
    lines = source.splitlines(keepends=True)
    previous = options._current
    options._current = EVERY_CODE
    try:
        return [
            report[:3] for checker in CHECKERS for report in checker(tree, "m.py", lines).run()
        ]
    finally:
        options._current = previous


@SETTINGS
@given(domain.programs)
def test_same_input_same_reports_in_the_same_order(program):
    source, _ = program.render()
    first = _in_flake8_order(source)
    assert _in_flake8_order(source) == first
    assert _in_flake8_order(source) == first


@pytest.fixture(scope="module")
def generated_project(tmp_path_factory):
    """A directory of modules built from the domain parts, reporting every family."""
    directory = tmp_path_factory.mktemp("generated")
    for number in range(6):
        lock = ("object", "lockutils")[number % 2]
        methods = (
            domain.Method("refresh", number % 3 == 0 and lock == "lockutils", (
                domain.Write("stats", "item", True),
                domain.Write("usage", sorted(domain.WRITE_FORMS)[number], False),
            )),
            domain.Method("_sync", False, (domain.Write("usage", "append", number % 2 == 0),)),
            domain.Method("prune", False, (domain.Write("stats", "pop", False),)),
        )
        tracker = domain.TrackerClass("Tracker", lock, ("stats", "usage"), methods)
        program = domain.Program(
            classes=(tracker,),
            handlers=(
                domain.Handler(domain.BROAD_TYPES[number % 4], domain.HANDLER_STATEMENTS[:2]),
                domain.Handler("Exception", (domain.HANDLER_STATEMENTS[number],)),
            ),
            logs=(domain.LogCall("info", ("item", domain.SECRETS[number % 5]), 1),),
            validated_reads=(False, True),
        )
        (directory / f"module_{number}.py").write_text(program.render()[0])
    return directory


def test_one_job_or_two_give_identical_output(generated_project):
    one = flake8("--isolated", "--select=RTS", "-j1", str(generated_project))
    two = flake8("--isolated", "--select=RTS", "-j2", str(generated_project))
    codes = {line.split(": ", 1)[1][:4] for line in one.stdout.splitlines()}
    assert codes == {"RTS1", "RTS2", "RTS3", "RTS4"}
    assert two.stdout == one.stdout
    assert two.returncode == one.returncode == 1


def test_output_does_not_depend_on_hash_seed(generated_project, monkeypatch):
    outputs = set()
    for seed in ("1", "2", "3"):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        outputs.add(flake8("--isolated", "--select=RTS", "-j1", str(generated_project)).stdout)
    assert len(outputs) == 1


def _without(found, part):
    return {key: codes for key, codes in found.items() if key != part}
