"""Page pagination for the partner API: ?page=N, and ?page_size= up to MAX_PAGE_SIZE."""

from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
