from django.conf import settings

from .models import Category


def site(request):
    # A lazy queryset: evaluated (one query) only by templates that show the navigation.
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "nav_categories": Category.objects.all(),
    }
