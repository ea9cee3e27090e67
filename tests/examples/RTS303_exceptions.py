"""RTS303: secrets and carriers formatted into a raised exception's message."""

from oslo_utils import strutils


class VolumeError(Exception):
    pass


def login(user, password):
    if not user:
        raise VolumeError("login failed for %s with %s" % (user, password))  # RTS303
    if len(password) < 8:
        raise VolumeError("password of %d characters is too short" % len(password))
    raise VolumeError(f"login failed for {user}")


def connect(connection_info):
    msg = "could not attach %s" % connection_info
    raise VolumeError(msg)  # RTS303


def connect_masked(connection_info):
    msg = "could not attach %s" % strutils.mask_dict_password(connection_info)
    raise VolumeError(msg)


def keyword_message(token):
    raise VolumeError(reason=f"token {token} rejected")  # RTS303


def chained(auth_token, error):
    raise VolumeError("token rejected") from error
