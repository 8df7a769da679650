"""Signed, expiring preview links for articles that readers can't see yet."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "articles.preview"


def preview_url(article):
    token = signing.TimestampSigner(salt=SALT).sign_object({"article": article.pk})
    return reverse("articles:preview", kwargs={"token": token})


def article_pk_from_token(token):
    """The article a preview token names; raises signing.SignatureExpired or BadSignature."""
    data = signing.TimestampSigner(salt=SALT).unsign_object(
        token, max_age=settings.PREVIEW_LINK_MAX_AGE
    )
    return data["article"]
