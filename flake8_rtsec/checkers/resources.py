"""RTS4: resource dicts read without validation, and presence-only validators."""

from typing import Iterator

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.validation import unvalidated_reads
from flake8_rtsec.checkers import FamilyChecker, Report


def check(index: FileIndex) -> Iterator[Report]:
    enabled = index.config.enabled_codes
    if "RTS401" in enabled:
        yield from check_unvalidated_resource_key(index)


def check_unvalidated_resource_key(index: FileIndex) -> Iterator[Report]:
    """RTS401: `d['key']` read from a resource dict not validated for that key."""
    for read in unvalidated_reads(index):
        missed = ""
        if read.validators:
            missed = f" ({', '.join(read.validators)} does not check it)"
        yield Report(read.node, "RTS401", {"source": read.name, "key": read.key, "missed": missed})


class ResourceChecker(FamilyChecker):
    family = "RTS4"
    check = staticmethod(check)
