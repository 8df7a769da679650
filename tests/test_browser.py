"""The editorial workflow in a real browser: a writer drafts, an editor publishes, a reader reads.

Drives Debian's Chromium (/usr/bin/chromium, `make browser`) through Playwright against
the live server. With NEWSROOM_SCREENSHOTS set to a directory, the tests also save the
screenshots of the README's editor guide there (`make screenshots`).
"""

import datetime
import os
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from articles.photos.models import Image

from . import image_files
from .factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    ImageFactory,
    QuoteFactory,
    SectionFactory,
    TextBlockFactory,
    UserFactory,
    make_editorial_groups,
)
from .oembed_server import serving

pytestmark = pytest.mark.usefixtures("live_server_settings")

TIMEOUT_MS = 15_000
SCREENSHOTS = os.environ.get("NEWSROOM_SCREENSHOTS", "")
PASSWORD = "correct horse battery staple"

HEADLINE = "NASA Astronaut Mark Vande Hei Returns to Earth in a Russian Soyuz"
DEK = '"Probably the last time Americans and Russians fly together in space for a long time."'
PHOTO_TITLE = "Soyuz return"
PHOTO_ALT = "The Soyuz capsule drifts down under its orange and white parachute."
PHOTO_CAPTION = "The Soyuz MS-19 capsule on its way down to the steppe."
EMBED_URL = "https://www.youtube.com/watch?v=21X5lGlDOfg"
HANDOVER = "Russian Cosmonaut Hands Over Command of Space Station to NASA Astronaut"
SECTIONS = [
    (
        "Small Talk",
        "It would have been *amazing* to be a fly on the wall. This morning, NASA astronaut "
        "Mark Vande Hei took the long trip back from the International Space Station to Earth "
        "in an interesting vehicle: a Russian Soyuz capsule, along with two Russian "
        "cosmonauts.\n\nFortunately, it sounds like things went fine.",
    ),
    (
        "Friends Forever",
        "NASA officials have repeatedly stressed that even in the face of dire international "
        "tension, the collaboration between Russia and the United States on the ISS remains "
        "smooth.\n\nAt the landing site in Kazakhstan, though, it sounds like everything "
        "stayed **professional**.",
    ),
]
LEAD_QUOTE = (
    "Probably the last time Americans and Russians fly together in space for a long time.",
    "Chris Berger",
    "NASASpaceFlight editor",
)
SECTION_QUOTE = (
    "For the safety of our astronauts, the working relationship between NASA and our "
    "international partners continues.",
    "Bill Nelson",
    "NASA administrator",
)

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture
def editorial_groups(transactional_db):
    """The Writers and Editors groups, made again for each transactional test."""
    make_editorial_groups()


@pytest.fixture
def writer(editorial_groups):
    return UserFactory(group="Writers", username="dana", password=make_password(PASSWORD))


