"""A path that hands the exception object on loses nothing: the object
carries its traceback to whoever receives it."""

import logging
import sys

import six

LOG = logging.getLogger(__name__)


def into_a_future(task, future):
    try:
        future.set_result(task())
    except BaseException as error:
        future.set_exception(error)


def returned_to_the_caller(cells, fetch):
    results = {}
    for cell in cells:
        try:
            results[cell] = fetch(cell)
        except Exception as error:
            results[cell] = error
    return results


def re_raised_later(nodes, update):
    first = None
    for node in nodes:
        try:
            update(node)
        except Exception as error:  # RTS201
            if first is None:
                first = error
    if first is not None:
        raise first


def recorded_with_exc_info(instance, record_fault, build):
    try:
        build(instance)
    except Exception as error:
        LOG.warning("build of %s failed", instance)
        record_fault(instance, error, sys.exc_info())


def exc_info_bound_then_passed(instance, reschedule, build):
    try:
        build(instance)
    except Exception:
        exc_info = sys.exc_info()
        reschedule(instance, exc_info)


def only_its_text(instance, build):
    try:
        build(instance)
    except Exception as error:  # RTS201
        return str(error)


def only_its_text_through_a_formatter(instance, build, notify):
    try:
        build(instance)
    except Exception as error:  # RTS201
        notify(six.text_type(error))


def a_new_exception_loses_the_traceback(build):
    try:
        build()
    except Exception as error:  # RTS201
        yield type(error)(*error.args)


def _log_failure():
    LOG.exception("build failed")


def through_a_logging_helper(build):
    try:
        build()
    except Exception:
        _log_failure()
