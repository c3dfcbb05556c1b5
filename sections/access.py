"""Who may read a closed section: the "Кабінет мера" club is for the Mayors group only.

The rule itself is Wagtail's page view restriction by group; this module keeps every
club section under it and answers, for a request, whether the page is closed to it.
"""

from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

MAYORS_GROUP_NAME = "Mayors"


def mayors_group():
    return Group.objects.get_or_create(name=MAYORS_GROUP_NAME)[0]


def restrict_to_mayors(page):
    """Puts the page under a view restriction for the Mayors group, if it is not already."""
    restriction = page.view_restrictions.filter(restriction_type=PageViewRestriction.GROUPS).first()
    if restriction is None:
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(mayors_group())


def lift_mayors_restriction(page):
    """Removes the restriction that ``restrict_to_mayors`` set; an editor's own restrictions stay."""
    for restriction in page.view_restrictions.filter(restriction_type=PageViewRestriction.GROUPS):
        if list(restriction.groups.values_list("name", flat=True)) == [MAYORS_GROUP_NAME]:
            restriction.delete()


def is_club_member(user):
    """Whether the user reads club content; asked once a request per user."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_club_member", None)
    if cached is None:
        cached = user._is_club_member = user.groups.filter(name=MAYORS_GROUP_NAME).exists()
    return cached


def closed_by_group(page, request):
    """Whether a restriction by login or group keeps this request from the page's content."""
    return any(
        restriction.restriction_type in (PageViewRestriction.LOGIN, PageViewRestriction.GROUPS)
        and not restriction.accept_request(request)
        for restriction in page.get_view_restrictions()
    )
