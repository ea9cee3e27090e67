"""Writes to an object's own state: `self.x = ...`, `self.x[k] = ...`, `self.x.pop()`.

A write is named by the attribute of `self` it lands in, however deep the
store goes: `self.stats[node].failed = 1` writes `stats`.
"""

import ast
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.methods import ClassModel, class_models

MUTATING_METHODS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "pop",
        "popitem",
        "remove",
        "discard",
        "add",
        "update",
        "clear",
        "setdefault",
        "sort",
        "reverse",
    }
)


@dataclass(frozen=True)
class Write:
    method: str  # the method of the class the write is made in
    attribute: str  # the attribute of self written: "stats" for self.stats[n] = 1
    node: ast.AST  # what is reported: the store target or the mutating call


def writes_by_class(index: FileIndex) -> Dict[ast.ClassDef, List[Write]]:
    return index.memo(Write, lambda: _collect_writes(index))


def _collect_writes(index: FileIndex) -> Dict[ast.ClassDef, List[Write]]:
    owner_of = {
        method: model for model in class_models(index) for method in model.methods.values()
    }
    found: Dict[ast.ClassDef, List[Write]] = {}
    if not owner_of:
        return found
    for node in index.nodes(ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete, ast.Call):
        if not _may_write_attribute(node):
            continue  # most statements and calls; skip them before climbing
        method = _method_of(index, node, owner_of)
        if method is None:
            continue
        model = owner_of[method]
        self_name = model.self_name(method)
        if self_name is None:
            continue
        for attribute, reported in _written_attributes(node, self_name):
            found.setdefault(model.node, []).append(Write(method.name, attribute, reported))
    return found


def _method_of(index: FileIndex, node: ast.AST, owner_of: Dict[ast.AST, ClassModel]):
    """The method whose body (or a function nested in it) holds `node`."""
    for ancestor in index.ancestors(node):
        if ancestor in owner_of:
            return ancestor
        if isinstance(ancestor, ast.ClassDef):
            return None
    return None


def _may_write_attribute(node: ast.AST) -> bool:
    """False for calls of non-mutating methods and stores to plain names only."""
    if isinstance(node, ast.Call):
        return _is_mutating_call(node)
    targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
    return not all(isinstance(target, ast.Name) for target in targets)


def _is_mutating_call(call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in MUTATING_METHODS


def _written_attributes(node: ast.AST, self_name: str) -> Iterator[tuple]:
    if isinstance(node, ast.Call):
        if _is_mutating_call(node):
            attribute = self_attribute(node.func.value, self_name)
            if attribute:
                yield attribute, node
        return
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.Delete):
        targets = node.targets
    else:
        targets = [node.target]
    stack = list(targets)
    while stack:
        target = stack.pop()
        if isinstance(target, (ast.Tuple, ast.List)):
            stack.extend(target.elts)
        elif isinstance(target, ast.Starred):
            stack.append(target.value)
        else:
            attribute = self_attribute(target, self_name)
            if attribute:
                yield attribute, target


def self_attribute(expr: ast.AST, self_name: str) -> Optional[str]:
    """`stats` for `self.stats`, `self.stats[n]`, `self.stats[n].x`; else None."""
    attribute = None
    while isinstance(expr, (ast.Attribute, ast.Subscript)):
        if isinstance(expr, ast.Attribute):
            attribute = expr.attr
        expr = expr.value
    if isinstance(expr, ast.Name) and expr.id == self_name:
        return attribute
    return None
