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

from messaging.outbox import queue_email


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
    """The person has chosen their own password: the temporary one, if any, is over."""

    def save(self, commit: bool = True):
        self.user.set_chosen_password(self.cleaned_data["new_password1"])
        if commit:
            self.user.save()
        return self.user


class PasswordChangeForm(ChosenPasswordMixin, PasswordChangeForm):
    pass


class PasswordResetSetForm(ChosenPasswordMixin, SetPasswordForm):
    pass


class QueuedPasswordResetForm(PasswordResetForm):
    """The reset link is queued like every e-mail: the page answers at once, whatever the
    mail server does, and a failed send is retried by `send_pending_emails`. The link is a
    secret: no admin page shows the mail's body, which is cleared once sent."""

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
            subject=loader.render_to_string(subject_template_name, context),
            text=loader.render_to_string(email_template_name, context),
            html=loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else "",
            contains_secret=True,
        )
