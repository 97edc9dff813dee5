from django.urls import path

from inventory.views import bench, devices, imports, intake, register, stock

app_name = "inventory"

urlpatterns = [
    path("", stock.dashboard, name="dashboard"),
    path("inscription/", register.register, name="register"),
    path("stock/", stock.stock, name="stock"),
    path("stock.csv", stock.stock_csv, name="stock_csv"),
    path("stock.xlsx", stock.stock_xlsx, name="stock_xlsx"),
    path("stock/import/", imports.stock_import, name="import"),
    path("entree/", intake.check_in, name="check_in"),
    path("etabli/", bench.bench, name="bench"),
    path("etiquettes.pdf", bench.labels, name="labels"),
    path("appareils/<str:tag>/", devices.device_detail, name="device"),
    path("appareils/<str:tag>/fiche/", devices.device_specs, name="device_specs"),
    path("appareils/<str:tag>/effacement/", devices.device_erasure, name="device_erasure"),
    path("appareils/<str:tag>/mise-en-ligne/", devices.device_price, name="device_price"),
    path("appareils/<str:tag>/etat/", devices.device_transition, name="device_transition"),
    path("appareils/<str:tag>/recyclage/", devices.device_recycle, name="device_recycle"),
    path("appareils/<str:tag>/pieces/", devices.device_part, name="device_part"),
    path("appareils/<str:tag>/photos/", devices.device_photo, name="device_photo"),
    path("appareils/<str:tag>/rapport/", devices.device_report, name="device_report"),
    path("rapports/", imports.reports_import, name="reports"),
    path("rapports/<int:pk>/fichier/", imports.erasure_report_file, name="report_file"),
]
