import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from home.models import HomePage, StandardPage
from sections.models import SectionIndexPage, SectionKind, SectionPage
from speakers.models import SpeakerIndexPage, SpeakerKind, SpeakerPage


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

    @factory.post_generation
    def sections(self, create, sections, **kwargs):
        if sections:
            self.sections.set(sections)
            self.save()
