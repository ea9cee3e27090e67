"""flake8 report formatters: SARIF for code scanning, and baselines.

flake8 imports every report plugin on every run, whatever the format: the
entry points here are light, and import their module only when chosen.
`findings` says when two reports are the same finding across edits; the
baseline suppression in the checkers and both formatters use it, so a
baseline entry and a SARIF fingerprint always agree.
"""

import json
import os
from typing import List

from flake8.formatting.base import BaseFormatter
from flake8.violation import Violation


class DocumentFormatter(BaseFormatter):
    """Collects the run's violations and writes one JSON document at the end.

    Subclasses say which violations they keep and build the document.
    """

    def after_init(self) -> None:
        self.violations: List[Violation] = []

    def start(self) -> None:
        # flake8 appends to --output-file; two documents in one file are not JSON.
        if self.filename:
            directory = os.path.dirname(os.path.abspath(self.filename))
            os.makedirs(directory, exist_ok=True)
            self.output_fd = open(self.filename, "w", encoding="utf-8")

    def keeps(self, error: Violation) -> bool:
        return True

    def document(self, violations: List[Violation]) -> dict:
        raise NotImplementedError

    def handle(self, error: Violation) -> None:
        if self.keeps(error):
            self.violations.append(error)

    def format(self, error: Violation) -> None:
        return None

    def show_statistics(self, statistics) -> None:
        """Nothing: text after the document would break it."""

    def show_benchmarks(self, benchmarks) -> None:
        """Nothing: text after the document would break it."""

    def stop(self) -> None:
        self._write(json.dumps(self.document(self.violations), indent=2))
        super().stop()


class SarifFormatter(DocumentFormatter):
    """`--format=rtsec-sarif`: every violation of the run, as one SARIF log."""

    def document(self, violations: List[Violation]) -> dict:
        from flake8_rtsec.formatters.sarif import sarif_log

        return sarif_log(violations, self.options)


class BaselineFormatter(DocumentFormatter):
    """`--format=rtsec-baseline`: the run's RTS findings as a baseline file.

    Only RTS codes go in: the baseline filters this plugin's reports, and
    flake8's own codes have `per-file-ignores`.
    """

    def keeps(self, error: Violation) -> bool:
        return error.code.startswith("RTS")

    def document(self, violations: List[Violation]) -> dict:
        from flake8_rtsec.formatters.baseline import baseline_document

        return baseline_document(violations, self.filename, self.options)
