from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SectionsConfig(AppConfig):
    name = "sections"
    verbose_name = _("Thematic sections")

    def ready(self):
        from . import signals  # noqa: F401  (connects the club restriction to SectionPage saves)
