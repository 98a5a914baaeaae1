from django.conf import settings
from django.http import HttpRequest

# The seed's tabs, in its order: (label, URL name, prefixes of the other views that belong
# to the tab and light it up). "Déconnexion" is a form, not a link.
TABS = [
    ("Accueil", "portail:home", ()),
    (
        "Mon compte",
        "accounts:account",
        (
            "accounts:password_change",
            "accounts:section_edit",
            "accounts:guardian_",
            "accounts:change_request",
            "messaging:document",
        ),
    ),
    ("Mes enfants", "children:list", ("children:",)),
    ("Réservations", "reservations:month", ("reservations:",)),
    ("Factures", "billing:statement", ("billing:",)),
    ("Boîte de réception", "messaging:inbox", ("messaging:detail", "messaging:attachment")),
    ("Nous contacter", "messaging:contact", ("messaging:contact_",)),
    ("Infos./Documents", "messaging:infos", ("messaging:form",)),
]


def portal(request: HttpRequest) -> dict:
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    return {
        "COMMUNE_NAME": settings.COMMUNE_NAME,
        "COMMUNE_PHONE": settings.COMMUNE_PHONE,
        "tabs": [
            {
                "label": label,
                "url_name": name,
                "active": current == name or current.startswith(inner),
            }
            for label, name, inner in TABS
        ],
    }
