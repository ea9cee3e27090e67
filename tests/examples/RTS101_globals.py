"""RTS101: module globals guarded by a module-level lock."""

import threading

_LOCK = threading.Lock()
_CACHE = {}
_HITS = 0
_NAMES = []

# Import time is construction: no other thread runs yet.
_CACHE["boot"] = None
_NAMES.append("boot")


def remember(key, value):
    global _HITS
    with _LOCK:
        _CACHE[key] = value
        _HITS += 1
        _store_name(key)


def _store_name(key):
    # Only called with the lock held.
    _NAMES.append(key)


def forget(key):
    global _HITS
    _CACHE.pop(key, None)  # RTS101
    _HITS = 0  # RTS101
    names = _NAMES
    names.remove(key)  # RTS101


def local_shadow():
    # A local of the same name is not the global.
    _CACHE = {}
    _CACHE["x"] = 1
    _HITS = 0
    return _CACHE, _HITS


class User:
    def method(self):
        _CACHE.clear()  # RTS101
