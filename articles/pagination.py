"""Pages of an article list that never count the whole list.

Django's Paginator counts every matching row to number the last page. On the front page
that is every published article: a query that grows with the archive (33 ms at 100,000
articles on PostgreSQL, several times the rest of the page). Readers move through news
with "Newer" and "Older", so list pages fetch one row more than they show instead, which
is enough to know whether there is an older page.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


class UncountedPaginator(Paginator):
    """A Paginator whose pages know their neighbours but not how many pages there are."""

    num_pages = None

    @property
    def count(self):
        raise TypeError("An UncountedPaginator never counts its objects; use Paginator.")

    def validate_number(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return UncountedPage(
            rows[: self.per_page], number, self, has_next=len(rows) > self.per_page
        )


class UncountedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_next):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next
