"""Settings of Portail Famille, read from the environment (and an optional `.env` file).

A variable set in the environment always wins over the `.env` file. A bad value fails
loudly at start-up instead of being silently replaced by a default; development
defaults (a throw-away secret key, local hosts) apply only when DEBUG is on.
"""

from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# ENV_FILE names another file than .env (tests, several instances on one host).
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

_TRUE = {"1", "true", "yes", "on", "oui"}
_FALSE = {"0", "false", "no", "off", "non", ""}


def env_bool(name: str, default: bool) -> bool:
    """A boolean that refuses anything but an unambiguous yes or no."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} n'est pas un booléen (attendu : true ou false).")


def env_positive_int(name: str, default: int) -> int:
    raw = env.str(name, default=str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} n'est pas un nombre entier.") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name}={raw!r} doit être un entier strictement positif.")
    return value


DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
        raise ImproperlyConfigured(
            "SECRET_KEY doit être défini (au moins 50 caractères aléatoires) quand DEBUG est faux."
        )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS doit être défini quand DEBUG est faux.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portail",
    "accounts",
    "children",
    "messaging",
    "reservations",
    "billing",
]

# « Nous contacter »: a thread is read by the staff group of its service (and superusers);
# true lets every staff member with the permission read every service's threads.
CONTACT_THREADS_ALL_STAFF = env_bool("CONTACT_THREADS_ALL_STAFF", False)

MIDDLEWARE = [
    "portail.client_address.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the session or the body: /sante/ and the request size cap.
    "portail.middleware.HealthCheckMiddleware",
    "portail.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "accounts.trusted_devices.TrustedDeviceMiddleware",
]

ROOT_URLCONF = "portail.urls"
WSGI_APPLICATION = "portail.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portail.context_processors.portal",
                "messaging.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres:///portail")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL doit désigner une base PostgreSQL (postgres://…).")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "accounts.validators.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portail:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link is valid for one day

# Sessions live in the database so that any number of app servers can serve a parent.
# A session ends when the browser closes, and after SESSION_IDLE_MINUTES without a click.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_positive_int("SESSION_IDLE_MINUTES", 30))
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Staff (the admin): shorter sessions than parents', and a second factor (django-otp: an
# authenticator app, plus recovery codes). STAFF_TWO_FACTOR is on by default in production
# and off in development (DEBUG=true), where the demo's agent and admin log in with their
# password only. A grace of N days after an account was created may be allowed to the staff
# of other groups; superusers and « Données de santé » never get it.
STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=env_positive_int("STAFF_SESSION_IDLE_MINUTES", 15))
STAFF_SESSION_MAX_AGE = timedelta(hours=env_positive_int("STAFF_SESSION_MAX_HOURS", 10))
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", not DEBUG)
_grace = env.str("STAFF_TWO_FACTOR_GRACE_DAYS", default="0").strip()
if not _grace.isdigit():
    raise ImproperlyConfigured("STAFF_TWO_FACTOR_GRACE_DAYS doit être un entier positif ou nul.")
STAFF_TWO_FACTOR_GRACE_DAYS = int(_grace)
OTP_TOTP_ISSUER = "Portail Famille"
# No admin page shows a device's key or a recovery code, not even to superusers.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The security log (logins, failures, lockouts, privilege changes) is kept this long, then
# `purge_security_log` (cron, nightly) deletes it: a trace kept for an investigation, not
# for ever.
SECURITY_LOG_RETENTION_DAYS = env_positive_int("SECURITY_LOG_RETENTION_DAYS", 365)

# Temporary passwords printed on a family's access letter expire after this many days.
TEMPORARY_PASSWORD_DAYS = env_positive_int("TEMPORARY_PASSWORD_DAYS", 30)

# Login throttling (django-axes, see accounts/throttle.py), for every page that calls
# authenticate(): an identifier is locked after repeated wrong passwords, except on a
# browser where that account logged in before (a signed cookie, revoked by a new password),
# which has its own count; an address with too many failures across identifiers gets 429.
AXES_FAILURE_LIMIT = env_positive_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_positive_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_CALLABLE = "accounts.throttle.lockout_key"
AXES_HANDLER = "accounts.throttle.LoginThrottleHandler"
# One row per failure: the per-address limit counts them (axes_reset_failure_logs prunes).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The client's address is REMOTE_ADDR (never a header the client may send): behind a reverse
# proxy, list its addresses or networks in TRUSTED_PROXIES so that REMOTE_ADDR is read from
# the X-Forwarded-For it appends (portail/client_address.py); otherwise every family shares
# the proxy's address.
AXES_CLIENT_IP_CALLABLE = "accounts.security_log.client_address"
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ip_network(_proxy.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES : « {_proxy} » n'est ni une adresse IP ni un réseau."
        ) from None
AXES_VERBOSE = False
TRUSTED_DEVICE_DAYS = env_positive_int("TRUSTED_DEVICE_DAYS", 180)
# A carrier's NAT or a library may put many families behind one address: raise it there.
LOGIN_ADDRESS_FAILURE_LIMIT = env_positive_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_ADDRESS_WINDOW = timedelta(minutes=env_positive_int("LOGIN_ADDRESS_MINUTES", 15))
# « Mot de passe oublié »: past the limit per e-mail, the same answer but no e-mail; past
# the limit per address, a 429 page.
PASSWORD_RESET_EMAIL_LIMIT = env_positive_int("PASSWORD_RESET_EMAIL_LIMIT", 3)
PASSWORD_RESET_ADDRESS_LIMIT = env_positive_int("PASSWORD_RESET_ADDRESS_LIMIT", 10)
PASSWORD_RESET_WINDOW = timedelta(minutes=env_positive_int("PASSWORD_RESET_MINUTES", 60))

# The commune's school-holiday zone (A, B or C) and whether Alsace-Moselle's two extra
# jours fériés apply (Vendredi saint, Saint-Étienne).
SCHOOL_ZONE = env.str("SCHOOL_ZONE", default="B").upper()
if SCHOOL_ZONE not in {"A", "B", "C"}:
    raise ImproperlyConfigured(f"SCHOOL_ZONE={SCHOOL_ZONE!r} : la zone doit être A, B ou C.")
ALSACE_MOSELLE = env_bool("ALSACE_MOSELLE", False)
# A medical absence is reported, with its certificate, within this many hours of the
# start of its first day.
MEDICAL_ABSENCE_DELAY_HOURS = env_positive_int("MEDICAL_ABSENCE_DELAY_HOURS", 48)

# The commune, as printed on letters, invoices and pages.
COMMUNE_NAME = env.str("COMMUNE_NAME", default="Mairie de Valmont-sur-Loire")
COMMUNE_ADDRESS = env.str(
    "COMMUNE_ADDRESS", default="1 place de la Mairie, 45000 Valmont-sur-Loire"
)
COMMUNE_PHONE = env.str("COMMUNE_PHONE", default="02 38 00 00 00")


def development_portal_url() -> str:
    """Where `make run` serves (HOST, PORT: runserver's address), as a browser reaches it."""
    host = env.str("HOST", default="").strip() or "127.0.0.1"
    # Served on every interface: this machine reaches it on its loopback address.
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 — read, not bound
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    port = env.str("PORT", default="").strip() or "8000"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(f"PORT={port!r} n'est pas un nombre entier entre 1 et 65535.")
    return f"http://{host}:{port}/"


# The address parents type to reach the portal: printed on the access letter, PDFs and
# e-mails, and where PayFiP (or its simulator) is reached. In development it defaults to
# the address `make run` serves on; in production it has no default.
PORTAL_URL = env.str("PORTAL_URL", default="").strip() or (
    development_portal_url() if DEBUG else ""
)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Families' documents and attachments: never under MEDIA_URL, served by views only.
    "private": {
        "BACKEND": "messaging.storage.PrivateFileSystemStorage",
        "OPTIONS": {
            "location": env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private")),
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Largest file a family may upload (justificatifs, attachments), in megabytes.
UPLOAD_MAX_BYTES = env_positive_int("UPLOAD_MAX_MB", 5) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A request announcing a larger body is refused (413) before any of it is read: three
# attachments at the limit and the form around them. Uploads are read no further than
# these limits either, whatever the request says (portail.uploads).
REQUEST_BODY_MAX_BYTES = (
    env_positive_int("REQUEST_BODY_MAX_MB", 4 * UPLOAD_MAX_BYTES // (1024 * 1024)) * 1024 * 1024
)
FILE_UPLOAD_HANDLERS = [
    "portail.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portail-famille@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: behind a TLS proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Submitting the domain to the browsers' HSTS preload list is the town hall's decision,
# not the application's: the check that asks for it is silenced on purpose.
SILENCED_SYSTEM_CHECKS = [
    "security.W021",
    # Locking by IP address too would lock out every parent behind one mobile carrier's
    # or one library's shared address; the identifier is what is locked (see AXES_*).
    "axes.W006",
]
CSRF_FAILURE_VIEW = "portail.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; lockouts are its only news worth a line.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# PayFiP, the treasury's online payment (eopayment's payfip_ws). PAYFIP_SIMULATOR points
# the service and the payment page at the local simulator (/simulateur-payfip/, development,
# demo and tests); it refuses DEBUG=false unless PAYFIP_SIMULATOR_FORCE says it is a demo.
# The app and its URLs are installed only when it is on: where it is off, its table is not
# created (no other app's migration depends on it, no foreign key points at it). Tests run with
# it on (.env).
PAYFIP_SIMULATOR = env_bool("PAYFIP_SIMULATOR", False)
PAYFIP_SIMULATOR_FORCE = env_bool("PAYFIP_SIMULATOR_FORCE", False)
if PAYFIP_SIMULATOR:
    INSTALLED_APPS += ["payfip_simulator"]
if PAYFIP_SIMULATOR and not DEBUG and not PAYFIP_SIMULATOR_FORCE:
    raise ImproperlyConfigured(
        "PAYFIP_SIMULATOR=true avec DEBUG=false : le simulateur PayFiP n'encaisse rien. "
        "Mettez PAYFIP_SIMULATOR=false, ou PAYFIP_SIMULATOR_FORCE=true pour un serveur de "
        "démonstration. (The PayFiP simulator takes no real payment: it needs DEBUG=true "
        "or PAYFIP_SIMULATOR_FORCE=true.)"
    )
if PAYFIP_SIMULATOR and not PORTAL_URL:
    raise ImproperlyConfigured(
        "PORTAL_URL doit être défini quand PAYFIP_SIMULATOR est vrai (adresse du simulateur)."
    )
# What the simulator asks the portal: which payments it is opening (payfip_simulator/portal.py).
PAYFIP_SIMULATOR_PORTAL = "billing.payfip_simulation"
_PAYFIP_SIMULATOR_URL = PORTAL_URL.rstrip("/") + "/simulateur-payfip"
PAYFIP_SERVICE_URL = env.str(
    "PAYFIP_SERVICE_URL",
    default=_PAYFIP_SIMULATOR_URL + "/services/securite"
    if PAYFIP_SIMULATOR
    else "https://www.payfip.gouv.fr/tpa/services/securite",
)
PAYFIP_PAYMENT_URL = env.str(
    "PAYFIP_PAYMENT_URL",
    default=_PAYFIP_SIMULATOR_URL + "/paiement/"
    if PAYFIP_SIMULATOR
    else "https://www.payfip.gouv.fr/tpa/paiementws.web",
)
# Seconds to wait for PayFiP's web service; a forced mode (T, X or W) for every régie,
# e.g. T on a staging server, instead of each régie's own.
PAYFIP_TIMEOUT = env_positive_int("PAYFIP_TIMEOUT", 15)
PAYFIP_SAISIE = env.str("PAYFIP_SAISIE", default="").strip().upper()
if PAYFIP_SAISIE not in ("", "T", "X", "W"):
    raise ImproperlyConfigured("PAYFIP_SAISIE vaut T (test), X (activation) ou W (production).")
