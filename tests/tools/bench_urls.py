"""The ceiling of `make bench`: a bare Django view returning fixed bytes, with no database.

The benchmark's servers run with bench_settings.py, whose URLconf is this one: the site's
own URLs, plus /bench/ceiling/ answering the bytes of the file NEWSROOM_BENCH_CEILING
names (the article page it measures). So each page is compared with the fastest Django
can answer the same bytes through the same middleware, in the same server.
"""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import include, path


def ceiling_view(file_name):
    content = Path(file_name).read_bytes()

    def ceiling(request):
        return HttpResponse(content)

    return ceiling


urlpatterns = [path("", include("newsroom.urls"))]
if os.environ.get("NEWSROOM_BENCH_CEILING"):
    urlpatterns.insert(
        0, path("bench/ceiling/", ceiling_view(os.environ["NEWSROOM_BENCH_CEILING"]))
    )
