"""Regenerate the generated parts of README.md (the rule table). Run: python tools/update_readme.py"""

from __future__ import annotations

import pathlib
import re

from kerascheck.rules import rule_table_markdown

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
ROOT = README.parent
START, END = "<!-- rules:start -->\n", "<!-- rules:end -->"
EXAMPLES = {
    # marker: the command whose real output the README shows (run from the repository's root)
    "example-shapes": ["--shapes", "--no-cache", "fixtures/origin/origin.py"],
    "example-explain": ["--explain-model", "--select", "KC2", "--no-cache", "fixtures/origin/origin.py"],
}


def _output(args: list[str]) -> str:
    import os

    from click.testing import CliRunner

    from kerascheck.cli import main

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return CliRunner().invoke(main, args).output
    finally:
        os.chdir(cwd)


def _block(marker: str, body: str) -> tuple[re.Pattern[str], str]:
    start, end = f"<!-- {marker}:start -->\n", f"<!-- {marker}:end -->"
    return re.compile(re.escape(start) + r".*?" + re.escape(end), re.S), start + body + end


def updated(text: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    text = pattern.sub(lambda _: START + rule_table_markdown() + END, text)
    source_pattern, source_block = _block(
        "example-source", "```python\n" + (ROOT / "fixtures/origin/origin.py").read_text() + "```\n"
    )
    text = source_pattern.sub(lambda _: source_block, text)
    for marker, args in EXAMPLES.items():
        shown = " ".join(a for a in args if a != "--no-cache")
        body = f"```console\n$ kerascheck {shown}\n{_output(args)}```\n"
        block_pattern, block = _block(marker, body)
        text = block_pattern.sub(lambda _, b=block: b, text)
    return text


if __name__ == "__main__":
    README.write_text(updated(README.read_text()))
