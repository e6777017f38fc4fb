"""Audited admin: every change made in the Django admin is written to the access log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest

from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction


class RegionScopedChoicesMixin:
    """Choices of regional models in admin forms come from the admin's own region only."""

    def _limit_to_region(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        """Choices of regional models (regions, organisations, teams, municipalities,
        subregions) come from the functional admin's own region only."""
        actor = getattr(request, "actor", None)
        model = db_field.related_model
        if actor is None or actor.region is None or model is None:
            return
        names = {f.name for f in model._meta.get_fields()}
        if model._meta.label == "regions.Region":
            kwargs["queryset"] = model.objects.filter(pk=actor.region.pk)
        elif "region" in names:
            kwargs["queryset"] = model.objects.filter(region=actor.region.pk)
        elif "organisation" in names and model._meta.app_label == "regions":
            kwargs["queryset"] = model.objects.filter(organisation__region=actor.region.pk)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit_to_region(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit_to_region(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class RegionScopedTabularInline(RegionScopedChoicesMixin, admin.TabularInline):
    pass


class AuditedModelAdmin(RegionScopedChoicesMixin, admin.ModelAdmin):
    """Writes an ``admin`` event in the admin's own transaction for every save and delete,
    and shows a functional admin only the objects of their own region.

    ``region_lookup`` is the path from the model to its region (``None``: not regional).
    """

    region_lookup: str | None = "region"

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        actor = getattr(request, "actor", None)
        if self.region_lookup is None:
            return qs
        if actor is None or actor.region is None:
            return qs.none()
        return qs.filter(**{self.region_lookup: actor.region.pk}).distinct()

    def _record(self, request: HttpRequest, obj: Model, operation: str, fields: list[str]) -> None:
        audit.record(
            actor=getattr(request, "actor", None),
            action=AuditAction.ADMIN,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            detail={"operation": operation, "fields": sorted(fields)},
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self._record(request, obj, "change" if change else "add", list(form.changed_data))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        touched = [
            *formset.new_objects,
            *[o for o, _ in formset.changed_objects],
            *formset.deleted_objects,
        ]
        for obj in touched:
            self._record(request, obj, "inline", [])

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self._record(request, obj, "delete", [])
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self._record(request, obj, "delete", [])
            super().delete_queryset(request, queryset)
