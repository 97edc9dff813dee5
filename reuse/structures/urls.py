from django.urls import path

from reuse.structures import views

app_name = "structures"

urlpatterns = [
    path("structures/", views.programmes, name="programmes"),
    path("structures/inscription/", views.signup, name="signup"),
    path("structures/inscrite/", views.registered, name="registered"),
    path("structures/carnets/<int:pk>/", views.batch_print, name="batch_print"),
]
