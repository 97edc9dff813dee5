from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from reuse.accounts.enums import Role
from reuse.accounts.forms import EmailAuthenticationForm
from reuse.policy.accounts import get_visible_organisation, primary_role, visible_organisations

# The page each role lands on once signed in; a role without an entry gets the generic role page.
ROLE_HOME = {
    Role.STAFF: "wagtailadmin_home",
    Role.WORKSHOP: "inventory:dashboard",
    Role.HOUSEHOLD: "eligibility:dashboard",
    Role.REFERRER: "eligibility:referrer_dashboard",
    Role.ASSOCIATION: "claims:association_dashboard",
}


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def home(request):
    """Send each person to the page of what they came to do."""
    role = primary_role(request.user)
    target = ROLE_HOME.get(role)
    if target:
        return redirect(reverse(target))
    return render(
        request,
        "accounts/home.html",
        {
            "role": role,
            "organisations": visible_organisations(request.user).filter(memberships__user=request.user),
        },
    )


@login_required
def organisation_detail(request, pk: int):
    organisation = get_visible_organisation(request.user, pk)
    members = organisation.memberships.select_related("user").order_by("user__email")
    return render(
        request, "accounts/organisation_detail.html", {"organisation": organisation, "members": members}
    )
