from django.urls import path

from reuse.eligibility import views

app_name = "eligibility"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inscription/", views.signup, name="signup"),
    path("connexion-code/", views.code_login, name="code_login"),
    path("questionnaire/", views.questionnaire, name="questionnaire"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("mandats/<int:pk>/retirer/", views.revoke_mandate, name="revoke_mandate"),
    path("mandats/<int:pk>/accepter/", views.answer_mandate, {"accept": True}, name="accept_mandate"),
    path("mandats/<int:pk>/refuser/", views.answer_mandate, {"accept": False}, name="refuse_mandate"),
    path("association/inscription/", views.association_signup, name="association_signup"),
    path("prescripteur/", views.referrer_dashboard, name="referrer_dashboard"),
    path("prescripteur/foyers/nouveau/", views.referrer_household_create, name="referrer_household_create"),
    path("prescripteur/foyers/<int:pk>/", views.referrer_household, name="referrer_household"),
    path("prescripteur/foyers/<int:pk>/mandat/", views.referrer_mandate_renew, name="referrer_mandate_renew"),
    path("prescripteur/foyers/<int:pk>/attester/", views.referrer_attest, name="referrer_attest"),
    path("prescripteur/foyers/<int:pk>/justificatif/", views.referrer_document, name="referrer_document"),
    path("prescripteur/foyers/<int:pk>/code/", views.referrer_sign_in_code, name="referrer_sign_in_code"),
    path("prescripteur/mandats/<int:pk>/", views.referrer_mandate_print, name="referrer_mandate_print"),
]
