from django.contrib import admin

from .models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_cy", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_en", "name_cy"]
    exclude = ["boundary"]
