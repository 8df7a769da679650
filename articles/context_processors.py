from functools import partial

from django.conf import settings

from .delivery import navigation


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        # Called (and so read) only by templates that show the navigation.
        "nav_categories": partial(navigation.categories, request),
    }
