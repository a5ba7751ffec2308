"""The unit tree in the admin: every write goes through ``orgs.services`` (which compute the
tree paths scoping relies on and write the audit log); units are never deleted here."""

from django import forms
from django.contrib import admin

from .models import Unit
from .services import UNIT_DETAIL_FIELDS, unit_create, unit_move, unit_placement_errors, unit_update


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "level", "parent", *UNIT_DETAIL_FIELDS]

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level") or self.instance.level
        parent = cleaned.get("parent", self.instance.parent)
        if level:
            for field, message in unit_placement_errors(level=level, parent=parent).items():
                self.add_error(field if field in self.fields else None, message)
        return cleaned


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ["name", "code", "level", "parent", "is_demo"]
    list_filter = ["level", "is_demo"]
    search_fields = ["name", "code", "area_name"]

    def get_readonly_fields(self, request, obj=None):
        # A unit's code and level are part of every path under it: fixed once it exists.
        return ["path"] if obj is None else ["code", "level", "path"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in UNIT_DETAIL_FIELDS
            if name in form.cleaned_data
        }
        if change:
            unit = Unit.objects.get(pk=obj.pk)
            unit_update(actor=request.user, unit=unit, **data)
            parent = form.cleaned_data.get("parent")
            if parent is not None and parent.pk != unit.parent_id:
                unit_move(actor=request.user, unit=unit, parent=parent)
        else:
            unit = unit_create(
                actor=request.user,
                code=form.cleaned_data["code"],
                level=form.cleaned_data["level"],
                parent=form.cleaned_data.get("parent"),
                **data,
            )
            obj.pk = unit.pk
            obj._state.adding = False
        obj.refresh_from_db()
