"""RTS401: keys read from resource dicts that nothing validated."""


class Tracker:
    def update_available_resource(self, context, nodename):
        resources = self.driver.get_available_resource(nodename)
        self._verify_resources(resources)
        return resources["memory_mb"]

    def unvalidated(self, nodename):
        resources = self.driver.get_available_resource(nodename)
        return resources["vcpus"]  # RTS401

    def partial(self, resources):
        self._verify_resources(resources, ["vcpus"])
        vcpus = resources["vcpus"]
        ram = resources["memory_mb"]  # RTS401
        return vcpus, ram

    def guarded(self, resources):
        if "local_gb" in resources:
            return resources["local_gb"]
        return resources.get("disk_gb", 0)

    def key_error(self, limits):
        try:
            return limits["memory_mb"]
        except KeyError:
            return None

    def built_locally(self, node):
        resources = {"memory_mb": node.memory_mb}
        return resources["memory_mb"]

    def stores(self, resources):
        resources["vcpus"] = 0

    def other_names(self, data):
        return data["memory_mb"]
