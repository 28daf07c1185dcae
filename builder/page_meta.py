"""What a browser tab, a search result or a shared link shows of a page: its description, as plain text.

A program's description is the first sentence of its summary, a drill's its purpose (else
the first sentence of its description): Markdown rendered, then every tag taken off, so
that no mark (`**`, a link's address) reaches a search result.
"""

from __future__ import annotations

import html
import re

import nh3

DESCRIPTION_LENGTH = 160
"""Characters of a description at most: search results cut longer ones anyway."""

_SPACES = re.compile(r"\s+")
_SENTENCE = re.compile(r"(.+?[.!?])(?=\s+[\"“(\[A-Z0-9]|$)")


def first_sentence(rendered: str) -> str:
    """The first sentence of a Markdown text rendered as HTML, as plain text on one line, shortened at a word
    to DESCRIPTION_LENGTH."""
    text = _SPACES.sub(" ", html.unescape(nh3.clean(rendered, tags=set()))).strip()
    found = _SENTENCE.match(text)
    return shortened(found[1] if found else text)


def shortened(text: str) -> str:
    """`text`, or if it is longer than DESCRIPTION_LENGTH, its words that fit followed by `…`."""
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[: DESCRIPTION_LENGTH - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else cut).rstrip(" ,;:") + "…"
