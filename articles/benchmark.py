"""The ceiling of `make bench`: a bare Django view returning fixed bytes, with no database.

Served only when NEWSROOM_BENCH_CEILING names a file (tests/tools/bench.py sets it to the
article page it measures), so the benchmark compares each page with the fastest Django
can answer the same bytes through the same middleware, in the same server.
"""

from pathlib import Path

from django.http import HttpResponse


def ceiling_view(path):
    content = Path(path).read_bytes()

    def ceiling(request):
        return HttpResponse(content)

    return ceiling
