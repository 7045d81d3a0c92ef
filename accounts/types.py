"""Account types, their categories and the features each one unlocks (RULEBOOK §4)."""

from django.db import models


class AccountType(models.TextChoices):
    PERSONAL = "personal", "Personal"
    CREATOR = "creator", "Creator"
    BUSINESS = "business", "Business"


class Category(models.TextChoices):
    ART = "art", "Art"
    BEAUTY = "beauty", "Beauty"
    FITNESS = "fitness", "Fitness"
    FASHION = "fashion", "Fashion"
    FOOD_DRINK = "food_drink", "Food & Drink"
    EDUCATION = "education", "Education"
    GAMING = "gaming", "Gaming"
    HOME_GARDEN = "home_garden", "Home & Garden"
    PETS = "pets", "Pets"
    TECH = "tech", "Tech"
    OTHER = "other", "Other"


TYPES_NEEDING_CATEGORY = frozenset({AccountType.CREATOR, AccountType.BUSINESS})


class Feature(models.TextChoices):
    FULL_MUSIC_LIBRARY = "full_music_library", "Full music library"
    COMMERCIAL_SOUNDS = "commercial_sounds", "Commercial sounds library"
    ANALYTICS = "analytics", "Audience and content analytics"
    AUDIENCE_TOOLS = "audience_tools", "Audience-building tools"
    PRODUCT_LINKS = "product_links", "Product links"
    AD_CAMPAIGNS = "ad_campaigns", "Ad campaigns"


FEATURES: dict[str, frozenset[str]] = {
    AccountType.PERSONAL: frozenset({Feature.FULL_MUSIC_LIBRARY}),
    AccountType.CREATOR: frozenset(
        {Feature.FULL_MUSIC_LIBRARY, Feature.ANALYTICS, Feature.AUDIENCE_TOOLS}
    ),
    AccountType.BUSINESS: frozenset(
        {
            Feature.COMMERCIAL_SOUNDS,
            Feature.ANALYTICS,
            Feature.AUDIENCE_TOOLS,
            Feature.PRODUCT_LINKS,
            Feature.AD_CAMPAIGNS,
        }
    ),
}


def has_feature(account_type: str, feature: str) -> bool:
    return feature in FEATURES[account_type]


def type_change_preview(current: str, new: str) -> dict[str, list[str]]:
    """What a switch from `current` to `new` gains and loses, as feature labels."""
    before, after = FEATURES[current], FEATURES[new]
    return {
        "gained": [Feature(f).label for f in Feature if f in after - before],
        "lost": [Feature(f).label for f in Feature if f in before - after],
        "kept": [Feature(f).label for f in Feature if f in before & after],
    }
