"""The desk: who signs in to the admin, whose byline a new article carries, the address it
gets, and what signed-in editors see on the public site."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from articles.delivery import page_cache
from articles.desk import NOT_ON_DESK
from articles.models import Article, Author, SlugRedirect

from . import test_browser
from .factories import ArticleFactory, AuthorFactory, CategoryFactory, UserFactory
from .helpers import article_form, change_form, form_data
from .test_browser import PASSWORD, choose, log_in

pytestmark = pytest.mark.django_db

# The browser tests' fixtures, for the test at the end that drives Chromium.
editorial_groups = test_browser.editorial_groups
new_page = test_browser.new_page


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def newcomer(**fields):
    """An account as an administrator adds it: no staff status, no group."""
    return UserFactory(**{"is_staff": False, "password": make_password(PASSWORD), **fields})


def sign_in(client, user, password=PASSWORD):
    return client.post(
        reverse("admin:login"),
        {"username": user.username, "password": password, "next": reverse("admin:index")},
    )


def staff_status(user):
    user.refresh_from_db()
    return user.is_staff


# Signing in


@pytest.mark.parametrize("group", ["Writers", "Editors"])
def test_joining_an_editorial_group_is_enough_to_sign_in(client, group):
    user = newcomer()
    user.groups.add(Group.objects.get(name=group))
    assert user.is_staff and staff_status(user)
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:articles_article_add")).status_code == 200


def test_someone_not_on_the_desk_is_told_what_to_do_not_blamed_for_their_password(client):
    user = newcomer()
    user.groups.add(Group.objects.create(name="Readers' panel"))
    response = sign_in(client, user)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ask an administrator to add you to Writers or Editors." in page
    assert "correct username and password" not in page
    assert NOT_ON_DESK in response.context["form"].non_field_errors()
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_wrong_password_is_still_a_wrong_password(client):
    user = newcomer()
    user.groups.add(Group.objects.get(name="Writers"))
    response = sign_in(client, user, password="not it")
    page = response.content.decode()
    assert "Please enter the correct username and password" in page
    assert "Writers or Editors" not in page
    assert "_auth_user_id" not in client.session


def test_an_inactive_member_cannot_sign_in(client):
    user = newcomer(is_active=False)
    user.groups.add(Group.objects.get(name="Writers"))
    response = sign_in(client, user)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_member_who_never_got_staff_status_signs_in_and_gets_it(client):
    """Members put in a group by a bulk write (or before membership counted) sign in too."""
    user = newcomer()
    user.groups.add(Group.objects.get(name="Writers"))
    type(user).objects.filter(pk=user.pk).update(is_staff=False)
    assert sign_in(client, user).status_code == 302
    assert staff_status(user)


def test_leaving_both_groups_takes_the_desk_away(client):
    user = newcomer()
    writers, editors = Group.objects.get(name="Writers"), Group.objects.get(name="Editors")
    user.groups.add(writers, editors)
    sign_in(client, user)
    user.groups.remove(writers)
    assert staff_status(user)
    user.groups.remove(editors)
    assert not user.is_staff and not staff_status(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert sign_in(Client(), user).status_code == 200


def test_membership_counts_from_the_groups_side_too():
    writers = Group.objects.get(name="Writers")
    dana, sam = newcomer(), newcomer()
    writers.user_set.add(dana, sam)
    assert staff_status(dana) and staff_status(sam)
    writers.user_set.remove(sam)
    assert staff_status(dana) and not staff_status(sam)
    writers.user_set.clear()
    assert not staff_status(dana)
    dana.groups.add(writers)
    dana.groups.clear()
    assert not staff_status(dana)


def test_deleting_an_editorial_group_takes_its_members_desk_away():
    editors = Group.objects.get(name="Editors")
    user = newcomer()
    user.groups.add(editors)
    editors.delete()
    assert not staff_status(user)


def test_superusers_and_other_staff_keep_their_status():
    writers = Group.objects.get(name="Writers")
    boss = newcomer(is_superuser=True, is_staff=True)
    boss.groups.add(writers)
    boss.groups.remove(writers)
    assert staff_status(boss)
    # Staff status given by hand, for work outside the desk, is no group's to take.
    archivist = newcomer(is_staff=True)
    archivist.groups.add(Group.objects.create(name="Archive"))
    archivist.groups.clear()
    assert staff_status(archivist)


def user_form(admin_client, user, **changes):
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = {k: v for k, v in form_data(admin_client.get(url), form_id="user_form").items() if v}
    data.update(changes)
    return admin_client.post(url, {k: v for k, v in data.items() if v is not None})


def test_an_administrator_adds_a_colleague_to_writers_in_the_admin(admin_client, client):
    user = newcomer()
    writers = Group.objects.get(name="Writers")
    response = user_form(admin_client, user, groups=[writers.pk])
    assert response.status_code == 302
    assert staff_status(user)
    assert sign_in(client, user).status_code == 302
    # And takes them off the desk the same way.
    response = user_form(admin_client, user, groups=[])
    assert response.status_code == 302
    assert not staff_status(user)


def test_the_user_form_says_how_to_take_a_members_access_away(admin_client):
    user = newcomer()
    user.groups.add(Group.objects.get(name="Writers"))
    response = user_form(admin_client, user, is_staff=None)
    assert response.status_code == 200
    assert "remove them from those groups" in response.content.decode()
    assert staff_status(user)


# Authors and their accounts


def author_form(**fields):
    return {"name": "Dana Whitfield", "slug": "dana-whitfield", "role": "", "bio": "", **fields}


def test_an_editor_links_an_author_profile_to_an_account(editor_client):
    dana = newcomer(username="dana")
    response = editor_client.post(reverse("admin:articles_author_add"), author_form(user=dana.pk))
    assert response.status_code == 302
    assert Author.objects.get().user == dana
    assert dana.author_profile.name == "Dana Whitfield"
    listing = editor_client.get(reverse("admin:articles_author_changelist"))
    assert "dana" in listing.content.decode()


def test_an_account_writes_as_one_author_only(editor_client):
    dana = newcomer()
    AuthorFactory(user=dana)
    response = editor_client.post(
        reverse("admin:articles_author_add"), author_form(user=dana.pk, slug="another")
    )
    assert response.status_code == 200
    assert "already writes as another author" in response.content.decode()
    assert Author.objects.count() == 1


def test_an_unknown_account_is_refused(editor_client):
    response = editor_client.post(reverse("admin:articles_author_add"), author_form(user=999999))
    assert response.status_code == 200
    assert not Author.objects.exists()


def test_deleting_the_account_keeps_the_author():
    dana = newcomer()
    author = AuthorFactory(user=dana)
    dana.delete()
    author.refresh_from_db()
    assert author.user is None


def test_a_writers_new_article_starts_with_their_byline(writer_client, writer):
    own = AuthorFactory(name="Dana Whitfield", user=writer)
    category = CategoryFactory()
    page = writer_client.get(reverse("admin:articles_article_add"))
    data = form_data(page)
    assert data["bylines-0-author"] == str(own.pk)
    data.update(headline="Soyuz lands", category=category.pk, slug="soyuz-lands")
    response = writer_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["errors"]
    assert Article.objects.get().byline_authors == [own]


def test_the_writer_may_remove_their_byline(writer_client, writer):
    AuthorFactory(user=writer)
    other = AuthorFactory(name="Sam Okafor")
    data = article_form(
        CategoryFactory(), inlines={"bylines": [{"author": other.pk, "position": 0}]}
    )
    assert writer_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert Article.objects.get().byline_authors == [other]


def test_without_an_author_profile_the_byline_starts_empty(writer_client):
    AuthorFactory(name="Somebody Else")
    data = form_data(writer_client.get(reverse("admin:articles_article_add")))
    assert data["bylines-0-author"] == ""


def test_an_existing_articles_byline_is_left_as_it_is(editor_client, editor):
    AuthorFactory(user=editor)
    article = ArticleFactory(status=Article.Status.DRAFT, authors=0)
    data = form_data(editor_client.get(reverse("admin:articles_article_change", args=[article.pk])))
    assert data["bylines-0-author"] == ""


# Addresses


def test_a_new_article_with_a_taken_headline_gets_the_next_free_address(editor_client):
    category = CategoryFactory()
    ArticleFactory(headline="Soyuz lands", slug="soyuz-lands", category=category)
    for expected in ["soyuz-lands-2", "soyuz-lands-3"]:
        # The slug as the admin's prepopulated field fills it in from the headline.
        data = article_form(category, headline="Soyuz lands", slug="soyuz-lands")
        response = editor_client.post(reverse("admin:articles_article_add"), data)
        assert response.status_code == 302
        assert Article.objects.filter(slug=expected).exists()


def test_an_old_address_of_another_article_is_not_taken_over(editor_client):
    moved = ArticleFactory(slug="old-address")
    moved.slug = "new-address"
    moved.save()
    assert SlugRedirect.objects.filter(old_slug="old-address").exists()
    data = article_form(CategoryFactory(), slug="old-address")
    assert editor_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert Article.objects.filter(slug="old-address-2").exists()
    assert SlugRedirect.objects.get(old_slug="old-address").article == moved


def test_the_next_free_address_is_found_past_many_taken_ones():
    category = CategoryFactory()
    ArticleFactory(headline="Live updates", slug="live-updates", category=category)
    for n in range(2, 14):
        ArticleFactory(slug=f"live-updates-{n}", category=category)
    assert Article(headline="Live updates").unique_slug() == "live-updates-14"


def test_a_taken_slug_on_a_change_form_offers_the_free_one(editor_client):
    ArticleFactory(headline="Soyuz lands", slug="soyuz-lands")
    mine = ArticleFactory(slug="my-story")
    data = change_form(mine, slug="soyuz-lands")
    response = editor_client.post(reverse("admin:articles_article_change", args=[mine.pk]), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["slug"]
    assert errors == [
        "“soyuz-lands” is the address of another article, “Soyuz lands”. "
        "Use “soyuz-lands-2”, which is free, or choose another slug."
    ]
    assert "Article with this Slug already exists." not in response.content.decode()
    mine.refresh_from_db()
    assert mine.slug == "my-story"


def test_a_change_form_may_take_back_its_own_old_slug(editor_client):
    article = ArticleFactory(slug="first-name")
    article.slug = "second-name"
    article.save()
    data = change_form(article, slug="first-name")
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert editor_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.slug == "first-name"


def test_saving_a_change_form_unchanged_is_never_stopped_by_its_slug(editor_client):
    article = ArticleFactory(slug="shared")
    other = ArticleFactory(slug="other")
    # An old link of another article that happens to be this one's address, from before.
    SlugRedirect.objects.create(old_slug="shared", article=other)
    Article.objects.filter(pk=article.pk).update(slug="shared")
    data = change_form(article, dek="New dek.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert editor_client.post(url, data).status_code == 302


def address(client, **params):
    return client.get(reverse("admin:articles_article_address"), params)


def test_the_address_is_shown_before_saving(writer_client):
    category = CategoryFactory(slug="space")
    ArticleFactory(headline="Soyuz lands", slug="soyuz-lands")
    response = address(writer_client, headline="Soyuz lands", slug="", category=category.pk)
    assert response.json() == {
        "slug": "soyuz-lands-2",
        "url": "http://testserver/space/soyuz-lands-2/",
        "taken": True,
        "message": "Another article, “Soyuz lands”, has “soyuz-lands”: this one gets "
        "“soyuz-lands-2”.",
    }
    free = address(writer_client, headline="Soyuz lands at dawn", slug="soyuz-lands-at-dawn")
    assert free.json() == {
        "slug": "soyuz-lands-at-dawn",
        "url": None,
        "taken": False,
        "message": "",
    }


def test_the_address_on_a_change_form_counts_the_articles_own_slug_as_free(editor_client):
    mine = ArticleFactory(slug="my-story", status=Article.Status.DRAFT)
    ArticleFactory(headline="Soyuz lands", slug="soyuz-lands")
    same = address(editor_client, article=mine.pk, headline=mine.headline, slug="my-story")
    assert same.json()["slug"] == "my-story" and not same.json()["taken"]
    taken = address(editor_client, article=mine.pk, headline=mine.headline, slug="soyuz-lands")
    assert taken.json()["slug"] == "soyuz-lands-2"
    assert "Use “soyuz-lands-2”, which is free" in taken.json()["message"]


@pytest.mark.parametrize(
    "params",
    [{"slug": "not a slug"}, {"slug": "ünïcode"}, {"slug": "x" * 201}],
)
def test_the_address_of_a_slug_that_cannot_be_one_says_why(editor_client, params):
    response = address(editor_client, headline="Anything", **params)
    assert response.status_code == 400
    assert "letters, numbers, underscores or hyphens" in response.json()["error"]


def test_the_address_ignores_a_category_that_is_not_one(editor_client):
    for category in ["abc", "999999", "-1"]:
        response = address(editor_client, headline="Soyuz lands", category=category)
        assert response.status_code == 200
        assert response.json()["url"] is None


def test_the_address_of_nothing_is_empty(editor_client):
    assert address(editor_client, headline="  ", slug="").json()["slug"] == ""


def test_the_address_of_a_headline_without_letters_is_the_one_a_save_gives(editor_client):
    category = CategoryFactory()
    ArticleFactory(slug="article", category=category)
    shown = address(editor_client, headline="!!!", slug="").json()["slug"]
    data = article_form(category, headline="!!!", slug="")
    assert editor_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert shown == "article-2"
    assert Article.objects.filter(slug=shown).exists()


def test_the_address_endpoint_checks_permissions(writer_client, editor):
    someone_elses = ArticleFactory(status=Article.Status.DRAFT, created_by=editor)
    assert address(writer_client, article=someone_elses.pk).status_code == 403
    assert address(writer_client, article="999999").status_code == 404
    assert address(writer_client, article="not-an-id").status_code == 404
    assert address(Client(), headline="x").status_code == 302
    no_rights = Client()
    no_rights.force_login(UserFactory())
    assert address(no_rights, headline="x").status_code == 403


def test_the_form_asks_for_the_address_as_the_editor_types(editor_client):
    page = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert f'data-address-url="{reverse("admin:articles_article_address")}"' in page
    assert re.search(r'src="[^"]*js/admin-address[^"]*\.js"', page)


# Signed-in editors on the public site


@pytest.fixture
def article(committed):
    with committed():
        return ArticleFactory(headline="Soyuz lands", category=CategoryFactory(slug="space"))


def public_urls(article):
    return [
        reverse("articles:list"),
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        article.byline_authors[0].get_absolute_url(),
        reverse("articles:feed_rss"),
        reverse("articles:sitemap"),
    ]


def test_signed_in_users_pages_are_never_kept_by_browsers_or_cdns(editor_client, article):
    for url in public_urls(article):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control, url
        assert "public" not in cache_control and not any("max-age" in c for c in cache_control)
        again = editor_client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        assert "no-store" in again["Cache-Control"] and "public" not in again["Cache-Control"]


def test_readers_pages_keep_their_public_policy(client, article, django_assert_num_queries):
    for url in public_urls(article):
        response = client.get(url)
        assert response["Cache-Control"] == f"public, max-age={settings.PUBLIC_CACHE_SECONDS}"
        assert "Cookie" not in response.get("Vary", "")
        # Stored: served from the page cache, reading only the site's ETag.
        with django_assert_num_queries(1):
            assert client.get(url).content == response.content


def test_an_editor_sees_their_change_at_once_and_readers_never_see_their_page(
    client, editor_client, article, committed
):
    url = article.get_absolute_url()
    client.get(url)
    assert "Soyuz lands" in editor_client.get(url).content.decode()
    with committed():
        article.headline = "Soyuz lands in the snow"
        article.save()
    assert "in the snow" in editor_client.get(url).content.decode()
    assert "in the snow" in client.get(url).content.decode()


def test_the_page_cache_neither_serves_nor_stores_a_signed_in_page(
    client, editor_client, article, django_assert_max_num_queries
):
    url = article.get_absolute_url()
    assert not page_cache.is_storable(editor_client.get(url))
    # Not stored: the reader's first request is rendered, not a hit.
    with django_assert_max_num_queries(20) as reader:
        client.get(url)
    assert len(reader) > 1
    # Stored now for readers, but the editor still gets their own, private page.
    with django_assert_max_num_queries(40) as editor:
        response = editor_client.get(url)
    assert len(editor) > 1
    assert "private" in response["Cache-Control"]


# In a real browser


@pytest.mark.usefixtures("live_server_settings")
def test_a_new_writer_signs_in_and_saves_an_article_with_their_byline_at_a_free_address(
    editorial_groups, new_page
):
    space = CategoryFactory(name="Space", slug="space")
    taken = ArticleFactory(headline="Soyuz lands in Kazakhstan", category=space)
    assert taken.slug == "soyuz-lands-in-kazakhstan"
    dana = newcomer(username="dana")
    dana.groups.add(Group.objects.get(name="Writers"))
    AuthorFactory(name="Dana Whitfield", user=dana)

    page = log_in(new_page(), dana)
    page.goto(reverse("admin:articles_article_add"))
    expect(page.locator("#select2-id_bylines-0-author-container")).to_contain_text("Dana Whitfield")
    page.get_by_label("Headline").press_sequentially("Soyuz lands in Kazakhstan")
    expect(page.get_by_label("Slug")).to_have_value("soyuz-lands-in-kazakhstan")
    shown = page.locator("#article-address")
    expect(shown).to_contain_text("…/soyuz-lands-in-kazakhstan-2/")
    expect(shown).to_contain_text(
        "Another article, “Soyuz lands in Kazakhstan”, has “soyuz-lands-in-kazakhstan”"
    )
    choose(page, "id_category", "Space")
    expect(shown).to_contain_text("/space/soyuz-lands-in-kazakhstan-2/")

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get(created_by=dana)
    assert article.slug == "soyuz-lands-in-kazakhstan-2"
    assert [author.name for author in article.byline_authors] == ["Dana Whitfield"]
    # The change form shows the address it got, as its own.
    expect(shown).to_contain_text("/space/soyuz-lands-in-kazakhstan-2/")
    expect(shown).not_to_have_class(re.compile(r"\barticle-address--taken\b"))
