"""What the production profile refuses: every setting left missing or at its demo value.

One function reads a settings namespace (the production module's globals while it loads, or django.conf.settings
for the system check) and returns one line per problem. reuse/settings/production.py raises them all at once at
startup (web, worker, beat and manage.py all load the settings), and the system check rebond.E001 reports the
same lines under `manage.py check --deploy` whatever the profile.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error
from django.core.checks import Warning as CheckWarning

from reuse.settings import base

LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _is_https_elsewhere(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.hostname) and parts.hostname.lower() not in LOOPBACK


def _redis_url(url: str) -> bool:
    return urlsplit(url or "").scheme in {"redis", "rediss"}


def demo_defaults_in_force(get) -> list[str]:
    """`get(name, default)` reads a setting. Returns "NAME ..." lines, empty when production may start."""

    problems = []

    def missing(name, what):
        problems.append(f"{name} must be set: {what}.")

    def demo(name, what):
        problems.append(f"{name} still holds a demo value: {what}.")

    # Tasks: without a broker they would run inside the web request, one process at a time.
    broker = get("CELERY_BROKER_URL", "")
    if not broker:
        missing("CELERY_BROKER_URL", "the Redis broker of the Celery workers (redis://host:6379/0)")
    elif not _redis_url(broker):
        demo(
            "CELERY_BROKER_URL",
            "Rebond's workers and its single beat lock expect Redis (redis:// or rediss://)",
        )
    elif get("CELERY_TASK_ALWAYS_EAGER", False):
        demo("CELERY_TASK_ALWAYS_EAGER", "tasks would run inside the web request")

    # Cache: sign-in code counters, handover lockouts and rate limits must be shared by every process.
    cache_backend = (get("CACHES", {}) or {}).get("default", {}).get("BACKEND", "")
    if not cache_backend.endswith("RedisCache"):
        missing(
            "CACHE_URL",
            "the shared Redis cache (redis://host:6379/1); a per-process cache lets rate limits "
            "be multiplied by the number of processes",
        )

    # Stripe: the demo keys talk to localstripe on loopback.
    for name, prefix, demo_value in (
        ("STRIPE_SECRET_KEY", ("sk_", "rk_"), base.DEMO_STRIPE_SECRET_KEY),
        ("STRIPE_PUBLISHABLE_KEY", ("pk_",), base.DEMO_STRIPE_PUBLISHABLE_KEY),
        ("STRIPE_WEBHOOK_SECRET", ("whsec_",), base.DEMO_STRIPE_WEBHOOK_SECRET),
    ):
        value = get(name, "") or ""
        if not value:
            missing(name, f"the key from the Stripe dashboard ({prefix[0]}...)")
        elif value == demo_value:
            missing(
                name,
                f"the demo's localstripe key is in force; set the key from the Stripe dashboard ({prefix[0]}...)",
            )
        elif not value.startswith(prefix):
            demo(name, f"a Stripe key of this kind starts with {prefix[0]}")
    for name in ("STRIPE_API_BASE", "STRIPE_JS_URL"):
        value = get(name, "") or ""
        if not _is_https_elsewhere(value):
            demo(name, f"{value or 'empty'} is not Stripe over HTTPS (leave it unset in production)")

    # Links in emails, QR codes and certificates.
    public = get("PUBLIC_BASE_URL", "") or ""
    if not public or public == base.DEMO_PUBLIC_BASE_URL:
        missing(
            "PUBLIC_BASE_URL",
            "the site's public address (https://rebond.example.org), used in emails and QR codes",
        )
    elif not _is_https_elsewhere(public):
        demo("PUBLIC_BASE_URL", f"{public} is not a public HTTPS address")

    # Files: where public media and private documents live, shared by every machine.
    backend = get("STORAGE_BACKEND", "") or ""
    if backend == "filesystem":
        media, private = Path(get("MEDIA_ROOT", "")), Path(get("PRIVATE_MEDIA_ROOT", ""))
        if media == Path(base.DEMO_MEDIA_ROOT):
            missing("MEDIA_ROOT", "the public media folder on the shared volume (not the demo's media/)")
        if private == Path(base.DEMO_PRIVATE_MEDIA_ROOT):
            missing(
                "PRIVATE_MEDIA_ROOT",
                "the private documents folder on the shared volume (not the demo's private/)",
            )
        if private == media or private.is_relative_to(media):
            demo("PRIVATE_MEDIA_ROOT", "private documents may not live inside the public media folder")
    elif backend == "s3":
        public_bucket = get("AWS_STORAGE_BUCKET_NAME", "")
        private_bucket = get("PRIVATE_STORAGE_BUCKET_NAME", "")
        if not public_bucket:
            missing("AWS_STORAGE_BUCKET_NAME", "the bucket of public media")
        if not private_bucket:
            missing("PRIVATE_STORAGE_BUCKET_NAME", "the private bucket of eligibility documents")
        if public_bucket and public_bucket == private_bucket:
            demo(
                "PRIVATE_STORAGE_BUCKET_NAME", "private documents need their own bucket, never the public one"
            )
    else:
        missing(
            "STORAGE_BACKEND",
            "where files live: 'filesystem' (a shared volume) or 's3' (an S3-compatible store)",
        )
    return problems


def refusal_message(problems: list[str]) -> str:
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return (
        f"The production profile refuses to start: {len(problems)} setting(s) missing or left at a demo "
        f"value. Set them in the environment (docs/deploy.md lists each):\n{lines}"
    )


def check_production_settings(app_configs=None, **kwargs):
    """rebond.E001: one error per missing or demo value (run by `manage.py check --deploy`)."""

    def get(name, default=None):
        return getattr(settings, name, default)

    return [
        Error(problem, hint="See docs/deploy.md, 'Environment'.", id="rebond.E001")
        for problem in demo_defaults_in_force(get)
    ]


def check_proxy_hops(app_configs=None, **kwargs):
    """rebond.W001 / rebond.E002: TRUSTED_PROXY_HOPS agrees with the proxy the other settings say is in front.

    SECURE_PROXY_SSL_HEADER (always set by the production profile) and USE_X_FORWARDED_HOST/PORT trust headers only
    a reverse proxy writes. Behind one, TRUSTED_PROXY_HOPS left at 0 makes every limit per network address
    (reuse.accounts.auth.client_address) count the proxy's address: one attacker locks everyone out.
    """
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    hint = "See docs/deploy.md, 'Environment'."
    if not isinstance(hops, int) or hops < 0:
        return [
            Error(
                f"TRUSTED_PROXY_HOPS is {hops!r}: it counts the reverse proxies in front of gunicorn "
                "(0, 1, 2...), never less than 0.",
                hint=hint,
                id="rebond.E002",
            )
        ]
    proxy_signals = [
        name
        for name in ("SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT")
        if getattr(settings, name, None)
    ]
    if hops == 0 and proxy_signals:
        return [
            CheckWarning(
                f"TRUSTED_PROXY_HOPS is 0 while {' and '.join(proxy_signals)} says a reverse proxy is in front: "
                "every limit per network address (sign-in lockouts, sign-up probes, printed codes) would count "
                "the proxy's address, that is everyone at once. Set TRUSTED_PROXY_HOPS to the number of proxies "
                "that append to X-Forwarded-For (1 behind one ingress or load balancer).",
                hint=hint,
                id="rebond.W001",
            )
        ]
    return []
