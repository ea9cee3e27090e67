"""RTS105: two locks taken in opposite orders in one module."""

import threading

from oslo_concurrency import lockutils


class Transfer:
    def __init__(self):
        self._accounts = threading.Lock()
        self._audit = threading.Lock()

    def debit(self):
        with self._accounts:
            with self._audit:
                pass

    def report(self):
        with self._audit:
            with self._accounts:  # RTS105
                pass

    def same_order(self):
        with self._accounts, self._audit:
            pass

    def through_a_call(self):
        with self._accounts:
            self._log()

    def _log(self):
        with self._audit:
            pass


@lockutils.synchronized("images")
def cache_image():
    with lockutils.lock("instances"):
        pass


@lockutils.synchronized("instances")
def delete_instance():
    _purge()  # RTS105


def _purge():
    with lockutils.lock("images"):
        pass


def per_key(names):
    # Names computed at run time are never compared.
    with lockutils.lock(names[0]):
        with lockutils.lock(names[1]):
            pass
    with lockutils.lock(names[1]):
        with lockutils.lock(names[0]):
            pass
