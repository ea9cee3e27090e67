"""RTS401: validation done by the caller reaches private helpers through self._m(...)."""


class ResourceTracker:
    def update_available_resource(self, context, nodename):
        resources = self.driver.get_available_resource(nodename)
        self._verify_resources(resources)
        self._report_view(resources)
        self._update(context, resources)

    def refresh(self, context, nodename):
        resources = self.driver.get_available_resource(nodename)
        self._report_view(resources)

    def _report_view(self, resources):
        return resources["memory_mb"] - resources["memory_mb_used"]  # RTS401

    def _update(self, context, resources):
        return self._copy(resources)

    def _copy(self, data):
        return data["vcpus"], data["hypervisor_hostname"]  # RTS401

    def _init_node(self, resources):
        # No call site in the class: public, as far as we can tell.
        return resources["uuid"]  # RTS401

    def _verify_resources(self, resources):
        keys = ["vcpus", "memory_mb", "memory_mb_used"]
        missing = [k for k in keys if k not in resources]
        if missing:
            raise ValueError(missing)
        for key in keys:
            if not isinstance(resources[key], int) or resources[key] < 0:
                raise ValueError(key)


class Claims:
    def claim(self, context, limits):
        if "memory_mb" not in limits:
            raise ValueError("no memory_mb")
        self._test_memory(limits)
        self._test_memory({"memory_mb": 2048})

    def _test_memory(self, limits):
        return limits["memory_mb"]

    def partial(self, limits):
        self._test_disk(limits)
        if "disk_gb" in limits:
            self._test_disk(limits)

    def _test_disk(self, limits):
        return limits["disk_gb"]  # RTS401


class Reporter:
    def update(self, nodename):
        resources = self.driver.get_available_resource(nodename)
        self._log_view(resources)
        self._maybe_log(resources, nodename)
        return resources["hypervisor_hostname"], resources["vcpus"]  # RTS401

    def _log_view(self, resources):
        # Had the key been missing, this read raised: the caller has it now.
        self.log.debug("node %s", resources["hypervisor_hostname"])  # RTS401

    def _maybe_log(self, resources, nodename):
        if nodename:
            self.log.debug("vcpus %s", resources["vcpus"])  # RTS401
