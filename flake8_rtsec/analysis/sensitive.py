"""The sensitive vocabulary: which names hold secrets, and which hold credentials.

A name is split into lowercase words (camelCase and snake_case:
`adminPass` -> admin, pass) and matched word by word, never by substring:
`passthrough` and `subnet_mask` mean nothing here.  Words such as `id`,
`uuid`, `name`, `length` or `path` at the end, or `is`/`has` at the start,
make the name describe a secret rather than hold one (`secret_uuid`,
`password_length`, `is_password_set`); `hash`, `digest` or `masked`
anywhere say the secret was already made safe (`password_hash`).

Two kinds of names matter.  A **secret** holds the sensitive value itself
(`password`, `auth_token`, `chap_secret`).  A **carrier** is a container
whose contents the function cannot see but that usually holds credentials
(`connection_info`, `block_device_info`, `credentials`, `transport_url`):
nova's iSCSI CHAP leak logged a `connection_info`, not a `password`.

Beyond names, a few expressions are sources by shape (`attribute_kind`,
`call_kind`): `x.__dict__`, `vars(x)`, `context.to_dict()`, request
headers, and URL options read from `CONF`.
"""

import ast
import fnmatch
import re
from functools import lru_cache
from typing import Callable, Iterable, Optional, Set, Tuple

from flake8_rtsec.analysis.index import FileIndex
from flake8_rtsec.analysis.words import ATTRIBUTES, KEYWORDS, NAMES, PARAMETERS, file_words
from flake8_rtsec.options import Config

SECRET = "secret"
CARRIER = "carrier"

SENSITIVE_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "privkey",
        "cookie",
        "bearer",
        "authorization",
        "psk",
        # single words from oslo.utils' sanitize list
        "adminpass",
        "chappassword",
        "chapsecret",
        "fernetkey",
        "sslkey",
    }
)
# Words that are sensitive only after another word: admin_pass, private_key.
SENSITIVE_PAIRS = frozenset(
    {
        ("admin", "pass"),
        ("new", "pass"),
        ("rescue", "pass"),
        ("auth", "pass"),
        ("root", "pass"),
        ("api", "key"),
        ("private", "key"),
        ("secret", "key"),
        ("access", "key"),
        ("auth", "key"),
        ("session", "key"),
        ("encryption", "key"),
        ("encrypted", "key"),
        ("signing", "key"),
    }
)
# A last word that makes the name about the secret, not the secret.
DESCRIPTIVE_LAST_WORDS = frozenset(
    """id ids uuid uuids ref refs name names type types method methods mode policy
    file files path paths dir repository url uri len length size count num max min
    ttl expiry expires expiration interval timeout enabled required format algorithm
    alg version manager backend provider plugin class field fields prefix header
    headers set time seconds secs usage security""".split()
)
DESCRIPTIVE_FIRST_WORDS = frozenset({"is", "has", "use", "verify", "num", "max", "min"})
# A word anywhere that says the value was made safe already.
SAFE_WORDS = frozenset(
    {"hash", "hashed", "digest", "md5", "masked", "sanitized", "redacted", "obfuscated"}
)
_SAFE_WORD = re.compile(r"sha\d*\Z")

# Carriers, as the last words of a name: `new_connection_info`, `self._creds`.
# The first ones describe a volume connection: they hold credentials only for
# transports that have them (iSCSI CHAP, RBD keyrings, ScaleIO, SMB).
CONNECTION_CARRIER_SUFFIXES = (
    ("connection", "info"),
    ("conn", "info"),
    ("cinfo",),
    ("connection", "properties"),
    ("connection", "data"),
    ("block", "device", "info"),
)
CARRIER_SUFFIXES = CONNECTION_CARRIER_SUFFIXES + (
    ("auth",),
    ("credentials",),
    ("credential",),
    ("creds",),
    ("transport", "url"),
)
# `sql_connection`, `slave_connection`: database and message-bus URLs.
_CONNECTION_URL = "connection"
# Transports whose connection info never holds a credential, as words of a
# function, class or module name (`_attach_volume_vmdk`, `fibre_channel.py`)
# or of a `driver_volume_type` the function names (`'fibre_channel'`).
CREDENTIAL_FREE_TRANSPORTS = frozenset(
    {"fc", "fibre", "fcd", "vmdk", "nvme", "nvmeof", "nfs", "lightos"}
)
CREDENTIAL_TRANSPORTS = frozenset({"iscsi", "iser", "rbd", "ceph", "scaleio", "smbfs", "chap"})
# Keys under which a carrier nests more of itself: connection_info['data'].
NESTED_CARRIER_KEYS = frozenset({"data", "auth"})

