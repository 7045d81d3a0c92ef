"""{{ value|money }}: the one template filter for amounts (see lifecycle.money)."""

from django import template

from lifecycle.money import format_money

register = template.Library()


@register.filter(name="money")
def money(value) -> str:
    return format_money(value)
