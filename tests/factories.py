import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from home.models import HomePage, StandardPage


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
