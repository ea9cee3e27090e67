"""RTS204: a claim half-made under the tracker's lock, then the error swallowed."""

import logging
import threading

from oslo_concurrency import lockutils

LOG = logging.getLogger(__name__)
synchronized = lockutils.synchronized_with_prefix("nova-")
COMPUTE_RESOURCE_SEMAPHORE = "compute_resources"


class ResourceTracker:
    def __init__(self, driver):
        self.driver = driver
        self.claims = {}
        self.usage = {}

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE)
    def instance_claim(self, instance, node):
        try:
            self.claims[instance] = node
            self.usage[node] = self.driver.claim(instance, node)
        except Exception:  # RTS201, RTS204
            pass

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE)
    def logged_but_half_updated(self, instance, node):
        try:
            self.claims[instance] = node
            self.driver.claim(instance, node)
        except Exception:  # RTS204
            LOG.exception("claim of %s failed", instance)

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE)
    def rolled_back(self, instance, node):
        try:
            self.claims[instance] = node
            self.driver.claim(instance, node)
        except Exception:
            self.claims.pop(instance, None)
            LOG.exception("claim of %s failed", instance)

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE)
    def reraised(self, instance, node):
        try:
            self.claims[instance] = node
            self.driver.claim(instance, node)
        except Exception:
            LOG.error("claim of %s failed", instance)
            raise

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE)
    def written_last(self, instance, node):
        # The write runs only once the claim succeeded: nothing half-done.
        try:
            self.driver.claim(instance, node)
            self.claims[instance] = node
        except Exception:
            LOG.exception("claim of %s failed", instance)

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE)
    def written_in_a_loop(self, instances, node):
        try:
            for instance in instances:
                self.claims[instance] = node
                self.driver.claim(instance, node)
        except Exception:  # RTS204
            LOG.exception("claims on %s failed", node)

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE)
    def nothing_written_in_the_try(self, instance, node):
        try:
            usage = self.driver.claim(instance, node)
        except Exception:
            LOG.exception("claim of %s failed", instance)
            return
        self.usage[node] = usage

    def _update(self, node):
        # Private, reached only from the locked method below: holds the lock.
        try:
            self.usage[node] = self.driver.usage(node)
            self.driver.report(node)
        except Exception:  # RTS202, RTS204
            LOG.warning("usage of %s unavailable", node)

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE)
    def update(self, node):
        self._update(node)

    def unlocked(self, instance):
        try:
            self.claims.pop(instance)  # RTS101
        except Exception:  # RTS201
            pass


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self.value = 0

    def increment(self, step):
        with self._lock:
            try:
                self.value += 1
                step()
            except Exception:  # RTS201, RTS204
                pass

    def increment_outside(self, step):
        with self._lock:
            self.value += 1
        try:
            self.value += step()  # RTS101
        except Exception:  # RTS201
            pass
