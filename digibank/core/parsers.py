"""The API's parsers: a body that cannot be read is a 400 on every endpoint. Their own module (not api.py):
DRF's APIView reads the parser setting while it loads, so this may import nothing of ours."""

from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


class ReadsEveryBody:
    """Whatever breaks while reading a body is DRF's ParseError: JSON nested deeper than Python recurses,
    a form with more fields than Django allows."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)  # type: ignore[misc]
        except RecursionError:
            raise exceptions.ParseError(_("The body is nested too deeply to be read.")) from None
        except SuspiciousOperation:
            raise exceptions.ParseError(_("The body has too many fields or is too large.")) from None


class JSONParser(ReadsEveryBody, parsers.JSONParser):
    pass


class FormParser(ReadsEveryBody, parsers.FormParser):
    pass


class MultiPartParser(ReadsEveryBody, parsers.MultiPartParser):
    pass
