"""Markdown written by members, rendered with markdown-it-py and sanitised with nh3.

Raw HTML in the source is escaped by markdown-it (html=False); nh3 then keeps only the tags
below, so nothing a member writes can run as script in another member's page.
"""

import functools

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

FULL_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "a",
    "hr",
    "del",
}
# Chat messages: inline formatting, lists and links only.
SUBSET_TAGS = {"p", "br", "strong", "em", "code", "a", "ul", "ol", "li", "del"}

_full = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable("strikethrough")
_subset = (
    MarkdownIt("commonmark", {"html": False, "breaks": True})
    .disable(
        ["heading", "lheading", "image", "table", "hr", "fence", "code", "blockquote"], ignoreInvalid=True
    )
    .enable("strikethrough")
)


def _clean(html: str, tags: set[str]) -> Markup:
    cleaned = nh3.clean(
        html,
        tags=tags,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above


# Rendering is a pure function of the text, and a case page renders every reply on every view:
# the last few thousand short texts are kept, per process (a few MiB at most).
CACHE_SIZE = 2048
CACHE_MAX_CHARS = 4000


@functools.lru_cache(maxsize=CACHE_SIZE)
def _render(text: str, subset: bool) -> Markup:
    parser, tags = (_subset, SUBSET_TAGS) if subset else (_full, FULL_TAGS)
    return _clean(parser.render(text), tags)


def _rendered(text: str | None, subset: bool) -> Markup:
    text = text or ""
    if len(text) > CACHE_MAX_CHARS:
        return _render.__wrapped__(text, subset)
    return _render(text, subset)


def render_markdown(text: str | None) -> Markup:
    """Longer texts (cases, replies, meetups): paragraphs, lists, quotes, links, small headings."""
    return _rendered(text, subset=False)


def render_markdown_subset(text: str | None) -> Markup:
    """Chat messages: inline formatting, lists and links."""
    return _rendered(text, subset=True)
