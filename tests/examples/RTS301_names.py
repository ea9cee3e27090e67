"""RTS301: sensitive names that reach a log call (no data flow through variables yet)."""

import logging

from oslo_utils import strutils

LOG = logging.getLogger(__name__)


def login(user, password, adminPass, auth_token, secret_uuid, password_length):
    LOG.debug("login %s with %s", user, password)  # RTS301
    LOG.info("admin pass is %s" % adminPass)  # RTS301
    LOG.info(f"token {auth_token}")  # RTS301
    LOG.info("pw {}".format(str(password)))  # RTS301
    LOG.debug("secret %s has length %d", secret_uuid, password_length)
    LOG.debug("password changed for %s", user)
    LOG.debug("token length %d", len(auth_token))
    LOG.debug("has password: %s", password is not None)
    LOG.debug("login %s", strutils.mask_password(password))


def from_containers(auth, credential, token):
    LOG.debug("auth %s", auth["password"])  # RTS301
    LOG.debug("auth %s", auth.get("auth_password"))  # RTS301
    LOG.debug("credential %s", credential["id"])
    LOG.debug("expires %s", token.expires_at)
    LOG.debug("%(user)s %(password)s", {"user": auth["user"], "password": auth["pw"]})  # RTS301


class Client:
    def connect(self):
        LOG.info("connecting with %s", self.password)  # RTS301
        print(self.password)
