"""The rule registry: the single source of truth for every code.

Checkers report through `Rule.message`, the docs build reads `RULES` to make
the rule index, and the tests check docs pages and examples against it.  A
code that is not here cannot be reported.
"""

from dataclasses import dataclass

FAMILIES = {
    "RTS1": "shared state and locks",
    "RTS2": "broad exception handlers",
    "RTS3": "secrets in log calls",
    "RTS4": "resource dicts",
}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    default_on: bool
    template: str
    summary: str

    @property
    def family(self) -> str:
        return self.code[:4]

    def message(self, **fields: object) -> str:
        return f"{self.code} {self.template.format(**fields)}"


RULES = (
    # RTS1: shared state and locks
    Rule(
        "RTS101",
        "unguarded-write",
        True,
        "write to {target} outside {lock} (written under it at line {guarded_line}); "
        "take the lock",
        "State written under a lock somewhere is written outside it here.",
    ),
    Rule(
        "RTS102",
        "unguarded-iteration",
        True,
        "iteration over {target} outside {lock} (written under it at line {guarded_line}); "
        "a concurrent write breaks the loop: iterate under the lock or over a copy made "
        "under it",
        "A container written under a lock is iterated outside it.",
    ),
    Rule(
        "RTS103",
        "non-reentrant-reacquire",
        True,
        "{lock} is not reentrant and is already held (taken at line {held_line}); "
        "{chain} takes it again and deadlocks: call an unlocked helper instead",
        "A lock that is not reentrant is taken again while held.",
    ),
    Rule(
        "RTS104",
        "manual-acquire",
        True,
        "{lock}.acquire() is not followed at once by try/finally: {lock}.release(); "
        "an exception leaks the lock: use `with {lock}:`",
        "A manual acquire() can leak the lock when an exception is raised.",
    ),
    Rule(
        "RTS105",
        "lock-order-inversion",
        True,
        "{inner} taken while holding {outer}, but line {other_line} takes {outer} "
        "while holding {inner}; two threads deadlock: take them in one order",
        "Two locks are taken in opposite orders in one module.",
    ),
    Rule(
        "RTS106",
        "mixed-lock-fairness",
        True,
        "{lock} used with {setting} here but {other_setting} at line {other_line}; "
        "{consequence}: use the same settings everywhere",
        "One lockutils name is used with different fair= or external= settings.",
    ),
    Rule(
        "RTS107",
        "acquire-without-timeout",
        False,
        "{lock}.acquire() blocks forever; pass timeout= or blocking=False",
        "A blocking acquire() with no timeout can hang the thread forever.",
    ),
    # RTS2: broad exception handlers
    Rule(
        "RTS201",
        "broad-except-silent",
        True,
        "{caught} swallowed without logging (path ends at line {end_line}); "
        "log it with LOG.exception(...), narrow the type, or re-raise",
        "A broad handler has a path that swallows the error and logs nothing.",
    ),
    Rule(
        "RTS202",
        "broad-except-traceback-lost",
        True,
        "{caught} logged without its traceback (path ends at line {end_line}); "
        "use LOG.exception(...) or exc_info=True, or narrow the type",
        "A broad handler logs the error but drops the traceback.",
    ),
    Rule(
        "RTS203",
        "base-exception-swallowed",
        True,
        "{caught} swallows SystemExit and KeyboardInterrupt too (path ends at line "
        "{end_line}); catch Exception, or re-raise on every path",
        "A bare or BaseException handler does not always re-raise.",
    ),
    Rule(
        "RTS204",
        "swallowed-in-critical-section",
        True,
        "{caught} swallowed (path ends at line {end_line}) while holding {lock}, after "
        "the try wrote {target} (line {write_line}) that the lock guards; roll the "
        "write back in the handler, or re-raise",
        "A broad handler swallows inside a lock after writing state the lock guards.",
    ),
    Rule(
        "RTS205",
        "broad-suppress",
        True,
        "suppress({caught}) swallows every error without a trace; catch the narrow "
        "type, or use try/except with LOG.exception(...)",
        "contextlib.suppress(Exception) is a silent broad handler by another name.",
    ),
    Rule(
        "RTS206",
        "broad-except-logged",
        False,
        "{caught} logs the traceback but swallows the error (path ends at line "
        "{end_line}); re-raise, narrow the type, or allow {function} with "
        "--rtsec-broad-except-allowed",
        "A broad handler logs the traceback and carries on (strict mode).",
    ),
    # RTS3: secrets in log calls
    Rule(
        "RTS301",
        "secret-in-log",
        True,
        "sensitive value {value} reaches a log call; log strutils.mask_password(...) "
        "of it or an identifier instead",
        "A password, token or key reaches a logger call.",
    ),
    Rule(
        "RTS302",
        "credential-container-in-log",
        True,
        "credential carrier {value} reaches a log call unmasked; log "
        "strutils.mask_dict_password(...) of it or only the fields you need",
        "A container that usually holds credentials reaches a logger call unmasked.",
    ),
    Rule(
        "RTS303",
        "secret-in-exception-message",
        True,
        "{value} is formatted into a raised exception; leave it out of the "
        "message, mask it with strutils.mask_password(...) or name an identifier",
        "A secret or credential carrier is formatted into a raised exception's message.",
    ),
    Rule(
        "RTS304",
        "secret-in-print",
        False,
        "{value} is printed; print strutils.mask_password(...) of it or an "
        "identifier instead",
        "A secret or credential carrier is printed to stdout or stderr.",
    ),
    Rule(
        "RTS305",
        "secret-option-not-masked",
        True,
        "option {option!r} can hold a secret but is declared without "
        "secret=True, so log_opt_values prints it; add secret=True",
        "An oslo.config option named like a secret or credential URL lacks secret=True.",
    ),
    # RTS4: resource dicts
    Rule(
        "RTS401",
        "unvalidated-resource-key",
        True,
        "{source}[{key!r}] is read before {source} is validated for {key!r}{missed}; "
        "validate it first or use .get({key!r}, default)",
        "A key is read from a resource dict that was not validated for it.",
    ),
    Rule(
        "RTS402",
        "presence-only-validator",
        True,
        "{validator}() checks only that keys of {parameter} are present{keys}, never "
        "their type or range; also check values (isinstance, bounds) or validate "
        "{parameter} against a schema",
        "A validator of a resource dict checks that keys exist, not their values.",
    ),
    Rule(
        "RTS403",
        "unvalidated-resource-into-state",
        True,
        "{value} from {source} goes into {target} {checked}; check its type and "
        "range (isinstance, bounds) or validate it against a schema first",
        "An untrusted resource dict reaches tracked state with no type or range check.",
    ),
)

BY_CODE = {rule.code: rule for rule in RULES}


def rules_of(family: str) -> tuple:
    return tuple(rule for rule in RULES if rule.family == family)
