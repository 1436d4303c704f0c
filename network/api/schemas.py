"""Marshmallow schemas shared by the API endpoints."""

import typing as t
from collections.abc import Mapping

import marshmallow as ma
from flask_babel import gettext as _
from marshmallow import validate

from network.domain import EDUCATION_AREAS, EMAIL_FREQUENCIES, FOCUS_AREAS, REGIONS, TOOLS
from network.forms import LINE_MAX, TEXT_MAX, clean_line, clean_text, has_length_limit
from network.members.models import PRIVATE_CAPABLE_FIELDS


class Text(ma.fields.String):
    """A multi-line text field: keeps tab and line breaks (every other string is one line)."""


class Password(ma.fields.String):
    """A password: checked exactly as typed, never cleaned (as a form's PasswordField)."""


def _cleaned(value: t.Any, field: ma.fields.Field | None) -> t.Any:
    if isinstance(field, (ma.fields.Nested, Password)):
        return value  # a nested schema cleans its own fields when it loads
    if isinstance(value, list):
        inner = field.inner if isinstance(field, ma.fields.List) else None
        return [_cleaned(item, inner) for item in value]
    if isinstance(value, Mapping):
        return {key: _cleaned(value[key], None) for key in value}
    if isinstance(value, str) and len(value) > _max_length(field):
        return value  # too long as sent: the documented maxLength refuses it, before any cleaning
    return clean_text(value) if isinstance(field, Text) else clean_line(value)


def _max_length(field: ma.fields.Field | None) -> float:
    limits = [v.max for v in getattr(field, "validators", ()) if isinstance(v, validate.Length) and v.max]
    return min(limits, default=float("inf"))


class Schema(ma.Schema):
    """The base of every API schema: strings arrive cleaned by the one rule of network/forms.py.

    No control characters anywhere; a line break only in ``Text`` fields (elsewhere it becomes a
    space). Cleaned before validation, at every depth, in bodies and query strings alike.
    """

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        """Every string the API takes has a maximum length, documented as maxLength.

        A field with its own limit (the feature's, shared with its form) keeps it; any other
        gets the backstop of network/forms.py, so no string, alone or in a list, is unbounded.
        """
        for field in (field_obj, getattr(field_obj, "inner", None)):
            takes_text = isinstance(field, ma.fields.String) and not isinstance(field, Password)
            if takes_text and not field_obj.dump_only and not has_length_limit(field.validators):
                limit = TEXT_MAX if isinstance(field, Text) else LINE_MAX
                field.validators = [*field.validators, validate.Length(max=limit)]

    @ma.pre_load
    def _clean_text(self, data: t.Any, **kwargs: t.Any) -> t.Any:
        if not isinstance(data, Mapping):
            return data
        by_key = {field.data_key or name: field for name, field in self.load_fields.items()}
        # A query string comes as webargs' MultiDictProxy: reading each key keeps its lists.
        return {key: _cleaned(data[key], by_key.get(key)) for key in data}


class PageArgs(Schema):
    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class PageMeta(Schema):
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)
    pages = ma.fields.Integer(required=True)


class SchoolSchema(Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    city = ma.fields.String(required=True)
    region = ma.fields.String(required=True, metadata={"enum": list(REGIONS)})
    kind = ma.fields.String(required=True, metadata={"enum": ["model", "implementation", "other"]})
    education_areas = ma.fields.List(ma.fields.String(), required=True)


class SchoolRefSchema(Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class MemberSchema(Schema):
    """A profile as the caller may see it: private fields are absent, not empty."""

    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    initials = ma.fields.String(required=True)
    school = ma.fields.Nested(SchoolRefSchema, allow_none=True, required=True)
    role = ma.fields.String(required=True)
    open_for_sparring = ma.fields.Boolean(required=True)
    has_avatar = ma.fields.Boolean(required=True)
    active = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "enum": ["this_week", "this_month", "earlier", None],
            "description": "How recently the member was active; never an exact time (anonymity)",
        },
    )
    email = ma.fields.String()
    phone = ma.fields.String()
    title = ma.fields.String()
    bio = ma.fields.String()
    education_areas = ma.fields.List(ma.fields.String())
    tools = ma.fields.List(ma.fields.String())
    focus_areas = ma.fields.List(ma.fields.String())


class MeSchema(MemberSchema):
    private_fields = ma.fields.List(ma.fields.String(), required=True)
    email_frequency = ma.fields.String(required=True)
    locale = ma.fields.String(allow_none=True, required=True)


class MemberPageSchema(PageMeta):
    items = ma.fields.List(ma.fields.Nested(MemberSchema), required=True)


class MemberFilterArgs(PageArgs):
    q = ma.fields.String(load_default="", validate=validate.Length(max=100))
    school = ma.fields.Integer(load_default=None, validate=validate.Range(min=1))
    region = ma.fields.String(load_default="", validate=validate.OneOf(["", *REGIONS]))
    tool = ma.fields.String(load_default="", validate=validate.OneOf(["", *TOOLS]))
    focus = ma.fields.String(load_default="", validate=validate.OneOf(["", *FOCUS_AREAS]))
    open_for_sparring = ma.fields.Boolean(load_default=False)


class MePatchSchema(Schema):
    """Fields of one's own profile that may be changed; all optional."""

    class Meta:
        unknown = ma.RAISE
        min_properties = 1  # documented (network.extensions.SchemaOptionsPlugin) and checked in not_empty

    name = ma.fields.String(validate=validate.Length(min=1, max=120))
    title = ma.fields.String(validate=validate.Length(max=120))
    phone = ma.fields.String(validate=validate.Length(max=40))
    bio = Text(validate=validate.Length(max=2000))
    school_id = ma.fields.Integer(validate=validate.Range(min=1))
    open_for_sparring = ma.fields.Boolean()
    tools = ma.fields.List(ma.fields.String(validate=validate.OneOf(list(TOOLS))))
    focus_areas = ma.fields.List(ma.fields.String(validate=validate.OneOf(list(FOCUS_AREAS))))
    education_areas = ma.fields.List(ma.fields.String(validate=validate.OneOf(list(EDUCATION_AREAS))))
    private_fields = ma.fields.List(ma.fields.String(validate=validate.OneOf(list(PRIVATE_CAPABLE_FIELDS))))
    locale = ma.fields.String(allow_none=True, validate=validate.OneOf(["da", "en"]))
    email_frequency = ma.fields.String(validate=validate.OneOf(list(EMAIL_FREQUENCIES)))

    @ma.validates_schema
    def not_empty(self, data: dict, **_kwargs: t.Any) -> None:
        """An empty change is a mistake in the caller, not a success (documented as minProperties)."""
        if not data:
            raise ma.ValidationError(_("Send mindst ét felt, der skal ændres."))


class TokenRequestSchema(Schema):
    email = ma.fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = Password(required=True, validate=validate.Length(min=1, max=1000))
    name = ma.fields.String(load_default="", validate=validate.Length(max=80))


class TokenSchema(Schema):
    token = ma.fields.String(required=True)
