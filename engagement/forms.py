"""Place Standard forms: validation only."""
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from kirklees.govuk.forms import BaseForm, date_field
from kirklees.govuk.submissions import OnceFormMixin
from wards.models import Place, Ward

from .imports import MAX_BYTES, MAX_COMMENT
from .models import SCORES, Exercise, Response, ResponseComment, Theme, score_field
from .scores import SCORE_ERROR, parse_postcode_district, parse_score

User = get_user_model()

SKIP = "skip"
HONEYPOT = "leave_blank"


class ExerciseForm(BaseForm):
    title = forms.CharField(label="Title", max_length=150, help_text="For example, Dalton Place Standard, spring 2026")
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), label="Ward", empty_label="Choose a ward",
                                  error_messages={"required": "Choose the ward",
                                                  "invalid_choice": "Choose a ward from the list"})
    place = forms.ModelChoiceField(queryset=Place.objects.none(), label="Place in the ward (optional)", required=False,
                                   empty_label="The whole ward",
                                   help_text="Choose a place if the exercise is about one part of the ward.",
                                   error_messages={"invalid_choice": "Choose a place from the list"})
    starts_on = date_field("Start date", required=True, example="1/3/2026")
    ends_on = date_field("End date", required=True, example="31/3/2026")
    method = forms.ChoiceField(label="How will people take part?", choices=Exercise.Method.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Choose how people will take part",
                                               "invalid_choice": "Choose how people will take part"})
    facilitator = forms.ModelChoiceField(queryset=User.objects.none(), label="Facilitator",
                                         empty_label="Choose a member of staff",
                                         help_text="Who runs the exercise and answers questions about it.",
                                         error_messages={"required": "Choose the facilitator",
                                                         "invalid_choice": "Choose a member of staff from the list"})

    def __init__(self, *args, exercise: Exercise | None = None, **kwargs):
        self.exercise = exercise
        if exercise is not None:
            initial = kwargs.setdefault("initial", {})
            for name in ("title", "starts_on", "ends_on", "method"):
                initial.setdefault(name, getattr(exercise, name))
            initial.setdefault("ward", exercise.ward_id)
            initial.setdefault("place", exercise.place_id)
            initial.setdefault("facilitator", exercise.facilitator_id)
        super().__init__(*args, **kwargs)
        keep_ward = [exercise.ward_id] if exercise else []
        latest = Ward.objects.latest_arrangement().values("pk")
        self.fields["ward"].queryset = Ward.objects.to_choose(keep=keep_ward)
        self.fields["place"].queryset = (Place.objects.filter(Q(ward__in=latest) | Q(ward__in=keep_ward))
                                         .select_related("ward").order_by("ward__name", "name"))
        self.fields["place"].label_from_instance = lambda place: f"{place.name} ({place.ward.name})"
        keep_facilitator = [exercise.facilitator_id] if exercise else []
        staff = Q(is_active=True, role__in=[User.Role.LIAISON_OFFICER, User.Role.LIAISON_MANAGER,
                                            User.Role.WARD_DATA_ADMIN])
        self.fields["facilitator"].queryset = (User.objects.filter(staff | Q(pk__in=keep_facilitator))
                                               .order_by("full_name"))
        self.fields["facilitator"].label_from_instance = lambda user: f"{user.full_name} ({user.get_role_display()})"

    def clean(self):
        data = super().clean()
        ward, place = data.get("ward"), data.get("place")
        if ward and place and place.ward_id != ward.pk:
            self.add_error("place", f"{place.name} is not in {ward.name}: "
                                    "choose a place in the ward, or the whole ward")
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return data


# --- the public questionnaire --------------------------------------------------------------------

def _score_choices() -> list[tuple[str, str]]:
    words = {1: "1: a lot of room for improvement", 4: "4: some room for improvement",
             7: "7: very little room for improvement"}
    return [(str(score), words.get(score, str(score))) for score in SCORES] + [(SKIP, "Skip this question")]


