"""Pages of a list: ``?page=`` (from 1) and ``?page_size=`` (1–200, default 50).

A page past the last answers 200 with no rows (a client paging until ``next`` is null never
sees an error); a page number that is not a whole number ≥ 1 answers 400 naming the field."""

import math

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _whole(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        if maximum is None:
            message = _("%(name)s 须为不小于 1 的整数。") % {"name": name}
        else:
            message = _("%(name)s 须为 1 到 %(max)s 之间的整数。") % {"name": name, "max": maximum}
        raise exceptions.ValidationError({name: [message]})
    return value


class PageNumberPagination(BasePagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page = _whole(request, "page", 1, maximum=10**6)
        self.page_size = _whole(request, "page_size", DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
        self.count = queryset.count()
        self.pages = max(1, math.ceil(self.count / self.page_size))
        if self.page > self.pages:
            return []
        start = (self.page - 1) * self.page_size
        return list(queryset[start : start + self.page_size])

    def _link(self, page: int | None):
        if page is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), "page", page)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "page": self.page,
                "pages": self.pages,
                "next": self._link(self.page + 1 if self.page < self.pages else None),
                "previous": self._link(self.page - 1 if 1 < self.page <= self.pages + 1 else None),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "page", "pages", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer"},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": 10**6},
                "description": "页码，从 1 开始；超过最后一页时返回空列表。",
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "description": f"每页条数，默认 {DEFAULT_PAGE_SIZE}。",
            },
        ]
