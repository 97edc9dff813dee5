from django.urls import path

from reuse.aftercare import views

app_name = "aftercare"

urlpatterns = [
    path("garantie/", views.open_with_code, name="open"),
    path("garantie/demande/<int:claim_pk>/", views.open_for_claim, name="open_for_claim"),
    path("garantie/tickets/<int:pk>/", views.ticket_detail, name="ticket"),
    path("garantie/tickets/<int:pk>/photo.jpg", views.ticket_photo, name="ticket_photo"),
    path("garantie/tickets/<int:pk>/<slug:step>/", views.triage, name="triage"),
    path("garantie/atelier/", views.workshop_tickets, name="workshop"),
    path("garantie/atelier/taux/", views.rates, name="rates"),
    path("suivi/", views.follow_up_code, name="follow_up"),
    path("suivi/questionnaire/", views.follow_up_answer, name="follow_up_answer"),
    path("suivi/arret/", views.follow_up_stop, name="follow_up_stop"),
    path("suivi/prescripteur/", views.referrer_follow_ups, name="referrer_follow_ups"),
    path("suivi/prescripteur/<int:pk>/", views.referrer_follow_up, name="referrer_follow_up"),
]
