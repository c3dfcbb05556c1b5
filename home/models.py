from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .blocks import BodyStreamBlock


class BasePage(Page):
    """What every page of the site shares: a social image and the translation rules.

    Subclasses extend ``translatable_fields`` with their own fields, so that each field
    is either translated by editors or kept in step with the Ukrainian source on purpose.
    """

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared on social networks (1200×630 works best)."),
    )

    promote_panels = [
        *Page.promote_panels,
        FieldPanel("social_image"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        # English pages keep the Latin slug of their Ukrainian source.
        SynchronizedField("slug"),
        SynchronizedField("social_image"),
    ]

    class Meta:
        abstract = True

    @cached_property
    def untranslated_source_language(self):
        """The language code of the source when this page is an untranslated copy.

        wagtail-localize keeps the English tree in step by creating aliases of the
        Ukrainian pages; until an editor translates one, it shows the Ukrainian text.
        """
        if self.alias_of_id is None:
            return None
        return (
            Page.objects.filter(pk=self.alias_of_id)
            .exclude(locale_id=self.locale_id)
            .values_list("locale__language_code", flat=True)
            .first()
        )


class ContentPage(BasePage):
    """A page made of an introduction and a body of blocks."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("The lead under the page title: one or two sentences."),
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    translatable_fields = [
        *BasePage.translatable_fields,
        TranslatableField("intro"),
        TranslatableField("body"),
    ]

    class Meta:
        abstract = True


class HomePage(ContentPage):
    # Each language's home page keeps a slug of its own: Wagtail wants distinct slugs
    # under the root, and the home page's slug never shows in a URL.
    translatable_fields = [field for field in ContentPage.translatable_fields if field.field_name != "slug"]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.StandardPage"]
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class StandardPage(ContentPage):
    """About, partners, how to join: a page of text for anything that has no model of its own."""

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


SOCIAL_NETWORKS = [
    ("facebook", "Facebook"),
    ("telegram", "Telegram"),
    ("youtube", "YouTube"),
    ("linkedin", "LinkedIn"),
    ("instagram", "Instagram"),
    ("x", "X"),
    ("viber", "Viber"),
]


class SocialLinkValue(blocks.StructValue):
    def network_name(self):
        return dict(SOCIAL_NETWORKS).get(self["network"], self["network"])


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(label=_("Network"), choices=SOCIAL_NETWORKS)
    url = blocks.URLBlock(label=_("Address"))

    class Meta:
        icon = "link"
        label = _("Social link")
        value_class = SocialLinkValue


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """The footer's contacts and social links, managed by editors."""

    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    social_links = StreamField(
        [("link", SocialLinkBlock())],
        verbose_name=_("social links"),
        blank=True,
    )

    panels = [
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")], heading=_("Contacts")),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("site settings")
