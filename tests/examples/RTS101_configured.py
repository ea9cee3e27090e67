# rtsec-options: --rtsec-lock-decorators=myproject.locking.serialized --rtsec-lock-factories=myproject.locking.make_lock
"""RTS1 with a project's own lock decorator and lock factory."""

import threading

from myproject import locking
from myproject.locking import make_lock, serialized

# Built-in locks keep working next to configured ones.
_REGISTRY_LOCK = threading.Lock()


def register(registry, item):
    _REGISTRY_LOCK.acquire()  # RTS104
    registry.append(item)
    _REGISTRY_LOCK.release()


class Inventory:
    def __init__(self):
        self._lock = make_lock()
        self._other = locking.make_lock()
        self.items = {}
        self.audit = []

    @serialized("inventory")
    def add(self, key, value):
        self.items[key] = value

    @serialized("inventory")
    def remove(self, key):
        self.items.pop(key, None)

    def clear(self):
        self.items.clear()  # RTS101

    def record(self, entry):
        with self._lock:
            self.audit.append(entry)
            with self._lock:  # RTS103
                pass

    def forget(self):
        self.audit.clear()  # RTS101

    def manual(self):
        self._other.acquire()  # RTS104
        count = len(self.audit)
        self._other.release()
        self._other.acquire()
        try:
            return len(self.audit) + count
        finally:
            self._other.release()