class SurveyForm(OnceFormMixin, BaseForm):
    """All 14 themes on one page; every question may be skipped, but not all of them."""

    age_band = forms.ChoiceField(label="Your age (optional)", required=False, widget=forms.RadioSelect,
                                 choices=[*Response.AgeBand.choices, ("", "I'd rather not say")],
                                 error_messages={"invalid_choice": "Choose an age band from the list"})
    postcode_district = forms.CharField(
        label="The first part of your postcode (optional)", required=False, max_length=8,
        help_text="For example, HD8 or WF13. Not your full postcode.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off", "spellcheck": "false"}),
    )
    # Hidden from people (not shown, not focusable): a bot filling every box fills this too.
    leave_blank = forms.CharField(label="Leave this empty", required=False, max_length=200)

    def __init__(self, *args, themes: list[Theme], **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = themes
        for theme in themes:
            self.fields[score_field(theme.number)] = forms.ChoiceField(
                label=theme.name, required=False, choices=_score_choices(), widget=forms.RadioSelect,
                error_messages={"invalid_choice": f"{theme.name}: choose a score from 1 to 7, or skip the question"},
            )
            for kind, label in ResponseComment.Kind.choices:
                self.fields[f"{kind}_{theme.number}"] = forms.CharField(
                    label=f"{label} (optional)", required=False, max_length=MAX_COMMENT,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    error_messages={
                        "max_length": f"{theme.name}, {label.lower()}: write {MAX_COMMENT} characters or fewer"},
                )

    def theme_fields(self):
        return [(theme, self[score_field(theme.number)], self[f"good_{theme.number}"], self[f"better_{theme.number}"])
                for theme in self.themes]

    def clean_postcode_district(self):
        try:
            return parse_postcode_district(self.cleaned_data["postcode_district"])
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        answered = [theme for theme in self.themes if data.get(score_field(theme.number)) not in (None, "", SKIP)]
        if not self.errors and not answered:
            self.add_error(score_field(self.themes[0].number),
                           "Score at least one theme from 1 to 7 before sending your answers")
        return data

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def scores(self) -> dict[int, int | None]:
        return {theme.number: (None if self.cleaned_data[score_field(theme.number)] in ("", SKIP)
                               else int(self.cleaned_data[score_field(theme.number)])) for theme in self.themes}

    def comments(self) -> list[tuple[int, str, str]]:
        return [(theme.number, kind, self.cleaned_data[f"{kind}_{theme.number}"].strip())
                for theme in self.themes for kind in ResponseComment.Kind.values
                if self.cleaned_data[f"{kind}_{theme.number}"].strip()]


# --- paper entry ---------------------------------------------------------------------------------

class PaperRowForm(BaseForm):
    """One paper form: 14 score cells (blank = skipped), and the age band and postcode if given."""

    age_band = forms.ChoiceField(label="Age band", required=False, choices=[("", "–"), *Response.AgeBand.choices],
                                 error_messages={"invalid_choice": "Choose an age band from the list"})
    postcode_district = forms.CharField(label="Postcode district", required=False, max_length=8)

    def __init__(self, *args, themes: list[Theme], **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = themes
        for theme in themes:
            self.fields[score_field(theme.number)] = forms.CharField(label=theme.name, required=False, max_length=2,
                                                                     error_messages={"max_length": SCORE_ERROR})
        # The order of the paper form, and of the grid: scores, then the person's details.
        self.order_fields([score_field(theme.number) for theme in themes] + ["age_band", "postcode_district"])

    def clean(self):
        data = super().clean()
        for theme in self.themes:
            name = score_field(theme.number)
            if name in self.errors:
                continue
            try:
                data[name] = parse_score(data.get(name))
            except ValueError as error:
                self.add_error(name, str(error))
        if "postcode_district" not in self.errors:
            try:
                data["postcode_district"] = parse_postcode_district(data.get("postcode_district"))
            except ValueError as error:
                self.add_error("postcode_district", str(error))
        scored = [t for t in self.themes if isinstance(data.get(score_field(t.number)), int)]
        if not self.errors and not scored:
            raise ValidationError("No scores on this row: type at least one score, or clear the row")
        return data

    def score_cells(self):
        return [(theme, self[score_field(theme.number)]) for theme in self.themes]

    def scores(self) -> dict[int, int | None]:
        return {theme.number: self.cleaned_data[score_field(theme.number)] for theme in self.themes}


class BasePaperFormSet(forms.BaseFormSet):
    def __init__(self, *args, themes: list[Theme], **kwargs):
        self.themes = themes
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "themes": self.themes}


MAX_PAPER_ROWS = 50


def paper_formset(*, rows: int, themes: list[Theme], data=None):
    formset_class = forms.formset_factory(PaperRowForm, formset=BasePaperFormSet, extra=rows,
                                          max_num=MAX_PAPER_ROWS, absolute_max=MAX_PAPER_ROWS, validate_max=True)
    return formset_class(data, prefix="row", themes=themes)


# --- CSV import ----------------------------------------------------------------------------------

class ImportUploadForm(BaseForm):
    file = forms.FileField(label="CSV file", help_text="A .csv file saved as UTF-8, up to 10 MB.",
                           error_messages={"required": "Choose a CSV file to upload",
                                           "empty": "The file is empty: choose the CSV of responses"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError("The file must be a CSV (its name ending .csv)")
        if upload.size > MAX_BYTES:
            raise ValidationError(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
        return upload


# --- results -------------------------------------------------------------------------------------

class ResultsFilterForm(BaseForm):
    age_band = forms.ChoiceField(label="Who answered", required=False, choices=[],
                                 error_messages={"invalid_choice": "Choose an age band from the list"})
    compare = forms.ChoiceField(label="Compare with", required=False, choices=[],
                                error_messages={"invalid_choice": "Choose something to compare with from the list"})

    def __init__(self, *args, age_bands, wards, has_previous: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["age_band"].choices = [("", "Everyone"), *age_bands]
        compare = [("borough", "The Kirklees average"), ("none", "Nothing")]
        if has_previous:
            compare.insert(1, ("previous", "The previous exercise here"))
        compare += [(f"ward-{ward.pk}", f"{ward.name} (latest published)") for ward in wards]
        self.fields["compare"].choices = compare

    def show_counts(self, age_bands) -> None:
        """Label each age band with how many responses it has, once they are counted."""
        counts = {code: n for code, _, n in age_bands}
        self.fields["age_band"].choices = [
            (code, f"{label} ({counts.get(code, 0):,})" if code else label)
            for code, label in self.fields["age_band"].choices]
