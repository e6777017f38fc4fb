from django import template

register = template.Library()


@register.filter
def thousands(value: int | None) -> str:
    """565701 -> '565.701' (Dutch thousands separator), independent of locale settings."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")
