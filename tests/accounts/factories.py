import factory
from django.utils import timezone

from accounts.models import AppAuthorization, ConnectedApp, Sandbox, SellerAccount, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"trainee{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-9")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SandboxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sandbox

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Sandbox {n}")


class SellerAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerAccount

    sandbox = factory.SubFactory(SandboxFactory)
    display_name = factory.Sequence(lambda n: f"Seller {n}")
    contact_email = factory.Sequence(lambda n: f"seller{n}@example.com")


class AppAuthorizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppAuthorization

    account = factory.SubFactory(SellerAccountFactory)
    app = ConnectedApp.TIKTOK_FOR_BUSINESS
    granted_at = factory.LazyFunction(timezone.now)
