# rtsec-options: --rtsec-broad-exceptions=myproject.errors.ProjectError,LegacyError --rtsec-noreturn-functions=myproject.cli.fail,*.raise_error --rtsec-traceback-reporters=sentry_sdk.capture_exception --rtsec-logger-names=AUDIT
"""Options that teach the analysis a project's own broad types and helpers."""

import sentry_sdk

from myproject import cli
from myproject.errors import LegacyError, ProjectError
from myproject.monitoring import AUDIT


def configured_broad_class(do):
    try:
        do()
    except ProjectError:  # RTS201
        pass
    try:
        do()
    except (KeyError, LegacyError):  # RTS201
        pass


def configured_noreturn(do):
    try:
        do()
    except Exception as error:
        cli.fail(f"do failed: {error}")


class Driver:
    def run(self, do):
        try:
            do()
        except Exception:
            self.raise_error("do failed")

    def stop(self, do):
        try:
            do()
        except Exception:  # RTS201
            self.raise_errors_later("do failed")


def configured_reporter(do):
    try:
        do()
    except Exception:
        sentry_sdk.capture_exception()


def configured_logger(do):
    try:
        do()
    except Exception as error:  # RTS202
        AUDIT.warning("do failed: %s", error)


def unconfigured_calls_do_not_count(do, report):
    try:
        do()
    except Exception:  # RTS201
        report()
