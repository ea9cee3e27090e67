"""RTS4: resource dicts read without validation, and presence-only validators."""

import ast
from typing import Iterator

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.resources import resource_dicts, validated_before
from flake8_rtsec.checkers import FamilyChecker, Report


def check(index: FileIndex) -> Iterator[Report]:
    yield from check_unvalidated_resource_key(index)


def check_unvalidated_resource_key(index: FileIndex) -> Iterator[Report]:
    """RTS401: `d['key']` read from a resource dict not validated for that key."""
    dicts = resource_dicts(index)
    if not dicts:
        return
    for read in index.nodes(ast.Subscript):
        if not isinstance(read.ctx, ast.Load) or not isinstance(read.value, ast.Name):
            continue
        key = read.slice
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            continue
        name = read.value.id
        function = index.enclosing_function(read)
        if name not in dicts.get(function, {}):
            continue
        if not validated_before(index, read, name, key.value):
            yield Report(read, "RTS401", {"source": name, "key": key.value})


class ResourceChecker(FamilyChecker):
    family = "RTS4"
    check = staticmethod(check)
