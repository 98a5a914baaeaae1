"""What the simulated PayFiP does: validate and record an idOp, report it, let the payer decide.

Codes P1 (unknown or expired idOp) and P5 (payment in progress) are PayFiP's own. The
codes refusing a bad creation request (NUMCLI, MONTANT, REFDET…) are the simulator's:
PayFiP refuses the same inputs, production code should only rely on « a PayFiPError ».

Anyone may reach a demo server's simulator, so it serves its portal only (see portal.py):
it takes only the payments the portal is opening, tells their outcome only for the idOps
the portal holds, and calls or sends the payer back only to the portal's own address.
"""

import logging
import re
from datetime import datetime

import requests
from django.conf import settings
from django.utils import timezone

from . import portal
from .models import DECISION_WINDOW, DECISIONS, Result, Saisie, SimulatedPayment

logger = logging.getLogger(__name__)

MIN_MONTANT = 100  # 1,00 €: PayFiP's smallest payment, in cents
MAX_MONTANT = 10_000_000  # 100 000,00 €
# The notification is a server-to-server call made while the payer waits.
NOTIFY_TIMEOUT_SECONDS = 5
MONTANT_MESSAGE = (
    "Montant invalide : un nombre entier de centimes de 100 (1 €) à 10 000 000 attendu."
)
# Where the simulator may send a notification or the payer: the portal, nowhere else.
ADDRESSES = (
    (
        "urlnotif",
        "URLNOTIF",
        "URL de notification refusée : le simulateur ne notifie que le portail qui l'héberge.",
    ),
    (
        "urlredirect",
        "URLREDIRECT",
        "URL de retour refusée : le simulateur ne renvoie le payeur que vers le portail qui "
        "l'héberge.",
    ),
)
UNKNOWN_PAYMENT = (
    "Paiement inconnu : le portail n'a ouvert aucun paiement de ce montant pour cette "
    "référence et ce numéro client."
)

_RULES = (
    ("numcli", re.compile(r"[0-9]{6}"), "NUMCLI", "Numéro client invalide : 6 chiffres attendus."),
    (
        "saisie",
        re.compile("|".join(Saisie.values)),
        "SAISIE",
        "Type de saisie invalide : T (test), X (activation) ou W (production) attendu.",
    ),
    ("exer", re.compile(r"[0-9]{4}"), "EXER", "Exercice invalide : une année sur 4 chiffres."),
    (
        "montant",
        re.compile(r"[0-9]{1,9}"),
        "MONTANT",
        MONTANT_MESSAGE,
    ),
    (
        "refdet",
        re.compile(r"[A-Za-z0-9]{1,30}"),
        "REFDET",
        "Référence invalide : 1 à 30 lettres ou chiffres attendus.",
    ),
    ("mel", re.compile(r"[^@\s]+@[^@\s]+"), "MEL", "Adresse e-mail invalide."),
    (
        "objet",
        re.compile(r"[A-Za-z0-9 ]{0,100}"),
        "OBJET",
        "Objet invalide : 100 lettres non accentuées, chiffres ou espaces au plus.",
    ),
    (
        "urlnotif",
        re.compile(r"https?://\S{1,242}"),
        "URLNOTIF",
        "URL de notification invalide : une adresse http(s) de 250 caractères au plus.",
    ),
    (
        "urlredirect",
        re.compile(r"https?://\S{1,242}"),
        "URLREDIRECT",
        "URL de retour invalide : une adresse http(s) de 250 caractères au plus.",
    ),
)


class PayFiPFault(Exception):
    """A functional error, answered as PayFiP's FonctionnelleErreur fault."""

    def __init__(self, code: str, descriptif: str, libelle: str = "") -> None:
        super().__init__(code, descriptif)
        self.code = code
        self.descriptif = descriptif
        self.libelle = libelle or descriptif


