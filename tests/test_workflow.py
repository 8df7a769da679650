import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction

from .factories import ArticleFactory, MoreOnLinkFactory, SectionFactory, UserFactory
from .helpers import change_form, form_data

pytestmark = pytest.mark.django_db

DRAFT, REVIEW = Article.Status.DRAFT, Article.Status.REVIEW
PUBLISHED, UNPUBLISHED = Article.Status.PUBLISHED, Article.Status.UNPUBLISHED


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def run_action(client, action, article):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [article.pk]},
    )


def save_form(client, article, **fields):
    return client.post(change_url(article), change_form(article, **fields))


# Each action: the state the article starts in, what the user does, and how to
# tell from the database that it happened.
ACTIONS = {
    "edit own draft": (
        DRAFT,
        lambda c, a: save_form(c, a, headline="Edited"),
        lambda a: a.headline == "Edited",
    ),
    "submit for review (form)": (
        DRAFT,
        lambda c, a: save_form(c, a, _workflow="submit"),
        lambda a: a.status == REVIEW,
    ),
    "submit for review (action)": (
        DRAFT,
        lambda c, a: run_action(c, "submit_for_review", a),
        lambda a: a.status == REVIEW,
    ),
    "publish (form)": (
        REVIEW,
        lambda c, a: save_form(c, a, _workflow="publish"),
        lambda a: a.status == PUBLISHED,
    ),
    "publish (action)": (
        REVIEW,
        lambda c, a: run_action(c, "publish_now", a),
        lambda a: a.status == PUBLISHED,
    ),
    "schedule (form)": (
        REVIEW,
        lambda c, a: save_form(c, a, _workflow="schedule", schedule_at="2099-01-01T09:00"),
        lambda a: a.is_scheduled,
    ),
    "edit published work": (
        PUBLISHED,
        lambda c, a: save_form(c, a, headline="Edited"),
        lambda a: a.headline == "Edited",
    ),
    "unpublish (form)": (
        PUBLISHED,
        lambda c, a: save_form(c, a, _workflow="unpublish"),
        lambda a: a.status == UNPUBLISHED,
    ),
    "unpublish (action)": (
        PUBLISHED,
        lambda c, a: run_action(c, "unpublish", a),
        lambda a: a.status == UNPUBLISHED,
    ),
    "delete": (
        DRAFT,
        lambda c, a: c.post(reverse("admin:articles_article_delete", args=[a.pk]), {"post": "yes"}),
        lambda a: not Article.objects.filter(pk=a.pk).exists(),
    ),
}

WRITER_MAY = {"edit own draft", "submit for review (form)", "submit for review (action)"}

MATRIX = [
    *[("author (writer)", action, action in WRITER_MAY) for action in ACTIONS],
    *[("another writer", action, False) for action in ACTIONS],
    *[("editor", action, True) for action in ACTIONS],
    *[("anonymous", action, False) for action in ACTIONS],
]


@pytest.mark.parametrize(("role", "action", "allowed"), MATRIX)
def test_permission_matrix(role, action, allowed):
    author = UserFactory(group="Writers")
    users = {
        "author (writer)": author,
        "another writer": UserFactory(group="Writers"),
        "editor": UserFactory(group="Editors"),
        "anonymous": None,
    }
    status, act, happened = ACTIONS[action]
    published_at = timezone.now() - datetime.timedelta(hours=1) if status == PUBLISHED else None
    article = ArticleFactory(status=status, published_at=published_at, created_by=author)
    client = Client()
    if users[role]:
        client.force_login(users[role])

    response = act(client, article)

    assert response.status_code < 500
    if Article.objects.filter(pk=article.pk).exists():
        article.refresh_from_db()
    assert happened(article) is allowed


def test_writer_is_offered_only_save_and_submit(writer_client, writer):
    article = ArticleFactory(status=DRAFT, created_by=writer)
    content = writer_client.get(change_url(article)).content.decode()
    assert 'name="_workflow" value="submit">Submit for review</button>' in content
    assert re.findall(r'name="_workflow" value="(\w+)"', content) == ["submit"]
    assert 'name="schedule_at"' not in content
    assert 'name="status"' not in content


