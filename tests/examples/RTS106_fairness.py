"""RTS106: one lockutils name with different fair= or external= settings."""

from oslo_concurrency import lockutils

from nova import utils

COMPUTE_RESOURCE_SEMAPHORE = "compute_resources"


class Tracker:
    @utils.synchronized(COMPUTE_RESOURCE_SEMAPHORE, fair=True)
    def instance_claim(self):
        pass

    @utils.synchronized(COMPUTE_RESOURCE_SEMAPHORE)  # RTS106
    def update_usage(self):
        pass

    @utils.synchronized(COMPUTE_RESOURCE_SEMAPHORE, fair=True)
    def abort_claim(self):
        pass

    def audit(self):
        with lockutils.lock("compute_resources", fair=True):
            pass


@lockutils.synchronized("images", external=True)
def fetch_image():
    pass


def prune_images():
    with lockutils.lock("images"):  # RTS106
        pass


@lockutils.synchronized("consistent")
def one():
    pass


def two():
    with lockutils.lock("consistent", external=False, fair=False):
        pass
