"""RTS101: stores through local aliases of guarded state, and owned objects."""

import copy

from oslo_concurrency import lockutils

SEMAPHORE = "compute_resources"


class Tracker:
    def __init__(self, driver):
        self.driver = driver
        self.compute_nodes = {}
        self.stats = {}

    @lockutils.synchronized(SEMAPHORE, fair=True)
    def update_usage(self, nodename, usage):
        self._update_usage(nodename, usage)
        self._copy_resources(nodename, usage)

    def _update_usage(self, nodename, usage):
        cn = self.compute_nodes[nodename]
        cn.memory_mb_used += usage["memory_mb"]
        cn.local_gb_used += usage["root_gb"]
        cn.vcpus_used += usage["vcpus"]
        cn.free_ram_mb = cn.memory_mb - cn.memory_mb_used
        cn.free_disk_gb = cn.local_gb - cn.local_gb_used

    def _copy_resources(self, nodename, usage):
        stats = self.stats.get(nodename)
        failed = stats.get("failed_builds", 0)
        stats.clear()
        stats["failed_builds"] = failed
        stats.update(usage)
        stats.setdefault("num_instances", 0)

    def reset_node(self, nodename):
        cn = self.compute_nodes[nodename]
        cn.memory_mb_used = 0  # RTS101
        for stats in self.stats.values():  # RTS102
            stats.clear()  # RTS101
        for name, node in self.compute_nodes.items():  # RTS102
            node.free_disk_gb = 0  # RTS101
        alias = self.stats
        again = alias
        again.pop(nodename, None)  # RTS101

    def owned(self, nodename):
        # Objects a call returned are the method's own, even from self.
        resources = self.driver.get_available_resource(nodename)
        resources["memory_mb"] = 0
        snapshot = copy.deepcopy(self.compute_nodes)
        snapshot.clear()
        copied = self.stats.copy()
        copied.clear()
        fresh = {}
        fresh["x"] = 1
        return resources, snapshot, copied, fresh

    def rebound(self, nodename, other):
        # Bound to guarded state on one path only: not known to be an alias.
        cn = self.compute_nodes[nodename]
        if other:
            cn = other
        cn.memory_mb_used = 1
        return cn

    def parameter(self, stats):
        # A parameter is not self's state.
        stats.clear()

    def keys_are_not_aliases(self):
        with lockutils.lock(SEMAPHORE, fair=True):
            for name, _ in self.compute_nodes.items():
                name.upper()

    def loop_copy(self):
        for node in list(self.compute_nodes.values()):  # RTS102
            node.memory_mb_used = 0
