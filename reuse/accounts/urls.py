from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from reuse.accounts import views
from reuse.accounts.forms import PasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("espace/", views.home, name="home"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("langue/", views.account_language, name="language"),
    path("adresse-e-mail/", views.change_email, name="change_email"),
    path("adresse-e-mail/confirmer/<str:token>/", views.confirm_email, name="confirm_email"),
    path("mes-donnees/copie/", views.my_data_download, name="my_data_download"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/inviter/", views.organisation_invite, name="organisation_invite"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            template_name="accounts/password_reset_form.html",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
