from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def thousands(value: int | None) -> str:
    """565701 -> '565.701' (Dutch thousands separator), independent of locale settings."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")


@register.filter
def money(value: Decimal | int | None) -> str:
    """Decimal('2334537.00') -> '2.334.537', Decimal('1234.5') -> '1.234,50' (Dutch notation,
    cents only when there are any)."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 1)
    text = f"{int(whole):,}".replace(",", ".")
    if cents:
        text += "," + f"{cents:.2f}"[2:]
    return sign + text
