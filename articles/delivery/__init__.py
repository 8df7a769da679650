"""Delivery: how articles reach readers quickly, on top of the content and the photo library.

- changes.py: the change map. Which articles each model's change affects, and the one step
  after every commit that brings the derived data up to date (stored parts, search
  documents, the site's validators).
- rendered.py: article parts (cards, body, feed item, page facts) rendered ahead of readers
  and stored.
- validators.py: the site's ETag and Last-Modified, and the public pages' cache policy.
- page_cache.py: whole public pages for anonymous readers, keyed by the ETag.
- navigation.py: the categories every page shows, read once per change.
- redis_cache.py: Django's Redis backend with reused clients.
- checks.py: a system check that counts articles with out-of-date stored parts.

docs/caching.md sets out the design, its invariants and its staleness bound.
"""
