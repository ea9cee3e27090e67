# rtsec-options: --extend-select=RTS107
"""RTS107 is off by default; this file turns it on."""

import threading

LOCK = threading.Lock()


class Worker:
    def __init__(self):
        self._lock = threading.RLock()
        self._not_a_lock = object()

    def blocking(self):
        self._lock.acquire()  # RTS107
        try:
            return 1
        finally:
            self._lock.release()

    def bounded(self):
        if self._lock.acquire(timeout=5):
            try:
                return 1
            finally:
                self._lock.release()
        return None

    def non_blocking(self):
        if LOCK.acquire(False):
            try:
                return 1
            finally:
                LOCK.release()
        if LOCK.acquire(blocking=False):
            LOCK.release()
        return LOCK.acquire(True)  # RTS107

    def unknown(self, semaphore):
        # Not known to be a lock: nothing to say.
        semaphore.acquire()
        self._not_a_lock.acquire()
