"""Regenerate the generated parts of README.md (the rule table). Run: python tools/update_readme.py"""

from __future__ import annotations

import pathlib
import re

from kerascheck.rules import rule_table_markdown

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- rules:start -->\n", "<!-- rules:end -->"


def updated(text: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _: START + rule_table_markdown() + END, text)


if __name__ == "__main__":
    README.write_text(updated(README.read_text()))
