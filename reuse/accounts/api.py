from django.shortcuts import get_object_or_404
from ninja import Router

from reuse.accounts.schemas import MeOut, OrganisationOut
from reuse.policy.accounts import roles_of, visible_organisations

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="The signed-in user, their roles and organisations")
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "roles": sorted(roles_of(user)),
        "organisations": list(visible_organisations(user).filter(memberships__user=user)),
    }


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations you belong to")
def list_organisations(request):
    return list(visible_organisations(request.user)[:200])


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def get_organisation(request, organisation_id: int):
    return get_object_or_404(visible_organisations(request.user), pk=organisation_id)
