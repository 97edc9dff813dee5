from django.urls import path

from donations.views import documents, donor, imports, workshop

app_name = "donations"

urlpatterns = [
    path("", donor.dashboard, name="dashboard"),
    path("inscription/", donor.register, name="register"),
    path("impact/", documents.public_impact, name="public_impact"),
    path("certificats/<str:code>/", documents.certificate_verify, name="certificate_verify"),
    path("lots/nouveau/", donor.lot_create, name="lot_create"),
    path("lots/<int:pk>/", donor.lot_detail, name="lot"),
    path("lots/<int:pk>/appareils/", donor.lot_items_add, name="lot_items"),
    path("lots/<int:pk>/manifeste/", imports.manifest_upload, name="manifest"),
    path("lots/<int:pk>/liberation/", donor.checklist, name="checklist"),
    path("lots/<int:pk>/soumettre/", donor.lot_move, {"move": "submit"}, name="submit"),
    path("lots/<int:pk>/annuler/", donor.lot_move, {"move": "cancel"}, name="cancel"),
    path("lots/<int:pk>/certificat.pdf", documents.certificate_pdf, name="certificate"),
    path("lots/<int:pk>/rapports/<int:report_pk>/", documents.erasure_report, name="erasure_report"),
    path("lots/<int:pk>/devenir.csv", documents.export, {"fmt": "csv"}, name="export_csv"),
    path("lots/<int:pk>/devenir.xlsx", documents.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("lots/<int:pk>/impact/", documents.impact_report, name="impact"),
    path("lots/<int:pk>/recu-fiscal/", documents.tax_receipt, name="tax_receipt"),
    path("lots/<int:pk>/recu-fiscal.pdf", documents.tax_receipt_pdf, name="tax_receipt_pdf"),
    path("imports/<int:pk>/", imports.job_detail, name="job"),
    path("imports/<int:pk>/lignes-valides/", imports.job_import_valid, name="job_import_valid"),
    path("imports/<int:pk>/correspondance/", imports.job_mapping, name="job_mapping"),
    path("atelier/", workshop.workshop_lot_list, name="workshop_lots"),
    path("atelier/lots/<int:pk>/", workshop.workshop_lot, name="workshop_lot"),
    path("atelier/lots/<int:pk>/<str:action>/", workshop.workshop_action, name="workshop_action"),
]
