from html.parser import HTMLParser

INLINES = {
    "bylines": [],
    "lead_quotes": [],
    "sections": [],
    "more_on_links": [],
    "corrections": [],
}


def article_form(category, inlines=None, existing=None, **fields):
    """POST data for the article change form, its inlines given as lists of dicts.

    `_workflow="publish"` (or "submit", "schedule" with `schedule_at`, …) presses that
    button of the publish bar; without it the form is saved as it is.

    A section's dict may hold its `blocks` (a list of dicts) and, when some of them are
    saved already, `initial_blocks` (how many).
    """
    data = {
        "headline": "Soyuz brings NASA astronaut home",
        "slug": "soyuz-brings-nasa-astronaut-home",
        "dek": "A quiet landing in Kazakhstan.",
        "category": category.pk,
        "tags": "ISS, NASA",
        **fields,
    }
    existing = existing or {}
    for prefix, rows in {**INLINES, **(inlines or {})}.items():
        _add_formset(data, prefix, rows, existing.get(prefix, 0))
    return data


def _add_formset(data, prefix, rows, initial):
    data[f"{prefix}-TOTAL_FORMS"] = len(rows)
    data[f"{prefix}-INITIAL_FORMS"] = initial
    for index, row in enumerate(rows):
        row = dict(row)
        if prefix == "sections":
            blocks, initial_blocks = row.pop("blocks", []), row.pop("initial_blocks", 0)
            _add_formset(data, f"{prefix}-{index}-blocks", blocks, initial_blocks)
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value


def change_form(article, inlines=None, existing=None, **fields):
    """POST data that saves `article` unchanged, as the editor opened it, plus `fields`."""
    article.refresh_from_db()
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "tags": ", ".join(article.tags.names()),
        "opened_version": article.version,
        **fields,
    }
    return article_form(article.category, inlines=inlines, existing=existing, **data)


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.in_form = False
        self.data = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        if not self.in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            # A browser drops the newline Django's widget puts after <textarea>.
            if not self.data[self._textarea]:
                data = data.removeprefix("\n")
            self.data[self._textarea] += data


def form_data(response, form_id="article_form"):
    """The values a browser would submit from the page's form, as the page shows them."""
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    return parser.data