def test_editor_is_offered_the_steps_for_the_articles_state(editor_client):
    def offered(status, **fields):
        article = ArticleFactory(status=status, **fields)
        content = editor_client.get(change_url(article)).content.decode()
        return re.findall(r'name="_workflow" value="(\w+)"', content)

    assert offered(REVIEW) == ["send_back", "schedule", "publish"]
    assert offered(PUBLISHED) == ["unpublish"]
    in_a_day = timezone.now() + datetime.timedelta(days=1)
    assert offered(PUBLISHED, published_at=in_a_day) == ["schedule", "publish", "unpublish"]
    assert offered(UNPUBLISHED) == ["schedule", "publish"]


def test_writer_sees_others_work_read_only(writer_client):
    article = ArticleFactory(status=DRAFT, created_by=UserFactory(group="Writers"))
    response = writer_client.get(change_url(article))
    assert response.status_code == 200
    content = response.content.decode()
    assert "View article" in content
    assert 'name="_continue"' not in content and 'name="_workflow"' not in content
    assert "Preview changes" not in content and "data-unsaved-changes-url" not in content


def test_writer_cannot_reach_publish_actions(writer_client):
    ArticleFactory(status=DRAFT)
    content = writer_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert 'value="submit_for_review"' in content
    assert 'value="publish_now"' not in content
    assert 'value="unpublish"' not in content


def test_new_article_belongs_to_the_writer_who_created_it(writer_client, writer):
    from .factories import CategoryFactory
    from .helpers import article_form

    response = writer_client.post(
        reverse("admin:articles_article_add"), article_form(CategoryFactory())
    )
    assert response.status_code == 302
    assert Article.objects.get().created_by == writer


def test_change_form_shows_status_and_next_step(editor_client):
    review = ArticleFactory(status=REVIEW)
    scheduled = ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    assert "an editor previews the article and publishes it" in (
        editor_client.get(change_url(review)).content.decode()
    )
    assert "<strong>Scheduled</strong>: goes live at" in (
        editor_client.get(change_url(scheduled)).content.decode()
    )


def test_status_filter_shows_counts_and_filters(editor_client):
    ArticleFactory.create_batch(2, status=DRAFT)
    ArticleFactory(status=REVIEW, headline="Waiting for an editor")
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    ArticleFactory()
    url = reverse("admin:articles_article_changelist")
    content = editor_client.get(url).content.decode()
    for label in [
        "Draft (2)",
        "In review (1)",
        "Scheduled (1)",
        "Published (1)",
        "Unpublished (0)",
    ]:
        assert label in content
    in_review = editor_client.get(url, {"state": "review"}).context["cl"].result_list
    assert [a.headline for a in in_review] == ["Waiting for an editor"]


def test_publish_now_publishes_a_scheduled_article_immediately(editor_client):
    article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    run_action(editor_client, "publish_now", article)
    article.refresh_from_db()
    assert article.published_at <= timezone.now()
    assert Article.objects.published().filter(pk=article.pk).exists()


# No lost edits


def opened_form(client, article):
    return form_data(client.get(change_url(article)))


def test_second_save_from_a_stale_form_is_refused_and_keeps_the_text(client, editor):
    article = ArticleFactory(status=DRAFT, headline="Original headline")
    SectionFactory(article=article, body="Original body.")
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(UserFactory(group="Editors", first_name="Other"))
    first_form, second_form = opened_form(first, article), opened_form(second, article)

    first_form["headline"] = "First editor's headline"
    assert first.post(change_url(article), first_form).status_code == 302

    second_form["headline"] = "Second editor's headline"
    second_form["sections-0-blocks-0-body"] = "Second editor's careful paragraph."
    refused = second.post(change_url(article), second_form)

    content = refused.content.decode()
    assert refused.status_code == 200
    assert f"{editor.get_full_name()} saved this article at" in content
    assert "your changes were not saved" in content
    assert "Second editor&#x27;s headline" in content
    assert "Second editor&#x27;s careful paragraph." in content
    article.refresh_from_db()
    assert article.headline == "First editor's headline"
    assert article.sections.get().blocks.get().body == "Original body."

    # Submitting the same stale form again is still refused.
    assert second.post(change_url(article), second_form).status_code == 200
    # After a reload, the second editor works on the new version and can save.
    fresh = opened_form(second, article)
    fresh["headline"] = "Merged headline"
    assert second.post(change_url(article), fresh).status_code == 302
    article.refresh_from_db()
    assert article.headline == "Merged headline"


