"""The original erasure report as a download, from private storage (the views decide who may have it)."""

from django.http import Http404

from reuse.views import private_file_response


def report_response(report):
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    safe_name = "".join(c if c.isalnum() or c in "._-" else "_" for c in report.filename)[:120] or "rapport"
    return private_file_response(handle, filename=safe_name)
