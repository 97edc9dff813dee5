from django.urls import path

from donations import views

app_name = "donations"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inscription/", views.register, name="register"),
    path("impact/", views.public_impact, name="public_impact"),
    path("certificats/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("lots/nouveau/", views.lot_create, name="lot_create"),
    path("lots/<int:pk>/", views.lot_detail, name="lot"),
    path("lots/<int:pk>/appareils/", views.lot_items_add, name="lot_items"),
    path("lots/<int:pk>/manifeste/", views.manifest_upload, name="manifest"),
    path("lots/<int:pk>/liberation/", views.checklist, name="checklist"),
    path("lots/<int:pk>/soumettre/", views.lot_submit, name="submit"),
    path("lots/<int:pk>/annuler/", views.lot_cancel, name="cancel"),
    path("lots/<int:pk>/certificat.pdf", views.certificate_pdf, name="certificate"),
    path("lots/<int:pk>/rapports/<int:report_pk>/", views.erasure_report, name="erasure_report"),
    path("lots/<int:pk>/devenir.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("lots/<int:pk>/devenir.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("lots/<int:pk>/impact/", views.impact_report, name="impact"),
    path("lots/<int:pk>/recu-fiscal/", views.tax_receipt, name="tax_receipt"),
    path("lots/<int:pk>/recu-fiscal.pdf", views.tax_receipt_pdf, name="tax_receipt_pdf"),
    path("imports/<int:pk>/", views.job_detail, name="job"),
    path("imports/<int:pk>/lignes-valides/", views.job_import_valid, name="job_import_valid"),
    path("imports/<int:pk>/correspondance/", views.job_mapping, name="job_mapping"),
    path("atelier/", views.workshop_lot_list, name="workshop_lots"),
    path("atelier/lots/<int:pk>/", views.workshop_lot, name="workshop_lot"),
    path("atelier/lots/<int:pk>/<str:action>/", views.workshop_action, name="workshop_action"),
]
