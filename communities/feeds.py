from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import NeedStatus

FEED_SIZE = 50


class OpenNeedsFeed(Feed):
    """Atom: the newest open needs, for donors' feed readers."""

    feed_type = Atom1Feed

    def __init__(self, index):
        super().__init__()
        self.index = index

    def title(self):
        return _("Open needs of communities")

    def link(self):
        return self.index.url

    def subtitle(self):
        return self.index.intro

    def items(self):
        return (
            self.index.needs()
            .filter(status=NeedStatus.OPEN)
            .select_related("community")
            .order_by("-opened_on", "-first_published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, need):
        return f"{need.title} — {need.community.name}"

    def item_description(self, need):
        return f"{need.get_urgency_display()} · {need.get_category_display()} · {need.quantity}\n\n{need.description}"

    def item_link(self, need):
        return need.url

    def item_guid(self, need):
        return f"need-{need.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, need):
        return need.first_published_at

    def item_updateddate(self, need):
        return need.last_published_at or need.first_published_at

    def item_categories(self, need):
        return [need.get_category_display(), need.community.get_oblast_display()]
