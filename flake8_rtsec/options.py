"""The plugin's options: registered once, validated into one frozen `Config`.

flake8 crashes when two plugins register the same option, so only the RTS1
checker exposes `add_options`/`parse_options`; the other families read the
same `Config` through `current()`.
"""

import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, FrozenSet, Optional, Pattern, Tuple

from flake8_rtsec.rules import RULES

if TYPE_CHECKING:
    from flake8_rtsec.formatters.baseline import Baseline

INFER_MODES = ("off", "module", "project")

_DOTTED_PATTERN = re.compile(r"[A-Za-z_*][\w*]*(\.[A-Za-z_*][\w*]*)*\Z")


@dataclass(frozen=True)
class OptionSpec:
    """One `--rtsec-NAME` option; `kind` says how its value is checked."""

    name: str
    kind: str  # "names" (dotted names, * wildcards), "regexes", "choice" or "baseline"
    help: str
    default: Tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        return f"--rtsec-{self.name}"

    @property
    def field(self) -> str:
        """The `Config` field; flake8's namespace has it as `rtsec_<field>`."""
        return self.name.replace("-", "_")


OPTIONS = (
    OptionSpec(
        "infer",
        "choice",
        "how far names are followed: off (as written), module (aliases and "
        "constants in the file) or project (astroid follows imports)",
        ("module",),
    ),
    OptionSpec(
        "lock-decorators",
        "names",
        "extra decorators that hold a lock for the whole function, by "
        "qualified name; the lock's key is the decorator's first argument",
    ),
    OptionSpec(
        "lock-factories",
        "names",
        "extra callables, by qualified name, whose result is a "
        "non-reentrant lock (`self._lock = FACTORY()`)",
    ),
    OptionSpec(
        "noreturn-functions",
        "names",
        "extra functions that never return, by qualified name; * matches "
        "any characters, e.g. *.raise_error for self.raise_error(...) "
        "(sys.exit and friends are built in)",
    ),
    OptionSpec(
        "traceback-reporters",
        "names",
        "extra callables that record the current traceback, by qualified "
        "name; * matches any characters (e.g. sentry_sdk.capture_exception)",
    ),
    OptionSpec(
        "logger-names",
        "names",
        "extra names of logger objects (LOG, log, logger and getLogger "
        "results are built in)",
    ),
    OptionSpec(
        "broad-exceptions",
        "names",
        "extra exception classes that count as broad, by qualified name",
    ),
    OptionSpec(
        "sensitive-names",
        "regexes",
        "extra sensitive words: regular expressions matched against each "
        "whole snake_case word of a name, or the whole name in snake_case",
    ),
    OptionSpec(
        "not-sensitive-names",
        "regexes",
        "words that make a name not sensitive: regular expressions matched "
        "against each whole snake_case word of a name, or the whole name",
    ),
    OptionSpec(
        "resource-names",
        "names",
        "names of parameters and variables that hold resource dicts "
        "(* matches any characters)",
        ("resources", "*_resources", "limits", "inventory", "inventories", "capacity"),
    ),
    OptionSpec(
        "resource-sources",
        "names",
        "calls, by name or qualified name, whose result is an untrusted "
        "resource dict",
        (
            "get_available_resource",
            "get_inventory",
            "get_host_stats",
            "get_available_nodes_resources",
            "json.load",
            "json.loads",
            "jsonutils.loads",
        ),
    ),
    OptionSpec(
        "validators",
        "names",
        "extra functions that validate a resource dict passed to them "
        "(names matching _?(verify|validate|check)_* are built in)",
    ),
    OptionSpec(
        "confined-methods",
        "names",
        "lifecycle methods that run before the object is shared between "
        "threads, as `method` or `Class.method` (* matches any characters); "
        "RTS101 does not report their writes",
    ),
    OptionSpec(
        "broad-except-allowed",
        "names",
        "functions (qualified name, e.g. mypkg.service.Service.run or "
        "Service.run; * matches any characters) and decorators (e.g. "
        "periodic_task.periodic_task) inside which RTS206 accepts a broad "
        "handler that logs the traceback and goes on",
    ),
    OptionSpec(
        "sanitizers",
        "names",
        "extra functions, by qualified name (* matches any characters), whose "
        "result no longer holds the secret passed to them (oslo.utils "
        "mask_password, mask_dict_password, hashlib.* and hmac.* are built in)",
    ),
    OptionSpec(
        "credential-containers",
        "names",
        "extra names of containers that usually hold credentials (* matches "
        "any characters; connection_info, block_device_info, credentials, "
        "transport_url and others are built in)",
    ),
    OptionSpec(
        "baseline",
        "baseline",
        "a JSON file written by --format=rtsec-baseline: findings recorded in "
        "it are not reported (in a config file, relative to that file)",
    ),
)


