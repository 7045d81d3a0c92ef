"""The "Source article" edition: the rules of the article the simulator was built from, plus the
platform limits it marks [platform] (RULEBOOK §3–§6). Every number the simulator enforced before
editions existed is here, unchanged."""

from datetime import timedelta

from accounts.types import AccountType, Feature
from editions.base import AccountTypeRule, Edition, Rule, Source

EDITION = Edition(
    key="source-article",
    name="Source article",
    summary=(
        "The article's rules: personal, creator and business accounts; three closing steps "
        "(orders shipped, campaigns ended, the deletion confirmed by email); the platform's "
        "limits on unlinking a shop."
    ),
    rules={
        "UNLINK_COOLDOWN": Rule(
            timedelta(hours=24),
            "A shop can be unlinked only {n} after it was linked.",
            Source.PLATFORM,
            "§3",
        ),
        "UNLINK_LIMIT": Rule(
            3,
            "A shop can be unlinked at most {n} within the unlink window.",
            Source.PLATFORM,
            "§3",
        ),
        "UNLINK_WINDOW": Rule(
            timedelta(days=180),
            "The unlink window: an unlink counts against the limit for {n}.",
            Source.PLATFORM,
            "§3",
        ),
        "EXPORT_FRESH_FOR": Rule(
            timedelta(days=7),
            "Before an unlink, a data export is offered unless one was downloaded in the last {n}.",
            Source.ARTICLE,
            "§3",
        ),
        "DELETION_LINK_VALID_FOR": Rule(
            timedelta(hours=24),
            "The emailed link that confirms a deletion request works once, for {n}.",
            Source.SIM,
            "§5",
        ),
        "DELETION_GRACE": Rule(
            timedelta(days=30),
            "A confirmed deletion is carried out {n} later; it can be cancelled until then.",
            Source.SIM,
            "§5",
        ),
        "DELETION_REMINDERS": Rule(
            (timedelta(days=7), timedelta(days=1)),
            "Reminder emails land {n} before a scheduled deletion.",
            Source.SIM,
            "§5",
        ),
        "EXPORT_COOLDOWN": Rule(
            timedelta(hours=24),
            "One export in flight per account, and at most one new export per {n}.",
            Source.SIM,
            "§6",
        ),
        "EXPORT_LINK_VALID_FOR": Rule(
            timedelta(days=7),
            "An export's download link expires {n} after it is ready, and its file is removed.",
            Source.SIM,
            "§6",
        ),
        "NOTIFY_CUSTOMERS_WINDOW": Rule(
            timedelta(days=90),
            "Notify customers writes to every customer with an order in the last {n}.",
            Source.ARTICLE,
            "§5",
        ),
    },
    account_types={
        AccountType.PERSONAL: AccountTypeRule("Personal", frozenset({Feature.FULL_MUSIC_LIBRARY})),
        AccountType.CREATOR: AccountTypeRule(
            "Creator",
            frozenset({Feature.FULL_MUSIC_LIBRARY, Feature.ANALYTICS, Feature.AUDIENCE_TOOLS}),
            needs_category=True,
        ),
        AccountType.BUSINESS: AccountTypeRule(
            "Business",
            frozenset(
                {
                    Feature.COMMERCIAL_SOUNDS,
                    Feature.ANALYTICS,
                    Feature.AUDIENCE_TOOLS,
                    Feature.PRODUCT_LINKS,
                    Feature.AD_CAMPAIGNS,
                }
            ),
            needs_category=True,
        ),
    },
)
