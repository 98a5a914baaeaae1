"""Invoices in the admin: filters, the treasury's CSV, read-only pages, credit notes and a
family's account, for Comptabilité; Enfance Jeunesse only reads."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from accounts.models import Family, User
from billing.models import Invoice, InvoiceKind, Method
from children.models import Child, School
from tests.billing.ledger import credit_note, invoice, payment
from tests.conftest import PASSWORD
from tests.helpers import page_text
from tests.messaging.files import pdf_bytes

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/billing/invoice/"
TODAY = datetime(2026, 11, 20, 10, 0)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(TODAY), tick=False)


@pytest.fixture
def petit(db) -> Family:
    """A family whose only child goes to another school."""
    family = Family.objects.create(name="PETIT", city="Valmont")
    Child.objects.create(
        family=family,
        first_name="Noé",
        last_name="PETIT",
        birth_date=date(2018, 1, 9),
        school=School.objects.create(name="École du Centre"),
    )
    return family


@pytest.fixture
def invoices(family, other_family, petit, regie_enfance, school_year) -> dict[str, Invoice]:
    regie = regie_enfance
    october = date(2026, 10, 1)
    paid = invoice(family, regie, period=october, total="30.00", pdf=pdf_bytes())
    payment(family, regie, amount="30.00", received=date(2026, 11, 4), settles=paid)
    partly = invoice(other_family, regie, period=october, total="40.00")
    payment(other_family, regie, amount="10.00", received=date(2026, 11, 6), settles=partly)
    note = credit_note(partly, total="4.00", issued=date(2026, 11, 8), reason="Grève")
    unpaid = invoice(petit, regie, period=october, total="25.00")
    overdue = invoice(family, regie, period=date(2026, 9, 1), total="20.00")  # due 31 October
    payment(family, regie, amount="5.00", received=date(2026, 10, 10), settles=overdue)
    return {"paid": paid, "partly": partly, "note": note, "unpaid": unpaid, "overdue": overdue}


def shown(response) -> list[str]:
    assert response.status_code == 200
    return sorted(invoice.number for invoice in response.context["cl"].result_list)


def numbers(*invoices: Invoice) -> list[str]:
    return sorted(invoice.number for invoice in invoices)


def test_the_list_shows_amounts_paid_and_remaining(agent_client, invoices):
    page = page_text(agent_client.get(CHANGELIST))
    for text in ("40,00\u00a0€", "10,00\u00a0€", "26,00\u00a0€", "-4,00\u00a0€", "Octobre 2026"):
        assert text in page, text
    assert "Payée en partie" in page and "En retard" in page


@pytest.mark.parametrize(
    ("status", "expected"),
    [("paid", "paid"), ("partly", "partly"), ("unpaid", "unpaid"), ("overdue", "overdue")],
)
def test_the_status_filter(agent_client, invoices, status, expected):
    response = agent_client.get(CHANGELIST, {"etat": status})
    assert shown(response) == numbers(invoices[expected])


def test_the_month_filter(agent_client, invoices):
    september = shown(agent_client.get(CHANGELIST, {"mois": "2026-09"}))
    assert september == numbers(invoices["overdue"])
    october = shown(agent_client.get(CHANGELIST, {"mois": "2026-10"}))
    assert len(october) == 4  # three invoices and the credit note on one of them


def test_the_school_filter_keeps_families_with_a_child_there(agent_client, invoices, petit):
    centre = School.objects.get(name="École du Centre")
    assert shown(agent_client.get(CHANGELIST, {"ecole": centre.pk})) == numbers(invoices["unpaid"])


def test_the_regie_and_kind_filters(agent_client, invoices, regie_enfance):
    assert len(shown(agent_client.get(CHANGELIST, {"regie__id__exact": regie_enfance.pk}))) == 5
    notes = shown(agent_client.get(CHANGELIST, {"kind__exact": InvoiceKind.CREDIT_NOTE}))
    assert notes == numbers(invoices["note"])


def test_a_hand_edited_filter_is_not_an_error(agent_client, invoices):
    response = agent_client.get(CHANGELIST, {"mois": "novembre"})
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_the_list_runs_the_same_queries_with_more_invoices(
    agent_client, invoices, family, regie_enfance, django_assert_max_num_queries
):
    agent_client.get(CHANGELIST)
    with django_assert_max_num_queries(20) as few:
        agent_client.get(CHANGELIST)
    for month in (1, 2, 3, 4, 5, 6):
        made = invoice(family, regie_enfance, period=date(2026, month, 1), total="12.00")
        payment(family, regie_enfance, amount="2.00", received=made.due_date, settles=made)
    with django_assert_max_num_queries(len(few)):
        agent_client.get(CHANGELIST)


def test_the_treasury_csv_of_a_month(agent_client, invoices):
    response = agent_client.get(f"{CHANGELIST}export/", {"mois": "2026-10"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="factures-2026-10.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Numéro;Type;Date;Mois facturé;Famille;Payeur;Régie;Montant;Payé;Reste à payer"
    )
    partly, note = invoices["partly"], invoices["note"]
    assert (
        f"{partly.number};Facture;01/11/2026;10/2026;DURAND;Claire DURAND;Régie enfance;"
        "40,00;10,00;26,00"
    ) in lines
    assert (
        f"{note.number};Avoir;08/11/2026;10/2026;DURAND;Claire DURAND;Régie enfance;-4,00;;"
        in lines
    )
    assert len(lines) == 5
    assert invoices["overdue"].number not in response.content.decode("utf-8-sig")


def test_the_csv_of_a_selection(agent_client, invoices):
    response = agent_client.post(
        CHANGELIST,
        {"action": "export_selected", "_selected_action": [invoices["unpaid"].pk]},
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[1].endswith(";PETIT;Claire PETIT;Régie enfance;25,00;0,00;25,00")


def test_the_invoice_page_is_read_only_with_its_lines_and_pdf(agent_client, family, regie_enfance):
    made = invoice(
        family,
        regie_enfance,
        period=date(2026, 10, 1),
        total="28.20",
        lines=[("Léa MARTIN", "Restauration scolaire — repas", 12, "2.35")],
        pdf=pdf_bytes(),
    )
    page = page_text(agent_client.get(f"{CHANGELIST}{made.pk}/change/"))
    assert "Restauration scolaire — repas" in page
    assert "28,20\u00a0€" in page
    assert 'name="_save"' not in page
    assert f"{CHANGELIST}{made.pk}/pdf/" in page
    assert "Créer un avoir" in page
    response = agent_client.get(f"{CHANGELIST}{made.pk}/pdf/")
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_missing_pdf_is_said_not_remade(agent_client, invoices):
    unpaid = invoices["unpaid"]
    response = agent_client.get(f"{CHANGELIST}{unpaid.pk}/pdf/", follow=True)
    assert "manque : il n'est pas refait" in page_text(response)
    unpaid.refresh_from_db()
    assert not unpaid.pdf


def test_invoices_are_never_added_changed_nor_deleted(agent_client, invoices):
    paid = invoices["paid"]
    assert agent_client.get(f"{CHANGELIST}add/").status_code == 403
    assert agent_client.get(f"{CHANGELIST}{paid.pk}/delete/").status_code == 403
    agent_client.post(f"{CHANGELIST}{paid.pk}/change/", {"total": "1.00", "payer_name": "X"})
    paid.refresh_from_db()
    assert (paid.total, paid.payer_name) == (Decimal("30.00"), "Claire MARTIN")


def test_the_credit_note_action_asks_amount_and_reason(agent_client, invoices, family):
    unpaid = invoices["unpaid"]
    response = agent_client.post(
        CHANGELIST, {"action": "create_credit_note", "_selected_action": [unpaid.pk]}
    )
    assert response.status_code == 302
    form_url = f"{CHANGELIST}{unpaid.pk}/avoir/"
    assert response.url == form_url
    assert "Reste à créditer au plus" in page_text(agent_client.get(form_url))

    too_much = agent_client.post(form_url, {"amount": "30,00", "reason": "Erreur de tarif"})
    assert too_much.status_code == 400
    assert "dépasse ce qui reste à créditer" in page_text(too_much)
    assert not unpaid.credit_notes.exists()

    done = agent_client.post(form_url, {"amount": "7,50", "reason": "Erreur de tarif"})
    note = unpaid.credit_notes.get()
    assert done.url == f"{CHANGELIST}{note.pk}/change/"
    assert (note.total, note.reason, note.kind) == (
        Decimal("7.50"),
        "Erreur de tarif",
        InvoiceKind.CREDIT_NOTE,
    )


def test_the_credit_note_action_takes_one_invoice(agent_client, invoices):
    response = agent_client.post(
        CHANGELIST,
        {
            "action": "create_credit_note",
            "_selected_action": [invoices["paid"].pk, invoices["unpaid"].pk],
        },
        follow=True,
    )
    assert "Un avoir se fait sur une seule facture" in page_text(response)
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_the_family_account_shows_its_statement(agent_client, invoices, family, previous_year):
    url = f"{CHANGELIST}famille/{family.pk}/"
    page = page_text(agent_client.get(url))
    assert "Compte de la famille MARTIN" in page
    assert "Relevé des opérations — année scolaire 2026-2027" in page
    assert "Ancien Solde : 0,00\u00a0€" in page
    # 30,00 + 20,00 issued, 30,00 + 5,00 received.
    assert "Solde du Compte pour l'année scolaire : 15,00\u00a0€" in page
    assert f"{CHANGELIST}{invoices['paid'].pk}/change/" in page
    assert invoices["partly"].number not in page  # another family's
    listed = shown(agent_client.get(CHANGELIST, {"family__id__exact": family.pk}))
    assert listed == numbers(invoices["paid"], invoices["overdue"])


def test_the_family_page_links_to_its_account(agent_client, family):
    page = agent_client.get(f"/admin/accounts/family/{family.pk}/change/").content.decode()
    assert f'href="{CHANGELIST}famille/{family.pk}/"' in page


def test_enfance_jeunesse_reads_but_does_not_credit(invoices, family, reference_data):
    reader = User.objects.create_user("animatrice", password=PASSWORD, is_staff=True)
    reader.groups.add(Group.objects.get(name="Enfance Jeunesse"))
    client = Client()
    client.force_login(reader)
    assert client.get(CHANGELIST).status_code == 200
    assert client.get(f"{CHANGELIST}famille/{family.pk}/").status_code == 200
    assert client.get(f"{CHANGELIST}{invoices['unpaid'].pk}/avoir/").status_code == 403
    assert client.get("/admin/billing/tariff/").status_code == 403


def test_staff_without_billing_rights_see_no_account(invoices, family):
    clerk = User.objects.create_user("stagiaire", password=PASSWORD, is_staff=True)
    client = Client()
    client.force_login(clerk)
    assert client.get(f"{CHANGELIST}famille/{family.pk}/").status_code == 403
    assert client.get(f"{CHANGELIST}export/").status_code == 403


def test_parents_cannot_reach_it(parent_client, invoices):
    assert parent_client.get(CHANGELIST).url.startswith("/admin/login/")


def test_payments_are_listed_and_filtered_and_added_at_the_cash_desk(agent_client, invoices):
    response = agent_client.get("/admin/billing/payment/", {"method__exact": Method.CHEQUE})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 3
    desk = agent_client.get("/admin/billing/payment/add/")  # the cash desk, not a ModelForm
    assert "Enregistrer le paiement" in desk.content.decode()


def test_regies_and_tariffs_are_set_up_here(agent_client, regie_enfance):
    assert agent_client.get(f"/admin/billing/regie/{regie_enfance.pk}/change/").status_code == 200
    assert agent_client.get("/admin/billing/tariff/add/").status_code == 200
