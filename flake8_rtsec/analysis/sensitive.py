"""The sensitive vocabulary: which names hold passwords, tokens and keys.

A name is split into lowercase words (camelCase and snake_case:
`adminPass` -> admin, pass) and matched word by word, never by substring:
`passthrough` and `subnet_mask` mean nothing here.  Words such as `id`,
`uuid`, `name`, `length` or `path` at the end, or `is`/`has` at the start,
make the name describe a secret rather than hold one (`secret_uuid`,
`password_length`, `is_password_set`).
"""

import re
from functools import lru_cache
from typing import Tuple

from flake8_rtsec.options import Config

SENSITIVE_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "token",
        "credential",
        "credentials",
        "creds",
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
    headers set""".split()
)
DESCRIPTIVE_FIRST_WORDS = frozenset({"is", "has", "use", "verify", "num", "max", "min"})

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[_\-\s.]+")


def words_of(name: str) -> Tuple[str, ...]:
    """`adminPass` -> ('admin', 'pass'); `X-Auth-Token` -> ('x', 'auth', 'token')."""
    spaced = _CAMEL.sub("_", name)
    return tuple(word for word in _SEPARATORS.split(spaced.lower()) if word)


class Vocabulary:
    """Sensitive-name matching, extended by the user's options."""

    def __init__(self, config: Config) -> None:
        self._extra = config.sensitive_names
        self._excluded = config.not_sensitive_names
        self.is_sensitive = lru_cache(maxsize=4096)(self._is_sensitive)

    def _is_sensitive(self, name: str) -> bool:
        words = words_of(name)
        if not words or words[-1] in DESCRIPTIVE_LAST_WORDS or words[0] in DESCRIPTIVE_FIRST_WORDS:
            return False
        if any(p.fullmatch(word) for p in self._excluded for word in words):
            return False
        if any(word in SENSITIVE_WORDS for word in words):
            return True
        if any(pair in SENSITIVE_PAIRS for pair in zip(words, words[1:])):
            return True
        return any(p.fullmatch(word) for p in self._extra for word in words)


def vocabulary_for(config: Config) -> Vocabulary:
    return _vocabularies(config)


@lru_cache(maxsize=8)
def _vocabularies(config: Config) -> Vocabulary:
    return Vocabulary(config)
