"""RTS205: contextlib.suppress with a broad type is a silent `except: pass`."""

import contextlib
import os
from contextlib import suppress as ignored

CATCH_ALL = (OSError, Exception)


def remove(path):
    with contextlib.suppress(Exception):  # RTS205
        os.remove(path)


def remove_quietly(path):
    with ignored(OSError, BaseException):  # RTS205
        os.remove(path)


def remove_through_alias(path, stack):
    stack.enter_context(contextlib.suppress(*CATCH_ALL))  # RTS205


def remove_if_present(path):
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def not_contextlib(suppress, path):
    with suppress(Exception):
        os.remove(path)
