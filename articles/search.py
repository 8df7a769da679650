"""Reader-facing site search: PostgreSQL full-text search, or SQLite FTS5, behind `search()`.

Each article's search document (headline, tags, dek, and the plain text of its sections
and quotes) is derived when any of them changes, once per article per transaction
(articles/delivery/changes.py), and stored; a search only reads it. Results always start
from Article.objects.published(), so the index may hold drafts and scheduled articles
without readers ever seeing them. Only the newest CANDIDATES matches are ranked, paged and
counted, so a search costs the same at 1,000 articles as at 100,000.
"""

import html
import re
import unicodedata

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from .models import SEARCH_DOCUMENT_FIELDS, Article

MAX_QUERY_LENGTH = 200

# Results are ranked among the newest CANDIDATES matches only, as news sites rank them: a
# reader searching "election" wants this year's, and ranking (or counting) every match
# would make each search slower as the archive grows. Tests lower it to a few articles.
CANDIDATES = 1000

BEST_MATCH, NEWEST = "best", "newest"

# PostgreSQL's text search configuration: English stemming, so "landing" finds "landed".
POSTGRES_CONFIG = "english"

# SQLite's full-text table, created by migration 0005 with rowid = article id.
FTS_TABLE = "articles_article_fts"
ARTICLE_TABLE = Article._meta.db_table
FTS_COLUMNS = ["headline", "tags", "dek", "body"]
# bm25 weight of each FTS column: headline and tags first, then the dek, then the body.
FTS_WEIGHTS = "10.0, 10.0, 4.0, 1.0"

# The database marks hits in snippets with these private-use characters, which no editor
# types; once the snippet is escaped they are the only thing turned into <mark>.
START_HIT, STOP_HIT = "\ue000", "\ue001"
HIT = re.compile(f"{START_HIT}(.*?){STOP_HIT}", re.DOTALL)


def clean_query(raw):
    """The reader's query as searched and shown: one line of text, at most 200 characters."""
    text = unicodedata.normalize("NFKC", (raw or "")[: MAX_QUERY_LENGTH * 4])
    # Control, format and private-use characters (NUL included) are never search terms.
    text = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def sort_order(raw):
    """The order a reader asked for; anything but "newest" is the best match first."""
    return NEWEST if raw == NEWEST else BEST_MATCH


def search(query, sort=BEST_MATCH):
    """The newest CANDIDATES published articles matching `query`, best first (or newest)."""
    query = clean_query(query)
    articles = _published()
    newest = _matching(articles, query).order_by("-published_at", "-id")
    if sort == NEWEST:
        return newest[:CANDIDATES]
    candidates = newest.values("pk")[:CANDIDATES]
    if connection.vendor == "postgresql":
        return _rank_postgresql(articles, candidates, query)
    return _rank_sqlite(articles, candidates, query)


def count(query):
    """How many published articles match `query`, counted no further than CANDIDATES + 1."""
    # Unordered, so the database may stop at whichever matches it finds first.
    return _matching(_published(), clean_query(query)).order_by()[: CANDIDATES + 1].count()


class ResultsPaginator(Paginator):
    """Pages of `search()`: as many as the candidates fill, knowing whether there are more."""

    def __init__(self, object_list, per_page, *, query, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.query = query

    @cached_property
    def matched(self):
        return count(self.query)

    @cached_property
    def count(self):
        return min(self.matched, CANDIDATES)

    @property
    def has_more(self):
        """More articles match than the candidates hold: say "1,000+", not a number."""
        return self.matched > CANDIDATES


def _published():
    return Article.objects.published().select_related("category").defer(*SEARCH_DOCUMENT_FIELDS)


def _matching(articles, query):
    if not query:
        return articles.none()
    if connection.vendor == "postgresql":
        return articles.filter(search_vector=_postgresql_query(query))
    match = _fts_match(query)
    if not match:
        return articles.none()
    # A subquery, not a join: the ORM can't join a virtual table, and the MATCH then runs
    # once, whichever way SQLite walks the articles.
    matched_ids = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
    return articles.filter(pk__in=matched_ids)


def _rank_postgresql(articles, candidates, query):
    return (
        articles.filter(pk__in=candidates)
        .annotate(search_rank=SearchRank(F("search_vector"), _postgresql_query(query)))
        .order_by("-search_rank", "-published_at", "-id")
    )


def _rank_sqlite(articles, candidates, query):
    # bm25() needs the MATCH in the same SELECT, so the FTS table is joined here, with
    # extra() (the ORM can't join a virtual table). The unary + keeps SQLite from probing
    # the FTS table once per published article: the MATCH drives the join.
    return (
        articles.filter(pk__in=candidates)
        .extra(
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE} MATCH %s", f"+{FTS_TABLE}.rowid = {ARTICLE_TABLE}.id"],
            params=[_fts_match(query)],
            select={"search_rank": f"bm25({FTS_TABLE}, {FTS_WEIGHTS})"},
        )
        .order_by("search_rank", "-published_at", "-id")  # bm25: lower is better
    )


