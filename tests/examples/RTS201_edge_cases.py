"""The edge-case table of broad-except linting, one function per row.

Each row is a case other linters get wrong in one direction or the other;
the comment on the `except` line is what flake8-rtsec reports.
"""

import contextlib
import logging
import sys

from oslo_utils import excutils

LOG = logging.getLogger(__name__)


def tuple_with_exception(do):
    try:
        do()
    except (ValueError, Exception):  # RTS201
        pass


ERRORS = (Exception,)


def tuple_alias(do):
    try:
        do()
    except ERRORS:  # RTS201
        pass


Alias = Exception


def name_alias(do):
    try:
        do()
    except Alias:  # RTS201
        pass


BASE = (KeyError,)


def concatenated_and_starred(do):
    try:
        do()
    except BASE + (Exception,):  # RTS201
        pass
    try:
        do()
    except (*BASE, *ERRORS):  # RTS201
        pass


def bare_raise(do):
    try:
        do()
    except Exception:
        raise


def raise_from(do):
    try:
        do()
    except Exception as error:
        raise RuntimeError("do failed") from error


def raise_other(do):
    try:
        do()
    except Exception:
        raise RuntimeError("do failed")


def conditional_reraise(do, strict):
    try:
        do()
    except Exception:  # RTS201
        if strict:
            raise


def with_traceback(do):
    try:
        do()
    except Exception as error:
        raise error.with_traceback(sys.exc_info()[2])


def raise_in_nested_try_finally(do, undo):
    try:
        do()
    except Exception:
        try:
            undo()
        finally:
            raise


def raise_in_nested_def_does_not_count(do, schedule):
    try:
        do()
    except Exception:  # RTS201
        def again():
            raise
        schedule(again)


def save_and_reraise(do, undo):
    try:
        do()
    except Exception:
        with excutils.save_and_reraise_exception():
            LOG.error("do failed, undoing")  # the traceback is re-raised anyway
            undo()


def save_and_reraise_off(do):
    try:
        do()
    except Exception:  # RTS202
        with excutils.save_and_reraise_exception(reraise=False):
            LOG.error("do failed")


def save_and_reraise_switched_off_on_one_path(do, ignorable):
    try:
        do()
    except Exception:  # RTS201
        with excutils.save_and_reraise_exception() as ctxt:
            if ignorable:
                ctxt.reraise = False


def log_exception(do):
    try:
        do()
    except Exception:
        LOG.exception("do failed")


def exc_info(do):
    try:
        do()
    except Exception:
        LOG.warning("do failed", exc_info=True)


def log_exception_on_one_branch_only(do, verbose):
    try:
        do()
    except Exception as error:  # RTS202
        if verbose:
            LOG.exception("do failed")
        else:
            LOG.warning("do failed: %s", error)


def log_without_traceback(do):
    try:
        do()
    except Exception as error:  # RTS202
        LOG.debug("do failed: %s", error)


def pass_continue_ellipsis(items, do):
    for item in items:
        try:
            do(item)
        except Exception:  # RTS201
            continue
    try:
        do(None)
    except Exception:  # RTS201
        ...


def base_exception_pass(do):
    try:
        do()
    except BaseException:  # RTS203
        pass


def exits(do):
    try:
        do()
    except Exception:
        sys.exit(1)


def raises_system_exit(do):
    try:
        do()
    except Exception:
        raise SystemExit(1)


def suppress(do):
    with contextlib.suppress(Exception):  # RTS205
        do()


def bare_cleanup_and_reraise(do, undo):
    try:
        do()
    except:
        undo()
        raise


def bare_cleanup_and_conditional_reraise(do, undo, strict):
    try:
        do()
    except:  # RTS203
        undo()
        if strict:
            raise