# oslo.utils' own masking functions; hashing and HMAC make a value safe too.
SANITIZERS = frozenset(
    {
        "oslo_utils.strutils.mask_password",
        "oslo_utils.strutils.mask_dict_password",
    }
)
SANITIZER_MODULES = ("hashlib.", "hmac.")

# Attributes that are sources whatever the vocabulary says (`attribute_kind`).
SPECIAL_ATTRIBUTES = frozenset({"__dict__", "headers", "connection"})
_COMMAND_WORDS = frozenset({"cmd", "command", "cmdline"})
_CONTEXT_WORDS = frozenset({"context", "ctxt", "ctx"})
# oslo.context methods whose result leaves the token out.
SAFE_CONTEXT_METHODS = frozenset({"to_policy_values", "get_logging_values"})
# Attribute chains through these read configuration options: scalars, so
# never containers (only the URL options carry credentials inside).
_CONFIG_ROOTS = frozenset({"CONF", "conf", "configuration"})
_REQUEST_WORDS = frozenset({"req", "request"})

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[_\-\s.]+")
# A literal that stands in for a secret: '***', '<SANITIZED>', 'REDACTED'.
_MASK_LITERAL = re.compile(r"\*{3,}|<?(sanitized|redacted|masked|hidden)>?", re.IGNORECASE)


def words_of(name: str) -> Tuple[str, ...]:
    """`adminPass` -> ('admin', 'pass'); `X-Auth-Token` -> ('x', 'auth', 'token')."""
    spaced = _CAMEL.sub("_", name)
    return tuple(word for word in _SEPARATORS.split(spaced.lower()) if word)


# Plurals that still hold the secrets themselves.  `tokens` and `secrets`
# are left out: in code they are mostly lexical tokens (`path_tokens`) and
# lists of secret identifiers (`created_keymgr_secrets`).
_PLURALS = {"passwords": "password", "passphrases": "passphrase", "keys": "key"}


def _singular(word: str) -> str:
    """`passwords` -> `password`, `private_keys` -> `private_key`."""
    return _PLURALS.get(word, word)


# Every word that can make a name a secret or a carrier by itself (the
# user's patterns aside): a name with none of them is neither, and is
# turned away before it is split (see `Vocabulary._kind_of`).
_TRIGGER_WORDS = frozenset(
    {
        *SENSITIVE_WORDS,
        *_PLURALS,
        *(second for _, second in SENSITIVE_PAIRS),
        *(suffix[-1] for suffix in CARRIER_SUFFIXES),
        _CONNECTION_URL,
    }
)
# A word of a name is a substring of the lowercased name.
_TRIGGER_TEXT = re.compile("|".join(sorted(_TRIGGER_WORDS)))
# Longer texts (messages, docstrings) are rarely seen twice: not kept.
_MAX_KNOWN_LENGTH = 64
_MAX_KNOWN_WORDS = 200_000


def is_mask_literal(value: object) -> bool:
    """`'***'` or `'<SANITIZED>'`: what code puts where a secret was."""
    return isinstance(value, str) and bool(_MASK_LITERAL.search(value))


