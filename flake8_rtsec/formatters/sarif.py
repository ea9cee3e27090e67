"""`--format=rtsec-sarif`: the run as a SARIF 2.1.0 log, for code scanning.

    flake8 --format=rtsec-sarif --output-file=rtsec.sarif src/

Every registry code gets a rule entry (name, descriptions, link to its docs
page, tags, precision, security-severity) whether or not it reported; any
other code in the run (E, W, F, other plugins) is a rule with just its id.
Paths are relative to the working directory, with forward slashes. Each
result carries a fingerprint built from `findings.FindingKey`, the same
identity the baseline uses, so an alert survives edits above it.
"""

import hashlib
import os
import re
from pathlib import Path
from typing import Dict, NamedTuple, Optional, Sequence
from urllib.parse import quote

from flake8.violation import Violation

from flake8_rtsec import __version__
from flake8_rtsec.formatters.findings import Finding, keyed
from flake8_rtsec.rules import BY_CODE, RULES, Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# Each rule's helpUri is DOCS_BASE_URL + "RTS101.md": its page in this repository.
DOCS_BASE_URL = "https://github.com/flake8-rtsec/flake8-rtsec/blob/main/docs/rules/"
INFORMATION_URI = "https://github.com/flake8-rtsec/flake8-rtsec"
FINGERPRINT = "flake8-rtsec/v1"
SOURCE_ROOT = "%SRCROOT%"


class RuleProperties(NamedTuple):
    precision: str  # SARIF/CodeQL: very-high, high, medium, low
    security_severity: float  # 0.0-10.0; GitHub: >= 9 critical, >= 7 high, >= 4 medium
    cwe: int
    security: bool  # tagged `security`: GitHub ranks only those by severity


# The one table of code-scanning metadata. `security` marks rules whose
# failure is a security weakness: races that corrupt resource accounting
# (over-commit), credentials in logs and messages, untrusted input taken into
# tracked state. Deadlocks and swallowed errors are reliability defects, as
# CodeQL files its own empty-except and catch-base-exception queries.
RULE_PROPERTIES: Dict[str, RuleProperties] = {
    "RTS101": RuleProperties("high", 5.9, 362, True),
    "RTS102": RuleProperties("high", 4.7, 362, True),
    "RTS103": RuleProperties("high", 5.5, 764, False),
    "RTS104": RuleProperties("very-high", 4.0, 667, False),
    "RTS105": RuleProperties("medium", 5.5, 833, False),
    "RTS106": RuleProperties("very-high", 5.9, 667, True),
    "RTS107": RuleProperties("very-high", 3.1, 833, False),
    "RTS201": RuleProperties("very-high", 3.7, 390, False),
    "RTS202": RuleProperties("very-high", 2.6, 778, False),
    "RTS203": RuleProperties("very-high", 4.3, 396, False),
    "RTS204": RuleProperties("high", 5.3, 460, True),
    "RTS205": RuleProperties("very-high", 3.7, 390, False),
    "RTS206": RuleProperties("very-high", 2.0, 396, False),
    "RTS301": RuleProperties("high", 7.5, 532, True),
    "RTS302": RuleProperties("medium", 7.5, 532, True),
    "RTS303": RuleProperties("high", 6.5, 209, True),
    "RTS304": RuleProperties("high", 5.5, 532, True),
    "RTS305": RuleProperties("high", 6.5, 532, True),
    "RTS401": RuleProperties("medium", 4.3, 20, False),
    "RTS402": RuleProperties("high", 5.3, 1284, True),
    "RTS403": RuleProperties("medium", 6.1, 20, True),
}
FAMILY_TAGS = {
    "RTS1": "concurrency",
    "RTS2": "error-handling",
    "RTS3": "logging",
    "RTS4": "input-validation",
}
# Credentials in logs are errors; everything else is a warning.
ERROR_FAMILIES = ("RTS3",)
ERROR_CODES = ("E902", "E999")
OTHER_HELP = {
    "E": "https://pycodestyle.pycqa.org/en/latest/intro.html#error-codes",
    "W": "https://pycodestyle.pycqa.org/en/latest/intro.html#error-codes",
    "F": "https://flake8.pycqa.org/en/latest/user/error-codes.html",
    "C9": "https://flake8.pycqa.org/en/latest/user/error-codes.html",
}
# Codes whose columns are ast offsets (UTF-8 bytes); SARIF counts characters.
_BYTE_COLUMN_PREFIXES = ("RTS", "F")
_PLACEHOLDER = re.compile(r"\{(\w+)[^}]*\}")


