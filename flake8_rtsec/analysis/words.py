"""The words a file spells, each kind read once per file and shared.

Reading a field of an AST node costs far more than reading a list item (a
cache miss, mostly), and every family asks what names, attributes,
parameters, keywords, string constants and callees a file spells: RTS2 for
`suppress` and handler types, RTS3 for sources and sinks, RTS4 for resource
names and source calls.  `file_words` reads each bucket once, in bucket
order, so an answer can be zipped with `index.nodes(kind)`.
"""

import ast
import operator
from itertools import compress, repeat
from typing import Callable, Iterator, Optional, Set, Tuple

from flake8_rtsec.analysis.index import FileIndex

# The buckets whose nodes are named by one field, and that field.
NAMES, ATTRIBUTES, PARAMETERS, KEYWORDS = ast.Name, ast.Attribute, ast.arg, ast.keyword


class FileWords:
    """The words of one file's nodes, by bucket."""

    __slots__ = ("_index", "_words", "_strings", "_callees", "_stored")

    def __init__(self, index: FileIndex) -> None:
        self._index = index
        self._words: dict = {}
        self._strings: Optional[Tuple[list, list]] = None
        self._callees: Optional[Tuple[list, list]] = None
        self._stored: Optional[Set[str]] = None

    def of(self, kind: type) -> list:
        """The word of each node of the bucket `kind` (None for `**spread`)."""
        words = self._words.get(kind)
        if words is None:
            getter = _ID if kind is NAMES else _ATTR if kind is ATTRIBUTES else _ARG
            words = self._words[kind] = list(map(getter, self._index.nodes(kind)))
        return words

    def strings(self) -> list:
        """The values of the file's string constants, in bucket order."""
        return self.string_constants()[1]

    def string_constants(self) -> Tuple[list, list]:
        """The string constants, and their values."""
        if self._strings is None:
            constants = self._index.nodes(ast.Constant)
            values = list(map(_VALUE, constants))
            is_text = list(map(isinstance, values, repeat(str)))
            self._strings = (list(compress(constants, is_text)), list(compress(values, is_text)))
        return self._strings

    def stored(self) -> Set[str]:
        """The names bound or deleted anywhere in the file (not only read)."""
        if self._stored is None:
            names = self._index.nodes(NAMES)
            written = map(operator.is_not, map(type, map(_CTX, names)), repeat(ast.Load))
            # Most names are only read: their words need not be read here.
            self._stored = set(map(_ID, compress(names, written)))
        return self._stored

    def callees(self) -> Tuple[list, list]:
        """For each call, in bucket order, the attribute its callee ends with
        (`info` in `LOG.info(...)`) or None, and the name it calls (`print`)
        or None: the callee's own last part, which its qualified name ends
        with too."""
        if self._callees is None:
            attributes: list = []
            names: list = []
            for func in map(_FUNC, self._index.nodes(ast.Call)):
                kind = type(func)
                attributes.append(func.attr if kind is ast.Attribute else None)
                names.append(func.id if kind is ast.Name else None)
            self._callees = (attributes, names)
        return self._callees


def file_words(index: FileIndex) -> FileWords:
    return index.memo(FileWords, lambda: FileWords(index))


def calls_named(
    index: FileIndex,
    attributes: Set[str],
    is_wanted_name: Optional[Callable[[str], bool]] = None,
    is_wanted_other: Optional[Callable[[ast.AST], bool]] = None,
) -> Iterator[ast.Call]:
    """The calls, in file order, of a callee ending with one of `attributes`
    (`LOG.info(...)`), or of a bare name that `is_wanted_name` accepts (asked
    once per name: `print`, or an alias of it).  A callee that is neither
    (`f()()`, `handlers[k]()`) names no function: such a call is kept only
    when `is_wanted_other` accepts its callee.  Found from the callees'
    words; only calls of the last kind are read again."""
    ending, called = file_words(index).callees()
    wanted = set()
    if is_wanted_name is not None:
        wanted.update(filter(is_wanted_name, set(called).difference((None,))))
    selector = map(
        operator.or_, map(attributes.__contains__, ending), map(wanted.__contains__, called)
    )
    calls = index.nodes(ast.Call)
    if is_wanted_other is None:
        return compress(calls, selector)
    selected = list(selector)
    for position in compress(range(len(selected)), map(operator.is_, ending, called)):
        selected[position] = is_wanted_other(calls[position].func)  # both words are None
    return compress(calls, selected)


_ID = operator.attrgetter("id")
_ATTR = operator.attrgetter("attr")
_ARG = operator.attrgetter("arg")
_VALUE = operator.attrgetter("value")
_FUNC = operator.attrgetter("func")
_CTX = operator.attrgetter("ctx")
