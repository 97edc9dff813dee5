"""Wagtail's document form for the portal (WAGTAILDOCS_DOCUMENT_FORM_BASE): a PDF staff publish follows the rule
of every PDF Rebond keeps as sent (`reuse.filekinds.check_passive_pdf`). Wagtail shows a PDF inline to every
visitor: one that runs JavaScript or carries a program would reach the public from an editor's upload."""

from django import forms
from wagtail.documents.forms import BaseDocumentForm

from reuse.errors import InvalidInput
from reuse.filekinds import check_passive_pdf, may_be_pdf


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or "file" not in self.changed_data:
            return upload
        # Wagtail's field refused a file over WAGTAILDOCS_MAX_UPLOAD_SIZE before this reads it.
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        if may_be_pdf(data) or upload.name.lower().endswith(".pdf"):
            try:
                check_passive_pdf(data)
            except InvalidInput as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
        return upload
