"""RTS4: resource dicts read without validation, presence-only validators,
and untrusted values stored into tracked state."""

from typing import Iterator

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.tracked import untrusted_stores
from flake8_rtsec.analysis.validation import unvalidated_reads
from flake8_rtsec.analysis.validators import resource_validators
from flake8_rtsec.checkers import FamilyChecker, Report, enabled_checks

_SHOWN_KEYS = 3  # keys named in an RTS402 message


def check(index: FileIndex) -> Iterator[Report]:
    return enabled_checks(index, CHECKS)


def check_unvalidated_resource_key(index: FileIndex) -> Iterator[Report]:
    """RTS401: `d['key']` read from a resource dict not validated for that key."""
    for read in unvalidated_reads(index):
        missed = ""
        if read.validators:
            missed = f" ({', '.join(read.validators)} does not check it)"
        yield Report(read.node, "RTS401", {"source": read.name, "key": read.key, "missed": missed})


def check_presence_only_validator(index: FileIndex) -> Iterator[Report]:
    """RTS402: a validator of a resource dict that checks presence, not values."""
    reported = set()
    for validator in resource_validators(index):
        if validator.check.checks_values or validator.function in reported:
            continue
        reported.add(validator.function)
        keys = ""
        if validator.check.keys:
            listed = validator.check.listed
            keys = " (" + ", ".join(repr(k) for k in listed[:_SHOWN_KEYS])
            if len(listed) > _SHOWN_KEYS:
                keys += f" and {len(listed) - _SHOWN_KEYS} more"
            keys += ")"
        yield Report(
            validator.function,
            "RTS402",
            {"validator": validator.function.name, "parameter": validator.parameter, "keys": keys},
        )


def check_unvalidated_resource_into_state(index: FileIndex) -> Iterator[Report]:
    """RTS403: an untrusted resource dict, or a value read from it, stored into
    tracked state with no type or range check on the path."""
    for store in untrusted_stores(index):
        if store.validators:
            checked = f"after only the presence check of {', '.join(store.validators)}"
        else:
            checked = "unvalidated"
        yield Report(
            store.node,
            "RTS403",
            {"value": store.value, "source": store.source, "target": store.target,
             "checked": checked},
        )


CHECKS = (
    ("RTS401", check_unvalidated_resource_key),
    ("RTS402", check_presence_only_validator),
    ("RTS403", check_unvalidated_resource_into_state),
)


class ResourceChecker(FamilyChecker):
    family = "RTS4"
    check = staticmethod(check)
