"""French phone numbers, as parents type them: « 0612345678 », « 06.12.34.56.78 »,
« +33 6 12 34 56 78 ». Stored in one readable form: « 06 12 34 56 78 »."""

import re

from django.core.exceptions import ValidationError

_SEPARATORS = re.compile(r"[\s.\-/()]")
MESSAGE = (
    "Numéro de téléphone invalide : 10 chiffres commençant par 0 (ex. 06 12 34 56 78), "
    "ou un numéro international commençant par +."
)


def normalise_phone(value: str) -> str:
    raw = _SEPARATORS.sub("", value or "")
    if not raw:
        return ""
    if raw.startswith("+33") or raw.startswith("0033"):
        raw = "0" + raw.removeprefix("+33").removeprefix("0033").removeprefix("0")
    if raw.startswith("+"):
        digits = raw[1:]
        if digits.isdigit() and 8 <= len(digits) <= 15:
            return "+" + digits
        raise ValidationError(MESSAGE, code="invalid_phone")
    if len(raw) == 10 and raw.isdigit() and raw[0] == "0" and raw[1] != "0":
        return " ".join(raw[i : i + 2] for i in range(0, 10, 2))
    raise ValidationError(MESSAGE, code="invalid_phone")


def validate_phone(value: str) -> None:
    normalise_phone(value)
