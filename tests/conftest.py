import io
import os

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import sync_playwright

from articles.delivery import validators
from articles.models import Article

from .factories import UserFactory


def pytest_collection_modifyitems(items):
    # Every test that drives the browser is marked so, for `make test-fast` to leave out.
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Pages render with the production static storage, which needs its manifest."""
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run writes as a committed transaction does: on_commit callbacks included."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no stored pages and no remembered validators: test databases
    are rolled back, caches and memories aren't."""
    for each in caches.all():
        each.clear()
    validators.forget()
    yield
    for each in caches.all():
        each.clear()
    validators.forget()


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploaded photos and renditions go to a temporary folder, never into the repository."""
    path = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=path):
        yield path


@pytest.fixture
def every_image_format(settings):
    """Photos encoded in AVIF and WebP besides JPEG, as production makes them. The suite
    makes JPEG only (pyproject.toml) where a test isn't about formats: encoding the others
    is most of an upload's time."""
    settings.NEWSROOM_IMAGE_FORMATS = ("AVIF", "WEBP")


@pytest.fixture
def demo(db):
    """The demo content, loaded as `make run` loads it; returns the seed article."""
    call_command("load_demo", stdout=io.StringIO())
    return Article.objects.get(slug__startswith="nasa-astronaut-mark-vande-hei")


@pytest.fixture
def writer(db):
    return UserFactory(group="Writers")


@pytest.fixture
def editor(db):
    return UserFactory(group="Editors")


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# Real browser tests drive Debian's Chromium; never a downloaded browser.
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium floods a closed network with
# connections to Google services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The browser tests drive Chromium at {CHROMIUM}, which is missing: install it "
            "with `apt-get install chromium` (or run `make browser` as root).",
            pytrace=False,
        )
    # Playwright's sync API runs an asyncio event loop on the test thread, so Django takes
    # the ORM calls tests make for calls from async code and refuses them
    # (SynchronousOnlyOperation). They aren't: the loop is paused while test code runs,
    # and the site itself runs in the live server's own thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server_settings(settings):
    """Settings under which the live server serves pages to a real browser."""
    # Production marks the session and CSRF cookies Secure and the live server speaks
    # plain http. Chromium treats http://localhost as secure and sends them anyway, but
    # browsers don't for other hosts (--liveserver): signing in must not hinge on that.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # pytest-django's live server answers /static/ itself, with Django's
    # StaticFilesHandler, before WhiteNoise sees the request. That handler looks files
    # up through the finders, which know the source names (admin/css/base.css) but not
    # the manifest's hashed ones (admin/css/base.96c479cedf7a.css), so under the
    # production storage every stylesheet and script is a 404. WHITENOISE_USE_FINDERS
    # or WHITENOISE_AUTOREFRESH can't help, as WhiteNoise is never asked. The plain
    # storage that development uses makes pages link the source names instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
