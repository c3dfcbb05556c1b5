from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.models import BasePage, ContentPage
from home.translation import in_language
from sections.models import SectionPage

from .katotth import KatotthCodeField, Oblast, normalize_code, validate_code, validate_code_in_oblast
from .text import xml_safe


class CommunityKind(models.TextChoices):
    CITY = "city", _("City hromada")
    SETTLEMENT = "settlement", _("Settlement hromada")
    VILLAGE = "village", _("Village hromada")


class CommunityQuerySet(models.QuerySet):
    def shown_in(self, locale_id):
        """Each community once, in the language of ``locale_id`` or, while it has no translation
        there, in the source language: the site shows untranslated content in Ukrainian, never a 404."""
        translated = self.model.objects.filter(locale_id=locale_id).values("translation_key")
        untranslated_source = Q(locale__language_code=settings.LANGUAGE_CODE) & ~Q(translation_key__in=translated)
        return self.filter(Q(locale_id=locale_id) | untranslated_source)


class Community(TranslatableMixin, index.Indexed, models.Model):
    """A territorial community (hromada) of the national register, by its KATOTTH code."""

    name = models.CharField(_("name"), max_length=255)
    oblast = models.CharField(_("oblast"), max_length=20, choices=Oblast.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=CommunityKind.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    code = KatotthCodeField(
        _("KATOTTH code"),
        max_length=19,
        validators=[validate_code],
        help_text=_("From the national register of communities, e.g. UA05020030000031571."),
    )

    objects = CommunityQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("oblast"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("code"), FieldPanel("population")]),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("code"),
        index.FilterField("oblast"),
        index.FilterField("locale_id"),
    ]
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("oblast"),
        SynchronizedField("kind"),
        SynchronizedField("population"),
        SynchronizedField("code"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["oblast", "name"]
        constraints = [models.UniqueConstraint(fields=["code", "locale"], name="one_community_a_code_a_language")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.oblast and self.code:
            try:
                validate_code_in_oblast(self.code, self.oblast)
            except ValidationError as error:
                raise ValidationError({"code": error}) from None
        clash = Community.objects.filter(code=self.code, locale_id=self.locale_id).exclude(pk=self.pk)
        if self.locale_id and clash.exists():
            raise ValidationError({"code": _("Another community has this code: %(name)s.") % {"name": clash.first()}})


class NeedCategory(models.TextChoices):
    ENERGY = "energy", _("Energy")
    MEDICAL = "medical", _("Medical")
    WATER = "water", _("Water")
    SHELTER = "shelter", _("Shelter")
    EQUIPMENT = "equipment", _("Equipment")
    EDUCATION = "education", _("Education")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    OTHER = "other", _("Other")


#: The section where a category's open needs show, known by the section's slug. The slug is the
#: section's address, the same in every language (a synchronised field), and editors keep it so that
#: links keep working; the icon, which they may change for looks, would unlink a category silently.
CATEGORY_SECTION_SLUGS = {
    NeedCategory.ENERGY: "enerhetychna-stiikist",
    NeedCategory.MEDICAL: "okhorona-zdorovia",
    NeedCategory.WATER: "vodopostachannia-ta-vodovidvedennia",
    NeedCategory.SHELTER: "bezpeka-ta-tsyvilnyi-zakhyst",
    NeedCategory.EQUIPMENT: "vidnovlennia-infrastruktury",
    NeedCategory.EDUCATION: "osvita",
    NeedCategory.PSYCHOLOGICAL: "samovidnovlennia",
}


class Urgency(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_COVERED = "partly_covered", _("Partly covered")
    COVERED = "covered", _("Covered")
    CLOSED = "closed", _("Closed")


ACTIVE_STATUSES = (NeedStatus.OPEN, NeedStatus.PARTLY_COVERED)


class ContactVisibility(models.TextChoices):
    PUBLIC = "public", _("Shown to everyone")
    REGISTERED = "registered", _("Shown to signed-in users")
    ON_REQUEST = "on_request", _("Not shown: donors ask the platform")


class NeedUpdateBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Date"))
    text = blocks.TextBlock(label=_("What happened"), help_text=_("E.g. “Received 2 of 5 generators from …”."))

    class Meta:
        icon = "history"
        label = _("Update")


class NeedPageQuerySet(PageQuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def board_order(self):
        """Open needs first, then by urgency, then the newest first."""
        return self.annotate(
            activity_rank=Case(
                When(status__in=ACTIVE_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            urgency_rank=Case(
                When(urgency=Urgency.CRITICAL, then=Value(0)),
                When(urgency=Urgency.HIGH, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        ).order_by("activity_rank", "urgency_rank", "-opened_on", "-pk")


def localize_communities(needs, locale_id):
    """Gives each need ``community_shown``, its community in the listing's language (else the source
    community, the one relations point at): one query in all."""
    localized = in_language(Community, {need.community.translation_key for need in needs}, locale_id)
    for need in needs:
        need.community_shown = localized.get(need.community.translation_key, need.community)
    return needs


def category_sections(locale_id):
    """Each category's section where there is one, in the language of ``locale_id`` or else in the source's."""
    sections = (
        SectionPage.objects.live()
        .filter(slug__in=CATEGORY_SECTION_SLUGS.values())
        .filter(Q(locale_id=locale_id) | Q(locale__language_code=settings.LANGUAGE_CODE))
        .order_by(Case(When(locale_id=locale_id, then=Value(0)), default=Value(1)))
    )
    by_slug = {}
    for section in sections:
        by_slug.setdefault(section.slug, section)
    return {category: by_slug[slug] for category, slug in CATEGORY_SECTION_SLUGS.items() if slug in by_slug}


def for_listing(needs, locale_id, sections=None):
    """Gives each need of a listing ``community_shown`` and ``category_section`` (None when its
    category has no section): two queries in all, one when the caller knows the ``sections``."""
    if sections is None:
        sections = category_sections(locale_id)
    for need in localize_communities(needs, locale_id):
        need.category_section = sections.get(need.category)
    return needs


class NeedIndexPage(RoutablePageMixin, ContentPage):
    """/needs/: what communities need, for donors: filters, grouping by oblast, feed and export."""

    per_page = 30

    parent_page_types = ["home.HomePage"]
    subpage_types = ["communities.NeedPage"]
    max_count_per_parent = 1
    template = "pages/need_index_page.html"

    class Meta:
        verbose_name = _("needs board")
        verbose_name_plural = _("needs boards")

    def needs(self):
        return NeedPage.objects.child_of(self).live()

    @path("")
    def board(self, request):
        from .board import NeedBoard

        return self.render(request, context_overrides={"board": NeedBoard(self, request)})

    @path("feed/")
    def feed(self, request):
        from .feeds import OpenNeedsFeed

        return OpenNeedsFeed(self)(request)

    @path("export/")
    def export(self, request):
        from .board import NeedBoard
        from .export import needs_csv

        return needs_csv(NeedBoard(self, request), request)

    @path("export/xlsx/")
    def export_xlsx(self, request):
        from .board import NeedBoard
        from .export import needs_xlsx

        return needs_xlsx(NeedBoard(self, request), request)

    @path("communities/")
    def communities(self, request):
        from .board import community_list

        return self.render(
            request,
            context_overrides={"oblasts": community_list(self)},
            template="pages/community_list.html",
        )

    @re_path(r"^communities/(?P<code>[A-Za-z0-9]{1,40})/$")
    def community(self, request, code):
        community = Community.objects.shown_in(self.locale_id).filter(code=normalize_code(code)).first()
        if community is None:
            raise Http404
        needs = self.needs().filter(community__translation_key=community.translation_key)
        page_obj = Paginator(needs.select_related("community").board_order(), self.per_page).get_page(
            request.GET.get("page")
        )
        needs = for_listing(list(page_obj.object_list), self.locale_id)
        return self.render(
            request,
            context_overrides={
                "community": community,
                "page_obj": page_obj,
                "active_needs": [need for need in needs if need.is_active],
                "past_needs": [need for need in needs if not need.is_active],
            },
            template="pages/community_page.html",
        )


class NeedPage(BasePage):
    """One need of one community, with its status and its history."""

    community = models.ForeignKey(
        "communities.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="needs"
    )
    category = models.CharField(_("category"), max_length=20, choices=NeedCategory.choices)
    description = models.TextField(
        _("what is needed"), help_text=_("What exactly, why, for whom; technical requirements.")
    )
    quantity = models.CharField(_("how much"), max_length=255, help_text=_("E.g. “5 generators, 30 kW each”."))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    status_changed_on = models.DateField(_("status changed on"), default=timezone.localdate)
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    contact_role = models.CharField(_("role"), max_length=255, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_visibility = models.CharField(
        _("the contact is"),
        max_length=20,
        choices=ContactVisibility.choices,
        default=ContactVisibility.ON_REQUEST,
        help_text=_("As the community allows."),
    )
    updates = StreamField([("update", NeedUpdateBlock())], verbose_name=_("updates"), blank=True)

    objects = PageManager.from_queryset(NeedPageQuerySet)()

    parent_page_types = ["communities.NeedIndexPage"]
    subpage_types: list[str] = []
    template = "pages/need_page.html"

    content_panels = [
        FieldPanel("title"),
        FieldPanel("community"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("urgency")]),
        FieldPanel("description"),
        FieldPanel("quantity"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("opened_on"), FieldPanel("status_changed_on")]),
        FieldPanel("updates"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_role")]),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
                FieldPanel("contact_visibility"),
            ],
            heading=_("Contact"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("quantity"),
        index.FilterField("category"),
        index.FilterField("status"),
        index.FilterField("urgency"),
    ]
    translatable_fields = [
        *BasePage.translatable_fields,
        TranslatableField("description"),
        TranslatableField("quantity"),
        TranslatableField("contact_name"),
        TranslatableField("contact_role"),
        TranslatableField("updates"),
        SynchronizedField("community"),
        SynchronizedField("category"),
        SynchronizedField("urgency"),
        SynchronizedField("status"),
        SynchronizedField("opened_on"),
        SynchronizedField("status_changed_on"),
        SynchronizedField("contact_email"),
        SynchronizedField("contact_phone"),
        SynchronizedField("contact_visibility"),
    ]

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [models.Index(fields=["status", "urgency"])]

    #: What editors paste from Word and may carry control characters that the feed cannot.
    pasted_text_fields = ("title", "description", "quantity", "contact_name", "contact_role")

    def save(self, *args, **kwargs):
        for name in self.pasted_text_fields:
            setattr(self, name, xml_safe(getattr(self, name)))
        # The date of the last status change follows the status, unless the editor set it.
        if self.pk:
            previous = NeedPage.objects.filter(pk=self.pk).values_list("status", "status_changed_on").first()
            if previous and previous[0] != self.status and previous[1] == self.status_changed_on:
                self.status_changed_on = timezone.localdate()
        return super().save(*args, **kwargs)

    @property
    def meta_description(self):
        return self.search_description or self.description[:300]

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    def get_community(self):
        """The community in this page's language (relations point at the source)."""
        return (
            Community.objects.filter(locale_id=self.locale_id, translation_key=self.community.translation_key).first()
            or self.community
        )

    def contact_shown_to(self, user):
        if not self.contact_name and not self.contact_email and not self.contact_phone:
            return False
        if self.contact_visibility == ContactVisibility.PUBLIC:
            return True
        return self.contact_visibility == ContactVisibility.REGISTERED and user.is_authenticated

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["need_community"] = self.get_community()
        context["category_section"] = category_sections(self.locale_id).get(self.category)
        context["show_contact"] = self.contact_shown_to(request.user)
        context["updates_newest_first"] = sorted(self.updates, key=lambda block: block.value["date"], reverse=True)
        return context
