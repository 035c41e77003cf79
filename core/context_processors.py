from core.scoping import get_scope


def scope(request):
    """The user's scope for the navigation (which menus and buttons to show)."""
    return {"scope": get_scope(getattr(request, "user", None))}
