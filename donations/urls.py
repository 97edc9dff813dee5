from django.urls import path

from donations.views import documents, donor, imports, workshop

app_name = "donations"

# The pages that read the lot's devices (dashboard, lot page, certificate, exports, impact) are in
# inventory/donor_reports/urls.py: reuse/urls.py serves both lists under /dons/ in this namespace.
urlpatterns = [
    path("inscription/", donor.register, name="register"),
    path("lots/nouveau/", donor.lot_create, name="lot_create"),
    path("lots/<int:pk>/appareils/", donor.lot_items_add, name="lot_items"),
    path("lots/<int:pk>/manifeste/", imports.manifest_upload, name="manifest"),
    path("lots/<int:pk>/liberation/", donor.checklist, name="checklist"),
    path("lots/<int:pk>/soumettre/", donor.lot_move, {"move": "submit"}, name="submit"),
    path("lots/<int:pk>/annuler/", donor.lot_move, {"move": "cancel"}, name="cancel"),
    path("lots/<int:pk>/recu-fiscal/", documents.tax_receipt, name="tax_receipt"),
    path("lots/<int:pk>/recu-fiscal.pdf", documents.tax_receipt_pdf, name="tax_receipt_pdf"),
    path("imports/<int:pk>/", imports.job_detail, name="job"),
    path("imports/<int:pk>/lignes-valides/", imports.job_import_valid, name="job_import_valid"),
    path("imports/<int:pk>/correspondance/", imports.job_mapping, name="job_mapping"),
    path("atelier/", workshop.workshop_lot_list, name="workshop_lots"),
    path("atelier/lots/<int:pk>/", workshop.workshop_lot, name="workshop_lot"),
    path("atelier/lots/<int:pk>/<str:action>/", workshop.workshop_action, name="workshop_action"),
]
