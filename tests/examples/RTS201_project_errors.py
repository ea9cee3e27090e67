"""A module of the example project: other examples import its aliases."""

CATCH_ALL = (OSError, Exception)
Anything = BaseException
NARROW = (OSError,)


def uses_its_own_alias(do):
    try:
        do()
    except CATCH_ALL:  # RTS201
        pass
