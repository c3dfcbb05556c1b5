import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale

from communities.models import Community, NeedIndexPage, NeedPage
from events.models import EventIndexPage, EventPage
from home.models import HomePage, StandardPage
from library.models import LibraryDocument, LibraryPage, MaterialKind, MaterialPage
from sections.models import SectionIndexPage, SectionKind, SectionPage
from speakers.models import SpeakerIndexPage, SpeakerKind, SpeakerPage


def many_to_many(field_name):
    """A factory declaration that sets a page's many-to-many field after creation, then saves it."""

    def set_related(page, create, values, **kwargs):
        if values:
            getattr(page, field_name).set(values)
            page.save()

    return factory.PostGeneration(set_related)


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    class Meta:
        model = get_user_model()


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Супермаркет рішень для громад"
    intro = "Громади зустрічають бізнес, донорів та експертів."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Сторінка {n}")
    slug = factory.Sequence(lambda n: f"storinka-{n}")
    intro = "Коротко про сторінку."

    class Meta:
        model = StandardPage


class SectionIndexPageFactory(wagtail_factories.PageFactory):
    title = "Розділи"
    slug = "sections"

    class Meta:
        model = SectionIndexPage


class SectionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Розділ {n}")
    summary = "Рішення для громад у цій темі."
    kind = SectionKind.THEMATIC
    order = factory.Sequence(lambda n: n)
    icon = "bolt"

    class Meta:
        model = SectionPage


class SpeakerIndexPageFactory(wagtail_factories.PageFactory):
    title = "Спікери"
    slug = "speakers"

    class Meta:
        model = SpeakerIndexPage


class SpeakerPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Спікер {n}")
    kind = SpeakerKind.EXPERT
    short_bio = "Допомагає громадам."

    class Meta:
        model = SpeakerPage
        skip_postgeneration_save = True

    sections = many_to_many("sections")


class LibraryPageFactory(wagtail_factories.PageFactory):
    title = "Склад рішень"
    slug = "library"

    class Meta:
        model = LibraryPage


class LibraryDocumentFactory(factory.django.DjangoModelFactory):
    """A document with a real file: a short Ukrainian text file unless ``file`` is given."""

    title = factory.Sequence(lambda n: f"Документ {n}")
    file = factory.django.FileField(
        filename=factory.Sequence(lambda n: f"dokument-{n}.txt"),
        data=factory.Sequence(lambda n: f"Методичні рекомендації для громад, випуск {n}.".encode()),
    )

    class Meta:
        model = LibraryDocument

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        document = model_class(*args, **kwargs)
        document._set_document_file_metadata()
        document.save()
        return document


class MaterialPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Матеріал {n}")
    summary = "Що всередині і для кого."
    kind = MaterialKind.GUIDE
    file_language = "uk"
    year = 2025
    document = factory.SubFactory(LibraryDocumentFactory)

    class Meta:
        model = MaterialPage
        skip_postgeneration_save = True

    sections = many_to_many("sections")


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Події"
    slug = "events"

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    """An online event; ``start`` is an aware datetime (``kyiv(...)`` in the tests)."""

    title = factory.Sequence(lambda n: f"Подія {n}")
    summary = "Про що подія і для кого."
    format = "online"
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=1))

    class Meta:
        model = EventPage
        skip_postgeneration_save = True

    sections = many_to_many("sections")

    speakers = many_to_many("speakers")


class CommunityFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Громада {n}")
    oblast = "vinnytsia"
    kind = "city"
    population = 20000
    code = factory.Sequence(lambda n: f"UA05{n:015d}")
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="uk"))

    class Meta:
        model = Community


class NeedIndexPageFactory(wagtail_factories.PageFactory):
    title = "Потреби громад"
    slug = "needs"

    class Meta:
        model = NeedIndexPage


class NeedPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Потреба {n}")
    community = factory.SubFactory(CommunityFactory)
    category = "energy"
    description = "Що потрібно і для кого."
    quantity = "5 генераторів"
    urgency = "normal"
    status = "open"

    class Meta:
        model = NeedPage
