"""Where a value goes within the expression that uses it.

`LOG.debug("pw=%s" % str(password))`: from `password`, the value passes
through `str(...)` and `%` unchanged in meaning and becomes an argument of
`LOG.debug`.  `len(password)`, `password is None` or `token.expires_at`
end the flow: what reaches the next call no longer carries the value.
"""

import ast
from typing import Optional

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.names import resolver_for

# Calls whose result carries their argument's content.
CARRYING_FUNCTIONS = frozenset(
    {
        "builtins.str",
        "builtins.repr",
        "builtins.format",
        "builtins.bytes",
        "json.dumps",
        "oslo_serialization.jsonutils.dumps",
        "pprint.pformat",
    }
)
# Methods whose result carries the content of their receiver or arguments.
CARRYING_METHODS = frozenset(
    {
        "format",
        "format_map",
        "join",
        "encode",
        "decode",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "replace",
        "copy",
    }
)
_CARRYING_EXPRESSIONS = (
    ast.JoinedStr,
    ast.FormattedValue,
    ast.BinOp,
    ast.BoolOp,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Dict,
    ast.Starred,
    ast.keyword,
)


def receiving_call(index: FileIndex, value: ast.AST) -> Optional[ast.Call]:
    """The call that `value`'s content reaches as an argument in its own
    expression, or None when the flow ends first (a comparison, `len()`,
    an attribute read, an unknown call, or the end of the statement)."""
    node = value
    while True:
        parent = index.parent(node)
        if parent is None:
            return None
        if isinstance(parent, ast.Call):
            if node is parent.func:
                return None
            if not _carries(index, parent):
                return parent
        elif isinstance(parent, ast.Attribute):
            call = index.parent(parent)
            if not (
                isinstance(call, ast.Call)
                and call.func is parent
                and parent.attr in CARRYING_METHODS
            ):
                return None
            parent = call  # `secret.encode()` carries the secret
        elif isinstance(parent, ast.Subscript):
            if node is not parent.value or not _keeps_content(parent):
                return None
        elif isinstance(parent, ast.IfExp):
            if node is parent.test:
                return None
        elif isinstance(parent, ast.Dict):
            if any(key is node for key in parent.keys):
                return None
        elif not isinstance(parent, _CARRYING_EXPRESSIONS):
            return None
        node = parent


def _carries(index: FileIndex, call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in CARRYING_METHODS:
        return True
    return resolver_for(index).qualified_name(func) in CARRYING_FUNCTIONS


def _keeps_content(subscript: ast.Subscript) -> bool:
    """`secret[:4]` still shows the secret; `creds['id']` is another value."""
    key = subscript.slice
    return not (isinstance(key, ast.Constant) and isinstance(key.value, str))
