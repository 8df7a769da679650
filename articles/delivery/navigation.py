"""The categories every page's navigation shows, read once per change of the content."""

from ..models import Category

# (the ETag of the content they were read in, the categories), replaced as one.
_remembered = {"current": (None, [])}


def categories(request):
    """Every category, once per request.

    On a public page they are remembered with the site's ETag (read for the request
    already): any change to a category moves it, so they are read again only after a
    change. Elsewhere, one query per request.
    """
    if not hasattr(request, "navigation_categories"):
        request.navigation_categories = _read(getattr(request, "public_validators", None))
    return request.navigation_categories


def _read(validators):
    if validators is None:
        return list(Category.objects.all())
    etag = validators[0]
    remembered_etag, found = _remembered["current"]
    if remembered_etag != etag:
        found = list(Category.objects.all())
        _remembered["current"] = (etag, found)
    return found
