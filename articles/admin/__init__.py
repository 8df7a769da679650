"""The editors' admin: the article form and list (articles.py, the list's actions in
actions.py), the photo library with where each photo is used (library.py), and who signs
in, categories and authors (people.py)."""

from . import library, people  # noqa: F401 (their admins register themselves)
from .articles import ArticleAdmin, can_publish  # noqa: F401