def create_payment(*, fields: dict[str, str | None]) -> SimulatedPayment:
    """creerPaiementSecurise: a new idOp for a valid request, or the first error found."""
    values = {name: (value or "").strip() for name, value in fields.items()}
    for name, pattern, code, message in _RULES:
        value = values.get(name, "")
        if not pattern.fullmatch(value) or (name == "mel" and not 6 <= len(value) <= 80):
            raise PayFiPFault(code, message, f"Paramètre {name} invalide")
    montant = int(values["montant"])
    if not MIN_MONTANT <= montant <= MAX_MONTANT:
        raise PayFiPFault("MONTANT", MONTANT_MESSAGE, "Paramètre montant invalide")
    for name, code, message in ADDRESSES:
        if not portal.on_portal(values[name]):
            raise PayFiPFault(code, message, f"Paramètre {name} refusé")
    if not portal.payable(
        numcli=values["numcli"], exer=values["exer"], refdet=values["refdet"], montant=montant
    ):
        raise PayFiPFault("REFDET", UNKNOWN_PAYMENT, "Paiement inconnu du portail")
    already_paid = SimulatedPayment.objects.filter(
        numcli=values["numcli"],
        exer=values["exer"],
        refdet=values["refdet"],
        resultrans__in=[Result.PAID, Result.PAID_DIRECT_DEBIT],
    ).exists()
    if already_paid:
        raise PayFiPFault("DEJA_PAYE", "Cette référence a déjà été payée.", "Titre déjà payé")
    return SimulatedPayment.objects.create(
        numcli=values["numcli"],
        saisie=values["saisie"],
        exer=values["exer"],
        refdet=values["refdet"],
        montant=montant,
        mel=values["mel"],
        objet=values["objet"],
        urlnotif=values["urlnotif"],
        urlredirect=values["urlredirect"],
    )


def payment_details(*, idop: str | None, at: datetime) -> SimulatedPayment:
    """recupererDetailPaiementSecurise: a decided payment, else P1 (unknown) or P5 (waiting)."""
    payment = known_payment(idop=idop, at=at)
    if payment is None:
        raise PayFiPFault("P1", "IdOp incorrect ou expiré.", "Opération inconnue")
    if not payment.is_decided:
        raise PayFiPFault("P5", "Transaction en cours.", "Paiement en cours")
    return payment


def known_payment(*, idop: str | None, at: datetime) -> SimulatedPayment | None:
    """The idOp's payment if the simulator issued it for a transaction the portal holds, and
    PayFiP would not have forgotten it yet; None otherwise."""
    payment = SimulatedPayment.objects.filter(idop=idop or "").first()
    if payment is None or payment.is_forgotten(at) or not portal.opened(payment):
        return None
    return payment


def client_details(*, numcli: str | None) -> dict[str, str]:
    """recupererDetailClient: any 6-digit client exists in the simulator."""
    if not re.fullmatch(r"[0-9]{6}", numcli or ""):
        raise PayFiPFault("NUMCLI", "Numéro client invalide : 6 chiffres attendus.")
    return {
        "libelleN1": "SIMULATEUR PAYFIP",
        "libelleN2": getattr(settings, "COMMUNE_NAME", ""),
        "libelleN3": "Régie de test",
        "numcli": numcli,
    }


def decide(*, payment: SimulatedPayment, result: str, at: datetime) -> bool:
    """The payer's one decision; False when already decided or too late (nothing changes)."""
    if result not in DECISIONS:
        raise ValueError(f"Décision inconnue : {result!r}")
    fields = SimulatedPayment.decision_fields(result, at)
    # One conditional UPDATE: two clicks at once cannot both decide.
    decided = SimulatedPayment.objects.filter(
        pk=payment.pk, resultrans=Result.PENDING, created_at__gt=at - DECISION_WINDOW
    ).update(**fields)
    if decided:
        for name, value in fields.items():
            setattr(payment, name, value)
    return bool(decided)


def notify(payment: SimulatedPayment) -> bool:
    """PayFiP's server-to-server notice: POST `idOp=<idop>` to urlnotif. Failures are logged.

    Only to the portal's own address, checked again here (a row written before the check,
    PORTAL_URL changed since), and without following redirects elsewhere.
    """
    if not portal.on_portal(payment.urlnotif):
        logger.warning(
            "PayFiP simulé : notification %s refusée, adresse hors du portail", payment.idop
        )
        return False
    try:
        answer = requests.post(
            payment.urlnotif,
            data={"idOp": payment.idop},
            timeout=NOTIFY_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        logger.warning(
            "PayFiP simulé : notification %s vers %s échouée : %s",
            payment.idop,
            payment.urlnotif,
            error,
        )
        return False
    if not answer.ok or answer.is_redirect:
        logger.warning(
            "PayFiP simulé : notification %s vers %s : HTTP %s",
            payment.idop,
            payment.urlnotif,
            answer.status_code,
        )
        return False
    payment.notified_at = timezone.now()
    SimulatedPayment.objects.filter(pk=payment.pk).update(notified_at=payment.notified_at)
    return True
