from django.conf import settings
from django.http import HttpRequest

# The seed's tabs, in its order: (label, URL name). "Déconnexion" is a form, not a link.
TABS = [
    ("Accueil", "portail:home"),
    ("Mon compte", "accounts:account"),
    ("Mes enfants", "children:list"),
    ("Réservations", "portail:reservations"),
    ("Factures", "portail:invoices"),
    ("Boîte de réception", "portail:inbox"),
    ("Nous contacter", "portail:contact"),
    ("Infos./Documents", "portail:infos"),
]


def portal(request: HttpRequest) -> dict:
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    return {
        "COMMUNE_NAME": settings.COMMUNE_NAME,
        "COMMUNE_PHONE": settings.COMMUNE_PHONE,
        "tabs": [
            {"label": label, "url_name": name, "active": current == name} for label, name in TABS
        ],
    }
