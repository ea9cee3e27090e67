"""RTS302: containers that usually hold credentials, logged whole."""

from oslo_log import log as logging
from oslo_utils import strutils

LOG = logging.getLogger(__name__)


class ISCSIConnector:
    def connect_volume(self, connection_properties):
        LOG.debug("connecting with %s", connection_properties)  # RTS302
        LOG.debug("connecting with %s", strutils.mask_dict_password(connection_properties))
        LOG.debug("portal %s", connection_properties["target_portal"])
        LOG.debug("data %(data)s", {"data": connection_properties})  # RTS302


def attach(context, instance, bdm, block_device_info):
    connection_info = bdm.connection_info
    LOG.debug("attaching %s", connection_info)  # RTS302
    LOG.debug("attaching %s", bdm.connection_info)  # RTS302
    LOG.debug("data %s", connection_info["data"])  # RTS302
    LOG.debug("type %s", connection_info["driver_volume_type"])
    LOG.debug("serial %s", connection_info.get("serial"))
    LOG.info("devices %s", block_device_info)  # RTS302
    LOG.debug("context %s", context.to_dict())  # RTS302
    LOG.debug("context %s", context.to_policy_values())
    LOG.debug("object %s", instance.__dict__)  # RTS302
    LOG.debug("object %s", vars(instance))  # RTS302


def built_here(host, port):
    connection_info = {"driver_volume_type": "iscsi", "data": {"target_portal": host}}
    LOG.debug("returning %s", connection_info)
    url = "rabbit://%s:%d/" % (host, port)
    LOG.debug("transport %s", url)


def built_around_an_opaque_part(volume, get_properties):
    connection_info = {"driver_volume_type": "iscsi", "data": get_properties(volume)}
    LOG.debug("returning %s", connection_info)  # RTS302


def command_line(host, chap_password, execute):
    cmd = ["iscsiadm", "-m", "node", "-p", host]
    LOG.debug("running %s", cmd)
    cmd += ["-v", chap_password]
    LOG.debug("running %s", " ".join(cmd))  # RTS302
    execute(*cmd)


def locals_dump(user, password):
    LOG.debug("state %s", locals())  # RTS302


def keyword_carrier(host, password, **kwargs):
    LOG.debug("extra options %s", kwargs)  # RTS302


def keyword_plain(host, port, **kwargs):
    LOG.debug("extra options %s", kwargs)


def urls(CONF, transport_url):
    LOG.info("bus %s", transport_url)  # RTS302
    LOG.info("database %s", CONF.database.connection)  # RTS302
    LOG.info("database %s", CONF.database.connection_recycle_time)


def credentials_and_auth(credentials, auth, req):
    LOG.debug("using %s", credentials)  # RTS302
    LOG.debug("auth %s", auth)  # RTS302
    LOG.debug("headers %s", req.headers)  # RTS302
    LOG.debug("credential id %s", credentials["id"])
    LOG.debug("auth type %s", auth["type"])


def fibre_channel_attach(connection_info):
    LOG.debug("zoning %s", connection_info)


def by_driver_volume_type(connection_info):
    if connection_info["driver_volume_type"] == "fibre_channel":
        LOG.debug("zoning %s", connection_info)
