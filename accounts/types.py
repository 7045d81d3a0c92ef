"""Account types, their categories and the features each one unlocks (RULEBOOK §4)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:  # editions declare their types with this module's names
    from editions.base import Edition


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


# Which type unlocks which feature is the edition's (`Edition.account_types`, RULEBOOK §4 and
# §12): every function below takes the edition in force.


def has_feature(account_type: str, feature: str, *, edition: "Edition") -> bool:
    return feature in edition.account_types[account_type].features


def type_change_preview(current: str, new: str, *, edition: "Edition") -> dict[str, list[str]]:
    """What a switch from `current` to `new` gains and loses, as feature labels."""
    before = edition.account_types[current].features
    after = edition.account_types[new].features
    return {
        "gained": [Feature(f).label for f in Feature if f in after - before],
        "lost": [Feature(f).label for f in Feature if f in before - after],
        "kept": [Feature(f).label for f in Feature if f in before & after],
    }


# --- The matrix as the pages show it (RULEBOOK §4) -----------------------------------------
# Each row is one area a trainee can open; its cells are read from the edition's account types,
# so the grid, the refusals and the services never disagree.


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


def cell(area: FeatureArea, account_type: str, *, edition: "Edition") -> str:
    """What one type gets of one area, in words: "Full library", "Commercial sounds only", …"""
    if area.key == "sounds":
        if has_feature(account_type, Feature.FULL_MUSIC_LIBRARY, edition=edition):
            return "Full library"
        return "Commercial sounds only"
    unlocked = any(has_feature(account_type, f, edition=edition) for f in area.features)
    return "Yes" if unlocked else "No"


def feature_matrix(current: str, *, edition: "Edition") -> dict:
    """The grid of the Account type page: one row per area, one column per type of the edition."""
    kinds = [AccountType(t) for t in edition.account_types]
    return {
        "types": [{"type": t, "label": t.label, "current": t == current} for t in kinds],
        "rows": [
            {
                "area": area,
                "cells": [
                    {"type": t, "text": cell(area, t, edition=edition), "current": t == current}
                    for t in kinds
                ],
            }
            for area in AREAS
        ],
    }


def types_with(feature: str, *, edition: "Edition") -> list[str]:
    return [t for t in edition.account_types if has_feature(t, feature, edition=edition)]


def feature_refusal(feature: str, account_type: str, *, edition: "Edition") -> str:
    """The sentence a service refuses with when the account's type lacks `feature`."""
    kinds = types_with(feature, edition=edition)
    needed = " or ".join(AccountType(t).label.lower() for t in kinds)
    label = Feature(feature).label
    verb = "come" if label.endswith("s") else "comes"
    return (
        f"{label} {verb} with a {needed} account; this one is "
        f"{AccountType(account_type).label.lower()}: switch the account type first."
    )
