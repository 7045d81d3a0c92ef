"""What a type switch hides or shows again of the account's kept content (RULEBOOK §4).

Product links and live sessions are never deleted by a switch: the pages show them only while
the type has the feature. The switch records how many went out of sight or came back.
"""

from accounts.models import SellerAccount
from accounts.types import Feature, has_feature
from editions import registry as editions

from .models import LiveStatus, ProductLink


def visibility_change(account: SellerAccount, before: str, after: str) -> dict[str, int]:
    """Counts for the switch's timeline event; only the ones that changed."""
    counts = {
        Feature.PRODUCT_LINKS: (
            "product_links",
            ProductLink.objects.filter(video__account=account),
        ),
        Feature.AUDIENCE_TOOLS: (
            "live_sessions",
            account.live_sessions.filter(status=LiveStatus.SCHEDULED),
        ),
    }
    change, edition = {}, editions.of(account.sandbox)
    for feature, (name, rows) in counts.items():
        had = has_feature(before, feature, edition=edition)
        has = has_feature(after, feature, edition=edition)
        if had == has:
            continue
        n = rows.count()
        if n:
            change[f"{'hidden' if had else 'shown'}_{name}"] = n
    return change
