"""The false-positive traps found in current OpenStack code: none reports."""

from oslo_log import log as logging
from oslo_utils import strutils

LOG = logging.getLogger(__name__)
SECRET_KEY = "secret"
TOKEN_REFRESH_INTERVAL = 30


def identifiers(instance, secret_uuid, encryption_key_id, credential, img_sig_cert_uuid):
    LOG.debug("vTPM secret %s", secret_uuid)
    LOG.debug("key %s", encryption_key_id)
    LOG.debug("credential %s", credential["id"])
    LOG.debug("cert %s", img_sig_cert_uuid)
    LOG.debug("keypair %s", instance.key_name)


def attributes_of_a_secret(token):
    LOG.debug("expires at %s", token.expires_at)
    LOG.debug("user %s", token.user_id)
    LOG.debug("token %s", token)  # RTS301


def derived_values(token, password):
    LOG.debug("token of %d bytes", len(token))
    LOG.debug("password set: %s", bool(password))
    LOG.debug("has password: %s", password is not None)
    LOG.debug("kind %s", type(token))
    LOG.debug("refresh every %s", TOKEN_REFRESH_INTERVAL)


def keys_that_are_not_secrets(device, task, qos_key, sort_keys, key_file, key_repository):
    disk_key = device.key
    LOG.debug("disk %s task %s qos %s", disk_key, task.key, qos_key)
    LOG.debug("sorted by %s from %s in %s", sort_keys, key_file, key_repository)


def configuration(use_chap_auth, verify_certificate, auth_methods, tls_cacertfile):
    LOG.debug("chap %s verify %s", use_chap_auth, verify_certificate)
    LOG.debug("methods %s ca %s", auth_methods, tls_cacertfile)


def urls_without_userinfo(self_, auth_url, CONF):
    LOG.debug("Using auth URL %s", auth_url)
    LOG.debug("Using %s", self_.auth_url)
    LOG.debug("Swift at %s", CONF.backup_swift_auth_url)


def words_in_a_constant_message(instance, admin_username):
    LOG.info("Admin password set", instance=instance)
    LOG.info("Reset password for user %s.", admin_username)
    LOG.info("admin_password=<SANITIZED>")
    LOG.info("using key %s", SECRET_KEY)


def already_masked(msg, connection_info, info, password, element, val):
    LOG.debug(strutils.mask_password(msg))
    LOG.debug("info %s", strutils.mask_dict_password(connection_info))
    shown = "***" if element == "password" else val
    LOG.debug("value %s", shown)
    visible = {k: v for k, v in info.items() if k not in ("password", "token")}
    LOG.debug("info %s", visible)
    password_hash = strutils.mask_password(password)
    LOG.debug("hash %s", password_hash)


def paths_and_files(password_file, token_path, secret_dir):
    LOG.debug("reading %s, %s and %s", password_file, token_path, secret_dir)
    LOG.debug("read %s", secret_dir.read_password())
    LOG.debug("read %s", password_file.password)  # RTS301


def sanitizer_names_are_not_substrings(password, subnet_mask, sanitize_hostname):
    masked = subnet_mask(password)
    LOG.debug("mask %s", subnet_mask)
    LOG.debug("host %s", sanitize_hostname(password))
    return masked


def masking_store(host, password):
    props = {"host": host, "auth_password": password}
    props["auth_password"] = "***"
    LOG.debug("properties %s", props)