def test_saving_the_same_form_twice_in_a_row_is_refused(editor_client):
    article = ArticleFactory(status=DRAFT)
    form = opened_form(editor_client, article)
    assert editor_client.post(change_url(article), form).status_code == 302
    assert editor_client.post(change_url(article), form).status_code == 200


# Preview


def test_editor_previews_a_draft_exactly_as_readers_will_see_it(editor_client):
    article = ArticleFactory(status=DRAFT, sections=2, quotes=1, tags=["ISS"])
    MoreOnLinkFactory(article=article)
    response = editor_client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{article.headline}</h1>" in content
    assert content.count("<blockquote") == 3
    assert "More on the ISS" in content
    assert "Share This Article" in content
    assert '<meta name="robots" content="noindex, nofollow">' in content
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client_cannot_see(article)


def client_cannot_see(article):
    return Client().get(article.get_absolute_url()).status_code == 404


def shared_preview_link(client, article):
    content = client.get(change_url(article)).content.decode()
    return re.search(
        r'id="preview-share-link" type="text" readonly size="80" value="([^"]+)"', content
    )[1]


def test_shared_preview_link_works_for_a_logged_out_colleague(editor_client):
    article = ArticleFactory(status=REVIEW, headline="Embargoed until noon")
    link = shared_preview_link(editor_client, article)

    response = Client().get(link)
    assert response.status_code == 200
    assert "Embargoed until noon" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-cache" in response["Cache-Control"]
    assert client_cannot_see(article)


def test_expired_preview_link_says_so(editor_client, settings):
    link = shared_preview_link(editor_client, ArticleFactory(status=REVIEW))
    settings.PREVIEW_LINK_MAX_AGE = -1
    response = Client().get(link)
    assert response.status_code == 410
    assert "This preview link has expired" in response.content.decode()


@pytest.mark.parametrize("token", ["nonsense", "eyJhcnRpY2xlIjoxfQ:1abc:forged", "a" * 500])
def test_forged_preview_link_is_a_404(token):
    ArticleFactory(status=DRAFT)
    assert Client().get(f"/preview/{token}/").status_code == 404


def test_anonymous_visitor_cannot_open_the_admin_preview():
    article = ArticleFactory(status=DRAFT)
    response = Client().get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# Revisions


def test_history_lists_who_saved_and_an_earlier_revision_can_be_restored(editor_client, editor):
    article = ArticleFactory(status=DRAFT, headline="First headline")
    SectionFactory(article=article, subheading="Small Talk", body="First body.")

    form = opened_form(editor_client, article)
    assert form["sections-0-blocks-0-body"] == "First body."
    assert editor_client.post(change_url(article), form).status_code == 302
    form = opened_form(editor_client, article)
    form.update({"headline": "Second headline", "sections-0-blocks-0-body": "Rewritten body."})
    assert editor_client.post(change_url(article), form).status_code == 302

    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    content = history.content.decode()
    assert content.count(editor.username) >= 2 or content.count(editor.get_full_name()) >= 2
    # Revisions are listed oldest first.
    first_revision = re.findall(r'href="([^"]+/history/\d+/)"', content)[0]

    restore_form = form_data(editor_client.get(first_revision))
    assert restore_form["headline"] == "First headline"
    assert restore_form["sections-0-blocks-0-body"] == "First body."
    assert editor_client.post(first_revision, restore_form).status_code == 302

    article.refresh_from_db()
    assert article.headline == "First headline"
    text = article.sections.get().blocks.get()
    assert text.body == "First body."
    assert "First body." in text.body_html


def test_restoring_a_revision_does_not_overwrite_a_newer_save(editor_client):
    article = ArticleFactory(status=DRAFT, headline="Version one")
    form = opened_form(editor_client, article)
    assert editor_client.post(change_url(article), form).status_code == 302
    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    revision_url = re.findall(r'href="([^"]+/history/\d+/)"', history.content.decode())[0]
    restore_form = form_data(editor_client.get(revision_url))

    newer = opened_form(editor_client, article)
    newer["headline"] = "Version two"
    assert editor_client.post(change_url(article), newer).status_code == 302

    assert editor_client.post(revision_url, restore_form).status_code == 200
    article.refresh_from_db()
    assert article.headline == "Version two"


# Stable URLs


