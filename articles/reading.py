"""How long an article's body is to read: its words and minutes.

The editor's form counts as the editor types (static/js/admin-word-count.js) with the same
rule, written once more in JavaScript: tests/test_writing.py checks the two agree. The body
is its text blocks and quotes (lead quotes too); subheadings, captions and embeds aren't.
"""

import math
import re
import unicodedata

from .parts import Block

# Adults read non-fiction silently at about 238 words a minute (Brysbaert, "How many words
# do we read per minute?", Journal of Memory and Language, 2019).
WORDS_PER_MINUTE = 238

# A Markdown link's target, "](https://…)", is not read: its text is. Nor are the numbers
# of a numbered list ("1. ").
LINK_TARGET = re.compile(r"\]\([^)]*\)")
LIST_NUMBER = re.compile(r"^[ \t]*\d+[.)][ \t]", re.MULTILINE)
# Letters and digits, joined by an apostrophe, a hyphen, a dot or a comma ("don't",
# "well-known", "3.5", "1,000"). [^\W_] is a letter or a digit, as \p{L}\p{N} in JavaScript.
WORD = re.compile(r"[^\W_]+(?:['’.,\-][^\W_]+)*")


def count_words(text):
    text = LINK_TARGET.sub("]", unicodedata.normalize("NFC", text))
    text = LIST_NUMBER.sub("", text)
    return len(WORD.findall(text))


def reading_minutes(words):
    """Whole minutes, rounded up: any text at all is at least a one-minute read."""
    return math.ceil(words / WORDS_PER_MINUTE)


def summary(words):
    minutes = reading_minutes(words)
    return f"{words:,} {'word' if words == 1 else 'words'} · {minutes} min read"


def article_words(article):
    """The words of a saved article's body: its text blocks and quotes."""
    if article is None or article.pk is None:
        return 0
    blocks = Block.objects.filter(article=article, kind__in=[Block.Kind.TEXT, Block.Kind.QUOTE])
    return sum(count_words(body + " " + text) for body, text in blocks.values_list("body", "text"))


def body_words(article):
    """The words of an article fetched with its body (with_body()), from what it prefetched."""
    blocks = [*article.lead_quotes]
    for section in article.sections.all():
        blocks += section.blocks.all()
    return sum(count_words(f"{block.body} {block.text}") for block in blocks)
