from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .reports import UnansweredQueriesView, may_see_search_statistics


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/searches-without-results/", UnansweredQueriesView.as_view(), name="search_unanswered"),
        path(
            "reports/searches-without-results/results/",
            UnansweredQueriesView.as_view(results_only=True),
            name="search_unanswered_results",
        ),
    ]


class UnansweredMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_search_statistics(request.user)


@hooks.register("register_reports_menu_item")
def register_unanswered_menu_item():
    return UnansweredMenuItem(
        _("Searches without results"), reverse("search_unanswered"), icon_name="search", order=1310
    )
