"""Staff screens in the Wagtail admin: the document review queue, the viewer, verifications."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from reuse.accounts.auth import sender_address
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation
from reuse.eligibility.enums import PrioritySituation, RefusalReason
from reuse.eligibility.models import (
    AssociationProfile,
    DocumentAccess,
    ReferrerAccreditation,
)
from reuse.eligibility.services import accreditations, associations, documents
from reuse.policy.accounts import is_staff
from reuse.policy.eligibility import can_review_documents, visible_documents
from reuse.views import domain_errors, private_file_response

# A reviewer's screenful: the oldest proofs first, the rest on the next pages.
QUEUE_PAGE_SIZE = 25


def _admin_context(title, icon, **extra):
    """What Wagtail's generic admin layout reads, for a page without breadcrumbs."""
    return {
        "header_title": title,
        "page_title": title,
        "page_subtitle": "",
        "header_icon": icon,
        "breadcrumbs_items": None,
        **extra,
    }


def _reviewer(request):
    if not can_review_documents(request.user):
        raise PermissionDenied
    return request.user


def _verifier(request):
    if not (is_staff(request.user) and request.user.has_perm("eligibility.change_associationprofile")):
        raise PermissionDenied
    return request.user


def _waiting_queue(user):
    """The proofs `user` may review that still wait, oldest first (the household waiting longest)."""
    return visible_documents(user).waiting().order_by("created", "pk")


def document_queue(request):
    _reviewer(request)
    waiting = _waiting_queue(request.user).select_related(
        "decision__beneficiary__household", "decision__programme", "uploaded_by"
    )
    page = Paginator(waiting, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    count = page.paginator.count
    summary = ngettext("%(count)s justificatif à examiner", "%(count)s justificatifs à examiner", count) % {
        "count": count
    }
    return TemplateResponse(
        request,
        "eligibility/admin/document_queue.html",
        _admin_context(
            _("Justificatifs à examiner"), "doc-full", documents=page.object_list, page=page, summary=summary
        ),
    )


def document_detail(request, pk: int):
    _reviewer(request)
    document = get_object_or_404(
        visible_documents(request.user).select_related(
            "decision__beneficiary__household", "decision__programme"
        ),
        pk=pk,
    )
    return TemplateResponse(
        request,
        "eligibility/admin/document_detail.html",
        _admin_context(
            str(document),
            "doc-full",
            document=document,
            decision=document.decision,
            accesses=document.accesses.select_related("viewer").order_by("-created")[:20],
            priority_choices=PrioritySituation.choices,
            refusal_choices=RefusalReason.choices,
        ),
    )


def document_file(request, pk: int):
    """The only way a document's bytes leave the private storage: to reviewing staff, and logged."""
    viewer = _reviewer(request)
    document = get_object_or_404(
        visible_documents(request.user).select_related("decision__programme", "decision__replaced_by"), pk=pk
    )
    if not document.servable:
        raise Http404
    DocumentAccess.log_view(document=document, viewer=viewer, ip_address=sender_address(request) or None)
    return private_file_response(
        document.file.open("rb"),
        filename=f"justificatif-{document.pk}",
        content_type=document.content_type,
        inline=True,
    )


@require_POST
def document_review(request, pk: int):
    reviewer = _reviewer(request)
    document = get_object_or_404(visible_documents(request.user), pk=pk)
    approve = request.POST.get("decision") == "approve"
    with domain_errors(request) as attempt:
        documents.review_document(
            document=document,
            reviewer=reviewer,
            approve=approve,
            refusal=request.POST.get("refusal", ""),
            note=request.POST.get("note", ""),
            priorities=request.POST.getlist("priorities"),
        )
    if not attempt.ok:
        # Back to this proof, told why (already decided by someone else, a refusal without its reason).
        return _to_review(document.pk)
    messages.success(request, _("Justificatif accepté.") if approve else _("Justificatif refusé."))
    following = _waiting_queue(request.user).exclude(pk=document.pk).first()
    if following is None:
        return redirect("eligibility_admin:document_queue")
    return _to_review(following.pk)


def _to_review(pk: int):
    """A proof's page at its review section: the keyboard (and a screen reader) starts there, not at the top of the
    admin's menu, after each decision."""
    return redirect(reverse("eligibility_admin:document_detail", args=[pk]) + "#examen")


def verifications(request):
    _verifier(request)
    associations = (
        AssociationProfile.objects.filter(verified_at__isnull=True)
        .select_related("organisation")
        .order_by("created")
    )
    referrers = (
        Organisation.objects.filter(kind=OrganisationKind.REFERRER)
        .exclude(pk__in=ReferrerAccreditation.objects.active().values("organisation"))
        .exclude(status=OrganisationStatus.SUSPENDED)
        .order_by("name")
    )
    return TemplateResponse(
        request,
        "eligibility/admin/verifications.html",
        _admin_context(
            _("Associations et prescripteurs à vérifier"),
            "group",
            associations=associations,
            referrers=referrers,
            accredited=ReferrerAccreditation.objects.active().select_related("organisation"),
        ),
    )


@require_POST
def verify_association(request, pk: int):
    staff = _verifier(request)
    organisation = get_object_or_404(Organisation, pk=pk, kind=OrganisationKind.ASSOCIATION)
    with domain_errors(request) as attempt:
        decision = associations.verify_association(organisation=organisation, by=staff)
    if attempt.ok:
        messages.success(
            request,
            _("%(name)s vérifiée : %(status)s.")
            % {"name": organisation.name, "status": decision.get_status_display()},
        )
    return redirect("eligibility_admin:verifications")


@require_POST
def accredit_referrer(request, pk: int):
    staff = _verifier(request)
    organisation = get_object_or_404(Organisation, pk=pk, kind=OrganisationKind.REFERRER)
    if request.POST.get("action") == "revoke":
        accreditations.revoke_accreditation(organisation=organisation, by=staff)
        messages.success(request, _("Accréditation retirée."))
        return redirect("eligibility_admin:verifications")
    with domain_errors(request) as attempt:
        accreditations.accredit_referrer(organisation=organisation, by=staff)
    if attempt.ok:
        messages.success(request, _("%(name)s est accréditée.") % {"name": organisation.name})
    return redirect("eligibility_admin:verifications")
