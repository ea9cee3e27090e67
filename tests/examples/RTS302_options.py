# rtsec-options: --rtsec-credential-containers=*_conn_props,target_blob --rtsec-sanitizers=myproject.utils.redact,myproject.secrets.* --rtsec-sensitive-names=pin,vault_key --rtsec-not-sensitive-names=session
"""The RTS3 options: more carriers, sanitizers, secret words and exclusions."""

from oslo_log import log as logging

from myproject import secrets, utils

LOG = logging.getLogger(__name__)


def carriers(iscsi_conn_props, target_blob, other_props):
    LOG.debug("props %s", iscsi_conn_props)  # RTS302
    LOG.debug("blob %s", target_blob)  # RTS302
    LOG.debug("props %s", other_props)


def sanitizers(password, token):
    LOG.debug("pw %s", utils.redact(password))
    LOG.debug("token %s", secrets.scrub(token))
    shown = utils.redact(password)
    LOG.debug("pw %s", shown)
    password = utils.redact(password)
    LOG.debug("pw %s", password)
    token = utils.mask(token)
    LOG.debug("token %s", token)  # RTS301


def words(user_pin, session_token, pin_length):
    LOG.debug("pin %s", user_pin)  # RTS301
    LOG.debug("session %s", session_token)
    LOG.debug("length %s", pin_length)


def whole_names(vault_key, vault, key):
    LOG.debug("vault %s", vault_key)  # RTS301
    LOG.debug("vault %s key %s", vault, key)
