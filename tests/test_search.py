import datetime
import io
import re

import factory
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import search
from articles.models import Article

from .factories import ArticleFactory, QuoteFactory, SectionFactory
from .helpers import form_data

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("articles:search")


def found(query):
    return [article.pk for article in search.search(query)]


def get(client, query, **params):
    return client.get(SEARCH_URL, {"q": query, **params})


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


# What is searched, and how


def test_headline_match_outranks_a_body_match(committed):
    with committed():
        in_body = ArticleFactory(
            headline="Crew swaps seats",
            published_at=timezone.now() - datetime.timedelta(minutes=5),
        )
        SectionFactory(article=in_body, body="The zeppelin was moored outside.")
        in_headline = ArticleFactory(
            headline="Zeppelin returns to the hangar",
            published_at=timezone.now() - datetime.timedelta(days=3),
        )
        ArticleFactory.create_batch(3)
    assert found("zeppelin") == [in_headline.pk, in_body.pk]


@pytest.mark.parametrize(
    "field",
    ["headline", "dek", "section subheading", "section text", "quote", "speaker", "tag"],
)
def test_every_part_of_an_article_is_searchable(committed, field):
    with committed():
        article = ArticleFactory(dek="A quiet day.")
        other = ArticleFactory(dek="A quiet day.")
        if field == "headline":
            article.headline = "Zeppelin spotted"
            article.save()
        elif field == "dek":
            article.dek = "A zeppelin over the steppe."
            article.save()
        elif field == "section subheading":
            SectionFactory(article=article, subheading="Zeppelin days")
        elif field == "section text":
            SectionFactory(article=article, body="A **zeppelin** drifted over the steppe.")
        elif field == "quote":
            QuoteFactory(article=article, text="I saw a zeppelin.")
        elif field == "speaker":
            QuoteFactory(article=article, speaker="Ada Zeppelin")
        elif field == "tag":
            article.tags.add("Zeppelins")
    assert found("zeppelin") == [article.pk]
    assert other.pk not in found("zeppelin")


def test_words_match_their_other_forms(committed):
    with committed():
        landed = ArticleFactory(headline="Capsule landed safely")
        lands = ArticleFactory(headline="Where the capsule lands")
        ArticleFactory(headline="Crew swaps seats")
    assert set(found("landing")) == {landed.pk, lands.pk}


def test_accents_do_not_stop_a_match_on_sqlite(committed):
    with committed():
        article = ArticleFactory(headline="Launch seen from São Paulo")
    assert found("São Paulo") == [article.pk]
    if connection.vendor == "sqlite":
        assert found("sao paulo") == [article.pk]


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": "future"},
    ],
    ids=["draft", "in review", "unpublished", "scheduled"],
)
def test_articles_readers_cannot_see_are_never_found(client, committed, hidden):
    if hidden.get("published_at") == "future":
        hidden = {"published_at": timezone.now() + datetime.timedelta(hours=1)}
    with committed():
        secret = ArticleFactory(headline="Zeppelin secret", dek="Embargoed zeppelin", **hidden)
        SectionFactory(article=secret, body="The embargoed zeppelin text.")
        visible = ArticleFactory(headline="Zeppelin news")
    assert found("zeppelin") == [visible.pk]
    content = get(client, "zeppelin").content.decode()
    assert "Zeppelin news" in content
    assert "secret" not in content and "mbargoed" not in content


def test_demo_content_is_searchable_after_load_demo(committed):
    with committed():
        call_command("load_demo", stdout=io.StringIO())
    vande_hei = Article.objects.get(slug__startswith="nasa-astronaut-mark-vande-hei")
    assert found("Shkaplerov") != []
    assert vande_hei.pk in found("Bill Nelson")  # a quote's speaker
    assert vande_hei.pk in found("roscosmos")  # a tag


# Keeping the index current


@pytest.fixture
def zeppelin_article(committed):
    with committed():
        article = ArticleFactory(tags=["Airships"])
        SectionFactory(article=article, body="The zeppelin was moored outside.")
        QuoteFactory(article=article, text="Blimps are not zeppelins.", speaker="Ada Ballon")
    return article


def test_editing_a_section_updates_the_index(committed, zeppelin_article):
    text = zeppelin_article.sections.get().blocks.get()
    with committed():
        text.body = "A hot-air balloon was parked outside."
        text.save()
    assert found("balloon") == [zeppelin_article.pk]
    assert found("moored") == []


