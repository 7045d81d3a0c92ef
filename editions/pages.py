"""What the rules pages show of an edition, read from its declaration only: every rule in words
with its number and source, the account types' features, and what differs between two editions."""

from dataclasses import dataclass

from accounts.types import AREAS, AccountType, feature_matrix
from lifecycle.errors import Code

from .base import RULE_KINDS, Edition


@dataclass(frozen=True)
class RuleLine:
    name: str  # the rule's key
    anchor: str  # its row's id on the rules page: where a "Why?" link points
    sentence: str  # the rule in words, its number filled in
    number: str  # the number alone, in words
    source: str  # where it comes from, in words
    section: str  # the rulebook's section


def rule_lines(edition: Edition) -> list[RuleLine]:
    """Every rule of the edition, in the order `RULE_KINDS` lists them."""
    return [
        RuleLine(
            name=name,
            anchor=anchor(name),
            sentence=edition.sentence(name),
            number=edition.words(name),
            source=edition.rules[name].source.words,
            section=edition.rules[name].section,
        )
        for name in RULE_KINDS
    ]


def anchor(name: str) -> str:
    """The rules page's anchor of one rule: `UNLINK_COOLDOWN` → `unlink-cooldown`."""
    return name.lower().replace("_", "-")


# The rule behind a refusal, where one rule number or table is behind it: its "Why?" link goes
# to that row of the rules page (any other refusal's goes to the top of the page).
RULE_OF_REFUSAL = {
    Code.UNLINK_TOO_SOON: anchor("UNLINK_COOLDOWN"),
    Code.UNLINK_LIMIT_REACHED: anchor("UNLINK_LIMIT"),
    Code.EXPORT_TOO_SOON: anchor("EXPORT_COOLDOWN"),
    Code.TOKEN_EXPIRED: anchor("DELETION_LINK_VALID_FOR"),
    Code.FEATURE_NOT_IN_TYPE: "types",
    Code.UNKNOWN_TYPE: "types",
    Code.CATEGORY_REQUIRED: "types",
    Code.CATEGORY_NOT_ALLOWED: "types",
}


def why_anchor(codes: str) -> str:
    """`#unlink-cooldown` for a refusal code (or a message's tags naming one), else ""."""
    for code in codes.split():
        if code in RULE_OF_REFUSAL:
            return "#" + RULE_OF_REFUSAL[Code(code)]
    return ""


@dataclass(frozen=True)
class Difference:
    what: str
    first: str
    second: str


def differences(first: Edition, second: Edition) -> list[Difference]:
    """Each rule, account type and feature cell where the two editions differ."""
    found = [
        Difference(
            first.rules[name].says.replace("{n}", "…"), first.words(name), second.words(name)
        )
        for name in RULE_KINDS
        if first.number(name) != second.number(name)
    ]
    kinds = list(dict.fromkeys([*first.account_types, *second.account_types]))
    for kind in kinds:
        label = AccountType(kind).label
        mine, theirs = first.account_types.get(kind), second.account_types.get(kind)
        if mine is None or theirs is None:
            found.append(
                Difference(
                    f"{label} account type", "yes" if mine else "no", "yes" if theirs else "no"
                )
            )
    grids = (feature_matrix("", edition=first), feature_matrix("", edition=second))
    cells = [
        {(row["area"].key, c["type"]): c["text"] for row in grid["rows"] for c in row["cells"]}
        for grid in grids
    ]
    for area in AREAS:
        for kind in kinds:
            a, b = cells[0].get((area.key, kind)), cells[1].get((area.key, kind))
            if a is not None and b is not None and a != b:
                found.append(Difference(f"{area.label}, {AccountType(kind).label}", a, b))
    return found


def _without_number(edition: Edition, name: str) -> str:
    return edition.rules[name].says.replace("{n}", "…")


def _yes(present: object) -> str:
    return "yes" if present is not None else "no"
