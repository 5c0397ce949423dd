"""The money templates carry no inline script, event handler or style, so a strict CSP can come without changes."""

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "templates" / "donations").glob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_a_money_template_has_no_inline_script_handler_or_style(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"\sstyle\s*=", text), "inline style"
    assert "javascript:" not in text


def test_the_money_templates_are_all_checked():
    assert len(TEMPLATES) >= 10
