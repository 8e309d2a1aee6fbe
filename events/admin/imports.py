"""The "Import readout" page: paste a readout, preview its draft meeting, then create it.

Step 1 (Preview) parses the text with `draft_readout` and writes nothing; step 2 (the same
form posted with `confirmed`) stores that draft with `import_readout`, in one transaction,
and lands on the meeting's change page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AdminDateWidget, AdminURLFieldWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..ingest.budget import ParseTimeout, draft_readout_within_budget
from ..ingest.draft import Draft, ReadoutError
from ..ingest.importer import import_readout
from ..ingest.parser import MAX_READOUT_CHARS
from ..models import (
    Country,
    Gathering,
    Meeting,
    Organization,
    Participant,
    Person,
    Place,
    Position,
    SourceDocument,
    Statement,
)
from ..permissions import IMPORT_PERMISSIONS
from .base import normalize_newlines, verbatim
from .readout import highlight_statements, kind_class, label_of

__all__ = [
    "ReadoutImportForm",
    "ReadoutImportMixin",
    "can_import_readout",
    "highlight_statements",
]

IMPORT_TEMPLATE = "admin/events/sourcedocument/import_readout.html"


def can_import_readout(user) -> bool:
    """Staff who may add a source, a meeting, its participants and its statements."""
    return user.is_active and user.is_staff and user.has_perms(IMPORT_PERMISSIONS)


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.alpha3})"


class ReadoutImportForm(forms.Form):
    text = verbatim(
        forms.CharField(
            label=_("Text"),
            # The parser answers an empty text with its own message.
            required=False,
            widget=forms.Textarea(attrs={"rows": 14, "cols": 100, "class": "vLargeTextField"}),
            help_text=_("The readout as published, headline included (%(max)s characters at most).")
            % {"max": f"{MAX_READOUT_CHARS:,}"},
        )
    )
    publisher = forms.ModelChoiceField(
        Organization.objects.order_by("name"),
        label=_("Publisher"),
        required=False,
        help_text=_("The organisation that published the readout, e.g. a foreign ministry."),
    )
    country = CountryChoiceField(
        Country.objects.order_by("name"),
        label=_("Country"),
        required=False,
        help_text=_(
            "The publisher's country, whose officials the readout names without a country. "
            "Left empty: the publisher's own country."
        ),
    )
    url = forms.URLField(
        label=_("URL"),
        max_length=SourceDocument._meta.get_field("url").max_length,
        required=False,
        assume_scheme="https",
        widget=AdminURLFieldWidget,
    )
    published = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("Taken from the text when it carries a date stamp."),
    )

    def clean_text(self):
        # Browsers post a textarea with CRLF line ends; stored readouts use LF.
        return normalize_newlines(self.cleaned_data["text"])

    def readout_inputs(self) -> dict:
        """The keyword arguments of `draft_readout` and `import_readout`."""
        data = self.cleaned_data
        return {
            "text": data.get("text", ""),
            "publisher": data.get("publisher"),
            "publisher_country": data.get("country"),
            "url": data.get("url", ""),
            "published": data.get("published"),
        }

    def add_readout_error(self, error: ReadoutError) -> None:
        """Show the parser's refusal on the field it names."""
        name = error.field if error.field in self.fields else None
        self.add_error(name, ValidationError(error.message, code=error.code))


# The preview.


@dataclass
class OfficeRow:
    title: str
    position: Position | None


@dataclass
class ParticipantRow:
    name: str
    role: str
    side: str
    title_as_written: str
    offices: list[OfficeRow]
    person: Person | None
    person_url: str = ""


@dataclass
class Preview:
    """What the page shows of a readout before it is stored."""

    duplicate: SourceDocument | None = None
    duplicate_url: str = ""
    duplicate_meetings: list[tuple[Meeting, str]] = field(default_factory=list)
    draft: Draft | None = None
    contact_type: str = ""
    date_qualifier: str = ""
    plover_mode: str = ""
    place: str = ""
    place_url: str = ""
    occasion: str = ""
    occasion_url: str = ""
    participants: list[ParticipantRow] = field(default_factory=list)
    highlighted_text: SafeString | str = ""
    kinds: list[tuple[str, str, int]] = field(default_factory=list)  # kind, label, count

    @property
    def can_create(self) -> bool:
        return self.draft is not None and self.duplicate is None


