from django.urls import path

from reuse.claims import views

app_name = "claims"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/", views.device_detail, name="device"),
    path("catalogue/<int:pk>/demander/", views.claim_device, name="claim_device"),
    path("demandes/", views.my_claims, name="my_claims"),
    path("demandes/liste-attente/", views.waitlist, name="waitlist"),
    path("demandes/association/", views.association_dashboard, name="association_dashboard"),
    path("demandes/atelier/remise/", views.handover, name="handover"),
    path("demandes/atelier/remise/confirmer/", views.handover_confirm, name="handover_confirm"),
    path("demandes/financeurs/<int:pk>/releve/", views.funder_statement, name="funder_statement"),
    path("demandes/<int:pk>/", views.claim_detail, name="claim"),
    path("demandes/<int:pk>/code/", views.claim_code, name="claim_code"),
    path("demandes/<int:pk>/payer/", views.pay, name="pay"),
    path("demandes/<int:pk>/cheque/", views.apply_voucher, name="apply_voucher"),
    path(
        "demandes/<int:pk>/payer/atelier/",
        views.choose_payment,
        {"at_workshop": True},
        name="pay_at_workshop",
    ),
    path(
        "demandes/<int:pk>/payer/en-ligne/", views.choose_payment, {"at_workshop": False}, name="pay_online"
    ),
    path("demandes/<int:pk>/annuler/", views.cancel, name="cancel"),
    path("demandes/<int:pk>/recu.pdf", views.receipt, name="receipt"),
]
