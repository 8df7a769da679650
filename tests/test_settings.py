import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json; from django.conf import settings; "
    "print(json.dumps({'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, "
    "'engine': settings.DATABASES['default']['ENGINE']}))"
)


def load_settings(**env):
    """Import the settings in a fresh interpreter, as a server starting up would."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**base, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    result = load_settings()
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set DJANGO_SECRET_KEY" in result.stderr


def test_an_unknown_image_format_stops_start_up_with_a_clear_message():
    result = load_settings(DJANGO_DEBUG="1", NEWSROOM_IMAGE_FORMATS="webp,gif")
    assert result.returncode != 0
    assert "NEWSROOM_IMAGE_FORMATS lists GIF" in result.stderr


def test_debug_mode_runs_without_a_secret_key_on_sqlite():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["debug"] is True
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert "127.0.0.1" in loaded["hosts"]


def test_production_configuration_comes_from_the_environment():
    result = load_settings(
        DJANGO_SECRET_KEY="a-real-secret",
        DJANGO_ALLOWED_HOSTS="news.example.com, www.news.example.com",
        DATABASE_URL="postgres://newsroom:pw@db.internal:5432/newsroom",
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["debug"] is False
    assert loaded["hosts"] == ["news.example.com", "www.news.example.com"]
    assert loaded["engine"] == "django.db.backends.postgresql"
