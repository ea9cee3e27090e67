"""RTS104: acquire() must be followed at once by try/finally release()."""

import threading

LOCK = threading.Lock()


class Queue:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = []

    def leaks(self):
        self._lock.acquire()  # RTS104
        self._items.append(1)
        self._lock.release()

    def gap(self):
        self._lock.acquire()  # RTS104
        item = self._items.pop()
        try:
            return item
        finally:
            self._lock.release()

    def inside_try(self):
        try:
            self._lock.acquire()  # RTS104
            return self._items.pop()
        finally:
            self._lock.release()

    def correct(self):
        self._lock.acquire()
        try:
            return self._items.pop()
        finally:
            self._lock.release()

    def non_blocking(self):
        if self._lock.acquire(blocking=False):
            try:
                return self._items.pop()
            finally:
                self._lock.release()
        return None

    def with_timeout(self):
        if not self._lock.acquire(timeout=5):
            raise TimeoutError("queue lock")
        try:
            return self._items.pop()
        finally:
            self._lock.release()

    def assigned(self):
        got = self._lock.acquire(timeout=5)
        if got:
            try:
                return self._items.pop()
            finally:
                self._lock.release()
        return None

    def probe(self):
        if self._lock.acquire(blocking=False):
            self._lock.release()
            return True
        return False

    def __enter__(self):
        # A lock wrapper hands the lock to `with`; __exit__ releases it.
        self._lock.acquire()
        return self

    def __exit__(self, *exc):
        self._lock.release()


def module_level():
    LOCK.acquire()  # RTS104
    return 1


def not_a_lock(semaphore):
    # Not known to be a lock: nothing to say.
    semaphore.acquire()
