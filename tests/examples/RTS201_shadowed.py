"""A module that defines its own `Exception` does not catch everything with it."""


class Exception(BaseException.__base__):
    pass


def own_exception(do):
    try:
        do()
    except Exception:
        pass


def builtin_still_broad(do):
    import builtins

    try:
        do()
    except builtins.Exception:  # RTS201
        pass
