# rtsec-options: --extend-select=RTS206 --rtsec-broad-except-allowed=Service.run,*.main_loop,periodic_task.periodic_task
"""RTS206 (opt-in): a broad handler that logs the traceback and carries on."""

import logging

from oslo_service import periodic_task

LOG = logging.getLogger(__name__)


def sync(do):
    try:
        do()
    except Exception:  # RTS206
        LOG.exception("sync failed")


def sync_reraised(do):
    try:
        do()
    except Exception:
        LOG.exception("sync failed")
        raise


def sync_silent(do):
    try:
        do()
    except Exception:  # RTS201
        pass


class Service:
    def run(self, do):
        while True:
            try:
                do()
            except Exception:
                LOG.exception("iteration failed, going on")

    def main_loop(self, do):
        try:
            do()
        except Exception:
            LOG.exception("loop failed, going on")

    def stop(self, do):
        try:
            do()
        except Exception:  # RTS206
            LOG.exception("stop failed")

    @periodic_task.periodic_task(spacing=60)
    def _heal(self, context, do):
        try:
            do()
        except Exception:
            LOG.exception("healing failed")
