from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.template import loader
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from messaging.email_templates import render_subject, render_text
from messaging.outbox import queue_email

from .models import User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Vérifiez votre saisie (les majuscules "
            "comptent dans le mot de passe)."
        ),
        "inactive": _("Cet identifiant est désactivé : contactez la mairie."),
        "temporary_expired": _(
            "Le mot de passe provisoire de votre courrier a expiré le %(date)s. Demandez un "
            "nouveau courrier à la mairie, ou utilisez « Mot de passe oublié »."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if user.temporary_password_expired():
            raise forms.ValidationError(
                self.error_messages["temporary_expired"],
                code="temporary_expired",
                params={"date": formats.date_format(user.temporary_password_expires_at)},
            )


class ChosenPasswordMixin:
    """The person has chosen their own password: the temporary one, if any, is over.

    The new password must differ from the one it replaces (else a letter's temporary
    password could be kept, without its expiry). The page states the rules once, above the
    form: the fields carry no list of them.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = ""
        self.fields["new_password1"].label = _("Nouveau mot de passe")
        self.fields["new_password2"].label = _("Confirmation du nouveau mot de passe")
        self.fields["new_password2"].help_text = _("Saisissez-le une seconde fois.")

    def clean(self):
        cleaned_data = super().clean()
        new = cleaned_data.get("new_password1")
        if new and self.user.check_password(new):
            replaced = (
                _("du mot de passe reçu par courrier")
                if self.user.must_change_password
                else _("de votre mot de passe actuel")
            )
            self.add_error(
                "new_password1",
                forms.ValidationError(
                    _("Le nouveau mot de passe doit être différent %(replaced)s."),
                    code="password_unchanged",
                    params={"replaced": replaced},
                ),
            )
        return cleaned_data

    def save(self, commit: bool = True):
        self.user.set_chosen_password(self.cleaned_data["new_password1"])
        if commit:
            self.user.save()
        return self.user


class PasswordChangeForm(ChosenPasswordMixin, PasswordChangeForm):
    """On a first login the password to give is the one of the access letter."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if user.must_change_password:
            self.fields["old_password"].label = _("Mot de passe reçu par courrier")
            self.error_messages = {
                **self.error_messages,
                "password_incorrect": _(
                    "Le mot de passe reçu par courrier est incorrect : recopiez-le tel qu'il "
                    "est imprimé (les majuscules comptent)."
                ),
            }
        else:
            self.fields["old_password"].label = _("Mot de passe actuel")
            self.error_messages = {
                **self.error_messages,
                "password_incorrect": _("Votre mot de passe actuel est incorrect."),
            }


class PasswordResetSetForm(ChosenPasswordMixin, SetPasswordForm):
    pass


class QueuedPasswordResetForm(PasswordResetForm):
    """The reset link is queued like every e-mail: the page answers at once, whatever the
    mail server does, and a failed send is retried by `send_pending_emails`. The link is a
    secret: no admin page shows the mail's body, which is cleared once sent."""

    def get_users(self, email: str):
        """Django skips the logins without a usable password; a family's login that staff
        made has none until its access letter is printed (the demo's paul.martin), and its
        owner proves they hold its address as anyone resetting does. Staff accounts keep
        Django's rule."""
        yield from super().get_users(email)
        awaiting_letter = User.objects.filter(
            email__iexact=email, is_active=True, is_staff=False, family__isnull=False
        )
        for user in awaiting_letter:
            if not user.has_usable_password() and user.email.casefold() == email.casefold():
                yield user

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        queue_email(
            to=to_email,
            subject=render_subject(subject_template_name, context),
            text=render_text(email_template_name, context),
            html=loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else "",
            contains_secret=True,
        )