def test_renaming_a_published_slug_keeps_the_old_url_working(editor_client, client):
    article = ArticleFactory(slug="old-slug")
    old_url = article.get_absolute_url()
    assert save_form(editor_client, article, slug="new-slug").status_code == 302
    article.refresh_from_db()

    response = Client().get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert Client().get(article.get_absolute_url()).status_code == 200


def test_renamed_slug_of_an_unpublished_article_does_not_redirect():
    article = ArticleFactory(slug="old-slug")
    old_url = article.get_absolute_url()
    article.slug = "new-slug"
    article.status = UNPUBLISHED
    article.save()
    assert Client().get(old_url).status_code == 404


def test_an_old_slug_taken_by_a_new_article_serves_the_new_article():
    article = ArticleFactory(slug="old-slug")
    article.slug = "new-slug"
    article.save()
    newcomer = ArticleFactory(slug="old-slug", category=article.category)
    response = Client().get(newcomer.get_absolute_url())
    assert response.status_code == 200
    assert newcomer.headline in response.content.decode()


def test_generated_slug_avoids_a_slug_that_still_redirects():
    article = ArticleFactory(headline="Soyuz lands", slug="")
    article.slug = "soyuz-lands-safely"
    article.save()
    assert ArticleFactory(headline="Soyuz lands", slug="").slug == "soyuz-lands-2"


def test_delete_confirmation_shows_the_articles_that_link_here(editor_client):
    link = MoreOnLinkFactory(article__headline="The linking story")
    response = editor_client.get(reverse("admin:articles_article_delete", args=[link.target.pk]))
    content = response.content.decode()
    assert "Other articles link to this one" in content
    assert "The linking story" in content


# Corrections


def test_correction_shows_at_the_foot_and_moves_the_updated_time(editor_client):
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=2))
    Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)
    response = save_form(
        editor_client,
        article,
        inlines={
            "corrections": [
                {
                    "kind": "correction",
                    "text": "An earlier version misspelled Roscosmos.",
                    "noted_at_0": timezone.now().strftime("%Y-%m-%d"),
                    "noted_at_1": timezone.now().strftime("%H:%M:%S"),
                }
            ]
        },
    )
    assert response.status_code == 302
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Corrections and updates" in page
    assert "An earlier version misspelled Roscosmos." in page
    assert "updated <time" in page


def test_correction_added_outside_the_admin_also_moves_the_updated_time():
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=2))
    Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)
    Correction.objects.create(article=article, text="Fixed a date.")
    article.refresh_from_db()
    assert article.is_updated


# Editing comfort


def test_change_form_suggests_more_on_targets_sharing_a_tag(editor_client):
    article = ArticleFactory(status=DRAFT, tags=["ISS"])
    ArticleFactory(headline="Related ISS story", tags=["ISS"])
    ArticleFactory(headline="Unrelated story", tags=["Mars"])
    ArticleFactory(headline="Unpublished ISS story", tags=["ISS"], status=DRAFT)
    content = editor_client.get(change_url(article)).content.decode()
    assert "Related ISS story" in content
    assert "Unrelated story" not in content
    assert "Unpublished ISS story" not in content


def test_view_on_site_only_for_published_articles(editor_client):
    draft = ArticleFactory(status=DRAFT)
    published = ArticleFactory()
    assert "View on site" not in editor_client.get(change_url(draft)).content.decode()
    assert "View on site" in editor_client.get(change_url(published)).content.decode()


def test_headline_carries_length_guidance(editor_client):
    content = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'data-guidance="110"' in content
    assert "under 110 characters" in content


def test_tag_suggestions_offer_existing_tags(editor_client):
    ArticleFactory(tags=["ISS", "Iceland", "NASA"])
    url = reverse("admin:articles_article_tag_suggestions")
    assert editor_client.get(url, {"term": "i"}).json() == {"results": ["Iceland", "ISS"]}
    assert editor_client.get(url, {"term": ""}).json() == {"results": []}
    assert editor_client.get(url, {"term": "%' OR 1=1 --"}).json() == {"results": []}
    assert Client().get(url, {"term": "i"}).status_code == 302


def test_article_form_wires_up_tag_suggestions_and_reordering(editor_client):
    content = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'data-suggest-url="/admin/articles/article/tags/suggest/"' in content
    assert "js/admin-reorder" in content