def build_preview(form: ReadoutImportForm, inputs: dict, site_name: str) -> Preview:
    """Parse the readout (writing nothing) and gather what the page shows of the draft."""
    preview = Preview()
    text = inputs["text"]

    def change_url(model, pk) -> str:
        return reverse(f"{site_name}:events_{model._meta.model_name}_change", args=[pk])

    if text.strip():
        preview.duplicate = (
            SourceDocument.objects.with_text(text).prefetch_related("meetings").first()
        )
    if preview.duplicate is not None:
        preview.duplicate_url = change_url(SourceDocument, preview.duplicate.pk)
        preview.duplicate_meetings = [
            (meeting, change_url(Meeting, meeting.pk))
            for meeting in preview.duplicate.meetings.all()
        ]

    try:
        # In a worker process, within the time budget the API's parse has too.
        draft = draft_readout_within_budget(**inputs)
    except ReadoutError as error:
        form.add_readout_error(error)
        return preview
    except ParseTimeout as error:
        form.add_error("text", str(error))
        return preview
    preview.draft = draft
    preview.contact_type = label_of(Meeting.ContactType, draft.contact_type)
    preview.date_qualifier = label_of(Meeting.DateQualifier, draft.date_qualifier)
    preview.plover_mode = label_of(Meeting.PloverMode, draft.plover_mode)

    # Everything the draft points to, one query per model.
    alpha3s = {p.country for p in draft.participants if p.country}
    alpha3s |= {side for s in draft.statements for side in s.sides}
    if draft.place.country:
        alpha3s.add(draft.place.country)
    countries = Country.objects.in_bulk(alpha3s)
    people = Person.objects.in_bulk({p.person_id for p in draft.participants if p.person_id})
    positions = Position.objects.in_bulk(
        {o.position_id for p in draft.participants for o in p.offices if o.position_id}
    )
    organizations = Organization.objects.in_bulk(
        {p.organization_id for p in draft.participants if p.organization_id}
    )

    for participant in draft.participants:
        if participant.organization:
            organization = organizations.get(participant.organization_id)
            side = str(organization or participant.organization)
        elif participant.country:
            found = countries.get(participant.country)
            side = f"{found.name} ({found.alpha3})" if found else participant.country
        else:
            side = ""
        person = people.get(participant.person_id)
        preview.participants.append(
            ParticipantRow(
                name=participant.name,
                role=label_of(Participant.Role, participant.role),
                side=side,
                title_as_written=participant.title_as_written,
                offices=[
                    OfficeRow(office.title, positions.get(office.position_id))
                    for office in participant.offices
                ],
                person=person,
                person_url=change_url(Person, person.pk) if person else "",
            )
        )

    place = draft.place
    if place.place_id is not None:
        found = Place.objects.filter(pk=place.place_id).first()
        preview.place = str(found) if found else ""
        preview.place_url = change_url(Place, place.place_id) if found else ""
    if not preview.place:
        country_name = countries[place.country].name if place.country in countries else ""
        preview.place = ", ".join(part for part in (place.city, place.region, country_name) if part)

    if draft.occasion is not None:
        gathering = None
        if draft.occasion.gathering_id is not None:
            gathering = Gathering.objects.filter(pk=draft.occasion.gathering_id).first()
        preview.occasion = f"{label_of(Meeting.OccasionRelation, draft.occasion.relation)}: "
        preview.occasion += str(gathering or draft.occasion.name)
        preview.occasion_url = change_url(Gathering, gathering.pk) if gathering else ""

    preview.highlighted_text = highlight_statements(text, draft.statements, countries)
    counts: dict[str, int] = {}
    for statement in draft.statements:
        counts[statement.kind] = counts.get(statement.kind, 0) + 1
    preview.kinds = [
        (kind_class(kind), label_of(Statement.Kind, kind), count) for kind, count in counts.items()
    ]
    return preview


