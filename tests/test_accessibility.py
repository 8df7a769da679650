"""Web standards on every page type: valid HTML (Nu HTML Checker) and no axe-core violations.

The checkers come from tests/tools (npm: vnu-jar, axe-core), installed by `make test`.
"""

import io
import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article

from .factories import ArticleFactory

TOOLS = Path(__file__).parent / "tools" / "node_modules"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = TOOLS / "axe-core" / "axe.min.js"


def page_urls(article):
    return {
        "home": reverse("articles:list"),
        "article": article.get_absolute_url(),
        "category": article.category.get_absolute_url(),
        "tag": reverse("articles:tag", args=["iss"]),
        "author": article.byline_authors[0].get_absolute_url(),
        "search": reverse("articles:search") + "?q=astronaut",
        "empty search": reverse("articles:search"),
        "not found": "/space/no-such-article/",
    }


def require(path, what):
    if not path.exists():
        pytest.fail(f"{what} is missing at {path}: run `make test`, which installs it.")


def html_problems(files):
    """The Nu HTML Checker's errors and warnings on these HTML files, one line each."""
    require(VNU, "The Nu HTML Checker (vnu.jar)")
    result = subprocess.run(
        ["java", "-Xss8m", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stderr)["messages"]
        if m["type"] == "error" or m.get("subType") == "warning"
    ]


@pytest.fixture
def seeded(demo):
    ArticleFactory.create_batch(3, category=demo.category, tags=["ISS"])
    return demo


@pytest.mark.checker
def test_every_page_type_is_valid_html(client, seeded, tmp_path):
    files = []
    for name, url in page_urls(seeded).items():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    assert html_problems(files) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_every_page_type_has_no_axe_violations(
    browser, live_server, live_server_settings, color_scheme
):
    require(AXE, "axe-core")
    call_command("load_demo", stdout=io.StringIO())
    article = Article.objects.published().get(slug__startswith="nasa-astronaut")
    ArticleFactory.create_batch(3, category=article.category, tags=["ISS"])
    context = browser.new_context(color_scheme=color_scheme)
    page = context.new_page()
    failures = {}
    for name, url in page_urls(article).items():
        page.goto(live_server.url + url)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        if result["violations"]:
            failures[name] = [
                (v["id"], v["help"], [node["target"] for node in v["nodes"]][:3])
                for v in result["violations"]
            ]
    context.close()
    assert failures == {}
