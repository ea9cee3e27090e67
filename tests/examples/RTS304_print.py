# rtsec-options: --extend-select=RTS304
"""RTS304 (default off): secrets printed to stdout or stderr."""

import sys

from oslo_utils import strutils


def show(user, password, connection_info):
    print("login", user, password)  # RTS304
    print("login", user)
    sys.stderr.write("info %s\n" % connection_info)  # RTS304
    sys.stdout.write(strutils.mask_password("password=%s" % password))
    print("password for %s changed" % user)