def rule_descriptor(rule: Rule) -> dict:
    properties = RULE_PROPERTIES[rule.code]
    url = f"{DOCS_BASE_URL}{rule.code}.md"
    shape = _PLACEHOLDER.sub(r"<\1>", rule.template)
    full = f'{rule.summary} Reported as "{rule.code} {shape}".'
    tags = [FAMILY_TAGS[rule.family], "security" if properties.security else "reliability"]
    tags.append(f"external/cwe/cwe-{properties.cwe}")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "help": {
            "text": f"{full} Documentation: {url}",
            "markdown": f"{full}\n\n[{rule.code} {rule.name}]({url})",
        },
        "helpUri": url,
        "defaultConfiguration": {"level": _rule_level(rule.code), "enabled": rule.default_on},
        "properties": {
            "tags": tags,
            "precision": properties.precision,
            "security-severity": f"{properties.security_severity:.1f}",
        },
    }


def other_descriptor(code: str) -> dict:
    descriptor = {"id": code}
    for prefix, url in OTHER_HELP.items():
        if code.startswith(prefix):
            descriptor["helpUri"] = url
            break
    return descriptor


def _rule_level(code: str) -> str:
    if code in ERROR_CODES or code.startswith(ERROR_FAMILIES):
        return "error"
    return "warning"


def sarif_log(violations: Sequence[Violation], options, root: Optional[str] = None) -> dict:
    """The SARIF document for the run's violations; paths relative to `root`."""
    root = root or os.getcwd()
    findings = sorted(
        keyed(violations, root, options),
        key=lambda f: (f.key.path, f.violation.line_number, f.violation.column_number, f.key.code),
    )
    rules = [rule_descriptor(rule) for rule in RULES]
    others = sorted({f.key.code for f in findings} - set(BY_CODE))
    rules += [other_descriptor(code) for code in others]
    rule_index = {rule["id"]: number for number, rule in enumerate(rules)}
    run = {
        "tool": {
            "driver": {
                "name": "flake8-rtsec",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": Path(root).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, rule_index) for finding in findings],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _result(finding: Finding, rule_index: Dict[str, int]) -> dict:
    violation, key = finding.violation, finding.key
    if key.path.startswith("../"):
        location = {"uri": Path(violation.filename).resolve().as_uri()}
    else:
        location = {"uri": _uri_path(key.path), "uriBaseId": SOURCE_ROOT}
    physical = {"artifactLocation": location}
    if violation.line_number >= 1:
        physical["region"] = {
            "startLine": violation.line_number,
            "startColumn": _column(finding),
        }
    identity = "\0".join((*key, str(finding.occurrence)))
    return {
        "ruleId": key.code,
        "ruleIndex": rule_index[key.code],
        "level": _rule_level(key.code),
        "message": {"text": f"{key.code} {violation.text}"},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {
            FINGERPRINT: hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
        },
    }


def _uri_path(path: str) -> str:
    return quote(path, safe="/")


def _column(finding: Finding) -> int:
    column = max(finding.violation.column_number, 1)
    if finding.key.code.startswith(_BYTE_COLUMN_PREFIXES) and finding.line:
        encoded = finding.line.encode("utf-8")
        column = len(encoded[: column - 1].decode("utf-8", "ignore")) + 1
    return column
