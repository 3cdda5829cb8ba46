from .permissions import scope_of


def scope(request):
    """The signed-in user's role, for menus (permission checks happen in the views, not here)."""
    user = getattr(request, "user", None)
    return {"portal_role": scope_of(user).role if user is not None else None}
