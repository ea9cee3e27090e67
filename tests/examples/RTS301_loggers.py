# rtsec-options: --rtsec-logger-names=AUDIT,myproject.audit.trail
"""RTS301 sinks: every kind of logger, every argument, and the options."""

import logging as std_logging

from oslo_log import log as logging

from myproject import audit
from myproject.compute import LOG as COMPUTE_LOG
from myproject.utils import LOG

AUDIT = audit.Recorder()
ADAPTED = std_logging.LoggerAdapter(std_logging.getLogger(__name__), {})
KEYWORDS = logging.KeywordArgumentAdapter(logging.getLogger(__name__), {})
_log = logging.getLogger(__name__)


class Driver:
    def __init__(self):
        self.logger = std_logging.getLogger("driver")

    def login(self, password, level):
        LOG.debug("imported LOG %s", password)  # RTS301
        COMPUTE_LOG.info("aliased import %s", password)  # RTS301
        ADAPTED.warning("adapter %s", password)  # RTS301
        KEYWORDS.error("oslo adapter %s", password)  # RTS301
        _log.critical("module logger %s", password)  # RTS301
        self.logger.exception("attribute logger %s", password)  # RTS301
        std_logging.info("root logger %s", password)  # RTS301
        AUDIT.info("configured logger %s", password)  # RTS301
        audit.trail.info("configured by qualified name %s", password)  # RTS301
        LOG.log(level, "level first %s", password)  # RTS301
        LOG.log(level, "level first", exc_info=password)
        LOG.debug("logged for", instance=password)
        LOG.debug("keywords %(pw)s", **{"pw": password})  # RTS301
        printer = Printer()
        printer.info("not a logger %s", password)


class Printer:
    def info(self, *args):
        return args
