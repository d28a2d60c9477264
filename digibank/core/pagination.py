"""The API's page size. Its own module: DRF imports it while it loads, so it may import nothing of ours."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination


class Pagination(pagination.PageNumberPagination):
    """A page and a page size are whole numbers from 1 (the size up to 200): anything else is a 400, not a
    quietly different page. A page after the last is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()  # the schema says a page is a number

    def get_page_number(self, request, paginator):
        return self._whole_number(request, self.page_query_param, _("Choose a page number of 1 or more.")) or 1

    def get_page_size(self, request):
        message = _("Choose a page size from 1 to %(most)d.") % {"most": self.max_page_size}
        size = self._whole_number(request, self.page_size_query_param, message, most=self.max_page_size)
        return size or self.page_size

    @staticmethod
    def _whole_number(request, name, message, most=None):
        """The parameter's value, None when it is not given; refused when it is no whole number in range."""
        if name not in request.query_params:
            return None
        text = request.query_params[name]
        if not (text.isascii() and text.isdigit()):
            raise exceptions.ValidationError({name: [message]})
        digits = text.lstrip("0")
        number = int(digits or "0") if len(digits) <= 18 else 10**18  # a page far after the last, without int's limit
        if number < 1 or (most is not None and number > most):
            raise exceptions.ValidationError({name: [message]})
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
