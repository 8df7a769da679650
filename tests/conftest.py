import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from articles.models import Article


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Pages render with the production static storage, which needs its manifest."""
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


@pytest.fixture
def demo(db):
    """The demo content, loaded as `make run` loads it; returns the seed article."""
    call_command("load_demo", stdout=io.StringIO())
    return Article.objects.get(slug__startswith="nasa-astronaut-mark-vande-hei")
