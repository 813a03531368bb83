"""mkdocs hook: the command reference is the command line's own ``--help``, rendered at build time.

Why generated: a hand-copied option list drifts the day someone adds an option. Rendering
click's help text for every command while ``mkdocs build`` runs means the page always says
what ``handouts COMMAND --help`` says; ``tests/test_docs.py`` checks every command is on it.
"""

from __future__ import annotations

from typing import Any

import click

MARKER = "<!-- cli-reference -->"
PAGE = "reference.md"
WIDTH = 100  # fixed, so the page does not depend on the terminal that builds it


def _commands(cmd: click.Command, parent: click.Context | None, name: str) -> list[tuple[str, str]]:
    """(full command name, help text) of ``cmd`` and of every subcommand, depth first."""
    ctx = cmd.make_context(name, [], parent=parent, resilient_parsing=True, terminal_width=WIDTH)
    found = [(ctx.command_path, cmd.get_help(ctx))]
    if isinstance(cmd, click.Group):
        for sub_name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                found += _commands(sub, ctx, sub_name)
    return found


def render() -> str:
    """Markdown: one heading and one help block per command."""
    from handouts.cli import main

    parts = []
    for path, text in _commands(main, None, "handouts"):
        parts.append(f"## `{path}`\n\n```text\n{text}\n```\n")
    return "\n".join(parts)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Replace the marker on the reference page; a reference page without it is an error."""
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"docs/{PAGE} lost its {MARKER} line: the command reference would be missing")
    return markdown.replace(MARKER, render())
