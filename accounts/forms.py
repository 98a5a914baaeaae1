from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils import formats
from django.utils.translation import gettext_lazy as _


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
