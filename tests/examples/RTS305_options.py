"""RTS305: oslo.config options that can hold a secret, declared without secret=True."""

from oslo_config import cfg

opts = [
    cfg.StrOpt("admin_password", help="Password of the admin user."),  # RTS305
    cfg.StrOpt("chap_password", secret=True, help="CHAP password."),
    cfg.StrOpt("api_token", secret=False, help="REST API token."),  # RTS305
    cfg.StrOpt(  # RTS305
        "transport_url",
        help="Message bus URL, with user:password.",
    ),
    cfg.StrOpt("sql_connection", help="Database URL."),  # RTS305
    cfg.StrOpt("auth_url", help="Keystone endpoint."),
    cfg.StrOpt("password_file", help="Where the password is kept."),
    cfg.StrOpt("san_private_key", help="Filename of private key to use for SSH authentication."),
    cfg.StrOpt("swift_auth", choices=["per_user", "single_user"], help="Auth mechanism."),
    cfg.IntOpt("token_ttl", default=3600, help="Token lifetime."),
    cfg.BoolOpt("use_chap_auth", default=False, help="Use CHAP."),
    cfg.StrOpt("secret_uuid", help="Libvirt secret UUID."),
    cfg.DictOpt("credentials", help="Credentials per backend."),  # RTS305
]
