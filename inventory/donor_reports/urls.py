"""The donor's pages built from the lot's devices, served under /dons/ in the `donations` namespace beside
donations/urls.py (reuse/urls.py joins the two lists): their paths and names are the donor's, wherever the views
live."""

from django.urls import path

from inventory.donor_reports import documents, pages

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("impact/", documents.public_impact, name="public_impact"),
    path("certificats/<str:code>/", documents.certificate_verify, name="certificate_verify"),
    path("lots/<int:pk>/", pages.lot_detail, name="lot"),
    path("lots/<int:pk>/certificat.pdf", documents.certificate_pdf, name="certificate"),
    path("lots/<int:pk>/rapports/<int:report_pk>/", documents.erasure_report, name="erasure_report"),
    path("lots/<int:pk>/devenir.csv", documents.export, {"fmt": "csv"}, name="export_csv"),
    path("lots/<int:pk>/devenir.xlsx", documents.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("lots/<int:pk>/impact/", documents.impact_report, name="impact"),
]
