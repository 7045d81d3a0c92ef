"""Many counts in one query: each a scalar subquery of one SELECT (one round trip)."""

from django.db.models import Exists, Func, IntegerField, QuerySet, Subquery

from accounts.models import SellerAccount


class CountAll(Func):
    """COUNT(*) of the rows a queryset selects, as a plain expression: Django then adds no
    GROUP BY, so the subquery is one row, 0 when nothing matches."""

    template = "COUNT(*)"
    output_field = IntegerField()


def count_of(queryset: QuerySet) -> Subquery:
    return Subquery(queryset.order_by().annotate(n=CountAll()).values("n"))


def counts(account: SellerAccount, **parts: QuerySet) -> dict[str, int | bool]:
    """{name: number of rows of its queryset} for every part, in one query; a part given as
    `Exists(queryset)` answers True or False instead."""
    # Prefixed: a name like "orders" would clash with the account's own relations.
    expressions = {
        f"counted_{name}": part if isinstance(part, Exists) else count_of(part)
        for name, part in parts.items()
    }
    row = SellerAccount.objects.filter(pk=account.pk).annotate(**expressions)
    return {name[len("counted_") :]: n for name, n in row.values(*expressions).get().items()}
