"""Which calls are logger calls, and which of them keep the traceback."""

import logging
import sys

from oslo_log import log as oslo_logging

from myproject.compute.manager import LOG

std_logger = logging.getLogger(__name__)
os_logger = oslo_logging.getLogger(__name__)


class Service:
    def __init__(self):
        self.log = logging.getLogger("service")
        self.logger = oslo_logging.getLogger("service")

    def imported_log(self, do):
        try:
            do()
        except Exception as error:  # RTS202
            LOG.warning("do failed: %s", error)

    def self_log(self, do):
        try:
            do()
        except Exception as error:  # RTS202
            self.log.error("do failed: %s", error)

    def self_logger_exception(self, do):
        try:
            do()
        except Exception:
            self.logger.exception("do failed")

    def get_logger_results(self, do):
        try:
            do()
        except Exception:  # RTS202
            std_logger.info("do failed")
        try:
            do()
        except Exception:
            os_logger.critical("do failed", exc_info=True)

    def logging_module(self, do):
        try:
            do()
        except Exception:  # RTS202
            logging.error("do failed")
        try:
            do()
        except Exception:
            logging.exception("do failed")

    def log_with_level(self, do):
        try:
            do()
        except Exception:  # RTS202
            LOG.log(logging.ERROR, "do failed")


def exc_info_values(do):
    try:
        do()
    except Exception as error:
        LOG.warning("do failed", exc_info=error)
    try:
        do()
    except Exception:
        LOG.warning("do failed", exc_info=sys.exc_info())
    try:
        do()
    except Exception:  # RTS202
        LOG.warning("do failed", exc_info=False)


def not_a_logger(do, catalog):
    try:
        do()
    except Exception:  # RTS201
        catalog.warning("do failed")


def base_exception_logged_is_still_rts203(do):
    try:
        do()
    except (ValueError, BaseException):  # RTS203
        LOG.exception("do failed")