def add_snippets(articles, query):
    """Give each result a `snippet`: escaped HTML of its dek or body, the hits in <mark>.

    One query for the page's results, so only the articles shown pay for snippets.
    """
    articles = list(articles)
    raw = _raw_snippets([article.pk for article in articles], clean_query(query))
    for article in articles:
        texts = [text for text in raw.get(article.pk, ()) if text]
        with_hit = [text for text in texts if START_HIT in text]
        article.snippet = highlight((with_hit or texts or [""])[0])


def highlight(snippet):
    """Escape a snippet from the database, then turn its hit markers into <mark>."""
    escaped = HIT.sub(r"<mark>\1</mark>", escape(snippet))
    return mark_safe(escaped.replace(START_HIT, "").replace(STOP_HIT, ""))


def _postgresql_query(query):
    # websearch syntax ("phrases", or, -word) never raises a syntax error.
    return SearchQuery(query, search_type="websearch", config=POSTGRES_CONFIG)


def _fts_match(query):
    """An FTS5 MATCH expression: every word of the query, each quoted, so none is syntax."""
    return " ".join(f'"{word}"' for word in re.findall(r"\w+", query))


def _raw_snippets(ids, query):
    """{article id: (dek snippet, body snippet)}, hits between START_HIT and STOP_HIT."""
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        search_query = _postgresql_query(query)
        marks = {"config": POSTGRES_CONFIG, "start_sel": START_HIT, "stop_sel": STOP_HIT}
        rows = (
            Article.objects.filter(pk__in=ids)
            .annotate(
                snippet_dek=SearchHeadline("dek", search_query, highlight_all=True, **marks),
                snippet_body=SearchHeadline(
                    "search_body", search_query, max_words=35, min_words=15, **marks
                ),
            )
            .values_list("pk", "snippet_dek", "snippet_body")
        )
        return {pk: (dek, body) for pk, dek, body in rows}
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({FTS_TABLE}, 2, %s, %s, '…', 64), "
            f"snippet({FTS_TABLE}, 3, %s, %s, '…', 32) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})",
            [START_HIT, STOP_HIT, START_HIT, STOP_HIT, _fts_match(query), *ids],
        )
        return {pk: (dek, body) for pk, dek, body in cursor.fetchall()}


def refresh(article_ids):
    """Rebuild the stored search document of these articles from what is saved now."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    with transaction.atomic():
        articles = list(
            Article.objects.filter(pk__in=ids).prefetch_related("tags", "sections", "blocks")
        )
        for article in articles:
            article.search_tags = " ".join(sorted(tag.name for tag in article.tags.all()))
            article.search_body = _plain_text(article)
        Article.objects.bulk_update(articles, ["search_tags", "search_body"])
        index_documents(ids)


def index_documents(ids):
    """Index the stored search documents of these articles (the vector, or FTS rows)."""
    if connection.vendor == "postgresql":
        Article.objects.filter(pk__in=ids).update(
            search_vector=SearchVector(
                "headline", "search_tags", weight="A", config=POSTGRES_CONFIG
            )
            + SearchVector("dek", weight="B", config=POSTGRES_CONFIG)
            + SearchVector("search_body", weight="C", config=POSTGRES_CONFIG)
        )
    elif connection.vendor == "sqlite":
        _refresh_fts(ids)


def rebuild(batch_size=500):
    """Rebuild every article's search document, in batches; returns how many there are."""
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")
        for start in range(0, len(ids), batch_size):
            refresh(ids[start : start + batch_size])
    return len(ids)


def _refresh_fts(ids):
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", ids)
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) "
            f"SELECT id, headline, search_tags, dek, search_body FROM {ARTICLE_TABLE} "
            f"WHERE id IN ({placeholders})",
            ids,
        )


def _plain_text(article):
    return plain_text(article.sections.all(), article.blocks.all())


def plain_text(sections, blocks):
    """An article's lead quotes and sections as plain text, in reading order."""
    blocks_by_section = {}
    for block in blocks:
        blocks_by_section.setdefault(block.section_id, []).append(block)
    parts = [_block_text(block) for block in blocks_by_section.get(None, [])]
    for section in sections:
        parts.append(section.subheading)
        parts += [_block_text(block) for block in blocks_by_section.get(section.pk, [])]
    text = "\n\n".join(part.strip() for part in parts if part.strip())
    # Keep the snippet markers unambiguous.
    return text.replace(START_HIT, "").replace(STOP_HIT, "")


def _block_text(block):
    if block.kind == block.Kind.TEXT:
        return html.unescape(strip_tags(block.body_html))
    if block.kind == block.Kind.QUOTE:
        return _quote_text(block)
    if block.kind == block.Kind.PHOTO:
        return block.caption
    return block.title


def _quote_text(quote):
    return " ".join(filter(None, [quote.text, "—", quote.speaker, quote.speaker_role]))
