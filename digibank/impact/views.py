from django.core.paginator import Paginator
from django.views import generic

from digibank.core.roles import Perm
from digibank.core.views import StaffView

from . import selectors


class Reach(StaffView, generic.TemplateView):
    """How many people each digibank reaches, for the Department: counts below 5 are not shown."""

    permission = Perm.DEPARTMENT_VIEW
    template_name = "impact/reach.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.reach_per_digibank(), 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            rows=page.object_list, page_obj=page, is_paginated=page.has_other_pages(), **kwargs
        )