class Vocabulary:
    """Sensitive-name matching, extended by the user's options."""

    def __init__(self, config: Config) -> None:
        self._extra = config.sensitive_names
        self._excluded = config.not_sensitive_names
        self._containers = config.credential_containers
        self._only_builtin_words = not (self._extra or self._containers)
        self.kind_of = lru_cache(maxsize=8192)(self._kind_of)
        # What `sources_among` already knows of short words, across files:
        # the same identifiers come back in every file of a project.
        self._sources: Set[str] = set()
        self._plain: Set[str] = set()

    def sources_among(self, words: Iterable[str]) -> Set[str]:
        """The words `kind_of` classifies, among many (most of them plain)."""
        if not isinstance(words, (set, frozenset)):
            words = set(words)
        found = words & self._sources
        unknown = words.difference(found, self._plain)
        if not unknown:
            return found
        if len(self._plain) > _MAX_KNOWN_WORDS:
            self._plain.clear()
        kind_of = self.kind_of
        for word in unknown:
            is_source = (
                not self._only_builtin_words or _TRIGGER_TEXT.search(word.lower())
            ) and kind_of(word) is not None
            if is_source:
                found.add(word)
            if len(word) <= _MAX_KNOWN_LENGTH:
                (self._sources if is_source else self._plain).add(word)
        return found

    def is_sensitive(self, name: str) -> bool:
        return self.kind_of(name) == SECRET

    def _kind_of(self, name: str) -> Optional[str]:
        """SECRET, CARRIER or None for a variable, attribute, key or keyword name."""
        if self._only_builtin_words and not _TRIGGER_TEXT.search(name.lower()):
            return None
        words = words_of(name)
        if self._only_builtin_words and _TRIGGER_WORDS.isdisjoint(words):
            return None
        if not words or words[0] in DESCRIPTIVE_FIRST_WORDS:
            return None
        if any(word in SAFE_WORDS or _SAFE_WORD.match(word) for word in words):
            return None
        if _matches(self._excluded, words):
            return None
        if self._is_carrier(name, words):
            return CARRIER
        if words[-1] in DESCRIPTIVE_LAST_WORDS:
            return None
        words = tuple(_singular(word) for word in words)
        if any(word in SENSITIVE_WORDS for word in words):
            return SECRET
        if any(pair in SENSITIVE_PAIRS for pair in zip(words, words[1:])):
            return SECRET
        if _matches(self._extra, words):
            return SECRET
        return None

    def _is_carrier(self, name: str, words: Tuple[str, ...]) -> bool:
        bare = name.lstrip("_")
        if any(fnmatch.fnmatchcase(bare, pattern) for pattern in self._containers):
            return True
        if len(words) > 1 and words[-1] == _CONNECTION_URL:
            return True
        return any(words[-len(suffix) :] == suffix for suffix in CARRIER_SUFFIXES)

    def is_connection_carrier(self, name: str) -> bool:
        words = words_of(name)
        return any(words[-len(suffix) :] == suffix for suffix in CONNECTION_CARRIER_SUFFIXES)


def _matches(patterns, words: Tuple[str, ...]) -> bool:
    """A user's pattern names one word (`pin`) or the whole name (`vault_key`)."""
    if not patterns:
        return False
    joined = "_".join(words)
    return any(p.fullmatch(joined) or any(p.fullmatch(w) for w in words) for p in patterns)


def vocabulary_for(config: Config) -> Vocabulary:
    return _vocabularies(config)


@lru_cache(maxsize=8)
def _vocabularies(config: Config) -> Vocabulary:
    return Vocabulary(config)


def transport_of(words) -> Optional[bool]:
    """True when words name a transport with credentials, False for one
    without, None when they name none."""
    words = set(words)
    if words & CREDENTIAL_TRANSPORTS:
        return True
    if words & CREDENTIAL_FREE_TRANSPORTS:
        return False
    return None


