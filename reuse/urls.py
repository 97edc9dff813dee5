from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from donations import urls as donations_urls
from inventory.donor_reports import urls as donor_reports_urls
from reuse.accounts.views import switch_language
from reuse.api import api
from reuse.health import healthz
from reuse.media import public_media


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Disallow: /compte/"]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("i18n/setlang/", switch_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("compte/", include("reuse.accounts.urls")),
    # The donor's pages that read devices live in inventory (above donations), under the same /dons/ namespace.
    path("dons/", include((donations_urls.urlpatterns + donor_reports_urls.urlpatterns, "donations"))),
    path("atelier/", include("inventory.urls")),
    path("eligibilite/", include("reuse.eligibility.urls")),
    path("", include("reuse.aftercare.urls")),
    path("", include("reuse.territories.urls")),
    path("", include("reuse.structures.urls")),
    path("connexion-et-prise-en-main/", include("reuse.tripod.urls")),
    # The catalogue and claims own their top-level paths (catalogue/, demandes/...).
    path("", include("reuse.claims.urls")),
]

if settings.SERVE_MEDIA:
    # Uploads on a folder or a shared volume, in the demo as in production (reuse/media.py).
    urlpatterns += [path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", public_media, name="public_media")]

# Wagtail serves every other path from the page tree: keep it last.
urlpatterns += [path("", include(wagtail_urls))]
