"""RTS403: an untrusted resource dict, or a value read from it, stored into tracked state."""

import jsonschema
from oslo_serialization import jsonutils

SCHEMA = {"type": "object"}


class ResourceTracker:
    def update_available_resource(self, context, nodename):
        resources = self.driver.get_available_resource(nodename)
        resources["host_ip"] = self.host_ip
        self._verify_resources(resources)
        self._report_view(resources)
        self._update_available_resource(context, resources)  # RTS403

    def _update_available_resource(self, context, resources):
        cn = self.compute_nodes[resources["hypervisor_hostname"]]
        self._copy_resources(cn, resources)

    def _copy_resources(self, compute_node, resources):
        compute_node.update_from_virt_driver(resources)

    def _report_view(self, resources):
        self.log.debug("free: %s", resources["memory_mb"] - resources["memory_mb_used"])

    def _verify_resources(self, resources):  # RTS402
        keys = ["vcpus", "memory_mb", "memory_mb_used", "hypervisor_hostname"]
        missing = [k for k in keys if k not in resources]
        if missing:
            raise ValueError(missing)

    def _check_ranges(self, resources):
        for key in ("vcpus", "memory_mb"):
            if not isinstance(resources.get(key), int) or resources[key] < 0:
                raise ValueError(key)

    def direct(self, nodename):
        resources = self.driver.get_available_resource(nodename)
        self.memory_mb = resources.get("memory_mb", 0)  # RTS403

    def through_names(self, nodename):
        resources = self.driver.get_available_resource(nodename)
        vcpus = resources.get("vcpus", 0)
        self.stats["vcpus"] = vcpus  # RTS403
        cn = self.compute_nodes[nodename]
        cn.vcpus_used = vcpus + 1  # RTS403
        self.stats.update(resources)  # RTS403
        setattr(cn, "vcpus", vcpus)  # RTS403

    def checked_by_validator(self, context, nodename):
        resources = self.driver.get_available_resource(nodename)
        self._verify_resources(resources)
        self._check_ranges(resources)
        self.memory_mb = resources["memory_mb"]
        self._update_available_resource(context, resources)

    def checked_inline(self, nodename):
        resources = self.driver.get_available_resource(nodename)
        memory_mb = resources.get("memory_mb", 0)
        if not isinstance(memory_mb, int) or memory_mb < 0:
            raise ValueError(memory_mb)
        self.memory_mb = memory_mb

    def converted(self, nodename):
        resources = self.driver.get_available_resource(nodename)
        self.vcpus = int(resources.get("vcpus", 0))

    def schema(self, nodename):
        resources = self.driver.get_available_resource(nodename)
        jsonschema.validate(resources, SCHEMA)
        self.resources = resources

    def local_only(self, nodename):
        resources = self.driver.get_available_resource(nodename)
        free = {}
        free["memory_mb"] = resources.get("memory_mb", 0)
        return free

    def not_held_by_self(self, context, nodename, objects):
        resources = self.driver.get_available_resource(nodename)
        node = objects.ComputeNode(context)
        self._copy_resources(node, resources)

    def logged_only(self, nodename):
        resources = self.driver.get_available_resource(nodename)
        self._verify_resources(resources)
        self._report_view(resources)

    def through_helpers(self, nodename):
        resources = self.driver.get_available_resource(nodename)
        self._set_memory(resources.get("memory_mb", 0))  # RTS403
        self._set_checked(resources.get("vcpus", 0))

    def _set_memory(self, value):
        self.memory_mb = value

    def _set_checked(self, value):
        if value < 0:
            raise ValueError(value)
        self.vcpus = value

    def named_but_not_untrusted(self, resources):
        self.resources = resources

    def from_json(self, blob):
        self.config = jsonutils.loads(blob)  # RTS403


def module_function(driver, tracker):
    resources = driver.get_available_resource("node")
    tracker.resources = resources


class DriverBlockDevice(dict):
    def refresh(self, bdm):
        # Filling in its own items: `self[...]` is not an attribute of self.
        self["connection_info"] = jsonutils.loads(bdm.connection_info)