def test_writer_cannot_publish_by_restoring_a_published_revision(writer, editor):
    article = ArticleFactory(status=DRAFT, created_by=writer)
    as_editor, as_writer = Client(), Client()
    as_editor.force_login(editor)
    as_writer.force_login(writer)
    published = opened_form(as_editor, article)
    published["_workflow"] = "publish"
    assert as_editor.post(change_url(article), published).status_code == 302
    taken_down = opened_form(as_editor, article)
    taken_down["_workflow"] = "unpublish"
    assert as_editor.post(change_url(article), taken_down).status_code == 302

    history = as_writer.get(reverse("admin:articles_article_history", args=[article.pk]))
    published_revision = re.findall(r'href="([^"]+/history/\d+/)"', history.content.decode())[0]
    restore = form_data(as_writer.get(published_revision))
    restore["_workflow"] = "publish"
    response = as_writer.post(published_revision, restore)

    assert response.status_code in (200, 403)
    article.refresh_from_db()
    assert article.status == UNPUBLISHED
    assert not Article.objects.published().exists()


# The publish bar


def test_a_time_is_scheduled_in_the_newsrooms_time_zone(editor_client, settings):
    settings.TIME_ZONE = "America/New_York"
    article = ArticleFactory(status=REVIEW, published_at=None)
    content = editor_client.get(change_url(article)).content.decode()
    assert "In the newsroom&#x27;s time, America/New_York." in content

    response = save_form(
        editor_client, article, _workflow="schedule", schedule_at="2099-01-01T09:00"
    )
    assert response.status_code == 302, response.context["errors"]
    article.refresh_from_db()
    assert article.published_at == datetime.datetime(2099, 1, 1, 14, 0, tzinfo=datetime.UTC)
    assert article.is_scheduled
    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "Scheduled for 2099-01-01 09:00 America/New_York." in history.content.decode()


@pytest.mark.parametrize(
    ("schedule_at", "message"),
    [
        ("", "Choose the date and time it should go live."),
        ("2020-01-01T09:00", "That time has passed."),
        ("next tuesday", "Enter a valid date/time."),
    ],
)
def test_a_bad_schedule_is_refused_at_the_field_and_keeps_the_text(
    editor_client, schedule_at, message
):
    article = ArticleFactory(status=REVIEW, published_at=None)
    response = save_form(
        editor_client,
        article,
        headline="A headline worth keeping",
        _workflow="schedule",
        schedule_at=schedule_at,
    )
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["schedule_at"][0]
    assert "A headline worth keeping" in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.published_at) == (REVIEW, None)


def test_sending_back_needs_a_note_which_the_history_keeps(editor_client, writer):
    article = ArticleFactory(status=REVIEW, created_by=writer)
    refused = save_form(editor_client, article, _workflow="send_back")
    assert refused.status_code == 200
    assert "Tell the writer what to change" in refused.content.decode()

    note = "Please check the landing time with NASA."
    response = save_form(editor_client, article, _workflow="send_back", note=note)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == DRAFT
    as_writer = Client()
    as_writer.force_login(writer)
    history = as_writer.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert f"Sent back to the writer. Note: {note}" in history.content.decode()


def test_a_writer_submits_with_a_note_but_cannot_press_an_editors_button(writer_client, writer):
    article = ArticleFactory(status=DRAFT, created_by=writer, published_at=None)
    refused = save_form(writer_client, article, _workflow="publish")
    assert refused.status_code == 200
    assert "Only editors can do that to an article that is draft." in refused.content.decode()
    article.refresh_from_db()
    assert article.status == DRAFT

    response = save_form(writer_client, article, _workflow="submit", note="Ready for a look.")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == REVIEW
    history = writer_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "Submitted for review. Note: Ready for a look." in history.content.decode()


def test_change_form_shows_the_publication_time_in_the_newsrooms_time(editor_client, settings):
    settings.TIME_ZONE = "America/New_York"
    when = datetime.datetime(2099, 1, 1, 14, 0, tzinfo=datetime.UTC)
    scheduled = ArticleFactory(status=PUBLISHED, published_at=when)
    draft = ArticleFactory(status=DRAFT, published_at=None)
    assert "2099-01-01 09:00 EST" in editor_client.get(change_url(scheduled)).content.decode()
    assert "None yet: “Publish now” or “Schedule” below sets it." in (
        editor_client.get(change_url(draft)).content.decode()
    )
