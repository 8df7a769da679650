"""Previews: articles as readers will see them, and signed, expiring links to share them."""

from django.conf import settings
from django.core import signing
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from . import metadata
from .delivery import rendered
from .models import Article

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


def render_preview(request, article_pk, *, share_link=None, unsaved=False):
    """The article exactly as readers will see it, marked so nobody indexes it.

    `unsaved` says the article was saved only inside a transaction that will be rolled
    back: the page shows the editor's form as it is, not what is saved.
    """
    article = get_object_or_404(Article.objects.for_listing().with_body(), pk=article_pk)
    # Rendered now, never stored: a preview shows what is saved at this moment.
    parts = rendered.render_parts(article)
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "object": article,
            "parts": parts,
            "is_preview": True,
            "share_url": request.build_absolute_uri(article.get_absolute_url()),
            "preview_share_link": share_link,
            "preview_of_unsaved_form": unsaved,
            "page_meta": metadata.for_article(request, parts.facts, robots="noindex, nofollow"),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is in this page's URL: never let it leak to other sites.
    response["Referrer-Policy"] = "no-referrer"
    return response
