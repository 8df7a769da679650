from functools import partial

from django.conf import settings

from .models import Category

# (the ETag of the content they were read in, the categories), replaced as one.
_navigation = {"current": (None, [])}


def navigation(request):
    """Every category, for the navigation that every page shows.

    On a public page the categories are remembered with the site's ETag (validators read
    for the request already): any change to a category moves it, so they are read again
    only after a change. Elsewhere, one query.
    """
    validators = getattr(request, "public_validators", None)
    if validators is None:
        return list(Category.objects.all())
    etag = validators[0]
    remembered_etag, categories = _navigation["current"]
    if remembered_etag != etag:
        categories = list(Category.objects.all())
        _navigation["current"] = (etag, categories)
    return categories


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        # Called (and so read) only by templates that show the navigation.
        "nav_categories": partial(navigation, request),
    }
