from django.urls import path

from inventory import views

app_name = "inventory"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inscription/", views.register, name="register"),
    path("stock/", views.stock, name="stock"),
    path("stock.csv", views.stock_csv, name="stock_csv"),
    path("stock/import/", views.stock_import, name="import"),
    path("entree/", views.check_in, name="check_in"),
    path("etabli/", views.bench, name="bench"),
    path("etiquettes.pdf", views.labels, name="labels"),
    path("appareils/<str:tag>/", views.device_detail, name="device"),
    path("appareils/<str:tag>/fiche/", views.device_specs, name="device_specs"),
    path("appareils/<str:tag>/effacement/", views.device_erasure, name="device_erasure"),
    path("appareils/<str:tag>/mise-en-ligne/", views.device_price, name="device_price"),
    path("appareils/<str:tag>/etat/", views.device_transition, name="device_transition"),
    path("appareils/<str:tag>/recyclage/", views.device_recycle, name="device_recycle"),
    path("appareils/<str:tag>/pieces/", views.device_part, name="device_part"),
    path("appareils/<str:tag>/photos/", views.device_photo, name="device_photo"),
    path("appareils/<str:tag>/rapport/", views.device_report, name="device_report"),
    path("rapports/", views.reports_import, name="reports"),
    path("rapports/<int:pk>/fichier/", views.erasure_report_file, name="report_file"),
]
