from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import NeedStatus, localize_communities
from .text import xml_safe

FEED_SIZE = 50


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text: Django marks every summary as HTML."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def _xml_safe_values(entry):
    """The feed's or an entry's text made XML-safe (entries also hold dates and enclosures)."""
    for key, value in entry.items():
        if isinstance(value, str):
            entry[key] = xml_safe(value)
    entry["categories"] = [xml_safe(category) for category in entry["categories"] or ()]


class OpenNeedsFeed(Feed):
    """Atom: the newest open needs, for donors' feed readers."""

    feed_type = PlainTextAtomFeed

    def __init__(self, index):
        super().__init__()
        self.index = index

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # A control character pasted from Word would make the feed fail or its XML invalid.
        for entry in [feed.feed, *feed.items]:
            _xml_safe_values(entry)
        return feed

    def title(self):
        return _("Open needs of communities")

    def link(self):
        return self.index.url

    def subtitle(self):
        return self.index.intro

    def items(self):
        needs = (
            self.index.needs()
            .filter(status=NeedStatus.OPEN)
            .select_related("community")
            .order_by("-opened_on", "-first_published_at", "-pk")[:FEED_SIZE]
        )
        return localize_communities(list(needs), self.index.locale_id)

    def item_title(self, need):
        return f"{need.title} — {need.community_shown.name}"

    def item_description(self, need):
        return f"{need.get_urgency_display()} · {need.get_category_display()} · {need.quantity}\n\n{need.description}"

    def item_link(self, need):
        return need.url

    def item_guid(self, need):
        return need.translation_key.urn

    item_guid_is_permalink = False

    def item_pubdate(self, need):
        return need.first_published_at

    def item_updateddate(self, need):
        return need.last_published_at or need.first_published_at

    def item_categories(self, need):
        return [need.get_category_display(), need.community.get_oblast_display()]
