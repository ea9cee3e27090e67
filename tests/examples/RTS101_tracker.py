"""RTS101: a compute-node tracker whose claims run under a lockutils lock."""

import threading

from oslo_concurrency import lockutils

synchronized = lockutils.synchronized_with_prefix("nova-")
COMPUTE_RESOURCE_SEMAPHORE = "compute_resources"


class ResourceTracker:
    def __init__(self, driver):
        # Construction is exempt: no other thread can see self yet.
        self.driver = driver
        self.compute_nodes = {}
        self.stats = {}
        self.old_resources = {}
        self._setup()

    def _setup(self):
        self.stats["boot"] = 0

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE, fair=True)
    def instance_claim(self, context, instance, nodename):
        self.stats[nodename] = instance
        self._update(nodename)

    def _update(self, nodename):
        # Only called from a locked method: holds the lock too.
        self.compute_nodes[nodename] = object()
        self.old_resources[nodename] = None

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE, fair=True)
    def abort_instance_claim(self, nodename):
        self.compute_nodes.pop(nodename, None)
        self.old_resources.pop(nodename, None)

    def remove_node(self, nodename):
        self.stats.pop(nodename, None)  # RTS101
        self.compute_nodes.pop(nodename, None)  # RTS101
        del self.old_resources[nodename]  # RTS101

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE, fair=True)
    def clean_compute_node_cache(self, names):
        for name in names:
            self.stats.pop(name, None)

    def set_driver(self, driver):
        # Never written under the lock: nothing to compare with.
        self.driver = driver

    def get_node(self, nodename):
        node = self.driver.get_node(nodename)
        node.free_ram_mb = 0  # an object the call returned is not our state
        return node


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self.value = 0
        self.history = []

    def increment(self):
        with self._lock:
            self.value += 1
            self.history.append(self.value)

    def reset(self):
        self.value = 0  # RTS101
        self.history.clear()  # RTS101

    def reset_safely(self):
        with self._lock:
            self.value = 0
            self.history.clear()

    def start(self):
        threading.Thread(target=self._worker).start()

    def _worker(self):
        # Passed by reference as a thread target: starts with no lock.
        self.value = -1  # RTS101

    def later(self):
        with self._lock:
            def callback():
                # A nested function may run after the lock is released.
                self.history.append(None)  # RTS101
            return callback

    def with_instance_claim(self, rt):
        # A context manager that is not a lock holds nothing.
        with rt.instance_claim():
            self.value = 2  # RTS101


class NeverLocks:
    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)

    def drop(self):
        self.items.clear()
