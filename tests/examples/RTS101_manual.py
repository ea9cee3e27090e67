"""RTS101: a lock taken by hand, released in `finally`, is held in the `try`."""

import threading


class Pool:
    def __init__(self):
        self._lock = threading.Lock()
        self.free = []
        self.used = {}

    def take(self):
        self._lock.acquire()
        try:
            item = self.free.pop()
            self.used[id(item)] = item
        finally:
            self._lock.release()
        return item

    def give_back(self, item):
        if not self._lock.acquire(timeout=10):
            raise TimeoutError("pool lock")
        try:
            self.used.pop(id(item))
        finally:
            self._lock.release()
        self.free.append(item)  # RTS101

    def try_give_back(self, item):
        if self._lock.acquire(blocking=False):
            try:
                self.free.append(item)
            finally:
                self._lock.release()
        else:
            self.free.append(item)  # RTS101

    def released_elsewhere(self):
        # The finally releases something else: not held.
        other = threading.Lock()
        other.acquire()
        try:
            self.free.clear()  # RTS101
        finally:
            other.release()
