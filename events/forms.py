from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sections.forms import SectionsOfOwnLanguageForm

from .timing import effective_end


class EventDetailsForm(SectionsOfOwnLanguageForm):
    """Publishing an event or a series needs what visitors need to take part: a place to come to,
    a link to join. A draft may wait for them, and an event that is over needs no link any more."""

    def clean(self):
        from .models import EventFormat  # the models name this form as theirs: imported once both exist

        cleaned = super().clean()
        if self.is_deferred_validation:  # saving a draft
            return cleaned
        event_format = cleaned.get("format")
        if event_format in (EventFormat.OFFLINE, EventFormat.HYBRID) and not cleaned.get("place"):
            self.add_error("place", _("Say where an in-person or hybrid event takes place."))
        start = cleaned.get("start")
        is_over = start is not None and effective_end(start, cleaned.get("end")) < timezone.now()
        if event_format in (EventFormat.ONLINE, EventFormat.HYBRID) and not cleaned.get("join_url") and not is_over:
            self.add_error("join_url", _("An online or hybrid event needs the link to join."))
        return cleaned
