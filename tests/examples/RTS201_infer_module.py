"""With the default rtsec-infer=module, names imported from other modules
are not followed: only what this file binds is known."""

from RTS201_project_errors import CATCH_ALL


def imported_tuple_unknown(do):
    try:
        do()
    except CATCH_ALL:
        pass


def still_reports_what_it_sees(do):
    try:
        do()
    except Exception:  # RTS201
        pass
