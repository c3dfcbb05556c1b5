from home.models import BasePageForm

from .models import SectionPage


class SectionsOfOwnLanguageForm(BasePageForm):
    """A page form whose ``sections`` field offers the sections of the page's own language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "sections" in self.fields:
            locale_id = self.instance.locale_id or getattr(self.parent_page, "locale_id", None)
            self.fields["sections"].queryset = SectionPage.objects.filter(locale_id=locale_id).order_by(
                "order", "title"
            )
