"""Generated modules of a chosen size, for the scaling check.

    python benchmarks/synthetic.py 20000 > /tmp/big.py

A module holds, in proportion to its size: small tracker classes (a lock,
guarded and unguarded writes, broad handlers, log calls with and without a
secret, resource dicts with and without validation); one large class whose
private methods call each other along `self._step_N()` (the entry-facts
fixpoint has as many methods to visit as the module has lines / 12); and one
long function that reads and validates resource keys (the flow and
validation steps have as many statements to look at). If a step is
quadratic in the class or function size, the 20k-line module shows it.
"""

import sys

HEADER = '''\
import threading

from oslo_concurrency import lockutils
from oslo_log import log as logging
from oslo_utils import strutils

LOG = logging.getLogger(__name__)
SEMAPHORE = "compute_resources"

'''

TRACKER = '''
class Tracker{n}:
    def __init__(self, driver):
        self._lock = threading.Lock()
        self.stats = {{}}
        self.nodes = {{}}
        self.driver = driver

    def update(self, node, resources):
        with self._lock:
            self.stats[node] = resources.get("vcpus", 0)
            self._apply(node)

    def _apply(self, node):
        self.nodes[node] = True

    def reset(self, node):
        self.stats.pop(node, None)

    @lockutils.synchronized(SEMAPHORE)
    def claim(self, node, limits):
        if "memory_mb" in limits:
            self.nodes[node] = limits["memory_mb"]
        return limits["vcpus"]

    def refresh(self, context, password):
        try:
            self.driver.refresh(context)
        except Exception as error:
            LOG.warning("refresh of %s failed: %s", context, error)
        try:
            self.driver.ping()
        except Exception:
            pass
        LOG.debug("connecting with %s", password)
        LOG.debug("connecting with %s", strutils.mask_password(password))
'''

LARGE_CLASS = '''
class Manager:
    def __init__(self):
        self._lock = threading.RLock()
        self.claims = {}
        self.usage = {}

    def run(self, resources):
        with self._lock:
            self._step_0(resources)
'''

STEP = '''
    def _step_{n}(self, resources):
        self.claims[{n}] = resources.get("vcpus")
        try:
            self.usage[{n}] = resources["memory_mb"]
        except Exception:
            LOG.exception("step {n} failed")
        self._step_{next}(resources)
'''

LAST_STEP = '''
    def _step_{n}(self, resources):
        self.claims[{n}] = None
'''

LONG_FUNCTION = '''
def audit(inventory, token):
    totals = {}
'''

AUDIT_STEP = '''\
    if "disk_{n}" in inventory:
        totals["disk_{n}"] = inventory["disk_{n}"]
    totals["cpu_{n}"] = inventory["cpu_{n}"]
    LOG.info("audited %s with %s", totals, token)
'''


def module_source(lines: int) -> str:
    """A module of about `lines` lines: a third large class, a tenth long
    function, the rest small tracker classes."""
    steps = max(1, lines // 3 // STEP.count("\n"))
    audits = max(1, lines // 10 // AUDIT_STEP.count("\n"))
    trackers = max(1, (lines - lines // 3 - lines // 10) // TRACKER.count("\n"))
    parts = [HEADER]
    parts.extend(TRACKER.format(n=n) for n in range(trackers))
    parts.append(LARGE_CLASS)
    parts.extend(STEP.format(n=n, next=n + 1) for n in range(steps - 1))
    parts.append(LAST_STEP.format(n=steps - 1))
    parts.append(LONG_FUNCTION)
    parts.extend(AUDIT_STEP.format(n=n) for n in range(audits))
    parts.append("    return totals\n")
    return "".join(parts)


if __name__ == "__main__":
    sys.stdout.write(module_source(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
