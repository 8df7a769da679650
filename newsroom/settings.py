"""Newsroom settings: one file, configured by environment variables (see README)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (required when DJANGO_DEBUG is off), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-local-development-key"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get(
        "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else ""
    ).split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    # First: its ready() registers the article's revisions before the admin's autodiscovery
    # would register them its own way (articles/apps.py).
    "articles",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles so `runserver` serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "nested_admin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, authentication and CSRF: a stored page skips them all.
    "articles.delivery.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded photos and their renditions: the local filesystem by default; S3-compatible
# object storage by configuration (NEWSROOM_MEDIA_STORAGE=s3, see below and README).
MEDIA_URL = os.environ.get("NEWSROOM_MEDIA_URL", "media/")
MEDIA_ROOT = Path(os.environ.get("NEWSROOM_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; the plain backend keeps tests and
        # development free of a collectstatic step.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Needs django-storages[s3] (pip install "django-storages[s3]==1.14.6"); credentials come
# from the environment as boto3 reads them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
if os.environ.get("NEWSROOM_MEDIA_STORAGE", "") == "s3":
    if not os.environ.get("NEWSROOM_MEDIA_BUCKET"):
        raise ImproperlyConfigured(
            "Set NEWSROOM_MEDIA_BUCKET to the bucket that keeps the photos "
            "(NEWSROOM_MEDIA_STORAGE=s3), or unset NEWSROOM_MEDIA_STORAGE to keep them on disk."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["NEWSROOM_MEDIA_BUCKET"],
            "endpoint_url": os.environ.get("NEWSROOM_MEDIA_ENDPOINT_URL") or None,
            "region_name": os.environ.get("NEWSROOM_MEDIA_REGION") or None,
            "custom_domain": os.environ.get("NEWSROOM_MEDIA_DOMAIN") or None,
            # Public, unsigned URLs: renditions are public and their names change with
            # their content, so they can be cached for ever.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }

# The largest photo an editor may upload; Pillow's own limit on pixels applies as well.
NEWSROOM_IMAGE_MAX_UPLOAD_BYTES = int(os.environ.get("NEWSROOM_IMAGE_MAX_MB", "20")) * 1024 * 1024

# The formats renditions are made in besides JPEG, which is always made. AVIF and WebP make
# pages lighter for readers but take most of an upload's encoding time: a small server may
# keep WebP only, and the test suite, which isn't about them, makes JPEG only.
NEWSROOM_IMAGE_FORMATS = tuple(
    name.strip().upper()
    for name in os.environ.get("NEWSROOM_IMAGE_FORMATS", "avif,webp").split(",")
    if name.strip() and name.strip().upper() != "JPEG"
)
if unknown := set(NEWSROOM_IMAGE_FORMATS) - {"AVIF", "WEBP"}:
    raise ImproperlyConfigured(
        f"NEWSROOM_IMAGE_FORMATS lists {', '.join(sorted(unknown))}: renditions can be made "
        "in avif, webp and jpeg (always made), e.g. NEWSROOM_IMAGE_FORMATS=avif,webp."
    )

TAGGIT_CASE_INSENSITIVE = True

SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
SITE_DESCRIPTION = os.environ.get(
    "NEWSROOM_SITE_DESCRIPTION", f"News and analysis from {SITE_NAME}."
)

# Public pages may be kept this long by browsers and CDNs; conditional requests
# (ETag / Last-Modified) make revalidation cheap after that.
PUBLIC_CACHE_SECONDS = int(os.environ.get("NEWSROOM_CACHE_SECONDS", "60"))
# Part of every page's ETag: set it to the deployed revision so a new release's
# templates are fetched even where no content changed.
NEWSROOM_RELEASE = os.environ.get("NEWSROOM_RELEASE", "")

# Whole public pages for anonymous readers (articles/delivery/page_cache.py), and anything else
# cached: in each process's memory by default; in Redis, shared by every worker and
# host, when REDIS_URL is set (redis://host:6379/0).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, reusing its clients (articles/delivery/redis_cache.py).
            "BACKEND": "articles.delivery.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        },
        # The pages each worker served last, in front of Redis: a hot page needs no round
        # trip (docs/caching.md).
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 500},
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Django's default of 300 entries is less than a busy hour's pages.
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
NEWSROOM_PAGE_CACHE = os.environ.get("NEWSROOM_PAGE_CACHE", "1") != "0"
NEWSROOM_PAGE_CACHE_ALIAS = "default"
# The longest a stored page is served; a change ends it at once.
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "600"))

# A long article's form (every block's fields, nested in its sections) passes Django's
# default of 1,000 fields; refusing it would lose the editor's save.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# How long a shared preview link works for a colleague who is not signed in.
PREVIEW_LINK_MAX_AGE = int(os.environ.get("NEWSROOM_PREVIEW_DAYS", "3")) * 24 * 60 * 60

# Behind a TLS-terminating proxy, trust its X-Forwarded-Proto so absolute URLs
# (share links, canonical URLs) say https.
if os.environ.get("DJANGO_SECURE_PROXY", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SESSION_COOKIE_SECURE = os.environ.get("DJANGO_INSECURE_COOKIES", "") != "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# oEmbed, asked for an embed's title when an editor saves it (articles/embeds.py). The
# endpoints, merged over the built-in ones by provider, exist for tests' local server.
NEWSROOM_OEMBED_ENDPOINTS = {}
NEWSROOM_OEMBED_TIMEOUT = float(os.environ.get("NEWSROOM_OEMBED_TIMEOUT", "3"))
