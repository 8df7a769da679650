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
from django.core.exceptions import EmptyResultSet
from django.core.paginator import PageNotAnInteger, Paginator
from django.db import connection, transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
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
    return Results(query, sort)


def count(query):
    """How many published articles match `query`, counted no further than CANDIDATES + 1."""
    # Unordered, so the database may stop at whichever matches it finds first.
    return _matching(_published(), clean_query(query)).order_by()[: CANDIDATES + 1].count()


class Results:
    """What search() finds, a slice at a time: the slice's ids and the count in one query.

    That query reads the newest CANDIDATES + 1 matches once, ranking each as it goes, and
    counts them, so a page of results needs no count of its own; the articles of the slice
    are then fetched by id.
    """

    model = Article

    def __init__(self, query, sort=BEST_MATCH):
        self.query = clean_query(query)
        self.sort = sort
        self.matched = None

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("Search results are read a slice at a time.")
        start = max(index.start or 0, 0)
        stop = min(CANDIDATES if index.stop is None else index.stop, CANDIDATES)
        ids, matched = _ranked_ids(self.query, self.sort, start, max(stop, start))
        if ids or start == 0:
            # An empty slice further on can't tell how many there are: count() will.
            self.matched = matched
        found = _published().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def __iter__(self):
        return iter(self[:CANDIDATES])

    def count(self):
        """How many published articles match, counted no further than CANDIDATES + 1."""
        if self.matched is None:
            self.matched = count(self.query)
        return self.matched


class ResultsPaginator(Paginator):
    """Pages of `search()`: as many as the candidates fill, knowing whether there are more."""

    def page(self, number):
        """Fetch the page first: the query that finds its articles also counts them all."""
        try:
            bottom = (int(number) - 1) * self.per_page
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        articles = self.object_list[bottom : bottom + self.per_page] if bottom >= 0 else []
        return self._get_page(articles, self.validate_number(number), self)

    @property
    def count(self):
        return min(self.object_list.count(), CANDIDATES)

    @property
    def has_more(self):
        """More articles match than the candidates hold: say "1,000+", not a number."""
        return self.object_list.count() > CANDIDATES


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


# The page of candidates in one pass: the newest CANDIDATES + 1 matches (one past the cap
# says "1,000+"), each ranked as it is read, so no article is read twice; the extra one is
# counted but never listed.
PAGE_SQL = """
SELECT pk, matched FROM (
    SELECT pk, {rank} AS search_rank,
        row_number() OVER (ORDER BY published_at DESC, pk DESC) AS position,
        count(*) OVER () AS matched
    FROM ({newest}) AS newest
) AS candidates
WHERE position <= %s
ORDER BY {order}
LIMIT %s OFFSET %s
"""


def page_query(query, sort, start, stop):
    """The SQL and parameters of candidates start..stop: (id, how many match) rows."""
    articles = _published().order_by("-published_at", "-id")
    if sort == NEWEST:
        rank, order = "NULL", "position"
        newest = _matching(articles, query).values("pk", "published_at")
    elif connection.vendor == "postgresql":
        rank, order = "search_rank", "search_rank DESC, position"
        newest = (
            _matching(articles, query)
            .annotate(search_rank=SearchRank(F("search_vector"), _postgresql_query(query)))
            .values("pk", "published_at", "search_rank")
        )
    else:
        rank, order = "search_rank", "search_rank, position"  # bm25: lower is better
        newest = _rank_sqlite(articles, query).values("pk", "published_at", "search_rank")
    sql, params = newest[: CANDIDATES + 1].query.sql_with_params()
    return (
        PAGE_SQL.format(rank=rank, newest=sql, order=order),
        [*params, CANDIDATES, stop - start, start],
    )


def _ranked_ids(query, sort, start, stop):
    try:
        sql, params = page_query(query, sort, start, stop)
    except EmptyResultSet:  # nothing to search for
        return [], 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [pk for pk, _ in rows], rows[0][1] if rows else 0


def _rank_sqlite(articles, query):
    # bm25() needs the MATCH in the same SELECT, so the FTS table is joined here, with
    # extra() (the ORM can't join a virtual table). The unary + keeps SQLite from probing
    # the FTS table once per published article: the MATCH drives the join.
    match = _fts_match(query)
    ranked = articles.extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE} MATCH %s", f"+{FTS_TABLE}.rowid = {ARTICLE_TABLE}.id"],
        params=[match],
        select={"search_rank": f"bm25({FTS_TABLE}, {FTS_WEIGHTS})"},
    )
    return ranked if match else ranked.none()


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