def test_deleting_a_quote_updates_the_index(committed, zeppelin_article):
    assert found("Ballon") == [zeppelin_article.pk]
    with committed():
        zeppelin_article.blocks.get(kind="quote").delete()
    assert found("Ballon") == []


def test_changing_tags_updates_the_index(committed, zeppelin_article):
    assert found("airships") == [zeppelin_article.pk]
    with committed():
        zeppelin_article.tags.set(["Dirigibles"])
    assert found("airships") == []
    assert found("dirigibles") == [zeppelin_article.pk]
    with committed():
        zeppelin_article.tags.clear()
    assert found("dirigibles") == []


def test_renaming_a_tag_updates_the_index(committed, zeppelin_article):
    with committed():
        tag = Tag.objects.get(name="Airships")
        tag.name = "Dirigibles"
        tag.save()
    assert found("dirigibles") == [zeppelin_article.pk]


def test_unpublishing_removes_an_article_from_results(committed, zeppelin_article):
    with committed():
        zeppelin_article.status = Article.Status.UNPUBLISHED
        zeppelin_article.save()
    assert found("zeppelin") == []


def test_deleting_an_article_removes_it_from_the_index(committed, zeppelin_article):
    with committed():
        zeppelin_article.delete()
    assert found("zeppelin") == []


def test_a_rolled_back_edit_leaves_the_index_as_it_was(committed, zeppelin_article):
    text = zeppelin_article.sections.get().blocks.get()
    with pytest.raises(RuntimeError), committed():
        with transaction.atomic():
            text.body = "A balloon."
            text.save()
            raise RuntimeError
    assert found("balloon") == []
    assert found("zeppelin") == [zeppelin_article.pk]


def test_an_admin_edit_updates_the_index(committed, editor_client, zeppelin_article):
    form = form_data(editor_client.get(change_url(zeppelin_article)))
    form["sections-0-blocks-0-body"] = "A hot-air balloon was parked outside."
    form["tags"] = "Balloons"
    with committed():
        assert editor_client.post(change_url(zeppelin_article), form).status_code == 302
    assert found("balloon") == [zeppelin_article.pk]
    assert found("airships") == []


def test_restoring_a_revision_restores_the_index(committed, editor_client, zeppelin_article):
    first = form_data(editor_client.get(change_url(zeppelin_article)))
    with committed():
        assert editor_client.post(change_url(zeppelin_article), first).status_code == 302
    form = form_data(editor_client.get(change_url(zeppelin_article)))
    form["sections-0-blocks-0-body"] = "A hot-air balloon was parked outside."
    with committed():
        assert editor_client.post(change_url(zeppelin_article), form).status_code == 302
    assert found("moored") == []

    history_url = reverse("admin:articles_article_history", args=[zeppelin_article.pk])
    history = editor_client.get(history_url).content.decode()
    first_revision = re.findall(r'href="([^"]+/history/\d+/)"', history)[0]
    restore = form_data(editor_client.get(first_revision))
    with committed():
        assert editor_client.post(first_revision, restore).status_code == 302
    assert found("moored") == [zeppelin_article.pk]


def test_rebuild_command_restores_a_lost_index(committed, zeppelin_article):
    Article.objects.update(search_tags="", search_body="", search_vector=None)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {search.FTS_TABLE}")
    assert found("zeppelin") == []
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert found("zeppelin") == [zeppelin_article.pk]
    assert found("airships") == [zeppelin_article.pk]


# The page


