from reuse.policy.accounts import primary_role, roles_of


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set(), "primary_role": None}
    return {"user_roles": roles_of(user), "primary_role": primary_role(user)}