def is_sanitizer(qualified: Optional[str], config: Config) -> bool:
    """Matched by qualified name only: `subnet_mask()` or a project's
    `sanitize_hostname()` are not maskers, whatever their names say."""
    if not qualified:
        return False
    if qualified in SANITIZERS or qualified.startswith(SANITIZER_MODULES):
        return True
    return any(fnmatch.fnmatchcase(qualified, pattern) for pattern in config.sanitizers)


# -- expressions -----------------------------------------------------------

KindOf = Callable[[str], Optional[str]]


def attribute_kind(attribute: ast.Attribute, kind_of: KindOf) -> Optional[str]:
    """What `x.attr` holds: `self.password` a secret, `bdm.connection_info`
    and `x.__dict__` carriers, `req.headers` a carrier (response headers are
    not), `CONF.database.connection` a URL carrier."""
    if attribute.attr == "__dict__":
        return CARRIER
    if attribute.attr == "headers":
        receiver = _last_name(attribute.value)
        return CARRIER if receiver and words_of(receiver)[-1] in _REQUEST_WORDS else None
    kind = kind_of(attribute.attr)
    if _is_config_option(attribute):
        if is_url_name(attribute.attr):
            return CARRIER
        return kind if kind == SECRET else None
    return kind


def is_url_name(name: str) -> bool:
    """`transport_url`, `connection`, `sql_connection`: URLs that embed
    `user:password` (a bare `connection` only as a configuration option)."""
    words = words_of(name)
    return words[-1:] == (_CONNECTION_URL,) or words[-2:] == ("transport", "url")


def call_kind(call: ast.Call, kind_of: KindOf) -> Optional[str]:
    """What a call returns: `vars(x)` and `context.to_dict()` are carriers,
    `d.get('password')` a secret."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "vars" and call.args:
        return CARRIER
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr == "to_dict" and not call.args:
        receiver = _last_name(func.value)
        if receiver and set(words_of(receiver)) & _CONTEXT_WORDS:
            return CARRIER
    if func.attr == "get" and call.args:
        key = call.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return kind_of(key.value)
    return None


def is_safe_context_call(call: ast.Call) -> bool:
    """`context.to_policy_values()`, `context.get_logging_values()`."""
    return isinstance(call.func, ast.Attribute) and call.func.attr in SAFE_CONTEXT_METHODS


def is_command_line(name: str) -> bool:
    return bool(_COMMAND_WORDS.intersection(words_of(name)))


def handles_credentials(index: FileIndex) -> bool:
    """Whether any name in the file is a secret: a variable, parameter,
    attribute, keyword or string key (`auth_password`, `self._chap_secret`)."""
    return index.memo(handles_credentials, lambda: _names_a_secret(index))


def _names_a_secret(index: FileIndex) -> bool:
    vocabulary = vocabulary_for(index.config)
    named = set().union(
        *(source_words(index, kind) for kind in (NAMES, ATTRIBUTES, PARAMETERS, KEYWORDS))
    )
    if any(vocabulary.is_sensitive(name) for name in named):
        return True
    texts = set(filter(str.isidentifier, file_words(index).strings()))
    return any(vocabulary.is_sensitive(text) for text in vocabulary.sources_among(texts))


def source_words(index: FileIndex, kind: type) -> Set[str]:
    """The words of a bucket (`words.NAMES`, ...) that `kind_of` classifies,
    once per file (do not modify)."""

    def compute() -> Set[str]:
        unique = set(file_words(index).of(kind))
        unique.discard(None)  # `**kwargs` in a call
        return vocabulary_for(index.config).sources_among(unique)

    return index.memo(("rtsec-source-words", kind), compute)


def _last_name(node) -> Optional[str]:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _is_config_option(attribute: ast.Attribute) -> bool:
    """`CONF.group.option`, `self.configuration.option`."""
    node = attribute.value
    while isinstance(node, ast.Attribute):
        if node.attr in _CONFIG_ROOTS:
            return True
        node = node.value
    return isinstance(node, ast.Name) and node.id in _CONFIG_ROOTS