def test_empty_query_shows_the_form_and_a_prompt(client, committed):
    with committed():
        ArticleFactory(headline="Zeppelin news")
    response = client.get(SEARCH_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Search</h1>" in content
    assert re.search(
        r'<form class="search-form" role="search" method="get" action="/search/">', content
    )
    assert '<label for="search-query">' in content
    assert '<input type="search" id="search-query" name="q"' in content
    assert "Zeppelin news" not in content
    assert "<title>Search · " in content
    assert '<meta name="robots" content="noindex">' in content


def test_results_page_lists_matches_with_highlighted_snippets(client, committed):
    with committed():
        article = ArticleFactory(headline="Soyuz lands", dek="A quiet return.")
        SectionFactory(article=article, body="The capsule landed in Kazakhstan at dawn.")
    response = get(client, "landing")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Search results for “landing” · " in content
    # Results are worth indexing; an empty page is not.
    assert 'name="robots"' not in content
    assert '<link rel="canonical" href="http://testserver/search/?q=landing">' in content
    assert "1 result for “landing”" in content
    assert f'<a href="{article.get_absolute_url()}">Soyuz lands</a>' in content
    assert article.category.name in content
    assert "The capsule <mark>landed</mark> in Kazakhstan" in content
    assert 'value="landing"' in content


def test_snippets_escape_what_editors_typed(client, committed):
    with committed():
        article = ArticleFactory(headline="Markup", dek='Zeppelin <script>alert("dek")</script>')
        SectionFactory(
            article=article, body="A zeppelin <script>alert('body')</script> & <b>bold</b>."
        )
    content = get(client, "zeppelin").content.decode()
    assert "<script>alert" not in content
    assert "<mark>Zeppelin</mark> &lt;script&gt;alert(&quot;dek&quot;)&lt;/script&gt;" in content
    (result,) = _results(client, "bold")
    assert "<mark>bold</mark>" in result.snippet
    assert "&amp;" in result.snippet
    # SQLite shows the typed tags as text; PostgreSQL's parser drops them.
    assert "<script" not in result.snippet and "<b>" not in result.snippet


def _results(client, query):
    return list(get(client, query).context["page_obj"])


def test_highlight_turns_only_marker_pairs_into_marks():
    start, stop = search.START_HIT, search.STOP_HIT
    assert search.highlight(f"a {start}<b>{stop} {stop}c{start}") == "a <mark>&lt;b&gt;</mark> c"


def test_pagination_keeps_the_query(client, committed):
    with committed():
        ArticleFactory.create_batch(
            12, headline=factory.Sequence(lambda n: f"Zeppelin story number {n}")
        )
    first = get(client, "zeppelin")
    content = first.content.decode()
    assert "12 results for “zeppelin”" in content
    assert len(first.context["page_obj"]) == 10
    assert 'href="?q=zeppelin&amp;page=2" rel="next">Next</a>' in content
    second = get(client, "zeppelin", page=2)
    assert len(second.context["page_obj"]) == 2
    assert 'href="?q=zeppelin&amp;page=1" rel="prev">Previous</a>' in second.content.decode()
    assert '<ol class="search-results" start="11">' in second.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        " ",
        '"',
        '"unbalanced',
        "zeppelin'",
        '"zeppelin"',
        "zeppelin AND",
        "OR",
        "NOT zeppelin",
        "NEAR(zeppelin news)",
        "zeppelin*",
        "^zeppelin",
        "headline:zeppelin",
        "(zeppelin",
        "zeppelin)",
        "-zeppelin",
        "- -",
        "!!!",
        "<->",
        "zeppelin & news | !",
        "'; DROP TABLE articles_article; --",
        "1' OR '1'='1",
        "Roscosmos São Paulo 宇宙",
        "🚀🌕",
        "zeppelin\x00news",
        "\x00",
        "\ue000zeppelin\ue001",
        "<script>alert(1)</script>",
        "zeppelin " * 1000,
    ],
)
def test_odd_queries_get_a_sensible_page(client, committed, query):
    with committed():
        ArticleFactory(headline="Zeppelin news")
    response = get(client, query)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)" not in content
    assert len(response.context["query"]) <= search.MAX_QUERY_LENGTH


def test_a_long_query_is_cut_to_200_characters(client):
    response = get(client, "zeppelin " * 100)
    assert response.context["query"] == ("zeppelin " * 100)[:200].strip()


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0", "1e9", "%00"])
def test_bad_page_numbers_are_404_not_errors(client, committed, page):
    with committed():
        ArticleFactory(headline="Zeppelin news")
    assert get(client, "zeppelin", page=page).status_code == 404


# The site's validators, the capped count, the page of results, their snippets, and the
# categories of the site's navigation.
QUERIES = 5


def test_results_page_runs_a_constant_number_of_queries(
    client, committed, django_assert_max_num_queries
):
    with committed():
        for n in range(30):
            article = ArticleFactory(headline=f"Zeppelin story {n}", tags=["Airships", "Travel"])
            SectionFactory(article=article, body="A zeppelin flew over the steppe.")
            QuoteFactory(article=article, text="What a zeppelin.")
    for sort in ("best", "newest"):
        for page in (1, 3):
            with django_assert_max_num_queries(QUERIES):
                response = get(client, "zeppelin", page=page, sort=sort)
            assert response.status_code == 200
            assert len(response.context["page_obj"]) == 10


