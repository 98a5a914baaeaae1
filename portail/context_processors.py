from django.conf import settings
from django.http import HttpRequest

# The seed's tabs, in its order: (label, URL name, URL namespace whose every page lights
# the tab up, if the tab owns one). "Déconnexion" is a form, not a link.
TABS = [
    ("Accueil", "portail:home", None),
    ("Mon compte", "accounts:account", None),
    ("Mes enfants", "children:list", "children"),
    ("Réservations", "portail:reservations", None),
    ("Factures", "portail:invoices", None),
    ("Boîte de réception", "messaging:inbox", "messaging"),
    ("Nous contacter", "portail:contact", None),
    ("Infos./Documents", "portail:infos", None),
]


def portal(request: HttpRequest) -> dict:
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    namespace = match.namespace if match else ""
    return {
        "COMMUNE_NAME": settings.COMMUNE_NAME,
        "COMMUNE_PHONE": settings.COMMUNE_PHONE,
        "tabs": [
            {
                "label": label,
                "url_name": name,
                "active": current == name or (section is not None and section == namespace),
            }
            for label, name, section in TABS
        ],
    }
