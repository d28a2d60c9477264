"""The API's page size. Its own module: DRF imports it while it loads, so it may import nothing of ours."""

from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
