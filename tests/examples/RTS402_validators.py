"""RTS402: validators of resource dicts that check only that keys are present."""

import json

import jsonschema

SCHEMA = {"type": "object"}


class ResourceTracker:
    def update(self, nodename):
        resources = self.driver.get_available_resource(nodename)
        self._verify_resources(resources)
        self._check_limits(resources)

    def _verify_resources(self, resources):  # RTS402
        resource_keys = ["vcpus", "memory_mb", "local_gb"]
        missing_keys = [k for k in resource_keys if k not in resources]
        if missing_keys:
            raise ValueError("Missing keys: %s" % missing_keys)

    def _check_limits(self, limits):
        for key in ("vcpus", "memory_mb"):
            if key not in limits:
                raise ValueError(key)
            if limits[key] < 0:
                raise ValueError(key)

    def validate_inventory(self, inventory):
        if "total" not in inventory or not isinstance(inventory["total"], int):
            raise ValueError("total")

    def _verify_numbers(self, resources):
        if "vcpus" not in resources:
            raise ValueError("vcpus")
        return int(resources["vcpus"])

    def _verify_schema(self, resources):
        jsonschema.validate(resources, SCHEMA)

    def _check_node(self, node):
        if "uuid" not in node:
            raise ValueError("uuid")

    def _verify_is_none(self, capacity):  # RTS402
        if capacity.get("disk_gb") is None:
            raise ValueError("disk_gb")

    def _verify_delegated(self, resources):
        if "vcpus" not in resources:
            raise ValueError("vcpus")
        self._check_limits(resources)

    def _verify_enum(self, resources):
        if "cpu_arch" not in resources or resources["cpu_arch"] not in ("x86_64", "aarch64"):
            raise ValueError("cpu_arch")


def ensure_keys(data):  # RTS402
    for key in ("version", "nodes"):
        if key not in data:
            raise KeyError(key)


def load(path):
    with open(path) as stream:
        data = json.load(stream)
    ensure_keys(data)
    return data


def has_vcpus(limits):
    return "vcpus" in limits
