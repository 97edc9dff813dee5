"""The original erasure report as a download, from private storage (the views decide who may have it)."""

from django.http import Http404

from reuse.views import download_name, private_file_response


def report_response(report):
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # The name the tool gave it, as one file of the folder it is saved to (reuse.views.download_name).
    return private_file_response(handle, filename=download_name(report.filename, fallback="rapport"))
