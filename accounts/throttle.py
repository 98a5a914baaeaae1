"""Glue for django-axes, which locks an identifier after repeated wrong passwords."""


def normalised_username(request, credentials: dict | None) -> str | None:
    """The identifier as the throttle counts it: « Martin » and « martin » are one."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None
