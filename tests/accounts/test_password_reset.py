import pytest
from django.core import mail

from accounts.models import User
from messaging.models import OutgoingEmail
from messaging.services import send_pending_emails

pytestmark = pytest.mark.django_db

URL = "/connexion/mot-de-passe-oublie/"


def ask_reset(client, email):
    """Ask for the link, then let the cron command deliver the queued e-mail."""
    response = client.post(URL, {"email": email})
    send_pending_emails()
    return response


def reset_link(message) -> str:
    line = next(line for line in message.body.splitlines() if "/connexion/reinitialiser/" in line)
    return line.split("testserver", 1)[1]


def test_a_parent_gets_a_reset_link_by_email(client, parent):
    response = client.post(URL, {"email": parent.email})
    assert response.status_code == 302
    assert response.url == "/connexion/mot-de-passe-oublie/envoye/"
    # The page answers without waiting for a mail server: the e-mail is queued.
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().to == parent.email
    send_pending_emails()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [parent.email]
    assert "nouveau mot de passe" in message.subject
    assert "« claire »" in message.body
    assert message.alternatives  # an HTML part too


def test_following_the_link_sets_a_chosen_password(client, parent):
    parent.set_temporary_password("Tmp-Abcd-2345")
    parent.save()
    ask_reset(client, parent.email)
    form_url = client.get(reset_link(mail.outbox[0])).url
    response = client.post(
        form_url, {"new_password1": "Nouveau-Depart-7", "new_password2": "Nouveau-Depart-7"}
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.check_password("Nouveau-Depart-7")
    assert not parent.must_change_password


def test_the_new_password_follows_the_rule(client, parent):
    ask_reset(client, parent.email)
    form_url = client.get(reset_link(mail.outbox[0])).url
    response = client.post(form_url, {"new_password1": "abcdefgh", "new_password2": "abcdefgh"})
    assert response.status_code == 200
    assert "au moins une lettre majuscule" in response.content.decode()


def test_a_link_works_only_once(client, parent):
    ask_reset(client, parent.email)
    link = reset_link(mail.outbox[0])
    form_url = client.get(link).url
    client.post(
        form_url, {"new_password1": "Nouveau-Depart-7", "new_password2": "Nouveau-Depart-7"}
    )
    page = client.get(link, follow=True).content.decode()
    assert "Ce lien n'est plus valable" in page


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, parent):
    response = ask_reset(client, "inconnu@example.org")
    assert response.status_code == 302
    assert response.url == "/connexion/mot-de-passe-oublie/envoye/"
    assert mail.outbox == []


def test_a_bad_address_is_refused_in_french(client):
    response = client.post(URL, {"email": "pas-une-adresse"})
    assert response.status_code == 200
    assert "adresse de courriel valide" in response.content.decode()


def test_a_reset_cannot_keep_the_temporary_password(client, parent):
    parent.set_temporary_password("Tmp-Abcd-2345")
    parent.save()
    ask_reset(client, parent.email)
    form_url = client.get(reset_link(mail.outbox[0])).url
    response = client.post(
        form_url, {"new_password1": "Tmp-Abcd-2345", "new_password2": "Tmp-Abcd-2345"}
    )
    assert response.status_code == 200
    assert "doit être différent" in response.content.decode()
    parent.refresh_from_db()
    assert parent.must_change_password


def test_the_reset_page_states_the_rules_once(client, parent):
    ask_reset(client, parent.email)
    page = client.get(client.get(reset_link(mail.outbox[0])).url).content.decode()
    assert page.count("8 caractères") == 1
    assert page.count("majuscule") == 1


def login_without_password(family, username: str, **fields) -> User:
    """A login made by staff whose access letter is not printed yet (no password at all)."""
    user = User(username=username, family=family, email=f"{username}@example.org", **fields)
    user.set_unusable_password()
    user.save()
    return user


def test_a_second_guardian_without_a_letter_yet_gets_the_link_at_their_address(client, family):
    # The demo's paul.martin: a login of his own, with his address, no password yet.
    paul = login_without_password(family, "paul.martin")
    ask_reset(client, "paul.martin@example.org")
    assert [message.to for message in mail.outbox] == [["paul.martin@example.org"]]
    assert "« paul.martin »" in mail.outbox[0].body
    form_url = client.get(reset_link(mail.outbox[0])).url
    client.post(
        form_url, {"new_password1": "Nouveau-Depart-7", "new_password2": "Nouveau-Depart-7"}
    )
    paul.refresh_from_db()
    assert paul.check_password("Nouveau-Depart-7")


def test_the_second_guardians_reset_goes_to_their_address_only(client, parent, family):
    login_without_password(family, "paul.martin")
    ask_reset(client, "paul.martin@example.org")
    assert [message.to for message in mail.outbox] == [["paul.martin@example.org"]]
    assert parent.email not in str(OutgoingEmail.objects.values_list("to", flat=True))


def test_a_staff_account_without_a_password_gets_no_link(client):
    User.objects.create_user("sso", email="sso@example.org", is_staff=True)  # no password
    ask_reset(client, "sso@example.org")
    assert mail.outbox == []


def test_a_disabled_login_gets_no_link(client, family):
    login_without_password(family, "ancien", is_active=False)
    ask_reset(client, "ancien@example.org")
    assert mail.outbox == []
