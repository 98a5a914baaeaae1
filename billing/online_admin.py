"""« Paiements en ligne »: every PayFiP attempt, what PayFiP answered, and a button to ask
it again. Read-only: an online payment is only ever recorded from PayFiP's own answer."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portail.lib.formats import euros

from . import online
from .models import OnlineTransaction, TransactionState


@admin.register(OnlineTransaction)
class OnlineTransactionAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "refdet",
        "family",
        "amount_label",
        "state",
        "resultrans",
        "numauto",
        "payment",
        "error",
    )
    list_filter = ("state", "regie", "saisie")
    search_fields = ("refdet", "idop", "numauto", "family__name")
    date_hierarchy = "created_at"
    list_select_related = ("family", "payment")
    actions = ["check_with_payfip"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("montant"), ordering="amount")
    def amount_label(self, transaction: OnlineTransaction) -> str:
        return euros(transaction.amount)

    @admin.action(description=_("Demander le résultat à PayFiP"), permissions=["view"])
    def check_with_payfip(self, request, queryset):
        pending = queryset.filter(state=TransactionState.PENDING, idop__isnull=False)
        checked = [online.confirm(transaction) for transaction in pending]
        done = sum(not transaction.is_pending for transaction in checked)
        messages.info(
            request,
            ngettext(
                "%(checked)d paiement vérifié, %(done)d terminé.",
                "%(checked)d paiements vérifiés, %(done)d terminés.",
                len(checked),
            )
            % {"checked": len(checked), "done": done},
        )
