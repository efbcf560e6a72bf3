"""Pagination for the partner API.

- ApiPagination: ?page=N, and ?page_size= up to MAX_PAGE_SIZE (the short lists).
- KeysetPagination: ?cursor=, for lists that may hold thousands of rows (assets). A page is
  the rows after (or before) the last row of the page before it in the list's order, found by
  an index: no page counts through the rows before it, however deep it is. The order always
  ends with `id`, so rows that tie on the field asked for never repeat or go missing between
  pages. The cursor is signed: one made up or edited is refused with a 400 naming `cursor`.
"""

from datetime import date, datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.sql.constants import CURSOR
from django.utils.translation import gettext as _
from rest_framework.pagination import BasePagination, PageNumberPagination, _positive_int
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

MAX_PAGE_SIZE = 500


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


def _plain(value):
    """A row's value as the cursor's JSON keeps it; a lookup takes it back as it was."""
    return value.isoformat() if isinstance(value, datetime | date) else value


def after(ordering: tuple[str, ...], values: list, *, before: bool = False) -> Q:
    """The rows after `values` in `ordering` (before them with before=True): the first field
    past its value, or equal to it and the next field past its value, and so on; with the
    first field's own range first, so that the database reads the range from an index."""
    past = Q()
    for n in reversed(range(len(ordering))):
        name = ordering[n].lstrip("-")
        upward = ordering[n].startswith("-") == before
        step = Q(**{f"{name}__{'gt' if upward else 'lt'}": values[n]})
        past = step if n == len(ordering) - 1 else step | (Q(**{name: values[n]}) & past)
    first = ordering[0].lstrip("-")
    upward = ordering[0].startswith("-") == before
    return Q(**{f"{first}__{'gte' if upward else 'lte'}": values[0]}) & past


def values_fetch(queryset) -> list[dict]:
    """The rows of a `values()` queryset, as iterating it gives them, read at once from a
    plain cursor and converted only where a column has a converter (a JSONField; SQLite's
    dates and times): on a page of 500 assets Django's iteration, a generator of converters
    per row and reads of 100 rows at a time, cost as much as the query (bench/api.py)."""
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    cursor = compiler.execute_sql(CURSOR)
    if cursor is None:  # a filter that can match nothing (pk__in=[]): no query was made
        return []
    with cursor:
        rows = cursor.fetchall()
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    selected = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    converters = [
        (n, functions, expression)
        for n, (functions, expression) in compiler.get_converters(selected).items()
    ]
    if not converters:
        # strict=False: columns the order adds to the select come last and are left out
        return [dict(zip(names, row, strict=False)) for row in rows]
    connection = compiler.connection
    page = []
    for row in rows:
        row = list(row)
        for n, functions, expression in converters:
            for function in functions:
                row[n] = function(row[n], expression, connection)
        page.append(dict(zip(names, row, strict=False)))
    return page


class KeysetPagination(BasePagination):
    """Pages by cursor over `values()` rows, in the view's order (its OrderingFilter's) with
    `id` last. `count` is every row the filters give, on the first page only (counted on the
    view's `filtered` queryset, the table alone, when it has one); null on the pages after,
    which never count the table."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    salt = "core.api_pages.cursor"

    def ordering_of(self, request, queryset, view) -> tuple[str, ...]:
        ordering = []
        for backend in getattr(view, "filter_backends", []):
            if hasattr(backend, "get_ordering"):
                ordering = list(backend().get_ordering(request, queryset, view) or [])
                break
        ordering = ordering or list(getattr(view, "ordering", None) or [])
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering.append("id")
        return tuple(ordering)

    def cursor_of(self, request) -> tuple[bool, list] | None:
        """(before, values) from ?cursor=, None without one; a ValidationError naming the
        parameter when it was not made here for this order."""
        token = request.query_params.get(self.cursor_query_param)
        if token is None:
            return None
        try:
            cursor = signing.loads(token, salt=self.salt)
            ordering, before, values = cursor["o"], cursor["b"], cursor["v"]
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            ordering = None
        if ordering != list(self.ordering) or len(values) != len(ordering):
            raise ValidationError(
                {
                    self.cursor_query_param: _(
                        "This page link is not valid for this list: start again from the "
                        "first page and follow next."
                    )
                }
            )
        return bool(before), values

    def link(self, row: dict | None, *, before: bool) -> str | None:
        if row is None:
            return None
        values = [_plain(row[field.lstrip("-")]) for field in self.ordering]
        token = signing.dumps({"o": self.ordering, "b": before, "v": values}, salt=self.salt)
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def get_page_size(self, request) -> int:
        try:
            return _positive_int(
                request.query_params[self.page_size_query_param],
                strict=True,
                cutoff=self.max_page_size,
            )
        except (KeyError, ValueError):
            return self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.ordering_of(request, queryset, view)
        cursor = self.cursor_of(request)
        before, values = cursor or (False, None)
        self.count = None if cursor else getattr(view, "filtered", queryset).count()
        ordering = self.ordering
        if before:
            ordering = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in ordering)
        if values is not None:
            queryset = queryset.filter(after(self.ordering, values, before=before))
        rows = values_fetch(queryset.order_by(*ordering)[: self.page_size + 1])
        more = len(rows) > self.page_size
        page = rows[: self.page_size]
        if before:
            page.reverse()
            has_previous, has_next = more, True
        else:
            has_previous, has_next = values is not None, more
        self.next = self.link(page[-1] if has_next and page else None, before=False)
        self.previous = self.link(page[0] if has_previous and page else None, before=True)
        return page

    def get_next_link(self):
        return self.next

    def get_previous_link(self):
        return self.previous

    def get_paginated_response(self, data):
        return Response(
            {"count": self.count, "next": self.next, "previous": self.previous, "results": data}
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "example": 312,
                    "description": "Every row the filters give: on the first page (no "
                    "`cursor`) only, null on the others.",
                },
                "next": {**link, "description": "The next page: follow it until it is null."},
                "previous": {**link, "description": "The page before, null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where a page starts: take it from `next` or `previous`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows a page, {self.page_size} unless asked, at most "
                f"{self.max_page_size}.",
                "schema": {"type": "integer"},
            },
        ]
