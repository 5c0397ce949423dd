"""The base of every spreadsheet resource the admin imports and exports: scoped to the user at work.

django-import-export reads a row's ``id`` from the whole table and saves whatever the file says; a district's staff
could preview and overwrite another district's donor by typing its id, and a record it created belonged to no
district. A ``ScopedResource`` is built for one user (the admin passes ``user``, see ``relief.admin``) and:

- finds a row's record only among the records ``visible_to`` that user; an id outside them is an error row, whose
  record is never read, so nothing of it shows in the preview;
- gives a new record the user's district (or ward, for an officer), whatever the file says;
- refuses a link to a ward, campaign or other scoped record the user does not see;
- writes every exported cell through ``safe_text``, so no cell runs as a formula.
"""

from django.core.exceptions import ValidationError
from import_export import resources

from .models import scope_of
from .spreadsheets import safe_text

OUTSIDE_SCOPE = "Mã %(id)s không phải một bản ghi trong phạm vi của bạn. Để trống cột id để thêm bản ghi mới."
FOREIGN_LINK = "%(value)s không thuộc phạm vi của bạn."


class ScopedResource(resources.ModelResource):
    """A model resource that reads, links and creates records only within its user's scope."""

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def get_queryset(self):
        """The records this user may see: the only ones a row's id can find."""
        return super().get_queryset().visible_to(self.user)

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if instance is None:
            named = [self.fields[name].column_name for name in self.get_import_id_fields()]
            given = [str(row.get(column) or "").strip() for column in named]
            if any(given):
                raise ValidationError(OUTSIDE_SCOPE, params={"id": ", ".join(filter(None, given))})
        return instance

    def after_init_instance(self, instance, new, row, **kwargs):
        """A new record belongs where its importer works, and says who brought it in."""
        super().after_init_instance(instance, new, row, **kwargs)
        if not new:
            return
        scope = scope_of(self.user)
        names = {field.name for field in instance._meta.concrete_fields}
        if "district" in names and scope.district_id:
            instance.district_id = scope.district_id
        if "ward" in names and scope.ward_id:
            instance.ward_id = scope.ward_id
        if "created_by" in names and self.user is not None:
            instance.created_by = self.user

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # An administrator sees everything: no query per link and row on the imports that may be long.
        fields = () if scope_of(self.user).everything else instance._meta.concrete_fields
        for field in fields:
            value = getattr(instance, field.attname) if field.is_relation else None
            records = field.related_model._default_manager.all() if value is not None else None
            if records is None or not hasattr(records, "visible_to"):
                continue
            if not records.visible_to(self.user).filter(pk=value).exists():
                refused = ValidationError(FOREIGN_LINK, params={"value": getattr(instance, field.name)})
                errors.setdefault(field.name, []).append(refused)
        super().validate_instance(instance, errors, validate_unique)

    def export_field(self, field, instance, **kwargs):
        return safe_text(super().export_field(field, instance, **kwargs))
