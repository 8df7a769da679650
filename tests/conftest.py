import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from articles.models import Article

from .factories import UserFactory


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
