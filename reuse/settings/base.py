"""Settings shared by every profile. Values come from the environment, with safe demo defaults."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "reuse.accounts",
    "reuse.programmes",
    "reuse.eligibility",
    "reuse.claims",
    "reuse.aftercare",
    "reuse.territories",
    "reuse.structures",
    "reuse.tripod",
    "reuse",
    "reuse.bench",
    "donations",
    "inventory",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session middleware: a session saved on the way out is covered too.
    "reuse.middleware.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "reuse.middleware.ApiErrorFormatMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers to a signed-in person, or read from a session, are kept by no cache.
    "reuse.middleware.PrivateAnswersMiddleware",
    "reuse.accounts.middleware.AccountLanguageMiddleware",
    # After the account's language is known: the refusal is in the person's language.
    "reuse.middleware.RejectNulBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "reuse.middleware.SignInAgainMiddleware",
    "reuse.eligibility.middleware.SignInCodeSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Files answered by views Rebond did not write run as nothing either (after the CSP middleware's answer).
    "reuse.middleware.FileAnswersMiddleware",
    "csp.middleware.CSPMiddleware",
    "cms.middleware.AdminGuardMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

# A stale form (a page left open, a sign-in in another tab) is explained in the reader's language, with a way back.
CSRF_FAILURE_VIEW = "reuse.views.csrf_failure"

ROOT_URLCONF = "reuse.urls"
WSGI_APPLICATION = "reuse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "reuse.accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections (CONN_MAX_AGE seconds; production sets 60): opening a PostgreSQL connection
        # costs about as much as rendering a catalogue page. Checked before reuse, so a restart is survived.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# The embedded default (the demo, a small association's server) must survive concurrent users.
# - WAL: readers never wait for the writer, and the writer never waits for readers.
# - transaction_mode IMMEDIATE: every transaction takes the write lock when it begins. A deferred transaction
#   that reads, then writes, fails at once with "database is locked" when another writer went first (SQLite
#   cannot wait there without risking a deadlock); an immediate one waits its turn at BEGIN, then sees the
#   other's commit (a device already reserved is a clear "unavailable", never a 500).
# - timeout: how long (seconds) a transaction waits for the write lock before giving up.
# - synchronous=NORMAL is safe with WAL (a power cut may lose the last commits, never corrupt the file).
SQLITE_OPTIONS = {
    "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
# PostgreSQL: a statement waits at most this long (milliseconds) for a row another transaction holds, then fails
# with 55P03 and the person is told to try again (reuse.errors.database_busy), instead of waiting until the web
# server gives up with an error page. Without it, a transaction stuck open holds every claim of its device.
DATABASE_LOCK_TIMEOUT_MS = int(os.environ.get("DATABASE_LOCK_TIMEOUT_MS", "10000"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c lock_timeout={DATABASE_LOCK_TIMEOUT_MS}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "reuse.accounts.lockouts.WideLockoutBackend",
    "reuse.accounts.backends.CachedUserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Bearer tokens for the API stop working this many days after they were issued (staff revoke them sooner).
API_TOKEN_TTL_DAYS = int(os.environ.get("API_TOKEN_TTL_DAYS", "90"))
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "/"

# Password sign-in limits (site and Wagtail admin alike), in two tiers:
# - django-axes: the sixth wrong password for one account from one network address waits 15 minutes; a person
#   who mistypes is stopped briefly and alone.
# - reuse.accounts.lockouts, over SIGN_IN_FAILURE_WINDOW seconds from the first failure: SIGN_IN_FAILURES_PER_ACCOUNT
#   failures on one account from any addresses (an attacker rotating addresses) stop password sign-in for that
#   account, and SIGN_IN_FAILURES_PER_ADDRESS failures from one address over any accounts (one password sprayed
#   over many) stop password sign-in from that address. The address limit is high because a France Services or a
#   mobile operator puts many people behind one address.
# Nobody can lock an owner out for good: the reset link (never limited by these counts, but by its own 3 emails an
# hour) signs them in when they choose a new password and clears the account's count; printed sign-in codes have
# their own limit (eligibility.sign_in_codes). Unknown addresses are counted and refused the same way.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
SIGN_IN_FAILURES_PER_ACCOUNT = int(os.environ.get("SIGN_IN_FAILURES_PER_ACCOUNT", "20"))
SIGN_IN_FAILURES_PER_ADDRESS = int(os.environ.get("SIGN_IN_FAILURES_PER_ADDRESS", "50"))
SIGN_IN_FAILURE_WINDOW = 3600
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Emails are counted as they are stored (trimmed, lower-case): "Alice@X" and "alice@x" are one account.
AXES_USERNAME_CALLABLE = "reuse.accounts.auth.axes_username"
# Every count per network address reads it the same way (reuse.accounts.auth.client_address): behind reverse
# proxies, REMOTE_ADDR is the proxy's for everyone and would make each per-address limit a limit on the whole site.
# TRUSTED_PROXY_HOPS is how many proxies append to X-Forwarded-For in front of the web processes (1 behind one
# ingress or load balancer; 0 when gunicorn faces the clients).
AXES_CLIENT_IP_CALLABLE = "reuse.accounts.auth.client_address"
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "reuse" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Pages are translated with Wagtail's own locales (wagtail.locales, simple_translation): see README "Languages".
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS: list = []

# Files in two named storages (see docs/deploy.md, "Files"):
# - "default": public media (device photos, Wagtail's renditions), served at MEDIA_URL; Wagtail's documents and
#   original images are written there too but never served as they are (reuse/storage.py, reuse/media.py);
# - "private": eligibility documents, bench reports, manifests: no URL ever (reuse.storage refuses to make one),
#   read only through views that check who asks.
# STORAGE_BACKEND chooses where they live: "filesystem" (two folders, a shared volume when there are several
# machines) or "s3" (two buckets of an S3-compatible store through django-storages). The demo uses folders
# under the project; production names one of the two explicitly (reuse/deploy.py refuses the demo's folders).
DEMO_MEDIA_ROOT = BASE_DIR / "media"
DEMO_PRIVATE_MEDIA_ROOT = BASE_DIR / "private"
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "").strip().lower()
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or DEMO_MEDIA_ROOT)
# Eligibility documents never live under MEDIA_ROOT: this folder has no URL.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT") or DEMO_PRIVATE_MEDIA_ROOT)
# S3-compatible store (STORAGE_BACKEND=s3): credentials come from the environment as boto3 reads them
# (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), never from the repository.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
PRIVATE_STORAGE_BUCKET_NAME = os.environ.get("PRIVATE_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None


def build_storages(backend: str) -> dict:
    """The two named storages for STORAGE_BACKEND (anything but "s3" means folders)."""
    if backend == "s3":
        common = {
            "endpoint_url": AWS_S3_ENDPOINT_URL,
            "region_name": AWS_S3_REGION_NAME,
            "file_overwrite": False,
        }
        return {
            "default": {
                # Public objects: plain URLs (the bucket or AWS_S3_CUSTOM_DOMAIN, a CDN) with no signature; Wagtail's
                # documents and original images go to the private bucket, with no URL (reuse/storage.py).
                "BACKEND": "reuse.storage.PublicMediaS3Storage",
                "OPTIONS": {
                    **common,
                    "bucket_name": AWS_STORAGE_BUCKET_NAME,
                    "private_bucket_name": PRIVATE_STORAGE_BUCKET_NAME,
                    "custom_domain": AWS_S3_CUSTOM_DOMAIN,
                    "querystring_auth": False,
                    "location": "media",
                },
            },
            "private": {
                "BACKEND": "reuse.storage.PrivateS3Storage",
                "OPTIONS": {**common, "bucket_name": PRIVATE_STORAGE_BUCKET_NAME, "default_acl": "private"},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "reuse.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


STORAGES = build_storages(STORAGE_BACKEND)
# Public media on folders are served by the application itself (reuse/media.py, the same view in the demo and in
# production; a reverse proxy may serve the folder directly in front of it). On S3 the store serves them.
MEDIA_URL = os.environ.get("MEDIA_URL") or (
    f"https://{AWS_S3_CUSTOM_DOMAIN}/media/"
    if STORAGE_BACKEND == "s3" and AWS_S3_CUSTOM_DOMAIN
    else "/media/"
)
SERVE_MEDIA = STORAGE_BACKEND != "s3"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest upload the API takes: a zip of erasure reports (50 Mo, inventory/reports/uploads.py) and its fields.
API_UPLOAD_MAX_BYTES = 52 * 1024 * 1024
# Unsafe API requests per person (reuse/api.py): a bench scanner or an import script stays far below it.
API_WRITE_RATE = os.environ.get("API_WRITE_RATE", "600/m")
FILE_UPLOAD_HANDLERS = [
    "reuse.api_input.ApiUploadLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# A shared cache (Redis) in production through CACHE_URL; a per-process memory cache otherwise.
CACHES = (
    {
        "default": {
            "BACKEND": "reuse.cache.ReusedClientRedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }
    if os.environ.get("CACHE_URL")
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Rebond <ne-pas-repondre@rebond.example>")
# The error emails of 500s (reuse/settings/logs.py): from Rebond, not Django's root@localhost that servers refuse.
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The email outbox (reuse/accounts/tasks.py): a failed send is retried after 1, 2, 4, 8 minutes..., then given up.
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "5"))
NOTIFICATION_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_BASE_SECONDS", "60"))
NOTIFICATION_RETRY_MAX_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_MAX_SECONDS", "1800"))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEMO_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", DEMO_PUBLIC_BASE_URL).rstrip("/")

WAGTAIL_SITE_NAME = "Rebond"
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL
# The admin would fetch releases.wagtail.org from every dashboard: the CSP blocks it (an error in the console of
# each admin page) and staff browsers should not call a third party. Upgrades are followed in requirements.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# One way to ask for a reset link, the site's (/compte/mot-de-passe/oubli/, accounts.forms.PasswordResetForm: a
# few an hour per address, sent through the outbox on PUBLIC_BASE_URL). Wagtail's own form sent one at every
# request to any active account. Staff too ask on the site's page, linked from the site's sign-in page.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "xlsx", "odt", "ods"]
# Documents are always streamed by Wagtail's view, after its checks (a private collection asks for a sign-in or a
# password): never a redirect to the store, whose address anyone could pass around (Wagtail's default on S3).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# A PDF published on the portal is checked as every PDF kept as sent: nothing in it runs (cms/documents.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.documents.DocumentForm"
# Wagtail reads an upload whole before checking it: documents would be unbounded (no default) and images rely on
# an implicit 10 MB. The edge proxies (deploy/) refuse any body over 66 MiB before it reaches gunicorn.
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Portal: no third-party request from the admin (avatars), WebP thumbnails, a plain rich text whitelist.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_FORMAT_CONVERSIONS = {
    "bmp": "webp",
    "gif": "gif",
    "jpeg": "webp",
    "png": "webp",
    "webp": "webp",
}

# Celery (broker, acknowledgements, the beat's schedule): reuse/settings/tasks.py.
from reuse.settings.tasks import *  # noqa: E402, F403

# Security headers that hold in every profile; production tightens the rest.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis in production) and written through to the database: a signed-in
# page does not pay a session query, and a cache restart loses no session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The public site needs no inline style; cms.middleware widens this for the Wagtail admin only.
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

from reuse.settings.logs import *  # noqa: E402, F403

AXES_VERBOSE = False

# Stripe. The demo and the tests point these at localstripe on loopback; production sets real keys (and
# reuse/deploy.py refuses these demo values there).
DEMO_STRIPE_API_BASE = "http://127.0.0.1:8420"
DEMO_STRIPE_SECRET_KEY = "sk_test_rebond_demo"
DEMO_STRIPE_PUBLISHABLE_KEY = "pk_test_rebond_demo"
DEMO_STRIPE_WEBHOOK_SECRET = "whsec_rebond_demo"
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", DEMO_STRIPE_API_BASE)
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", DEMO_STRIPE_SECRET_KEY)
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", DEMO_STRIPE_PUBLISHABLE_KEY)
STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", f"{STRIPE_API_BASE}/js.stripe.com/v3/")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", DEMO_STRIPE_WEBHOOK_SECRET)
# How long a call to Stripe may take before the household is told that card payment is momentarily unavailable.
STRIPE_TIMEOUT_SECONDS = 15
# A page that only reads from Stripe (how a claim's card payment stands) waits this long at most, then shows what
# Rebond knows: a household on a phone is not kept waiting by a call it can do without.
STRIPE_PAGE_READ_TIMEOUT_SECONDS = 3

# Where the national open data of digital mediation places (LaMednum schema, CSV or JSON) is fetched from each
# night; empty: no scheduled refresh (staff upload the file in the admin, or run import_mediation_places).
MEDIATION_PLACES_URL = os.environ.get("MEDIATION_PLACES_URL", "")
