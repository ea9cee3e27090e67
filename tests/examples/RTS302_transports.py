"""RTS302 and the transport: connection info of a transport without
credentials holds none.  Nothing in this module names a secret."""

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class VolumeOps:
    def _attach_volume_iscsi(self, connection_info):
        LOG.debug("attaching %s", connection_info)  # RTS302

    def _attach_volume_vmdk(self, connection_info):
        LOG.debug("attaching %s", connection_info)

    def attach(self, connection_info):
        # No transport named and no credential anywhere in the module.
        LOG.debug("attaching %s", connection_info)

    def attach_by_type(self, connection_info):
        if connection_info["driver_volume_type"] in ("iscsi", "iser"):
            LOG.debug("iSCSI attach %s", connection_info)  # RTS302

    def log_credentials(self, credentials):
        LOG.debug("using %s", credentials)  # RTS302
