# rtsec-options: --rtsec-infer=project
"""With rtsec-infer=project, aliases imported from the project are followed."""

import RTS201_project_errors as errors
from RTS201_project_errors import NARROW, Anything, CATCH_ALL


def imported_tuple(do):
    try:
        do()
    except CATCH_ALL:  # RTS201
        pass


def imported_through_the_module(do):
    try:
        do()
    except errors.Anything:  # RTS203
        pass


def imported_name(do):
    try:
        do()
    except Anything:  # RTS203
        pass


def imported_narrow(do):
    try:
        do()
    except NARROW:
        pass


def seen_in_every_mode(do):
    try:
        do()
    except Exception:  # RTS201
        pass
