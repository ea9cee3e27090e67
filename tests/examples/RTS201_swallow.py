"""RTS201/202/203: what a broad handler does with the error, path by path."""

import logging
import sys

from oslo_log import log as oslo_logging
from oslo_utils import excutils

LOG = oslo_logging.getLogger(__name__)
std_log = logging.getLogger("std")
ERRORS = (ValueError, Exception)


def silent(do):
    try:
        do()
    except Exception:  # RTS201
        pass


def returns_default(do):
    try:
        return do()
    except Exception:  # RTS201
        return None


def tuple_alias(do):
    try:
        do()
    except ERRORS:  # RTS201
        pass


def conditional_reraise(do, strict):
    try:
        do()
    except Exception:  # RTS201
        if strict:
            raise


def logged_with_traceback(do):
    try:
        do()
    except Exception:
        LOG.exception("do failed")


def exc_info(do):
    try:
        do()
    except Exception:
        std_log.warning("do failed", exc_info=True)


def logged_on_one_branch_only(do, verbose):
    try:
        do()
    except Exception:  # RTS201
        if verbose:
            LOG.exception("do failed")


def message_only(do):
    try:
        do()
    except Exception as error:  # RTS202
        LOG.warning("do failed: %s", error)


def reraises(do):
    try:
        do()
    except Exception as error:
        LOG.error("do failed")
        raise RuntimeError("wrapped") from error


def save_and_reraise(do, undo):
    try:
        do()
    except Exception:
        with excutils.save_and_reraise_exception():
            undo()


def save_and_reraise_switched_off(do):
    try:
        do()
    except Exception:  # RTS201
        with excutils.save_and_reraise_exception(reraise=False):
            pass


def save_and_reraise_switched_off_later(do, ignorable):
    try:
        do()
    except Exception:  # RTS201
        with excutils.save_and_reraise_exception() as ctxt:
            if ignorable:
                ctxt.reraise = False


def exits(do):
    try:
        do()
    except Exception:
        sys.exit(1)


def narrow(do):
    try:
        do()
    except (KeyError, ValueError):
        pass


def nested_def_raise_does_not_count(do):
    try:
        do()
    except Exception:  # RTS201
        def later():
            raise
        return later


def loop_continue(items, do):
    for item in items:
        try:
            do(item)
        except Exception:  # RTS201
            continue


def raise_in_finally(do, undo):
    try:
        do()
    except Exception:
        try:
            undo()
        finally:
            raise


def bare_cleanup_and_reraise(do, undo):
    try:
        do()
    except:
        undo()
        raise


def bare_swallow(do):
    try:
        do()
    except:  # RTS203
        pass


def base_exception_logged(do):
    try:
        do()
    except BaseException:  # RTS203
        LOG.exception("do failed")
