from django.urls import path

from reuse.claims.views import catalogue, claims, partners

app_name = "claims"

# (route, view, name): one table, so that a page is one line.
ROUTES = [
    ("catalogue/", catalogue.catalogue, "catalogue"),
    ("catalogue/<int:pk>/", catalogue.device_detail, "device"),
    ("catalogue/<int:pk>/demander/", catalogue.claim_device, "claim_device"),
    ("demandes/", claims.my_claims, "my_claims"),
    ("demandes/liste-attente/", claims.waitlist, "waitlist"),
    ("demandes/association/", partners.association_dashboard, "association_dashboard"),
    ("demandes/atelier/remise/", partners.handover, "handover"),
    ("demandes/atelier/remise/confirmer/", partners.handover_confirm, "handover_confirm"),
    ("demandes/financeurs/<int:pk>/releve/", partners.funder_statement, "funder_statement"),
    ("demandes/<int:pk>/", claims.claim_detail, "claim"),
    ("demandes/<int:pk>/code/", claims.claim_code, "claim_code"),
    ("demandes/<int:pk>/payer/", claims.pay, "pay"),
    ("demandes/<int:pk>/cheque/", claims.apply_voucher, "apply_voucher"),
    ("demandes/<int:pk>/annuler/", claims.cancel, "cancel"),
    ("demandes/<int:pk>/recu.pdf", claims.receipt, "receipt"),
]

urlpatterns = [path(route, view, name=name) for route, view, name in ROUTES] + [
    path(
        "demandes/<int:pk>/payer/atelier/",
        claims.choose_payment,
        {"at_workshop": True},
        name="pay_at_workshop",
    ),
    path(
        "demandes/<int:pk>/payer/en-ligne/", claims.choose_payment, {"at_workshop": False}, name="pay_online"
    ),
]
