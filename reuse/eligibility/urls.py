from django.urls import path

from reuse.eligibility.views import households, questionnaire, referrers, signups

app_name = "eligibility"

urlpatterns = [
    path("", households.dashboard, name="dashboard"),
    path("inscription/", signups.signup, name="signup"),
    path("connexion-code/", signups.code_login, name="code_login"),
    path("questionnaire/", questionnaire.questionnaire, name="questionnaire"),
    path("decisions/<int:pk>/", households.decision_detail, name="decision"),
    path("mandats/<int:pk>/retirer/", households.revoke_mandate, name="revoke_mandate"),
    path("mandats/<int:pk>/accepter/", households.answer_mandate, {"accept": True}, name="accept_mandate"),
    path("mandats/<int:pk>/refuser/", households.answer_mandate, {"accept": False}, name="refuse_mandate"),
    path("association/inscription/", signups.association_signup, name="association_signup"),
    path("prescripteur/", referrers.referrer_dashboard, name="referrer_dashboard"),
    path(
        "prescripteur/foyers/nouveau/", referrers.referrer_household_create, name="referrer_household_create"
    ),
    path("prescripteur/foyers/<int:pk>/", referrers.referrer_household, name="referrer_household"),
    path(
        "prescripteur/foyers/<int:pk>/mandat/",
        referrers.referrer_mandate_renew,
        name="referrer_mandate_renew",
    ),
    path("prescripteur/foyers/<int:pk>/attester/", referrers.referrer_attest, name="referrer_attest"),
    path("prescripteur/foyers/<int:pk>/justificatif/", referrers.referrer_document, name="referrer_document"),
    path(
        "prescripteur/foyers/<int:pk>/adresse/",
        referrers.referrer_household_email,
        name="referrer_household_email",
    ),
    path("prescripteur/foyers/<int:pk>/code/", referrers.referrer_sign_in_code, name="referrer_sign_in_code"),
    path("prescripteur/mandats/<int:pk>/", referrers.referrer_mandate_print, name="referrer_mandate_print"),
]
