"""Writing the body: the Markdown toolbar and its shortcuts, paste from word processors and
Google Docs, the live word count and reading time, and the length limit of a text block.

The browser tests drive Debian's Chromium through Playwright, as tests/test_browser.py does.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles import reading
from articles.models import Article, Block
from articles.parts import BODY_MAX_LENGTH

from . import test_browser
from .factories import ArticleFactory, CategoryFactory
from .helpers import article_form
from .test_browser import add_block, add_inline, choose, log_in, screenshot

pytestmark = pytest.mark.usefixtures("live_server_settings")

# The browser tests' people and pages.
editorial_groups = test_browser.editorial_groups
writer = test_browser.writer
new_page = test_browser.new_page

MOD = "Control"

GOOGLE_DOCS_HTML = (
    '<meta charset="utf-8"><b style="font-weight:normal;" '
    'id="docs-internal-guid-5c1f0e2a-7fff-4e1b-9c0d-3a2b1c0d9e8f">'
    '<h2 dir="ltr" style="line-height:1.38;margin-top:18pt;margin-bottom:6pt;">'
    '<span style="font-size:16pt;font-family:Arial,sans-serif;color:#000000;'
    'font-weight:400;font-style:normal;white-space:pre-wrap;">Touchdown in Kazakhstan</span>'
    "</h2>"
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;">'
    '<span style="font-size:11pt;font-weight:400;font-style:normal;white-space:pre-wrap;">'
    "The capsule landed </span>"
    '<span style="font-size:11pt;font-weight:700;font-style:normal;white-space:pre-wrap;">'
    "on time</span>"
    '<span style="font-size:11pt;font-weight:400;white-space:pre-wrap;">, said </span>'
    '<a href="https://www.nasa.gov/" style="text-decoration:none;">'
    '<span style="font-size:11pt;color:#1155cc;font-weight:400;text-decoration:underline;'
    'white-space:pre-wrap;">NASA</span></a>'
    '<span style="font-size:11pt;font-weight:400;white-space:pre-wrap;">.</span></p>'
    "<br>"
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;">'
    '<span style="font-size:11pt;font-weight:400;font-style:italic;white-space:pre-wrap;">'
    "Fortunately</span>"
    '<span style="font-size:11pt;font-weight:400;font-style:normal;white-space:pre-wrap;">'
    ", things went </span>"
    '<span style="font-size:11pt;font-weight:700;font-style:italic;white-space:pre-wrap;">'
    "fine</span>"
    '<span style="font-size:11pt;font-weight:400;white-space:pre-wrap;">.</span></p>'
    '<ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;">'
    '<li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1">'
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;" role="presentation">'
    '<span style="font-size:11pt;font-weight:400;white-space:pre-wrap;">Three crew</span></p></li>'
    '<li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1">'
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;" role="presentation">'
    '<span style="font-size:11pt;font-weight:400;white-space:pre-wrap;">One capsule</span></p>'
    "</li></ul></b>"
)
GOOGLE_DOCS_MARKDOWN = (
    "**Touchdown in Kazakhstan**\n\n"
    "The capsule landed **on time**, said [NASA](https://www.nasa.gov/).\n\n"
    "*Fortunately*, things went ***fine***.\n\n"
    "- Three crew\n"
    "- One capsule"
)
WORD_HTML = (
    "<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><style>"
    "p.MsoNormal {margin:0cm;}</style></head><body lang=EN-US><!--StartFragment-->"
    "<p class=MsoNormal>The crew is <b><span lang=EN-US>home</span></b>, "
    "<i>at last</i>.<o:p></o:p></p>"
    "<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
    "<![if !supportLists]><span style='mso-list:\nIgnore'>1.<span style='font:7.0pt'>"
    "&nbsp;&nbsp;</span></span><![endif]>Undock<o:p></o:p></p>"
    "<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
    "<![if !supportLists]><span style='mso-list:Ignore'>2.<span style='font:7.0pt'>"
    "&nbsp;&nbsp;</span></span><![endif]>Land<o:p></o:p></p>"
    "<!--EndFragment--></body></html>"
)
WORD_MARKDOWN = "The crew is **home**, *at last*.\n\n1. Undock\n2. Land"


def new_text_block(page):
    """A new article's form with one section holding one new text block; its body field."""
    page.goto("/admin/articles/article/add/")
    add_inline(page, "sections")
    body = page.locator(f"{add_block(page, 0, 0, 'text')}-body")
    expect(body).to_be_visible()
    return body


