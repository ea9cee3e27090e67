"""A small compute-node resource tracker, in the style of Nova's.

It runs as is through flake8-rtsec and shows one defect of each family:

    flake8 --select RTS,E999 examples/
"""

import logging

from oslo_concurrency import lockutils

LOG = logging.getLogger(__name__)

COMPUTE_RESOURCE_SEMAPHORE = "compute_resources"
synchronized = lockutils.synchronized_with_prefix("tracker-")


class ResourceTracker:
    """Tracks what each compute node has, and what instances claimed of it."""

    def __init__(self, host, driver):
        self.host = host
        self.driver = driver
        self.compute_nodes = {}
        self.stats = {}

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE, fair=True)
    def instance_claim(self, instance, nodename):
        node = self.compute_nodes[nodename]
        node["free_ram_mb"] -= instance.memory_mb
        self._record(nodename, instance)

    def _record(self, nodename, instance):
        # Reached only from instance_claim, so it holds the lock too.
        self.stats.setdefault(nodename, []).append(instance.uuid)

    def remove_node(self, nodename):
        # RTS101: these writes race with instance_claim.
        self.stats.pop(nodename, None)
        self.compute_nodes.pop(nodename, None)

    def update_available_resource(self, nodename):
        # RTS401, RTS403: the driver's dict is read and stored unvalidated.
        resources = self.driver.get_available_resource(nodename)
        self._sync(nodename, resources["memory_mb"])

    @synchronized(COMPUTE_RESOURCE_SEMAPHORE, fair=True)
    def _sync(self, nodename, memory_mb):
        self.compute_nodes[nodename] = {"free_ram_mb": memory_mb}
        self.stats.setdefault(nodename, [])

    def report(self, placement, auth_token):
        try:
            placement.put(self.host, self.compute_nodes)
        except Exception:
            # RTS201: a failed report vanishes without a trace.
            pass
        # RTS301: the token ends up in every log collector.
        LOG.debug("reported %s with token %s", self.host, auth_token)
