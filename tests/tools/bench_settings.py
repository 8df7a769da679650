"""The production settings, with the benchmark's ceiling beside the site's URLs."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "tests.tools.bench_urls"
