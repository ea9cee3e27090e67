"""RTS101: nested functions, lambdas, and locks held by decorator or by `with`."""

import threading

from oslo_concurrency import lockutils

from nova import utils


class Manager:
    def __init__(self):
        self._lock = threading.Lock()
        self.in_progress = set()
        self.callbacks = []
        self.counts = {}

    def build(self, instance):
        @utils.synchronized(instance.uuid)
        def _locked_do_build():
            # Holds its own (per-instance) lock, not self._lock.
            self.in_progress.add(instance.uuid)  # RTS101

        _locked_do_build()

    def build_locked(self, instance):
        with self._lock:
            def _do():
                # Only ever called right here, under the lock.
                self.in_progress.add(instance.uuid)

            _do()
            _do()

    def escapes(self, instance):
        with self._lock:
            def _do():
                self.in_progress.discard(instance.uuid)  # RTS101

            self.callbacks.append(_do)

    def sort_under_lock(self):
        with self._lock:
            ordered = sorted(self.counts, key=lambda k: self.counts.setdefault(k, 0))
            later = lambda: self.counts.pop("x")  # RTS101
        return ordered, later

    def first_in_try(self):
        try:
            self._lock.acquire()  # RTS104
            self.counts.clear()
        finally:
            self._lock.release()


class Service:
    """One lockutils name held by decorator in one place and `with` in another."""

    def __init__(self):
        self.queue = []

    @lockutils.synchronized("service-queue")
    def push(self, item):
        self.queue.append(item)

    def pop(self):
        with lockutils.lock("service-queue"):
            return self.queue.pop()

    def drain(self):
        self.queue.clear()  # RTS101
