"""Which types are broad: spellings, tuples and the names bound to them."""

import builtins
import logging

from six.moves import builtins as six_builtins

LOG = logging.getLogger(__name__)
NARROW = (KeyError, ValueError)
NESTED = (KeyError, (OSError, (Exception,)))
CATCH_ALL = NARROW + (BaseException,)


def spelled_through_builtins(do):
    try:
        do()
    except builtins.Exception:  # RTS201
        pass
    try:
        do()
    except six_builtins.BaseException:  # RTS203
        pass


def nested_tuples(do):
    try:
        do()
    except NESTED:  # RTS201
        pass
    try:
        do()
    except (KeyError, (OSError, [ValueError, Exception])):  # RTS201
        pass


def the_broadest_member_names_the_handler(do):
    try:
        do()
    except CATCH_ALL:  # RTS203
        return None


def narrow_only(do):
    try:
        do()
    except NARROW:
        pass
    try:
        do()
    except (*NARROW, LookupError):
        pass
    try:
        do()
    except ArithmeticError:
        pass


def local_alias(do):
    errors = (OSError, Exception)
    try:
        do()
    except errors:  # RTS201
        pass


def local_alias_rebound(do, strict):
    errors = Exception
    if strict:
        errors = ValueError
    try:
        do()
    except errors:
        pass


def parameter_is_not_followed(do, errors=Exception):
    try:
        do()
    except errors:
        pass


class Poller:
    RETRYABLE = (ConnectionError, Exception)
    EXPECTED = (KeyError,)

    def poll(self, do):
        try:
            do()
        except self.RETRYABLE:  # RTS201
            return None

    @classmethod
    def poll_class(cls, do):
        try:
            do()
        except cls.RETRYABLE:  # RTS201
            return None

    def expected(self, do):
        try:
            do()
        except self.EXPECTED:
            return None


class SubPoller(Poller):
    def poll_again(self, do):
        try:
            do()
        except self.RETRYABLE:  # RTS201
            return None


def through_the_class_name(do):
    try:
        do()
    except Poller.RETRYABLE:  # RTS201
        return None


def subclasses_are_not_broad(do):
    class Failure(Exception):
        pass

    try:
        do()
    except Failure:
        pass
