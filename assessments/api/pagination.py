from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """Lists in pages ordered by id, so following `next` never skips or repeats a row that did
    not change meanwhile."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