@pytest.fixture
def editor(editorial_groups):
    return UserFactory(group="Editors", username="sam", password=make_password(PASSWORD))


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    """Opens a page in a new browser context: a separate person, with their own cookies.

    Every test fails if a stylesheet or script doesn't load or a script raises. Set up after
    the database and so closed before it is emptied: an open form keeps sending its
    changes, and the last ones, sent as the page closes, are answered before the test ends.
    """
    contexts, problems, pending = [], [], set()

    def open_page(**options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
            color_scheme="light",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        # Full-page screenshots draw the admin's sticky navigation sidebar halfway down a
        # long form; collapsed, it leaves the form the whole width.
        context.add_init_script("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
        contexts.append(context)
        context.on("request", lambda request: pending.add(request))
        context.on("requestfinished", lambda request: pending.discard(request))
        context.on("requestfailed", lambda request: pending.discard(request))
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on(
            "response",
            lambda response: (
                problems.append(f"{response.status} {response.url}")
                if "/static/" in response.url and response.status >= 400
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        for page in context.pages:
            page.close()
    if contexts:
        # Playwright delivers the requests' events only while it is called.
        waiting, deadline = contexts[0].new_page(), time.monotonic() + 5
        while pending and time.monotonic() < deadline:
            waiting.wait_for_timeout(50)
    for context in contexts:
        context.close()
    assert not problems, "Pages had broken assets or script errors:\n" + "\n".join(problems)


def screenshot(target, name, **options):
    """Saves a screenshot for the editor guide when NEWSROOM_SCREENSHOTS names a directory."""
    if not SCREENSHOTS:
        return
    directory = Path(SCREENSHOTS)
    directory.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=directory / f"{name}.png", animations="disabled", **options)


def log_in(page, user):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


def choose(page, select_id, text):
    """Picks `text` in an autocomplete field as an editor does: open it, type, click."""
    page.locator(f"#{select_id} + .select2").click()
    # The list first shows every choice, then the search's answer: click in the answer.
    with page.expect_response(lambda response: "/admin/autocomplete/?term=" in response.url):
        page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-container--open .select2-results__option", has_text=text).click()
    expect(page.locator(f"#select2-{select_id}-container")).to_contain_text(text)


def add_inline(page, prefix):
    page.locator(f"#{prefix}-group .djn-add-handler.djn-level-1").click()


def add_block(page, section, index, kind):
    """Adds a block at the end of a section, as an editor does: one button per kind."""
    adding = page.get_by_role("group", name="Add a block at the end of this section")
    group = page.locator(f"#sections-{section}-blocks-group")
    group.locator(adding).get_by_role("button", name=f"Add {kind}", exact=True).click()
    prefix = f"#id_sections-{section}-blocks-{index}"
    expect(page.locator(f"{prefix}-kind")).to_have_value(kind)
    return prefix


def fill_quote(page, prefix, quote):
    text, speaker, role = quote
    page.locator(f"{prefix}-text").fill(text)
    page.locator(f"{prefix}-speaker").fill(speaker)
    page.locator(f"{prefix}-speaker_role").fill(role)


def write_and_submit(page):
    """The whole story in one form, before its first save: one save submits it."""
    page.goto("/admin/articles/article/add/")
    # The slug is filled in from the headline on keyup or change, as a typing editor does.
    page.get_by_label("Headline").fill(HEADLINE)
    page.get_by_label("Headline").press("Tab")
    expect(page.get_by_label("Slug")).to_have_value(re.compile(r"^nasa-astronaut-mark-vande-hei"))
    page.get_by_label("Dek").fill(DEK)
    choose(page, "id_category", "Space")
    page.get_by_label("Tags").fill("ISS, NASA")
    choose(page, "id_bylines-0-author", "Dana Whitfield")
    add_inline(page, "bylines")
    choose(page, "id_bylines-1-author", "Sam Okafor")
    page.locator("#lead_quotes-group .djn-add-handler.djn-level-1").click()
    fill_quote(page, "#id_lead_quotes-0", LEAD_QUOTE)

    (small_talk, small_talk_text), (friends, friends_text) = SECTIONS
    add_inline(page, "sections")
    page.locator("#id_sections-0-subheading").fill(small_talk)
    text = add_block(page, 0, 0, "text")
    expect(page.locator(f"{text}-body")).to_be_focused()
    page.locator(f"{text}-body").fill(small_talk_text)
    # Only the chosen kind's fields show.
    expect(page.locator(f"{text}-speaker")).to_be_hidden()
    photo = add_block(page, 0, 1, "photo")
    choose(page, photo.removeprefix("#") + "-image", PHOTO_TITLE)
    page.locator(f"{photo}-caption").fill(PHOTO_CAPTION)
    page.locator(f"{add_block(page, 0, 2, 'embed')}-url").fill(EMBED_URL)

    add_inline(page, "sections")
    page.locator("#id_sections-1-subheading").fill(friends)
    first, second = friends_text.split("\n\n")
    page.locator(f"{add_block(page, 1, 0, 'text')}-body").fill(first)
    quote = add_block(page, 1, 1, "quote")
    expect(page.locator(f"{quote}-body")).to_be_hidden()
    fill_quote(page, quote, SECTION_QUOTE)
    page.locator(f"{add_block(page, 1, 2, 'text')}-body").fill(second)
    screenshot(page, "01-writer-new-article", full_page=True)

    add_inline(page, "more_on_links")
    page.locator("#id_more_on_links-0-topic").fill("the ISS")
    choose(page, "id_more_on_links-0-target", HANDOVER)
    # A writer's publish bar: save, or submit with a note for the editor.
    bar = page.get_by_role("group", name="Save and publish")
    expect(bar.get_by_role("button")).to_have_text(
        ["Save draft", "Submit for review", "Preview changes"]
    )
    preview_unsaved(page)
    bar.get_by_label("Note").fill("Quotes checked against the recordings.")
    bar.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")


def preview_unsaved(page):
    """The form as readers will see it, beside the form, before anything is saved."""
    page.get_by_role("button", name="Preview changes").click()
    panel = page.get_by_role("region", name="Preview of unsaved changes")
    frame = page.frame_locator('iframe[title="Preview of unsaved changes"]')
    expect(frame.locator(".preview-banner")).to_contain_text("Nothing here is saved yet.")
    # The embed's title is looked up when the article is saved, never for a preview.
    expect_whole_article(frame, embed_title="A video on YouTube")
    assert page.evaluate("document.querySelector('.preview-panel iframe').offsetWidth") == 390
    screenshot(page, "02-writer-previews-on-a-phone")
    panel.get_by_role("button", name="Desktop").click()
    assert page.evaluate("document.querySelector('.preview-panel iframe').offsetWidth") == 1280
    screenshot(page, "03-writer-previews-on-a-desktop")

    # Typing refreshes the preview a moment later; still nothing is saved.
    page.get_by_label("Dek").press("End")
    page.get_by_label("Dek").type(" Unsaved words.")
    expect(frame.locator(".article__dek")).to_have_text(DEK + " Unsaved words.")
    assert not Article.objects.filter(headline=HEADLINE).exists()
    page.get_by_label("Dek").fill(DEK)
    expect(frame.locator(".article__dek")).to_have_text(DEK)
    panel.get_by_role("button", name="Close preview").click()
    expect(panel).to_be_hidden()


def expect_whole_article(page, embed_title="A youtube title"):
    """The article page as readers get it, whether previewed or published."""
    expect(page.locator("h1")).to_have_text(HEADLINE)
    expect(page.locator(".article__dek")).to_have_text(DEK)
    expect(page.locator(".byline")).to_have_text("By Dana Whitfield and Sam Okafor")
    expect(page.locator(".article__section h2")).to_have_text([s for s, _ in SECTIONS])
    expect(page.locator(".article__section em")).to_have_text("amazing")
    expect(page.locator(".article__section > p")).to_have_count(4)
    lead, in_section = page.locator("figure.quote--lead"), page.locator(".article__section .quote")
    expect(lead.locator("blockquote")).to_have_text(LEAD_QUOTE[0])
    expect(lead.locator("figcaption")).to_contain_text("Chris Berger, NASASpaceFlight editor")
    expect(in_section.locator("blockquote")).to_have_text(SECTION_QUOTE[0])
    expect(in_section.locator("figcaption")).to_contain_text("Bill Nelson, NASA administrator")
    small_talk = page.locator(".article__section").nth(0)
    photo = small_talk.locator("figure:not(.quote):not(.embed)")
    expect(photo.locator("img")).to_have_attribute("alt", PHOTO_ALT)
    expect(photo.locator("figcaption")).to_contain_text(PHOTO_CAPTION)
    embed = small_talk.locator("figure.embed")
    expect(embed.locator(".embed__provider")).to_have_text("YouTube")
    expect(embed.locator(".embed__title")).to_have_text(embed_title)
    expect(embed.get_by_role("link")).to_have_attribute("href", EMBED_URL)
    # The pull quote sits between the section's two paragraphs.
    friends = page.locator(".article__section").nth(1)
    expect(friends.locator(":scope > *")).to_have_count(4)
    expect(friends.locator(":scope > :nth-child(3)")).to_have_class("quote")
    expect(page.locator(".more-on")).to_have_text(f"More on the ISS: {HANDOVER}")
    share = page.get_by_role("region", name="Share This Article")
    expect(share.get_by_role("link")).to_contain_text(
        ["X", "Facebook", "LinkedIn", "Reddit", "Email"]
    )


def preview_and_publish(page, article):
    page.goto("/admin/articles/article/")
    page.get_by_role("link", name=HEADLINE).click()
    expect(page.locator(".field-workflow")).to_contain_text(
        "In review. Next step: an editor previews the article and publishes it."
    )
    screenshot(page, "05-editor-in-review")
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Preview", exact=True).click()
    preview = popup.value
    expect(preview).to_have_url(re.compile(rf"/admin/articles/article/{article.pk}/preview/$"))
    expect(preview.locator('meta[name="robots"]')).to_have_attribute("content", "noindex, nofollow")
    expect(preview.locator(".preview-banner")).to_contain_text("Status: In review")
    expect_whole_article(preview)
    screenshot(preview, "06-preview", full_page=True)
    preview.close()

    # Scheduled a few seconds ahead, typed in the newsroom's time (New York), not UTC.
    bar = page.get_by_role("group", name="Save and publish")
    expect(bar).to_contain_text("In the newsroom's time, America/New_York.")
    goes_live = timezone.localtime(timezone.now() + datetime.timedelta(seconds=4))
    bar.get_by_label("Go live at").fill(goes_live.strftime("%Y-%m-%dT%H:%M:%S"))
    screenshot(bar, "07-editor-schedules")
    bar.get_by_role("button", name="Schedule").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.locator("#result_list").get_by_role("link", name=HEADLINE).click()
    expect(page.locator(".field-workflow")).to_contain_text(
        f"Scheduled: goes live at {goes_live:%Y-%m-%d %H:%M} E"
    )
    return goes_live


def read_as_reader(page, article):
    page.goto("/")
    page.get_by_role("link", name=HEADLINE).click()
    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    expect(page.locator('meta[name="robots"]')).to_have_count(0)
    expect(page.locator(".preview-banner")).to_have_count(0)
    expect_whole_article(page)
    share = page.get_by_role("region", name="Share This Article")
    expect(share.get_by_role("link", name="Facebook")).to_have_attribute(
        "href", f"https://www.facebook.com/sharer/sharer.php?u={quote(page.url, safe='')}"
    )
    copy_link = share.get_by_role("button", name="Copy link")
    expect(copy_link).to_be_visible()
    screenshot(page, "08-published-article", full_page=True)
    copy_link.click()
    expect(share.get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == page.url

    page.get_by_role("link", name=HANDOVER).click()
    expect(page.locator("h1")).to_have_text(HANDOVER)


@pytest.fixture
def oembed(settings):
    with serving() as server:
        settings.NEWSROOM_OEMBED_ENDPOINTS = {"youtube": f"{server.url}/youtube"}
        yield server


def test_writer_submits_editor_schedules_reader_reads_at_that_time(
    new_page, writer, editor, settings, oembed
):
    settings.TIME_ZONE = "America/New_York"
    ImageFactory(title=PHOTO_TITLE, alt_text=PHOTO_ALT, size=(1200, 800))
    space = CategoryFactory(name="Space", slug="space")
    AuthorFactory(name="Dana Whitfield", slug="dana-whitfield")
    AuthorFactory(name="Sam Okafor", slug="sam-okafor")
    ArticleFactory(headline=HANDOVER, category=space)

    write_and_submit(log_in(new_page(), writer))
    article = Article.objects.get(headline=HEADLINE)
    assert (article.status, article.created_by) == (Article.Status.REVIEW, writer)

    goes_live = preview_and_publish(log_in(new_page(), editor), article)
    article.refresh_from_db()
    assert article.published_at == goes_live.replace(microsecond=0)
    reader = new_page(permissions=["clipboard-read", "clipboard-write"])
    assert reader.goto(article.get_absolute_url()).status == 404
    # Readers get it at its time, with no process running and nobody saving.
    reader.wait_for_timeout(max(0, (goes_live - timezone.now()).total_seconds() * 1000) + 1200)
    assert article.is_public

    read_as_reader(reader, article)


def test_writer_leaves_mid_edit_and_gets_the_text_back(new_page, writer):
    CategoryFactory(name="Space")
    page = log_in(new_page(), writer)
    page.goto("/admin/articles/article/add/")
    page.get_by_label("Headline").fill("Soyuz lands in Kazakhstan")
    add_inline(page, "sections")
    page.locator("#id_sections-0-subheading").fill("Small Talk")
    text = add_block(page, 0, 0, "text")
    page.locator(f"{text}-body").fill("The capsule touched down at dawn.")
    expect(page.locator(".autosave-status")).to_contain_text("Changes kept at", timeout=10_000)

    # Words typed since the last keep go with the page as it is left; leaving asks first.
    page.locator(f"{text}-body").press("End")
    page.locator(f"{text}-body").type(" Crews met it within minutes.")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.get_by_role("link", name="Articles").first.click()
    expect(page).to_have_url(re.compile(r"/admin/articles/$"))
    assert asked == ["beforeunload"]

    page.goto("/admin/articles/article/add/")
    offer = page.get_by_role("region", name="Unsaved changes")
    expect(offer).to_contain_text("You have changes to this new article that were not saved")
    screenshot(page, "04-writer-restores-changes")
    offer.get_by_role("link", name=re.compile(r"^Restore the changes from \d\d:\d\d$")).click()
    expect(page.get_by_label("Headline")).to_have_value("Soyuz lands in Kazakhstan")
    expect(page.locator("#id_sections-0-subheading")).to_have_value("Small Talk")
    expect(page.locator(f"{text}-body")).to_have_value(
        "The capsule touched down at dawn. Crews met it within minutes."
    )
    expect(page.locator(f"{text}-speaker")).to_be_hidden()
    expect(page.locator(".errornote")).to_have_count(0)
    assert not Article.objects.exists()

    choose(page, "id_category", "Space")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get()
    assert article.sections.get().blocks.get().body == (
        "The capsule touched down at dawn. Crews met it within minutes."
    )
    expect(page.get_by_role("region", name="Unsaved changes")).to_have_count(0)


def section_with_its_quote_last(article):
    """Two paragraphs, then the quote that belongs between them."""
    section = SectionFactory(article=article, subheading="Small Talk", body="", position=0)
    for position, body in enumerate(["Paragraph A.", "Paragraph B."]):
        TextBlockFactory(section=section, body=body, position=position)
    QuoteFactory(section=section, text="Friends forever.", position=2)
    return section


def quote_between_the_paragraphs(section):
    return [block.body or block.text for block in section.blocks.all()] == [
        "Paragraph A.",
        "Friends forever.",
        "Paragraph B.",
    ]


def test_editor_moves_blocks_and_sections_with_the_keyboard(new_page, editor):
    article = ArticleFactory(headline="Soyuz lands")
    section_with_its_quote_last(article)
    SectionFactory(article=article, subheading="Friends Forever", body="Paragraph C.", position=1)
    page = log_in(new_page(), editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")

    blocks = page.locator("#sections-0-blocks-group")
    # One pair of buttons per row, none doubled by the nested groups around it.
    expect(blocks.get_by_role("button", name="Move up")).to_have_count(3)
    expect(page.locator("#sections-group").get_by_role("button", name="Move up")).to_have_count(6)
    quote_up = page.locator("#id_sections-0-blocks-2-position ~ button[data-move='-1']")
    quote_up.focus()
    page.keyboard.press("Enter")
    expect(blocks.locator(".reorder-status")).to_have_text("Moved to position 2 of 3.")
    expect(quote_up).to_be_focused()
    page.locator("#id_sections-1-position ~ button[data-move='-1']").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    assert [s.subheading for s in article.sections.all()] == ["Friends Forever", "Small Talk"]
    assert quote_between_the_paragraphs(article.sections.get(subheading="Small Talk"))


def test_editor_drags_a_quote_between_two_paragraphs(new_page, editor):
    article = ArticleFactory(headline="Soyuz lands")
    section = section_with_its_quote_last(article)
    page = log_in(new_page(), editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")

    handles = page.locator("#sections-0-blocks-group .djn-drag-handler:visible")
    expect(handles).to_have_count(3)
    quote, second = handles.nth(2), handles.nth(1)
    quote.hover()
    box = second.bounding_box()
    page.mouse.down()
    # In steps, as a hand moves: the sortable follows the pointer, not a jump.
    page.mouse.move(box["x"] + 20, box["y"] + 5, steps=20)
    page.mouse.move(box["x"] + 20, box["y"] + 2, steps=5)
    page.mouse.up()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert quote_between_the_paragraphs(section)


def test_shared_preview_link_works_signed_out_while_the_article_is_a_404(new_page, editor):
    article = ArticleFactory(
        headline="Soyuz lands in Kazakhstan", status=Article.Status.DRAFT, published_at=None
    )
    page = log_in(new_page(), editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    share_link = page.locator("#preview-share-link").input_value()

    colleague = new_page()
    assert colleague.goto(article.get_absolute_url()).status == 404
    response = colleague.goto(share_link)
    assert response.status == 200
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    expect(colleague.locator("h1")).to_have_text("Soyuz lands in Kazakhstan")
    expect(colleague.locator(".preview-banner")).to_contain_text("Status: Draft")
    expect(colleague.locator('meta[name="robots"]')).to_have_attribute(
        "content", "noindex, nofollow"
    )
    colleague.goto("/admin/")
    expect(colleague.get_by_role("button", name="Log in")).to_be_visible()


# The photo library's scripts: the focal point picker and the lead image chooser.


def test_a_chosen_photo_is_still_chosen_when_the_form_comes_back_with_an_error(
    new_page, editor, tmp_path
):
    photo = tmp_path / "soyuz-landing.jpg"
    photo.write_bytes(image_files.jpeg(size=(1200, 800)))
    page = log_in(new_page(), editor)
    page.goto("/admin/articles/image/add/")
    page.set_input_files("#id_file", str(photo))
    page.get_by_label("Alt text").fill("The capsule on the steppe.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()

    expect(page.locator(".kept-upload")).to_have_text(
        "Still chosen: soyuz-landing.jpg. Fix what is marked, then save; or choose another file."
    )
    assert page.evaluate("document.querySelector('#id_file').files[0].name") == "soyuz-landing.jpg"
    expect(page.get_by_label("Alt text")).to_have_value("The capsule on the steppe.")
    page.get_by_label("Title").fill("Soyuz landing")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    image = Image.objects.get()
    assert (image.title, image.width, image.height) == ("Soyuz landing", 1200, 800)

    # Kept only for that return: the next new photo starts with an empty field.
    page.goto("/admin/articles/image/add/")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    assert page.evaluate("document.querySelector('#id_file').files.length") == 0


def test_editor_uploads_a_photo_and_clicks_its_focal_point(new_page, editor, tmp_path):
    photo = tmp_path / "landing.jpg"
    photo.write_bytes(image_files.jpeg(size=(1200, 800)))
    page = log_in(new_page(), editor)
    page.goto("/admin/articles/image/add/")
    page.set_input_files("#id_file", str(photo))
    picker = page.locator("[data-focal-picker] img")
    expect(picker).to_be_visible()
    page.wait_for_function("document.querySelector('[data-focal-picker] img').naturalWidth > 0")

    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(page.locator("[data-focal-readout]")).to_contain_text(
        "25% from the left, 75% from the top"
    )
    page.locator("[data-focal-picker]").press("ArrowRight")
    page.get_by_label("Title").fill("Soyuz landing")
    page.get_by_label("Alt text").fill("The capsule on the steppe.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    image = Image.objects.get()
    assert image.focal_x == pytest.approx(0.27, abs=0.01)
    assert image.focal_y == pytest.approx(0.75, abs=0.01)
    assert image.renditions.filter(spec="card").exists()


def test_chosen_lead_image_shows_its_summary(new_page, editor):
    ImageFactory(title="Soyuz landing", alt_text="")
    article = ArticleFactory(headline="Soyuz lands")
    page = log_in(new_page(), editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    summary = page.locator("[data-lead-image-summary]")
    expect(summary).to_contain_text("No lead image")
    choose(page, "id_lead_image", "Soyuz landing")
    expect(summary).to_contain_text("Alt text: none yet")
    expect(summary).to_contain_text("has no alt text, so the article can't be published")