_DEFAULTS = {spec.name: spec.default for spec in OPTIONS}


@dataclass(frozen=True)
class Config:
    """Everything the analyses may read; built once per flake8 run."""

    enabled_codes: FrozenSet[str] = frozenset(r.code for r in RULES if r.default_on)
    infer: str = "module"
    lock_decorators: Tuple[str, ...] = ()
    lock_factories: Tuple[str, ...] = ()
    noreturn_functions: Tuple[str, ...] = ()
    traceback_reporters: Tuple[str, ...] = ()
    logger_names: Tuple[str, ...] = ()
    broad_exceptions: Tuple[str, ...] = ()
    sensitive_names: Tuple[Pattern[str], ...] = ()
    not_sensitive_names: Tuple[Pattern[str], ...] = ()
    resource_names: Tuple[str, ...] = _DEFAULTS["resource-names"]
    resource_sources: Tuple[str, ...] = _DEFAULTS["resource-sources"]
    validators: Tuple[str, ...] = ()
    confined_methods: Tuple[str, ...] = ()
    broad_except_allowed: Tuple[str, ...] = ()
    sanitizers: Tuple[str, ...] = ()
    credential_containers: Tuple[str, ...] = ()
    baseline: Optional["Baseline"] = None

    def enables(self, family: str) -> bool:
        return any(code.startswith(family) for code in self.enabled_codes)


_current = Config()


def current() -> Config:
    return _current


def add_options(option_manager) -> None:
    for spec in OPTIONS:
        kwargs = {"parse_from_config": True, "help": spec.help}
        if spec.default:
            kwargs["help"] += " (default: %(default)s)"
        if spec.kind == "choice":
            kwargs["default"] = spec.default[0]
        elif spec.kind == "baseline":
            kwargs["normalize_paths"] = True
        else:
            kwargs["comma_separated_list"] = True
            kwargs["default"] = ",".join(spec.default)
        option_manager.add_option(spec.flag, **kwargs)


def parse_options(options) -> None:
    """Validate flake8's parsed options; a bad value ends flake8 with one line."""
    global _current
    try:
        _current = build_config(options)
    except ValueError as error:
        sys.exit(f"flake8-rtsec: {error}")


def build_config(options) -> Config:
    values = {}
    for spec in OPTIONS:
        if spec.kind == "baseline":
            values[spec.field] = _baseline(spec, options)
            continue
        raw = getattr(options, "rtsec_" + spec.field, None)
        values[spec.field] = _validated(spec, raw)
    values["enabled_codes"] = _enabled_codes(options)
    return Config(**values)


def _validated(spec: OptionSpec, raw):
    if spec.kind == "choice":
        value = (raw or spec.default[0]).strip()
        if value not in INFER_MODES:
            raise ValueError(
                f"{spec.flag}: {value!r} is not one of {', '.join(INFER_MODES)}"
            )
        return value
    if raw is None:
        raw = list(spec.default)
    elif isinstance(raw, str):
        raw = raw.split(",")
    items = tuple(item.strip() for item in raw if item.strip())
    if spec.kind == "regexes":
        return tuple(_compiled(spec, item) for item in items)
    for item in items:
        if not _DOTTED_PATTERN.match(item):
            raise ValueError(f"{spec.flag}: {item!r} is not a (dotted) name")
    return items


def _baseline(spec: OptionSpec, options):
    if not getattr(options, "rtsec_" + spec.field, None):
        return None  # without importing the baseline code (hashing, tokenizing)
    # Imported here: the baseline module uses the index, which imports Config.
    from flake8_rtsec.formatters import baseline

    try:
        return baseline.from_options(options)
    except ValueError as error:
        raise ValueError(f"{spec.flag}: {error}") from None


def _compiled(spec: OptionSpec, item: str) -> Pattern[str]:
    try:
        return re.compile(item, re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"{spec.flag}: {item!r} is not a valid regex ({error})") from None


def _enabled_codes(options) -> FrozenSet[str]:
    """Codes that can be reported at all; default-off ones need their exact code."""
    named = set(getattr(options, "select", None) or ()) | set(
        getattr(options, "extend_select", None) or ()
    )
    is_selected = _selection_of(options)
    return frozenset(
        rule.code
        for rule in RULES
        if is_selected(rule.code) and (rule.default_on or rule.code in named)
    )


def _selection_of(options) -> Callable[[str], bool]:
    """flake8's own select/ignore decision; everything when it is unavailable.

    `DecisionEngine` is flake8-internal, so a flake8 that moved it only costs
    us the early exit: flake8 still filters what we report.
    """
    try:
        from flake8.style_guide import Decision, DecisionEngine

        engine = DecisionEngine(options)
    except (ImportError, AttributeError):
        return lambda code: True
    return lambda code: engine.decision_for(code) is Decision.Selected
