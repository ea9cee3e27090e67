"""Path by path: loops, early returns, finally blocks and no-return helpers."""

import logging
import traceback
from typing import NoReturn

from oslo_utils import excutils

LOG = logging.getLogger(__name__)


def early_return_before_logging(do, quiet):
    try:
        do()
    except Exception:  # RTS201
        if quiet:
            return None
        LOG.exception("do failed")
    return True


def every_branch_logs(do, quiet):
    try:
        do()
    except Exception:
        if quiet:
            LOG.debug("do failed", exc_info=True)
            return None
        LOG.exception("do failed")


def retry_loop_reraises_at_the_end(do, attempts):
    try:
        do()
    except Exception:
        while True:
            attempts -= 1
            if attempts < 0:
                raise
            if do():
                break
        LOG.exception("recovered after retries")


def for_loop_is_taken_to_run(do, undo_steps):
    try:
        do()
    except Exception:
        for step in undo_steps:
            LOG.exception("undoing %s", step)


def while_loop_may_run_zero_times(do, undo_steps):
    try:
        do()
    except Exception:  # RTS201
        while undo_steps:
            LOG.exception("undoing %s", undo_steps.pop())


def logs_on_some_iterations_only(do, undo_steps):
    try:
        do()
    except Exception:  # RTS201
        for step in undo_steps:
            if step.failed:
                LOG.exception("undoing %s", step)


def break_out_of_a_retry_loop(items, do):
    for item in items:
        try:
            do(item)
        except Exception:  # RTS201
            break


def return_in_finally_swallows(do, undo):
    try:
        do()
    except Exception:  # RTS201
        try:
            raise
        finally:
            return undo()


def cleanup_in_finally_then_logs(do, undo):
    try:
        do()
    except Exception:
        try:
            LOG.exception("do failed")
        finally:
            undo()


def return_inside_save_and_reraise_still_reraises(do, undo):
    try:
        do()
    except Exception:
        with excutils.save_and_reraise_exception():
            if undo():
                return None


def switched_back_on(do, recoverable):
    try:
        do()
    except Exception:
        with excutils.save_and_reraise_exception(reraise=False) as ctxt:
            LOG.info("do failed")
            if not recoverable:
                ctxt.reraise = True
                return None
            ctxt.reraise = True


def switched_off_then_logged(do, recoverable):
    try:
        do()
    except Exception:  # RTS202
        with excutils.save_and_reraise_exception() as ctxt:
            if recoverable:
                ctxt.reraise = False
                LOG.warning("do failed, recovering")


def formatted_traceback(do):
    try:
        do()
    except Exception:
        LOG.error("do failed: %s", traceback.format_exc())
    try:
        do()
    except Exception:
        details = traceback.format_exc()
        LOG.error(details)
    try:
        do()
    except Exception:
        traceback.print_exc()
    try:
        do()
    except Exception:
        print("do failed:\n%s" % traceback.format_exc())
        return 1
    try:
        do()
    except Exception:
        LOG.error(f"do failed: {traceback.format_exc()}")
    try:
        do()
    except Exception as error:  # RTS202
        print(f"do failed: {error}")
        return 1


def _fail(message) -> NoReturn:
    LOG.error(message)
    raise SystemExit(1)


def _always_raises(message):
    raise RuntimeError(message)


def _sometimes_raises(message, strict):
    if strict:
        raise RuntimeError(message)


def no_return_helpers(do):
    try:
        do()
    except Exception as error:
        _fail(f"do failed: {error}")
    try:
        do()
    except Exception as error:
        _always_raises(f"do failed: {error}")
    try:
        do()
    except Exception as error:  # RTS201
        _sometimes_raises(f"do failed: {error}", strict=False)


class Worker:
    def _abort(self, error):
        raise RuntimeError(error)

    def _not_implemented(self):
        raise NotImplementedError()

    def run(self, do):
        try:
            do()
        except Exception as error:
            self._abort(error)
        try:
            do()
        except Exception as error:  # RTS201
            self._not_implemented()


def match_statement(do, mode):
    try:
        do()
    except Exception:  # RTS201
        match mode:
            case "strict":
                raise
            case "log":
                LOG.exception("do failed")
