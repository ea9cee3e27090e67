"""MkDocs hooks: the rule index, the options page and each rule page's
summary line are generated from the plugin's own registry."""

from mkdocs.structure.files import File

from flake8_rtsec.options import OPTIONS
from flake8_rtsec.rules import BY_CODE, FAMILIES, RULES


def on_files(files, config):
    files.append(File.generated(config, "rules/index.md", content=_rule_index()))
    files.append(File.generated(config, "configuration.md", content=_configuration()))
    return files


def on_page_markdown(markdown, page, config, files):
    code = page.file.name
    rule = BY_CODE.get(code)
    if rule is None or not page.file.src_uri.startswith("rules/"):
        return markdown
    title, _, rest = markdown.partition("\n")
    default = "on" if rule.default_on else f"off (enable with `--extend-select {code}`)"
    facts = (
        f"*{FAMILIES[rule.family].capitalize()}* · default: {default}\n\n"
        f"> {rule.summary}\n\n"
        f"Message: `{code} {rule.template}`\n"
    )
    return f"{title}\n\n{facts}{rest}"


def _rule_index():
    lines = ["# Rules", ""]
    for family, title in FAMILIES.items():
        rules = [rule for rule in RULES if rule.family == family]
        if not rules:
            continue
        lines += [f"## {family}: {title}", ""]
        lines += ["| code | name | default | summary |", "|---|---|---|---|"]
        for rule in rules:
            default = "on" if rule.default_on else "off"
            lines.append(
                f"| [{rule.code}]({rule.code}.md) | {rule.name} | {default} | {rule.summary} |"
            )
        lines.append("")
    return "\n".join(lines)


def _configuration():
    lines = [
        "# Configuration",
        "",
        "Every option is read from the command line and from flake8's config",
        "files (`setup.cfg`, `tox.ini`, `.flake8`, section `[flake8]`), with or",
        "without the leading dashes. List values are comma separated. A bad",
        "value stops flake8 with one line naming the option.",
        "",
        "```ini",
        "[flake8]",
        "extend-select = RTS107",
        "rtsec-lock-decorators = myproject.utils.locked",
        "rtsec-logger-names = AUDIT",
        "```",
        "",
    ]
    for spec in OPTIONS:
        default = ", ".join(spec.default) if spec.default else "(none)"
        lines += [f"## `{spec.flag}`", "", spec.help[0].upper() + spec.help[1:] + ".", ""]
        lines += [f"Default: `{default}`.", ""]
    return "\n".join(lines)