def select(field, start, end):
    field.evaluate("(field, [start, end]) => field.setSelectionRange(start, end)", [start, end])


def paste(field, html, text=""):
    """A paste of `html` as a word processor puts it on the clipboard, with its plain text."""
    field.focus()
    field.evaluate(
        """(field, [html, text]) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", text);
            field.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }));
        }""",
        [html, text],
    )


def count(page):
    counter = page.locator("#article-word-count")
    return int(counter.get_attribute("data-words")), int(counter.get_attribute("data-minutes"))


def test_toolbar_and_shortcuts_format_a_newly_added_text_block(new_page, writer):
    page = log_in(new_page(), writer)
    body = new_text_block(page)
    toolbar = page.get_by_role("toolbar", name="Text formatting")
    expect(toolbar.get_by_role("button")).to_have_count(5)
    for name in ["Bold", "Italic", "Link", "Bulleted list", "Quote"]:
        expect(toolbar.get_by_role("button", name=name, exact=True)).to_have_attribute(
            "type", "button"
        )
    screenshot(page.locator(".field-body").first, "writing-toolbar")

    body.fill("The Soyuz landed in Kazakhstan")
    select(body, 4, 9)
    toolbar.get_by_role("button", name="Bold").click()
    expect(body).to_have_value("The **Soyuz** landed in Kazakhstan")
    # The toolbar's change is typed in, so undo takes it back.
    body.press(f"{MOD}+z")
    expect(body).to_have_value("The Soyuz landed in Kazakhstan")

    select(body, 10, 16)
    body.press(f"{MOD}+i")
    expect(body).to_have_value("The Soyuz _landed_ in Kazakhstan")
    select(body, 22, 32)
    body.press(f"{MOD}+k")
    expect(body).to_have_value("The Soyuz _landed_ in [Kazakhstan](url)")
    # The link's placeholder address is selected, for the editor to type over.
    body.press_sequentially("https://nasa.gov")
    expect(body).to_have_value("The Soyuz _landed_ in [Kazakhstan](https://nasa.gov)")

    # With nothing selected, Ctrl/Cmd+B leaves the markers with the cursor between them.
    body.press("End")
    body.press_sequentially(". ")
    body.press(f"{MOD}+b")
    body.press_sequentially("Safe")
    expect(body).to_have_value("The Soyuz _landed_ in [Kazakhstan](https://nasa.gov). **Safe**")

    body.fill("Three crew\nOne capsule")
    select(body, 0, 22)
    toolbar.get_by_role("button", name="Bulleted list").click()
    expect(body).to_have_value("- Three crew\n- One capsule")
    body.fill("Probably the last time.")
    select(body, 0, 0)
    toolbar.get_by_role("button", name="Quote").click()
    expect(body).to_have_value("> Probably the last time.")

    # A block added later, in a second section, gets a toolbar of its own.
    add_inline(page, "sections")
    second = page.locator(f"{add_block(page, 1, 0, 'text')}-body")
    expect(page.get_by_role("toolbar", name="Text formatting")).to_have_count(2)
    second.fill("Landing")
    select(second, 0, 7)
    second.press(f"{MOD}+b")
    expect(second).to_have_value("**Landing**")
    expect(body).to_have_value("> Probably the last time.")

    # nested_admin renumbers the blocks after a new one is removed: the toolbars follow.
    add_block(page, 1, 1, "text")
    page.locator("#id_sections-1-blocks-1-body").fill("Later")
    page.locator("#sections-1-blocks-0 .djn-remove-handler").first.click()
    renumbered = page.locator("#id_sections-1-blocks-0-body")
    expect(renumbered).to_have_value("Later")
    select(renumbered, 0, 5)
    renumbered.press(f"{MOD}+i")
    expect(renumbered).to_have_value("_Later_")
    page.get_by_role("toolbar", name="Text formatting").nth(1).get_by_role(
        "button", name="Bold"
    ).click()
    expect(renumbered).to_have_value("_**Later**_")

    # Enter on a button applies its style once, also after the block moved down (↓).
    add_block(page, 1, 1, "text")
    page.locator("#sections-1-blocks-0 button[data-move='1']").first.click()
    renumbered.fill("Moved")
    select(renumbered, 0, 5)
    page.locator("#sections-1-blocks-0").get_by_role("button", name="Bold").focus()
    page.keyboard.press("Enter")
    expect(renumbered).to_have_value("**Moved**")