# The view, on the SourceDocument admin.


class ReadoutImportMixin:
    """Adds the import page to the SourceDocument admin, and its button to the changelist."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_readout_view)
        own = [path("import/", view, name="events_sourcedocument_import")]
        # Before the model's own URLs: "<object_id>/" would take "import/".
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_import_readout": can_import_readout(request.user)} | (
            extra_context or {}
        )
        return super().changelist_view(request, extra_context)

    def import_readout_view(self, request):
        if not can_import_readout(request.user):
            raise PermissionDenied
        form = ReadoutImportForm(request.POST if request.method == "POST" else None)
        preview = None
        if form.is_valid():
            inputs = form.readout_inputs()
            preview = build_preview(form, inputs, self.admin_site.name)
            if "confirmed" in request.POST and preview.can_create and not form.errors:
                response = self._import(request, form, inputs, preview.draft)
                if response is not None:
                    return response
                if not form.errors:  # stored by another curator meanwhile: now a duplicate
                    preview = build_preview(form, inputs, self.admin_site.name)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import readout"),
            "opts": opts,
            "app_label": opts.app_label,
            "form": form,
            "media": self.media + form.media,
            "preview": preview,
            "can_create": preview is not None and preview.can_create and not form.errors,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, IMPORT_TEMPLATE, context)

    def _import(self, request, form, inputs, draft: Draft) -> HttpResponseRedirect | None:
        """Store the previewed draft and answer with a redirect; None (and form errors) when
        nothing was written. `import_readout` runs in one transaction."""
        try:
            with transaction.atomic():
                result = import_readout(**inputs, draft=draft)
                if result.outcome != "duplicate":
                    self._log_import(request, result)
        except ReadoutError as error:
            form.add_readout_error(error)
            return None
        except ValidationError as error:
            form.add_error(None, error.messages)
            return None
        except IntegrityError:
            # Another curator stored the same text a moment ago: the preview reports it.
            if SourceDocument.objects.with_text(inputs["text"]).exists():
                return None
            raise
        if result.outcome == "duplicate":
            return None  # the preview links to the source that already has this text
        meeting, draft = result.meeting, result.draft
        if result.outcome == "created":
            message = gettext(
                "Draft meeting created: “%(title)s”, with %(participants)d participants and "
                "%(statements)d statements. Check every field before publishing."
            )
        else:
            message = gettext(
                "Readout attached to an existing meeting as another source: “%(title)s”, "
                "%(statements)d statements added."
            )
        self.message_user(
            request,
            message
            % {
                "title": meeting.title,
                "participants": len(draft.participants),
                "statements": len(draft.statements),
            },
            messages.SUCCESS,
        )
        new_people = [person.name for person in result.new_people]
        if new_people:
            self.message_user(
                request,
                gettext("New people to review (no known person matched): %(names)s.")
                % {"names": ", ".join(new_people)},
                messages.WARNING,
            )
        new_offices = [
            f"{position.title} ({position.organization.name})" for position in result.new_positions
        ]
        if new_offices:
            self.message_user(
                request,
                gettext(
                    "New offices to review (no curated office matched), each in its side's "
                    "organisation until moved: %(offices)s."
                )
                % {"offices": "; ".join(new_offices)},
                messages.WARNING,
            )
        if result.proposals:
            self.message_user(
                request,
                ngettext(
                    "%(count)d commitment proposed from the readout: accept or reject it below.",
                    "%(count)d commitments proposed from the readout: accept or reject them below.",
                    len(result.proposals),
                )
                % {"count": len(result.proposals)},
                messages.INFO,
            )
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:events_meeting_change", args=[meeting.pk])
        )

    def _log_import(self, request, result) -> None:
        """The source's and the meeting's history say they came from the import page."""
        meeting_admin = self.admin_site.get_model_admin(Meeting)
        self.log_addition(request, result.source, gettext("Imported from a readout."))
        if result.outcome == "created":
            meeting_admin.log_addition(request, result.meeting, gettext("Drafted from a readout."))
        else:
            meeting_admin.log_change(
                request, result.meeting, gettext("Readout attached as another source.")
            )
