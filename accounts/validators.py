"""The seed's password rule: at least one uppercase, one lowercase and one digit.

The length (8 minimum) is Django's MinimumLengthValidator; this validator adds the
character classes and says exactly which one is missing.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CLASSES = (
    ("uppercase", str.isupper, "une lettre majuscule"),
    ("lowercase", str.islower, "une lettre minuscule"),
    ("digit", str.isdigit, "un chiffre"),
)


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