def test_paste_from_google_docs_or_word_is_markdown_and_plain_text_stays_plain(new_page, writer):
    page = log_in(new_page(permissions=["clipboard-read", "clipboard-write"]), writer)
    body = new_text_block(page)
    paste(body, GOOGLE_DOCS_HTML, "Touchdown in Kazakhstan\nThe capsule landed on time")
    expect(body).to_have_value(GOOGLE_DOCS_MARKDOWN)
    body.press(f"{MOD}+z")
    expect(body).to_have_value("")

    paste(body, WORD_HTML, "The crew is home, at last.")
    expect(body).to_have_value(WORD_MARKDOWN)
    # Word's plain text has a single line break between paragraphs: its HTML is used.
    body.fill("")
    paste(body, "<p class=MsoNormal>One.</p>\n<p class=MsoNormal>Two.</p>", "One.\r\nTwo.")
    expect(body).to_have_value("One.\n\nTwo.")

    # Docs nests a list in the list; links readers can't follow and pictures are dropped.
    body.fill("")
    paste(
        body,
        "<ol><li>Undock</li><ul><li>on <i>time</i></li></ul><li>Land</li></ol>"
        '<p>See <a href="#heading=h.x">the plan</a>.</p><img src="https://example.com/x.png">',
    )
    expect(body).to_have_value("1. Undock\n   - on *time*\n2. Land\n\nSee the plan.")

    # A real paste of plain text, through the clipboard: pasted as it is, stars and all.
    body.fill("")
    page.evaluate("navigator.clipboard.writeText('Plain *as* typed\\n\\n- not a list')")
    body.press(f"{MOD}+v")
    expect(body).to_have_value("Plain *as* typed\n\n- not a list")


