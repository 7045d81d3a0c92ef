import factory
from django.utils import timezone

from accounts.models import AppAuthorization, ConnectedApp, Sandbox, SellerAccount, User
from tests.engine_guard import arranging


class Arranged(factory.django.DjangoModelFactory):
    """A factory is test set-up: the rows it makes may start in any declared state."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with arranging():
            return super()._create(model_class, *args, **kwargs)


class UserFactory(Arranged):
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


class SandboxFactory(Arranged):
    class Meta:
        model = Sandbox

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Sandbox {n}")


class SellerAccountFactory(Arranged):
    class Meta:
        model = SellerAccount

    sandbox = factory.SubFactory(SandboxFactory)
    display_name = factory.Sequence(lambda n: f"Seller {n}")
    contact_email = factory.Sequence(lambda n: f"seller{n}@example.com")


class AppAuthorizationFactory(Arranged):
    class Meta:
        model = AppAuthorization

    account = factory.SubFactory(SellerAccountFactory)
    app = ConnectedApp.TIKTOK_FOR_BUSINESS
    granted_at = factory.LazyFunction(timezone.now)
