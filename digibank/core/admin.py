from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class StaffAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("digibank", {"fields": ("department_role",)}))
    list_display = ["username", "email", "first_name", "last_name", "department_role", "is_active"]
