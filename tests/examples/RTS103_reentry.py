"""RTS103: a lock that is not reentrant taken again on the same path."""

import threading

from oslo_concurrency import lockutils

from nova import utils

SEMAPHORE = "compute_resources"
FAIR_SEMAPHORE = "fair_resources"


class PlainTracker:
    """lockutils without fair=True is one semaphore per name."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rlock = threading.RLock()

    @utils.synchronized(SEMAPHORE)
    def instance_claim(self, instance):
        self._claim(instance)
        self.update_usage(instance)  # RTS103

    def _claim(self, instance):
        return instance

    @utils.synchronized(SEMAPHORE)
    def update_usage(self, instance):
        return instance

    @utils.synchronized(SEMAPHORE)
    def abort_claim(self, instance):
        self._drop(instance)  # RTS103

    def _drop(self, instance):
        # Reached only under the lock: the report is at the caller, with the chain.
        self.update_usage(instance)

    def audit(self):
        # Not holding the lock: calling a locked method is fine.
        self.update_usage(None)
        self._drop(None)

    def nested_with(self):
        with self._lock:
            with self._lock:  # RTS103
                pass

    @utils.synchronized(SEMAPHORE)
    def decorator_then_with(self):
        with lockutils.lock(SEMAPHORE):  # RTS103
            pass

    def reentrant(self):
        with self._rlock:
            with self._rlock:
                pass

    @utils.synchronized(SEMAPHORE)
    def build(self, instance):
        @utils.synchronized(SEMAPHORE)  # RTS103
        def _do_build():
            return instance

        @utils.synchronized(instance.uuid)
        def _per_instance():
            # A name computed at run time: one lock per value, never compared.
            @utils.synchronized(instance.uuid)
            def _again():
                return instance

            return _again()

        return _do_build(), _per_instance()


class FairTracker:
    """fair=True lockutils locks are reentrant: Nova's ResourceTracker today."""

    @utils.synchronized(FAIR_SEMAPHORE, fair=True)
    def instance_claim(self, instance):
        self.update_usage(instance)

    @utils.synchronized(FAIR_SEMAPHORE, fair=True)
    def update_usage(self, instance):
        return instance


@lockutils.synchronized("refresh")
def refresh_all(items):
    for item in items:
        refresh(item)  # RTS103


@lockutils.synchronized("refresh")
def refresh(item):
    return item
