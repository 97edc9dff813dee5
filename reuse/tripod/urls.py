from django.urls import path

from reuse.tripod import views

app_name = "tripod"

urlpatterns = [
    path("decisions/<int:pk>/offres/", views.offers, name="offers"),
    path("decisions/<int:pk>/offres/<int:offer_id>/orienter/", views.orient, name="orient"),
    path("decisions/<int:pk>/offres/<int:offer_id>/fiche.pdf", views.sheet, name="sheet"),
    path("orientations/<int:pk>/abonnement/", views.declare, name="declare"),
    path("demandes/<int:claim_pk>/seance/", views.book, name="book"),
    path("seances/<int:pk>/annuler/", views.cancel_booking, name="cancel_booking"),
    path("atelier/seances/", views.workshop_sessions, name="workshop_sessions"),
    path("atelier/seances/<int:pk>/presence/", views.mark, name="mark"),
    path("atelier/seances/<int:pk>/annuler/", views.cancel_slot, name="cancel_slot"),
    path("atelier/remise/", views.handover_confirm, name="handover_confirm"),
    path("financeurs/<int:pk>/cheques/", views.funder_cheques, name="funder_cheques"),
]
