"""The portal's password rules, in the words the password pages use.

The seed's rule is at least 8 characters with one uppercase, one lowercase and one digit:
the length minimum is Django's MinimumLengthValidator; `CharacterClassesValidator` adds the
character classes and says exactly which one is missing. `MaximumLengthValidator` caps the
length, and `UserAttributeSimilarityValidator` says « identifiant », as the login page does.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CLASSES = (
    ("uppercase", str.isupper, "une lettre majuscule"),
    ("lowercase", str.islower, "une lettre minuscule"),
    ("digit", str.isdigit, "un chiffre"),
)

# What a password may not resemble, named as the person knows it.
_ATTRIBUTE_LABELS = {
    "username": "votre identifiant",
    "first_name": "votre prénom",
    "last_name": "votre nom",
    "email": "votre adresse de courriel",
}


class CharacterClassesValidator:
    def validate(self, password: str, user=None) -> None:
        errors = [
            ValidationError(
                _("Le mot de passe doit contenir au moins %(what)s.") % {"what": label},
                code=f"password_no_{code}",
            )
            for code, test, label in _CLASSES
            if not any(test(char) for char in password)
        ]
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _(
            "Votre mot de passe doit contenir au moins une majuscule, une minuscule et un chiffre."
        )


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("Le mot de passe doit comporter au plus %(max)d caractères.")
                % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Votre mot de passe doit comporter au plus %(max)d caractères.") % {
            "max": self.max_length
        }


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's comparison, one attribute at a time, so that the message names it."""

    def validate(self, password: str, user=None) -> None:
        for attribute in self.user_attributes:
            one = password_validation.UserAttributeSimilarityValidator(
                (attribute,), self.max_similarity
            )
            try:
                one.validate(password, user)
            except ValidationError:
                raise ValidationError(
                    _("Le mot de passe est trop semblable à %(what)s.")
                    % {"what": _ATTRIBUTE_LABELS.get(attribute, attribute)},
                    code="password_too_similar",
                ) from None

    def get_help_text(self) -> str:
        return _(
            "Votre mot de passe ne doit ressembler ni à votre identifiant, ni à votre nom, "
            "ni à votre adresse de courriel."
        )
