"""Editor-written Markdown to HTML that is safe to show readers."""

import nh3
from markdown_it import MarkdownIt

# Raw HTML in Markdown is off: editors write Markdown, and an HTML tag they type
# shows as text. nh3 still sanitizes the result as a second line of defence.
_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False})

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """Render CommonMark to sanitized HTML.

    Headings an editor writes are demoted below the section subheading (`h2`)
    so the page keeps one outline.
    """
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 2, 4)}"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
