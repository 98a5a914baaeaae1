"""What the pages are measured with: the demo commune, 40 families, a logged-in parent."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone

from accounts.middleware import LAST_ACTIVITY_KEY
from accounts.models import Family, User
from portail.demo import MARTIN, seed_demo

from .views import ROWS


def prepare() -> None:
    """Idempotent: the demo commune, then enough families for the bare view's 40 rows."""
    seed_demo()
    missing = ROWS - Family.objects.count()
    Family.objects.bulk_create(
        Family(
            name=f"BANC {n:02d}",
            address_line1=f"{n} rue des Essais",
            postal_code="45000",
            city="Valmont-sur-Loire",
            phone=f"02 38 00 00 {n:02d}",
        )
        for n in range(1, missing + 1)
    )


def parent_cookie(username: str = MARTIN.username) -> str:
    """A Cookie header opening a fresh session of this parent, as a login would.

    With DEBUG off the session cookie is Secure: a client speaking plain HTTP to the
    server has to send it itself.
    """
    user = User.objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.clear_expired()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[LAST_ACTIVITY_KEY] = timezone.now().timestamp()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
