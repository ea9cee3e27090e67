"""RTS401: validation holds on the paths it was done on, not merely earlier in the file."""

import json
from contextlib import suppress

from oslo_serialization import jsonutils


class Tracker:
    def other_branch(self, resources, fast):
        if "vcpus" in resources:
            used = resources["vcpus"]
        else:
            used = resources["vcpus"]  # RTS401
        return used

    def one_branch_validates(self, resources, fast):
        if fast:
            self._verify_resources(resources)
        return resources["memory_mb"]  # RTS401

    def both_branches_validate(self, resources, fast):
        if fast:
            self._verify_resources(resources)
        else:
            self.verify_all(resources)
        return resources["memory_mb"]

    def early_exit(self, resources):
        if "local_gb" not in resources:
            raise ValueError("no local_gb")
        return resources["local_gb"]

    def early_return_on_get(self, limits):
        if limits.get("memory_mb") is None:
            return 0
        return limits["memory_mb"]

    def exit_in_one_branch_only(self, limits, strict):
        if "vcpus" not in limits:
            if strict:
                raise ValueError("no vcpus")
        return limits["vcpus"]  # RTS401

    def default_filled_in(self, resources):
        if "uuid" not in resources:
            resources["uuid"] = "generated"
        return resources["uuid"]

    def short_circuit(self, resources):
        if "cpu_info" not in resources or resources["cpu_info"] is None:
            resources["cpu_info"] = ""
        return "numa" in resources and resources["numa"]

    def conditional_expression(self, resources):
        return resources["pci"] if "pci" in resources else None

    def assert_guard(self, inventory):
        assert "total" in inventory
        return inventory["total"]

    def read_once(self, resources):
        total = resources["memory_mb"]  # RTS401
        free = total - resources["memory_mb_used"]  # RTS401
        return resources["memory_mb"] - free

    def validated_in_a_loop_only(self, resources, nodes):
        for node in nodes:
            self._verify_resources(resources)
        return resources["vcpus"]  # RTS401

    def popped(self, resources):
        self._verify_resources(resources)
        resources.pop("pci_passthrough_devices")
        return resources["pci_passthrough_devices"]  # RTS401

    def rebound(self, resources, node):
        self._verify_resources(resources)
        resources = node.get_resources()
        return resources["vcpus"]  # RTS401

    def try_finally(self, resources, lock):
        try:
            self._verify_resources(resources)
        finally:
            lock.release()
        return resources["vcpus"]

    def handler_path(self, resources):
        try:
            self._verify_resources(resources)
        except ValueError:
            pass
        return resources["vcpus"]  # RTS401

    def suppressed(self, limits):
        with suppress(KeyError):
            return limits["disk_gb"]

    def set_default(self, limits):
        limits.setdefault("disk_gb", 0)
        return limits["disk_gb"]

    def key_error_handled(self, limits):
        try:
            return limits["disk_gb"]
        except LookupError:
            return None


def loaded(path):
    with open(path) as stream:
        data = json.load(stream)
    return data["version"]  # RTS401


def reassigned(blob, bdm):
    info = jsonutils.loads(blob)
    if bdm:
        info = bdm.get_info()
        return info["bus"]
    return info["dev"]  # RTS401


def locally_built(node):
    resources = {"memory_mb": node.memory_mb}
    resources["vcpus"] = node.vcpus
    return resources["memory_mb"] + resources["vcpus"]


def loop_variable(inventories):
    for name, inventory in inventories.items():
        if not inventory["total"]:
            continue


def constant_names(resources, orc):
    if orc.VCPU not in resources:
        return None
    return resources["VCPU"]


def save_flavor(instance):
    flavor_info = {"cur": instance.flavor, "old": None}
    flavor_info["new"] = instance.new_flavor
    return jsonutils.dumps(flavor_info)


def load_flavor(db_flavor):
    # The file writes this JSON itself (save_flavor): its keys are known.
    flavor_info = jsonutils.loads(db_flavor)
    return flavor_info["cur"], flavor_info["old"], flavor_info["new"], flavor_info["extra"]  # RTS401