def test_word_count_follows_typing_and_matches_the_saved_article(new_page, writer):
    CategoryFactory(name="Space")
    page = log_in(new_page(), writer)
    page.goto("/admin/articles/article/add/")
    page.get_by_label("Headline").fill("Soyuz lands")
    page.get_by_label("Headline").press("Tab")
    choose(page, "id_category", "Space")
    counter = page.locator("#article-word-count")
    expect(counter).to_have_text("0 words · 0 min read")
    expect(counter).to_be_visible()

    page.locator("#lead_quotes-group .djn-add-handler.djn-level-1").click()
    page.locator("#id_lead_quotes-0-text").fill("Probably the last time.")
    page.locator("#id_lead_quotes-0-speaker").fill("Chris Berger")
    expect(counter).to_have_text("4 words · 1 min read")

    add_inline(page, "sections")
    first = page.locator(f"{add_block(page, 0, 0, 'text')}-body")
    first.press_sequentially("It would have been *amazing*")
    expect(counter).to_have_text("9 words · 1 min read")
    quote = add_block(page, 0, 1, "quote")
    page.locator(f"{quote}-text").fill("For the safety of our astronauts")
    page.locator(f"{quote}-speaker").fill("Bill Nelson")
    expect(counter).to_have_text("15 words · 1 min read")
    # Past 238 words, a second minute.
    second = page.locator(f"{add_block(page, 0, 2, 'text')}-body")
    second.fill(" ".join(["word"] * 224))
    expect(counter).to_have_text("239 words · 2 min read")
    # A block switched to another kind no longer counts; switched back, it does again.
    page.locator("#id_sections-0-blocks-2-kind").select_option("embed")
    expect(counter).to_have_text("15 words · 1 min read")
    page.locator("#id_sections-0-blocks-2-kind").select_option("text")
    expect(counter).to_have_text("239 words · 2 min read")
    screenshot(page.get_by_role("group", name="Save and publish"), "writing-word-count")

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get(headline="Soyuz lands")
    words = reading.article_words(article)
    assert (words, reading.reading_minutes(words)) == (239, 2)
    assert count(page) == (239, 2)
    expect(page.locator("#article-word-count")).to_have_text(reading.summary(words))
    expect(page.get_by_role("toolbar", name="Text formatting")).to_have_count(2)
    # A saved block marked for deletion no longer counts.
    page.locator("#sections-0-blocks-2 .djn-delete-handler").first.click()
    expect(page.locator("#article-word-count")).to_have_text("15 words · 1 min read")


def test_a_form_the_writer_may_only_view_keeps_the_saved_count(new_page, writer):
    article = ArticleFactory(sections=2, quotes=1)
    words = reading.article_words(article)
    page = log_in(new_page(), writer)
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    expect(page.locator("h1")).to_have_text("View article")
    expect(page.locator("textarea[data-word-count]")).to_have_count(0)
    expect(page.locator("#article-word-count")).to_have_text(reading.summary(words))
    assert count(page) == (words, 1)


PARITY_SAMPLES = [
    ("Don't stop: well-known 3.5 million, 1,000 people — at 9am.", 9),
    ("See [the agency's page](https://www.nasa.gov/a_b-c) and **bold** _it_.", 7),
    ("- one\n- two\n\n> quoted *words*\n\n1. first\n 2) second", 6),
    ("Café résumé naïve Zürich 東京 ½ x²", 7),
    ("snake_case and __init__ — ... -- * _ **", 4),
]


def test_admin_counts_words_as_the_server_does(new_page, writer):
    page = log_in(new_page(), writer)
    body = new_text_block(page)
    counter = page.locator("#article-word-count")
    for text, words in PARITY_SAMPLES:
        assert reading.count_words(text) == words
        body.fill(text)
        expect(counter).to_have_attribute("data-words", str(words))


def test_an_oversized_paste_is_refused_and_the_text_typed_is_kept(new_page, writer):
    page = log_in(new_page(permissions=["clipboard-read", "clipboard-write"]), writer)
    body = new_text_block(page)
    body.fill("Typed first.")
    page.evaluate(f"navigator.clipboard.writeText('x'.repeat({BODY_MAX_LENGTH - 5}))")
    body.press(f"{MOD}+v")
    alert = page.locator(".field-body").get_by_role("alert")
    expect(alert).to_contain_text("Not pasted")
    expect(alert).to_contain_text("a text block holds at most 50,000")
    expect(alert).to_contain_text("Split it into more blocks")
    expect(body).to_have_value("Typed first.")
    screenshot(page.locator(".field-body").first, "writing-paste-refused")
    assert body.evaluate("field => field.getAttribute('aria-describedby')").endswith("-length")

    # A word processor's paste counts at the length of its Markdown.
    paste(body, "<p><b>" + "y" * BODY_MAX_LENGTH + "</b></p>")
    expect(body).to_have_value("Typed first.")
    # Selected text a paste replaces doesn't count: this one fits.
    select(body, 0, 12)
    page.evaluate(f"navigator.clipboard.writeText('z'.repeat({BODY_MAX_LENGTH}))")
    body.press(f"{MOD}+v")
    expect(alert).to_be_hidden()
    assert len(body.input_value()) == BODY_MAX_LENGTH
    # Typing past the limit isn't stopped, but the field says what the server will say.
    body.press("End")
    body.press_sequentially("!")
    expect(alert).to_have_text(
        "This text is 50,001 characters long; a text block holds at most 50,000. "
        "Split it into more blocks: add a text block after this one and move the rest there."
    )


