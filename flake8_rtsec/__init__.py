"""flake8-rtsec: lock discipline, swallowed errors, secrets in logs, resource dicts."""

__version__ = "0.1.0"
