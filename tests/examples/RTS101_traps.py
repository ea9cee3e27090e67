"""RTS1 stays silent on every false-positive trap listed in the research.

The one report is the contrast that keeps the construction trap honest.
"""

import dataclasses
import threading
import unittest

from oslo_concurrency import lockutils

from nova import utils

SEMAPHORE = "compute_resources"


class Construction:
    """Writes before the object is shared cannot race."""

    def __new__(cls, *args):
        self = super().__new__(cls)
        self.items = []
        return self

    def __init__(self, driver):
        self._lock = threading.Lock()
        self.items = []
        self.driver = driver
        self._load()
        # ...but a callback registered here runs later, when others see self.
        driver.on_event(lambda event: self.items.append(event))  # RTS101

    def _load(self):
        # Only reached from __init__.
        self.items.append(self.driver)

    def add(self, item):
        with self._lock:
            self.items.append(item)


@dataclasses.dataclass
class Settings:
    values: dict

    def __post_init__(self):
        self._lock = threading.Lock()
        self.values["ready"] = True

    def set(self, key, value):
        with self._lock:
            self.values[key] = value


class TrackerTest(unittest.TestCase):
    def setUp(self):
        self._lock = threading.Lock()
        self.calls = []

    def test_call(self):
        with self._lock:
            self.calls.append(1)


class Helpers:
    """Helpers only called under the lock hold it, however deep."""

    def __init__(self):
        self.nodes = {}

    @utils.synchronized(SEMAPHORE, fair=True)
    def update(self, name, node):
        self._update(name, node)

    def _update(self, name, node):
        self._store(name, node)

    def _store(self, name, node):
        self.nodes[name] = node


class Owned:
    """Objects a method created or got back from a call are its own."""

    def __init__(self, driver):
        self._lock = threading.Lock()
        self.driver = driver
        self.resources = {}

    def refresh(self, nodename):
        with self._lock:
            self.resources[nodename] = None

    def audit(self, nodename, instance):
        resources = self.driver.get_available_resource(nodename)
        resources["vcpus_used"] = 0
        with self._lock:
            copy = dict(self.resources)
        copy.clear()
        instance.host = None  # a parameter is not self's state
        return resources


class Manager:
    """`with self.rt.instance_claim(...)` is not a lock: the claim's own lock
    is released before the body runs, so it guards nothing here."""

    def __init__(self, rt):
        self.rt = rt
        self.claims = []

    def build(self, context, instance):
        with self.rt.instance_claim(context, instance):
            self.claims.append(instance)

    def reset(self):
        self.claims.clear()


class Reentrant:
    """RLock and fair lockutils locks may be taken again by their holder."""

    def __init__(self):
        self._lock = threading.RLock()
        self.count = 0

    def outer(self):
        with self._lock:
            self.inner()

    def inner(self):
        with self._lock:
            self.count += 1

    @utils.synchronized(SEMAPHORE, fair=True)
    def claim(self):
        self.update()

    @utils.synchronized(SEMAPHORE, fair=True)
    def update(self):
        pass


class DecoratorAndWith:
    """A lockutils name held by a decorator in one method and by `with` in
    another is one lock."""

    def __init__(self):
        self.queue = []

    @lockutils.synchronized("queue")
    def push(self, item):
        self.queue.append(item)

    def pop(self):
        with lockutils.lock("queue"):
            return self.queue.pop()


class ConditionOnLock:
    """A Condition built on a lock is that lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self.jobs = []

    def put(self, job):
        with self._ready:
            self.jobs.append(job)
            self._ready.notify()

    def drop(self):
        with self._lock:
            self.jobs.clear()


class NestedAndLambdas:
    def __init__(self):
        self._lock = threading.Lock()
        self.seen = {}

    def record(self, keys):
        with self._lock:
            def _mark(key):
                self.seen[key] = True

            for key in keys:
                _mark(key)
            ordered = sorted(keys, key=lambda k: self.seen.setdefault(k, False))
        return ordered


class LooksLikeALock:
    """A name is not a lock: only what the file creates as one."""

    def __init__(self, lock):
        self._lock = lock
        self.state = {}

    def set(self, key):
        with self._lock:
            self.state[key] = 1

    def clear(self):
        self.state.clear()


class NbdMount:
    """A process-wide lockutils name may serialize something outside the
    object (here the host's nbd devices): it guards an attribute only when
    most of the attribute's writes hold it."""

    def __init__(self):
        self.device = None
        self.linked = False

    @utils.synchronized("nbd-allocation-lock")
    def _inner_get_dev(self):
        self.device = "/dev/nbd0"
        self.linked = True

    def get_dev(self):
        return self._inner_get_dev()

    def unget_dev(self):
        self.linked = False
        self.device = None
