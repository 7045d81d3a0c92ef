"""Account types, their categories and the features each one unlocks (RULEBOOK §4)."""

from dataclasses import dataclass

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


# --- The matrix as the pages show it (RULEBOOK §4) -----------------------------------------
# Each row is one area a trainee can open; its cells are read from FEATURES above, so the grid,
# the refusals and the services never disagree.


@dataclass(frozen=True)
class FeatureArea:
    key: str
    label: str
    what: str  # what the area lets a seller do, in one line
    page: str  # the URL name where it lives
    features: tuple[str, ...]  # any of these unlocks the area


AREAS: tuple[FeatureArea, ...] = (
    FeatureArea(
        "sounds",
        "Sound library",
        "pick the sound of a shop video",
        "sounds",
        (Feature.FULL_MUSIC_LIBRARY, Feature.COMMERCIAL_SOUNDS),
    ),
    FeatureArea(
        "analytics",
        "Audience and content insights",
        "who buys and which videos sell, on the Analytics page",
        "analytics",
        (Feature.ANALYTICS,),
    ),
    FeatureArea(
        "audience",
        "Audience tools",
        "follower insights and scheduling live sessions",
        "audience",
        (Feature.AUDIENCE_TOOLS,),
    ),
    FeatureArea(
        "product_links",
        "Product links on videos",
        "tag the shop's products on its videos",
        "videos",
        (Feature.PRODUCT_LINKS,),
    ),
    FeatureArea(
        "ad_campaigns",
        "Ad campaigns",
        "paid promotions on the Marketing page",
        "campaigns",
        (Feature.AD_CAMPAIGNS,),
    ),
)


def cell(area: FeatureArea, account_type: str) -> str:
    """What one type gets of one area, in words: "Full library", "Commercial sounds only", …"""
    if area.key == "sounds":
        if has_feature(account_type, Feature.FULL_MUSIC_LIBRARY):
            return "Full library"
        return "Commercial sounds only"
    return "Yes" if any(has_feature(account_type, f) for f in area.features) else "No"


def feature_matrix(current: str) -> dict:
    """The grid of the Account type page: one row per area, one column per type."""
    return {
        "types": [{"type": t, "label": t.label, "current": t == current} for t in AccountType],
        "rows": [
            {
                "area": area,
                "cells": [
                    {"type": t, "text": cell(area, t), "current": t == current} for t in AccountType
                ],
            }
            for area in AREAS
        ],
    }


def types_with(feature: str) -> list[str]:
    return [t for t in AccountType if has_feature(t, feature)]


def feature_refusal(feature: str, account_type: str) -> str:
    """The sentence a service refuses with when the account's type lacks `feature`."""
    needed = " or ".join(AccountType(t).label.lower() for t in types_with(feature))
    label = Feature(feature).label
    verb = "come" if label.endswith("s") else "comes"
    return (
        f"{label} {verb} with a {needed} account; this one is "
        f"{AccountType(account_type).label.lower()}: switch the account type first."
    )
