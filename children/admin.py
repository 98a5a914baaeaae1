from django.contrib import admin

from .models import Child, School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "address")
    search_fields = ("name",)


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "birth_date", "school", "school_class", "family")
    list_filter = ("school", "school_class")
    list_select_related = ("school", "family")
    search_fields = ("first_name", "last_name", "family__name")
    autocomplete_fields = ("family", "school")
