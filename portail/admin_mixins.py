"""Small behaviours shared by several admin pages."""


class ReadOnlyAdminMixin:
    """Nobody adds, changes or deletes here: a log, or records written only by the portal.

    Viewing stays governed by the view permission (or the admin's own has_view_permission).
    Works for a ModelAdmin and for an inline (whose has_add_permission also receives obj)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
