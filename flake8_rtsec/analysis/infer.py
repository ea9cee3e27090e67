"""Lazy astroid: the only module that imports it, and only when asked.

Used with `rtsec-infer=project` for questions the file alone cannot answer,
such as the value of a lock name imported from another module of the
project.  astroid is imported on the first question, modules are built from
the project's own files only (never site-packages), and every answer is
cached for the process.  A module astroid cannot build or infer gives no
answer rather than an error: the checks then behave as in `module` mode.
"""

import ast
import os
from functools import lru_cache
from importlib.machinery import BYTECODE_SUFFIXES, EXTENSION_SUFFIXES
from typing import Dict, FrozenSet, List, Optional, Tuple

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.names import NOT_CONSTANT


def imported_constant(index: FileIndex, qualified_name: str) -> object:
    """The constant a name imported from the project is bound to, else NOT_CONSTANT."""
    location = project_location(index.filename)
    if location is None:
        return NOT_CONSTANT
    root, package = location
    return _constant_in_project(root, _absolute(qualified_name, package))


@lru_cache(maxsize=64)
def project_location(filename: str) -> Optional[Tuple[str, str]]:
    """(project root, dotted package of the file) from the `__init__.py` chain."""
    if not filename or not os.path.isfile(filename):
        return None
    directory = os.path.dirname(os.path.abspath(filename))
    package = []
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        package.append(os.path.basename(directory))
        directory = os.path.dirname(directory)
    return directory, ".".join(reversed(package))


def _absolute(qualified_name: str, package: str) -> str:
    if not qualified_name.startswith("."):
        return qualified_name
    stripped = qualified_name.lstrip(".")
    parts = package.split(".") if package else []
    up = len(qualified_name) - len(stripped) - 1
    if up:
        parts = parts[:-up]
    return ".".join([*parts, stripped])


def _inferred_binding(root: str, qualified_name: str):
    """astroid's inferred value of `module.NAME` in a project module, or None.

    The caller must hold astroid's errors at bay: it runs inside the
    `except` of `_answer`.
    """
    import astroid
    from astroid import modutils

    parts = qualified_name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        module_parts, attribute = parts[:split], parts[split:]
        try:
            path = modutils.file_from_modpath(module_parts, path=[root])
        except ImportError:
            continue
        if not path or not path.startswith(root) or len(attribute) != 1:
            return None
        module = astroid.MANAGER.ast_from_file(path, ".".join(module_parts))
        return astroid.util.safe_infer(module.getattr(attribute[0])[0])
    return None


def _answer(question, root: str, qualified_name: str, no_answer):
    """`question(inferred value)`, or `no_answer` when astroid cannot tell."""
    import astroid

    try:
        return question(_inferred_binding(root, qualified_name))
    except (astroid.AstroidError, RecursionError):
        return no_answer


@lru_cache(maxsize=None)
def _constant_in_project(root: str, qualified_name: str) -> object:
    from astroid import nodes

    def constant(value):
        return value.value if isinstance(value, nodes.Const) else NOT_CONSTANT

    return _answer(constant, root, qualified_name, NOT_CONSTANT)


def imported_broad_type(index: FileIndex, qualified_name: str) -> Optional[str]:
    """`Exception` or `BaseException` when a name imported from the project is
    bound to it, or to a tuple holding it (`CATCH_ALL = (Exception,)` in
    another module); else None."""
    location = project_location(index.filename)
    if location is None:
        return None
    root, package = location
    qualified_name = _absolute(qualified_name, package)
    if not _may_be_alias(root, qualified_name):
        return None
    return _broad_in_project(root, qualified_name)


_BROAD_QNAMES = {"builtins.Exception": "Exception", "builtins.BaseException": "BaseException"}
_MAX_ELEMENTS = 50  # a tuple larger than this is not followed


@lru_cache(maxsize=None)
def _broad_in_project(root: str, qualified_name: str) -> Optional[str]:
    import astroid
    from astroid import nodes

    def broadest(value):
        pending = [value]
        found = None
        seen = 0
        while pending and seen < _MAX_ELEMENTS:
            value = pending.pop()
            seen += 1
            if isinstance(value, (nodes.Tuple, nodes.List)):
                pending.extend(astroid.util.safe_infer(element) for element in value.elts)
            elif isinstance(value, nodes.ClassDef):
                kind = _BROAD_QNAMES.get(value.qname())
                if kind == "BaseException" or (kind and found is None):
                    found = kind
        return found

    return _answer(broadest, root, qualified_name, None)


# What a module file may end with, for an import system looking in the project.
_MODULE_SUFFIXES = (".py", ".pyi", *BYTECODE_SUFFIXES, *EXTENSION_SUFFIXES)


@lru_cache(maxsize=None)
def _may_be_alias(root: str, qualified: str) -> bool:
    """Whether astroid could find `qualified` bound to an exception type: a
    name of a module of the project that is not plainly a class of its own.

    Most handlers in a project catch its own exception classes
    (`exception.InstanceNotFound`) or a library's (`processutils.ProcessExecutionError`);
    neither can be `Exception` under another name, and asking astroid would
    build the whole defining module (Nova's `exception.py`) to say so.
    Answered from the file system and the module's own syntax, once per
    process; anything unusual goes to astroid."""
    parts = qualified.split(".")
    if len(parts) < 2 or "" in parts:
        return True
    head = os.path.join(root, parts[0])
    if not os.path.isdir(head) and not any(
        os.path.isfile(head + suffix) for suffix in _MODULE_SUFFIXES
    ):
        return False  # not the project's: astroid only answers from its files
    path = _project_module_file(root, parts[:-1])
    if path is None:
        return True
    return parts[-1] not in _plain_classes(path)


def _project_module_file(root: str, module: List[str]) -> Optional[str]:
    """The source of a plain module (not a package) under `root`, where an
    import from `root` would find it first; None when it is anything else."""
    directory = root
    for part in module[:-1]:
        directory = os.path.join(directory, part)
        if not os.path.isfile(os.path.join(directory, "__init__.py")):
            return None
    base = os.path.join(directory, module[-1])
    if os.path.isdir(base) or any(os.path.isfile(base + s) for s in EXTENSION_SUFFIXES):
        return None
    return base + ".py" if os.path.isfile(base + ".py") else None


@lru_cache(maxsize=None)
def _plain_classes(path: str) -> FrozenSet[str]:
    """Names a module binds only with one top-level `class` statement (so
    they can only be that class); empty when the module cannot be read."""
    try:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError):
        return frozenset()  # astroid decides
    classes: Dict[str, int] = {}
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            classes[statement.name] = classes.get(statement.name, 0) + 1
    top_level = set(tree.body)
    other = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.alias):
            if node.name == "*":
                return frozenset()  # binds names only the other module knows
            other.add(node.name.split(".", 1)[0])
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            continue
        if isinstance(node, ast.ClassDef) and node in top_level:
            continue
        for field in ("name", "id", "arg", "asname", "rest"):
            value = getattr(node, field, None)
            if isinstance(value, str):
                other.add(value)
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            other.update(node.names)
    return frozenset(
        name
        for name, count in classes.items()
        if count == 1 and name not in other and not name.startswith("__")
    )
