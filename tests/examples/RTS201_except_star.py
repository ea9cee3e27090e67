"""`except*` handlers are judged like `except` (Python 3.11+)."""

import logging

LOG = logging.getLogger(__name__)


def group(run):
    try:
        run()
    except* Exception:  # RTS201
        pass


def group_base(run):
    try:
        run()
    except* BaseException:  # RTS203
        LOG.exception("run failed")


def group_logged(run):
    try:
        run()
    except* Exception:
        LOG.exception("run failed")


def group_reraised(run):
    try:
        run()
    except* Exception:
        raise
