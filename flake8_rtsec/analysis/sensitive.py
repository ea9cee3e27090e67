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
"""

import fnmatch
import re
from functools import lru_cache
from typing import Optional, Tuple

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


def is_mask_literal(value: object) -> bool:
    """`'***'` or `'<SANITIZED>'`: what code puts where a secret was."""
    return isinstance(value, str) and bool(_MASK_LITERAL.search(value))


class Vocabulary:
    """Sensitive-name matching, extended by the user's options."""

    def __init__(self, config: Config) -> None:
        self._extra = config.sensitive_names
        self._excluded = config.not_sensitive_names
        self._containers = config.credential_containers
        self.kind_of = lru_cache(maxsize=8192)(self._kind_of)

    def is_sensitive(self, name: str) -> bool:
        return self.kind_of(name) == SECRET

    def _kind_of(self, name: str) -> Optional[str]:
        """SECRET, CARRIER or None for a variable, attribute, key or keyword name."""
        words = words_of(name)
        if not words or words[0] in DESCRIPTIVE_FIRST_WORDS:
            return None
        if any(word in SAFE_WORDS or _SAFE_WORD.match(word) for word in words):
            return None
        if any(p.fullmatch(word) for p in self._excluded for word in words):
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
        if any(p.fullmatch(word) for p in self._extra for word in words):
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

    def is_url_carrier(self, name: str) -> bool:
        words = words_of(name)
        return words[-2:] == ("transport", "url") or (
            len(words) > 1 and words[-1] == _CONNECTION_URL
        )


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
