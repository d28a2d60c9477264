"""Django's admin, for superusers only: a safety net, never an everyday path."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Digibank, Hub, HubException, Membership, OpeningHours, Partner


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Digibank)
class DigibankAdmin(SimpleHistoryAdmin):
    list_display = ["name", "phase"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["service_area"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "digibank", "kind", "left_on"]
    list_filter = ["kind", "digibank"]
    search_fields = ["name", "enterprise_number"]


@admin.register(Hub)
class HubAdmin(SimpleHistoryAdmin):
    list_display = ["name", "digibank", "municipality", "closed_on"]
    list_filter = ["digibank"]
    inlines = [OpeningHoursInline]
    raw_id_fields = ["municipality"]


@admin.register(HubException)
class HubExceptionAdmin(SimpleHistoryAdmin):
    list_display = ["hub", "starts_on", "ends_on", "reason"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "digibank", "role", "is_active"]
    list_filter = ["role", "digibank", "is_active"]
    raw_id_fields = ["user"]
