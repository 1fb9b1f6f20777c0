"""The issue catalogue: stable, documented codes with messages a line worker can act on."""

from __future__ import annotations

import re

from station.udi.catalog import all_issue_types
from station.udi.model import Kind
from tools.gen_issue_docs import OUT, render

CODE = re.compile(r"^[a-z0-9]+(\.[a-z0-9_]+)+$")


def test_codes_are_dotted_lowercase_and_scheme_prefixed() -> None:
    prefixes = {"scan", "reader", "gs1", "dl", "hibc", "isbt", "ppn", "iso15434", "ma", "build"}
    for issue_type in all_issue_types():
        assert CODE.match(issue_type.code), issue_type.code
        assert issue_type.code.split(".")[0] in prefixes, issue_type.code


def test_messages_are_sentences() -> None:
    for issue_type in all_issue_types():
        template = issue_type.template
        assert template[:1].isupper() or template.startswith("{"), issue_type.code
        assert template.rstrip().endswith((".", ")")), issue_type.code
        assert isinstance(issue_type.kind, Kind)


def test_documentation_lists_every_code() -> None:
    assert OUT.read_text(encoding="utf-8") == render(), (
        "docs/issue-codes.md is stale: run `.venv/bin/python tools/gen_issue_docs.py`"
    )
