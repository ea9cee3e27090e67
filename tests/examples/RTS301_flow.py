"""RTS301 through local flow: assignments, string building, containers, masking."""

import json

from oslo_log import log as logging
from oslo_utils import strutils

LOG = logging.getLogger(__name__)


def one_step(user, password):
    msg = "login %s with %s" % (user, password)
    LOG.debug(msg)  # RTS301


def three_steps(user, password):
    pair = (user, password)
    text = "%s:%s" % pair
    line = "credentials are " + text
    LOG.info(line)  # RTS301


def f_string_and_format(auth_token, user):
    header = f"X-Auth-Token: {auth_token}"
    LOG.debug("sending %s", header)  # RTS301
    LOG.debug("token {}".format(auth_token))  # RTS301
    LOG.debug("user {}".format(user))


def augmented(new_pass):
    msg = "changing "
    msg += new_pass
    LOG.info(msg)  # RTS301


def json_and_join(adminPass, name):
    body = json.dumps({"server": {"name": name, "adminPass": adminPass}})
    LOG.debug("request body: %s", body)  # RTS301
    words = " ".join([name, adminPass])
    LOG.debug(words)  # RTS301


def named_placeholders(user, chap_secret):
    LOG.debug("user %(user)s secret %(secret)s", {"user": user, "secret": chap_secret})  # RTS301
    LOG.debug("user %(user)s", {"user": user, "secret": chap_secret})
    values = {"user": user, "chap_secret": chap_secret}
    LOG.debug("user %(user)s", values)
    LOG.debug("user %(user)s with %(chap_secret)s", values)  # RTS301
    LOG.debug("values %s", values)  # RTS301


def percent_locals(user, password):
    LOG.debug("user %(user)s password %(password)s" % locals())  # RTS301
    LOG.debug("user %(user)s" % locals())
    LOG.debug("user %(user)s", locals())


def dict_that_received_a_password(host, get_chap):
    props = {"target_portal": host}
    props["auth_method"] = "CHAP"
    props["auth_password"] = get_chap()
    LOG.debug("properties: %s", props)  # RTS301
    LOG.debug("portal: %s", props["target_portal"])
    LOG.debug("secret: %s", props["auth_password"])  # RTS301


def dict_updated_with_a_password(host, value):
    opts = {"host": host}
    opts.update(password=value)
    LOG.debug("options %s", opts)  # RTS301


def masked_later(password, user):
    message = "user=%s password=%s" % (user, password)
    LOG.debug(message)  # RTS301
    message = strutils.mask_password(message)
    LOG.debug(message)


def masked_name(password):
    password = strutils.mask_password(password)
    LOG.debug("password=%s", password)


def loop_over_a_secret_list(token, other):
    tokens = [token, other]
    for item in tokens:
        LOG.debug("trying %s", item)  # RTS301


def items_of_a_mapping(admin_password, name):
    settings = {"name": name, "admin_password": admin_password}
    for key, value in settings.items():
        LOG.debug("setting %s", key)
        LOG.debug("value %s", value)  # RTS301
    for key in settings:
        LOG.debug("key %s", key)


def comprehension(passwords):
    shown = [p.strip() for p in passwords]
    LOG.debug("candidates %s", shown)  # RTS301
    sizes = [len(p) for p in passwords]
    LOG.debug("sizes %s", sizes)


def extra_and_log_level(level, private_key):
    LOG.log(level, "key loaded", extra={"key": private_key})  # RTS301
    LOG.log(level, "key loaded")


def nested_store(volume, get_chap):
    info = {"driver_volume_type": "iscsi", "data": {"volume_id": volume}}
    info["data"]["auth_password"] = get_chap()
    LOG.debug("returning %s", info)  # RTS301
    LOG.debug("data %s", info["data"])  # RTS301
    LOG.debug("type %s", info["driver_volume_type"])


def format_with_names(user, password):
    LOG.debug("user {user}".format(**locals()))
    LOG.debug("user {user} pw {password}".format(**locals()))  # RTS301
    LOG.debug("user {user}".format(user=user, password=password))
    LOG.debug("user {name}".format(name=password))  # RTS301


def walrus_and_unpacking(read_secret, user):
    if (secret_value := read_secret()) is not None:
        LOG.debug("read %s", secret_value)  # RTS301
    name, shown = user, "***"
    LOG.debug("%s %s", name, shown)
    name, key = user, read_secret()
    LOG.debug("%s", name)


def rebinding_clears(password, user):
    text = "pw=" + password
    text = "user=" + user
    LOG.debug(text)
