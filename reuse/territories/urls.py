from django.urls import path

from reuse.territories import views

app_name = "territories"

urlpatterns = [
    path("territoires/priorite/", views.priority, name="priority"),
    path("territoires/prescripteur/foyers/<int:pk>/", views.attest, name="attest"),
]
