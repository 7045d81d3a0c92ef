from django import template

from editions.pages import why_anchor

register = template.Library()


@register.filter
def rule_anchor(codes: str) -> str:
    """`{{ offer.code|rule_anchor }}`: the rules page's anchor of the rule behind a refusal."""
    return why_anchor(str(codes or ""))