# The server-side limit, through the admin's form.


def text_block_form(body, kind="text"):
    return article_form(
        CategoryFactory(),
        inlines={
            "sections": [
                {
                    "subheading": "Kept",
                    "position": 0,
                    "blocks": [
                        {
                            "kind": kind,
                            "body": body,
                            "text": "Said.",
                            "speaker": "Kim",
                            "position": 0,
                        }
                    ],
                }
            ]
        },
    )


@pytest.mark.django_db
def test_a_text_block_over_the_limit_is_refused_at_its_field_with_its_text_kept(admin_client):
    body = "Long. " * (BODY_MAX_LENGTH // 6) + "Too long."
    response = admin_client.post(reverse("admin:articles_article_add"), text_block_form(body))
    assert response.status_code == 200
    sections = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "sections"
    )
    errors = sections.forms[0].nested_formsets[0].forms[0].errors
    assert errors["body"] == [
        f"This text is {len(body):,} characters long; a text block holds at most 50,000. "
        "Split it into more blocks: add a text block after this one and move the rest there."
    ]
    assert body.strip() in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_the_limit_counts_a_line_break_once_as_the_browser_does(admin_client):
    # Browsers send each line break as \r\n: 50,500 characters sent, 50,000 typed.
    body = ("x" * 99 + "\r\n") * (BODY_MAX_LENGTH // 100)
    response = admin_client.post(reverse("admin:articles_article_add"), text_block_form(body))
    assert response.status_code == 302
    assert Block.objects.get().body == body.strip()


@pytest.mark.django_db
def test_a_quote_block_is_not_refused_for_text_left_in_its_hidden_body(admin_client):
    body = "x" * (BODY_MAX_LENGTH + 1)
    response = admin_client.post(
        reverse("admin:articles_article_add"), text_block_form(body, kind="quote")
    )
    assert response.status_code == 302
    assert Block.objects.get().body == ""


@pytest.mark.django_db
def test_the_change_form_shows_the_saved_count_and_marks_the_markdown_fields(admin_client):
    article = ArticleFactory(sections=1, quotes=1)
    words = reading.article_words(article)
    assert words > 0
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    content = response.content.decode()
    assert f">{reading.summary(words)}</p>" in content
    assert 'data-words-per-minute="238"' in content
    body = next(line for line in content.splitlines() if 'name="sections-0-blocks-0-body"' in line)
    assert f'data-max-length="{BODY_MAX_LENGTH}"' in body
    # A maxlength attribute would have browsers cut a long paste short without a word.
    assert "maxlength" not in body


def test_reading_time_rounds_up_to_whole_minutes():
    assert [reading.reading_minutes(words) for words in (0, 1, 238, 239, 476, 477)] == [
        0,
        1,
        1,
        2,
        2,
        3,
    ]
    assert reading.summary(1) == "1 word · 1 min read"
    assert reading.summary(1234) == "1,234 words · 6 min read"


def test_words_are_counted_in_the_text_readers_see():
    assert reading.count_words("See [the agency's page](https://www.nasa.gov/a-b) now.") == 5
    assert reading.count_words("Don't stop: well-known 3.5 million, 1,000 people.") == 7
    assert reading.count_words("- one\n> two **three** _four_ — ...") == 4