def test_results_past_the_cap_run_the_same_queries(
    client, committed, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(search, "CANDIDATES", 20)
    with committed():
        for n in range(30):
            article = ArticleFactory(headline=f"Zeppelin story {n}", tags=["Airships"])
            SectionFactory(article=article, body="A zeppelin flew over the steppe.")
    for sort in ("best", "newest"):
        with django_assert_max_num_queries(QUERIES):
            response = get(client, "zeppelin", page=2, sort=sort)
        assert "20+ results" in response.content.decode()


# Only the newest matches are ranked and counted


HEADLINES = re.compile(r'<h2 class="search-result__headline"><a href="[^"]+">([^<]+)</a>')


def listed(response):
    """The headlines a results page lists, read from the HTML (a cached page has no context)."""
    return HEADLINES.findall(response.content.decode())


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def candidates(monkeypatch):
    """Rank and count only the newest three matches: the cap, without 1,000 articles."""
    monkeypatch.setattr(search, "CANDIDATES", 3)
    return 3


@pytest.fixture
def ranked(committed):
    """Matches whose strength (headline > dek > body) runs against their age."""
    with committed():
        in_body = ArticleFactory(headline="Crew swaps seats", published_at=hours_ago(1))
        SectionFactory(article=in_body, body="The zeppelin was moored outside.")
        ArticleFactory(
            headline="Weather over the steppe",
            dek="A zeppelin sighting.",
            published_at=hours_ago(2),
        )
        ArticleFactory(headline="Zeppelin returns to the hangar", published_at=hours_ago(3))
        ArticleFactory(headline="Zeppelin zeppelin: the record", published_at=hours_ago(48))
        ArticleFactory(headline="Crew swaps seats again", published_at=hours_ago(0.5))


def test_the_newest_matches_are_ranked_best_first(client, ranked, candidates):
    assert listed(get(client, "zeppelin")) == [
        "Zeppelin returns to the hangar",
        "Weather over the steppe",
        "Crew swaps seats",
    ]


def test_an_old_strong_match_outside_the_candidates_is_not_listed(client, committed, candidates):
    with committed():
        ArticleFactory(headline="Zeppelin: the zeppelin story", published_at=hours_ago(72))
        for hours in (1, 2, 3):
            newer = ArticleFactory(headline=f"Crew notes {hours}", published_at=hours_ago(hours))
            SectionFactory(article=newer, body="A zeppelin, far off.")
    assert listed(get(client, "zeppelin")) == ["Crew notes 1", "Crew notes 2", "Crew notes 3"]
    assert listed(get(client, "zeppelin", sort="newest")) == [
        "Crew notes 1",
        "Crew notes 2",
        "Crew notes 3",
    ]


def test_newest_first_lists_the_same_candidates_by_date(client, ranked, candidates):
    response = get(client, "zeppelin", sort="newest")
    assert listed(response) == [
        "Crew swaps seats",
        "Weather over the steppe",
        "Zeppelin returns to the hangar",
    ]
    content = response.content.decode()
    assert "3+ results for “zeppelin”" in content
    assert '<a href="?q=zeppelin">best match</a>' in content
    assert '<strong aria-current="true">newest</strong>' in content
    assert (
        '<link rel="canonical" href="http://testserver/search/?q=zeppelin&amp;sort=newest">'
        in content
    )


def test_best_match_is_the_default_and_links_to_newest_first(client, ranked):
    content = get(client, "zeppelin").content.decode()
    assert '<strong aria-current="true">best match</strong>' in content
    assert '<a href="?q=zeppelin&amp;sort=newest">newest</a>' in content


def test_each_order_is_a_page_of_its_own_in_the_page_cache(client, ranked, candidates):
    best = listed(get(client, "zeppelin"))
    newest = listed(get(client, "zeppelin", sort="newest"))
    assert newest != best
    assert listed(get(client, "zeppelin", sort="newest")) == newest
    assert listed(get(client, "zeppelin")) == best


def test_past_the_cap_the_count_says_so_instead_of_counting_on(client, ranked, candidates):
    with CaptureQueriesContext(connection) as queries:
        response = get(client, "zeppelin")
    assert "3+ results for “zeppelin”" in response.content.decode()
    assert len(response.context["page_obj"]) == 3
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    # The query that finds the page counts the candidates too, and one row past the cap is
    # enough to know there are more.
    assert len(counts) == 1
    assert "LIMIT 4" in counts[0]
    assert "OFFSET" in counts[0]


def test_a_count_at_the_cap_is_exact(client, committed, candidates):
    with committed():
        ArticleFactory.create_batch(3, headline=factory.Sequence(lambda n: f"Zeppelin story {n}"))
    assert "3 results for “zeppelin”" in get(client, "zeppelin").content.decode()


def test_pages_stop_where_the_candidates_end(client, committed, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 12)
    with committed():
        ArticleFactory.create_batch(15, headline=factory.Sequence(lambda n: f"Zeppelin story {n}"))
    for sort in ("best", "newest"):
        second = get(client, "zeppelin", sort=sort, page=2)
        assert len(listed(second)) == 2
        assert "12+ results for “zeppelin”" in second.content.decode()
        assert 'rel="next"' not in second.content.decode()
        assert get(client, "zeppelin", sort=sort, page=3).status_code == 404


@pytest.mark.parametrize("sort", ["best", "newest"])
def test_the_last_page_is_found_by_name(client, committed, sort, django_assert_max_num_queries):
    with committed():
        ArticleFactory.create_batch(
            12, headline=factory.Sequence(lambda n: f"Zeppelin story number {n}")
        )
    # "last" needs the count before the page: one query more than a numbered page.
    with django_assert_max_num_queries(QUERIES + 1):
        response = get(client, "zeppelin", sort=sort, page="last")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert len(listed(response)) == 2
    assert listed(response) == listed(get(client, "zeppelin", sort=sort, page=2))
    assert "12 results for “zeppelin”" in response.content.decode()


def test_a_page_past_the_results_is_404_in_either_order(client, committed, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 12)
    with committed():
        ArticleFactory.create_batch(15, headline=factory.Sequence(lambda n: f"Zeppelin story {n}"))
    for sort in ("best", "newest"):
        pages = [listed(get(client, "zeppelin", sort=sort, page=page)) for page in (1, 2)]
        assert [len(page) for page in pages] == [10, 2]
        assert len(set(pages[0] + pages[1])) == 12  # no article on both pages
        assert get(client, "zeppelin", sort=sort, page=3).status_code == 404
        assert get(client, "zeppelin", sort=sort, page=200).status_code == 404


def test_pagination_keeps_the_order(client, committed):
    with committed():
        ArticleFactory.create_batch(
            12, headline=factory.Sequence(lambda n: f"Zeppelin story number {n}")
        )
    content = get(client, "zeppelin", sort="newest").content.decode()
    assert 'href="?q=zeppelin&amp;sort=newest&amp;page=2" rel="next">Next</a>' in content
    second = get(client, "zeppelin", sort="newest", page=2).content.decode()
    assert 'href="?q=zeppelin&amp;sort=newest&amp;page=1" rel="prev">Previous</a>' in second
    assert "search/?q=zeppelin&amp;sort=newest&amp;page=2" in second  # canonical
    # Changing the order starts again from the first page.
    assert '<a href="?q=zeppelin">best match</a>' in second


@pytest.mark.parametrize(
    "sort",
    ["", "bogus", "NEWEST", "newest ", "newest\x00", "\x00", "best", "🚀", "newest" * 2000],
)
def test_an_unknown_order_is_best_match(client, ranked, candidates, sort):
    response = get(client, "zeppelin", sort=sort)
    assert response.status_code == 200
    assert listed(response) == listed(get(client, "zeppelin"))
    assert '<strong aria-current="true">best match</strong>' in response.content.decode()


def test_the_last_order_given_wins_as_for_every_parameter(client, ranked, candidates):
    response = client.get(f"{SEARCH_URL}?q=zeppelin&sort=newest&sort=bogus")
    assert listed(response) == listed(get(client, "zeppelin"))


@pytest.mark.parametrize("page", ["999999", "abc", "0", "-1", "2", "1.5", "\x00"])
@pytest.mark.parametrize("sort", ["best", "newest"])
def test_bad_page_numbers_in_either_order_are_404_not_errors(client, ranked, sort, page):
    assert get(client, "zeppelin", sort=sort, page=page).status_code == 404


@pytest.mark.parametrize("query", ["zeppelin " * 1000, "zeppelin\x00news", '"zeppelin news"'])
def test_odd_queries_newest_first_get_a_sensible_page(client, ranked, query):
    assert get(client, query, sort="newest").status_code == 200


def test_site_header_has_a_labelled_search_form(client):
    content = client.get(reverse("articles:list")).content.decode()
    assert re.search(
        r'<form class="site-search" role="search" method="get" action="/search/">', content
    )
    assert (
        '<label class="visually-hidden" for="site-search-query">Search articles</label>' in content
    )
