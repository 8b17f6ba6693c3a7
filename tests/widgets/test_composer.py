"""The composer driven like a designer would: set controls, click buttons, read what shows."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest

from workbench.model import Journey
from workbench.spec import load
from workbench.templates import load_template
from workbench.widgets import FORM_FIELDS, JourneyComposer

PNG = b"\x89PNG\r\n\x1a\n"


def shown_errors(composer: JourneyComposer) -> dict[str, str]:
    """Return the field errors on show, as plain text."""
    return {name: html.unescape(widget.value) for name, widget in composer.errors.items() if widget.value}


def text(widget: Any) -> str:
    """Return what an HTML widget shows, unescaped."""
    return html.unescape(widget.value)


def png(composer: JourneyComposer) -> bytes:
    return bytes(composer.timeline.value)


def fill_new(composer: JourneyComposer, kind: str, activity_id: str, **values: Any) -> None:
    composer.new_button.click()
    composer.fields["kind"].value = kind
    composer.fields["id"].value = activity_id
    for name, value in values.items():
        composer.fields[name].value = value


def test_opens_on_a_template_with_status_findings_and_timeline(composer: JourneyComposer) -> None:
    assert composer.journey == load_template("post_training_retention")
    assert composer.status.value.startswith(
        "post_training_retention: 10 activities, 4 concepts, 9 edges, 336 learner min; findings: 0 errors"
    )
    assert "WB003" in text(composer.findings_table)
    assert [f.code for f in composer.findings] == ["WB003"]
    assert png(composer).startswith(PNG)
    assert "quiz_1" in text(composer.schedule_table)
    assert composer.selected == "primer"
    assert composer.fields["id"].value == "primer"
    assert set(composer.fields) == set(FORM_FIELDS) == set(composer.errors)
    assert not composer.can_undo
    assert composer.undo_button.disabled


def test_every_control_has_a_css_class(composer: JourneyComposer) -> None:
    for name in ("kind", "id", "title", "layer", "channel", "purpose", "covers", "required", "facilitator"):
        assert f"wb-{name}" in composer.fields[name]._dom_classes
    assert "wb-duration" in composer.fields["duration"]._dom_classes
    for widget, css in [
        (composer.add_button, "wb-add"),
        (composer.status, "wb-status"),
        (composer.findings_table, "wb-findings"),
        (composer.timeline, "wb-timeline"),
        (composer.errors["duration"], "wb-error-duration"),
    ]:
        assert css in widget._dom_classes


def test_picking_a_kind_fills_its_defaults(composer: JourneyComposer) -> None:
    composer.new_button.click()
    assert composer.selected is None
    composer.fields["kind"].value = "spaced_recall_quiz"
    f = composer.fields
    assert (f["duration"].value, f["layer"].value, f["channel"].value) == (3.0, "after", "mobile")
    assert (f["purpose"].value, f["effect"].value) == ("reinforcement", "retrieve")
    assert f["id"].value == "spaced_recall_quiz"
    assert f["title"].value == "Spaced recall quiz"
    composer.fields["kind"].value = "job_aid"
    assert (f["layer"].value, f["purpose"].value, f["effect"].value) == ("work", "reference", "apply")
    assert (
        f["id"].value == "job_aid_2"
    )  # the template has a job_aid; the suggestion follows the kind until the designer types one


def test_add_activity_updates_journey_findings_status_and_timeline(composer: JourneyComposer) -> None:
    before_png = png(composer)
    fill_new(composer, "spaced_recall_quiz", "quiz_4", covers=("sbi_model",), schedule="day", day=120.0)
    composer.fields["duration"].value = 25.0  # too long for a micro asset: WB001
    composer.add_button.click()

    added = composer.journey.activity("quiz_4")
    assert added.duration_min == 25.0
    assert added.channel.value == "mobile"
    assert added.effect_on("sbi_model").value == "retrieve"
    assert composer.journey.day_of("quiz_4") == 120.0
    assert "11 activities" in composer.status.value
    assert "added 'quiz_4'" in composer.status.value
    assert any(f.code == "WB001" and f.activity_id == "quiz_4" for f in composer.findings)
    assert "quiz_4" in text(composer.findings_table)
    assert "micro-too-long" in text(composer.findings_table)
    assert png(composer).startswith(PNG)
    assert png(composer) != before_png
    assert composer.selected == "quiz_4"
    assert composer.activity_select.value == "quiz_4"
    assert shown_errors(composer) == {}


@pytest.mark.parametrize(
    ("field", "values", "expected"),
    [
        ("duration", {"duration": -5.0}, "must be > 0"),
        ("id", {"id": "quiz_1"}, "duplicate id 'quiz_1'"),
        ("id", {"id": "9 bad id"}, "must start with a letter"),
        ("after", {"schedule": "after", "after": "no_such_activity"}, "'no_such_activity' does not exist"),
        ("after", {"schedule": "after", "after": ""}, "pick the activity"),
        ("gap", {"schedule": "after", "after": "workshop", "gap": -2.0}, "must be >= 0"),
        ("title", {"title": ""}, "must not be empty"),
    ],
)
def test_bad_values_are_shown_next_to_their_field_and_change_nothing(
    composer: JourneyComposer, field: str, values: dict[str, Any], expected: str
) -> None:
    original = composer.journey
    fill_new(composer, "spaced_recall_quiz", "quiz_4")
    for name, value in values.items():
        composer.fields[name].value = value
    composer.add_button.click()  # must not raise
    assert composer.journey is original
    errors = shown_errors(composer)
    assert list(errors) == [field], errors
    assert expected in errors[field]
    assert "not added: 1 problem" in composer.status.value
    assert "journey unchanged" in composer.status.value
    assert not composer.can_undo
    # fixing the field and adding again clears the error
    good = {"duration": 3.0, "id": "quiz_4", "after": "workshop", "gap": 2.0, "title": "Quiz"}
    composer.fields[field].value = good[field]
    composer.add_button.click()
    assert "quiz_4" in [a.id for a in composer.journey.activities]
    assert shown_errors(composer) == {}


def test_update_changes_the_selected_activity_and_a_new_id_renames_references(
    composer: JourneyComposer,
) -> None:
    composer.select("recap")
    assert composer.fields["schedule"].value == "after"
    assert composer.fields["after"].value == "workshop"
    assert composer.fields["gap"].value == 1.0
    composer.fields["duration"].value = 6.0
    composer.update_button.click()
    assert composer.journey.activity("recap").duration_min == 6.0
    assert "updated 'recap'" in composer.status.value

    composer.select("workshop")
    composer.fields["id"].value = "workshop_day"
    composer.update_button.click()
    journey = composer.journey
    assert "workshop" not in [a.id for a in journey.activities]
    assert ("primer", "workshop_day") in [(e.source, e.target) for e in journey.edges]
    assert journey.activity("workshop_day").title == "Feedback conversations workshop"
    assert composer.selected == "workshop_day"


def test_update_keeps_per_concept_effects_unless_the_effect_is_changed(composer: JourneyComposer) -> None:
    journey = composer.journey.update_activity(
        "recap",
        covers=[{"concept": "sbi_model", "effect": "restudy"}, {"concept": "ask_first", "effect": "discuss"}],
    )
    composer.journey = journey
    composer.select("recap")
    composer.fields["title"].value = "Recap, new title"
    composer.update_button.click()
    recap = composer.journey.activity("recap")
    assert [(c.concept, c.effect.value) for c in recap.covers] == [
        ("sbi_model", "restudy"),
        ("ask_first", "discuss"),
    ]
    composer.fields["effect"].value = "retrieve"
    composer.update_button.click()
    assert {c.effect.value for c in composer.journey.activity("recap").covers} == {"retrieve"}


def test_duplicate_and_remove(composer: JourneyComposer) -> None:
    composer.select("quiz_1")
    composer.duplicate_button.click()
    copy = composer.journey.activity("quiz_1_copy")
    assert copy.title == "Recall: SBI and asking first (copy)"
    assert copy.kind == "spaced_recall_quiz"
    assert composer.selected == "quiz_1_copy"
    composer.remove_button.click()
    assert "quiz_1_copy" not in [a.id for a in composer.journey.activities]
    assert "removed 'quiz_1_copy'" in composer.status.value


def test_remove_refused_while_others_are_scheduled_after_it(composer: JourneyComposer) -> None:
    fill_new(composer, "spaced_recall_quiz", "quiz_4", schedule="after", after="quiz_3", gap=30.0)
    composer.add_button.click()
    assert composer.journey.day_of("quiz_4") == 105.0
    before = composer.journey
    composer.select("quiz_3")
    composer.remove_button.click()
    assert composer.journey is before
    assert "quiz_4 are scheduled after it" in text(composer.form_error)
    assert "not removed" in composer.status.value


def test_undo_and_redo_step_through_the_journeys(composer: JourneyComposer) -> None:
    original = composer.journey
    composer.select("recap")
    composer.fields["duration"].value = 7.0
    composer.update_button.click()
    edited = composer.journey
    composer.journey = original.remove_activity("job_aid")  # setting the trait is an edit too
    assert composer.can_undo
    assert not composer.undo_button.disabled
    composer.undo_button.click()
    assert composer.journey == edited
    assert "undone" in composer.status.value
    composer.undo_button.click()
    assert composer.journey == original
    composer.undo_button.click()
    assert composer.journey == original
    assert "nothing to undo" in composer.status.value
    composer.redo_button.click()
    assert composer.journey == edited
    assert composer.can_redo
    composer.fields["duration"].value = 8.0
    composer.update_button.click()  # a new edit drops the redo branch
    assert not composer.can_redo
    assert composer.redo_button.disabled


def test_connect_and_disconnect(composer: JourneyComposer) -> None:
    composer.edge_source.value = "quiz_3"
    composer.edge_target.value = "workshop"
    composer.edge_kind.value = "reinforces"
    composer.connect_button.click()
    assert ("quiz_3", "workshop", "reinforces") in [(e.source, e.target, e.kind.value) for e in composer.journey.edges]
    assert "10 edges" in composer.status.value
    assert "quiz_3" in text(composer.edge_table)
    before = composer.journey
    composer.connect_button.click()  # the same pair twice
    assert composer.journey is before
    assert "linked twice" in text(composer.edge_error)
    composer.disconnect_button.click()
    assert "9 edges" in composer.status.value
    assert composer.edge_error.value == ""
    composer.disconnect_button.click()
    assert "no edge" in text(composer.edge_error)
    assert "not disconnected" in composer.status.value


def test_then_cycle_is_refused(composer: JourneyComposer) -> None:
    composer.edge_source.value = "quiz_1"
    composer.edge_target.value = "workshop"
    composer.edge_kind.value = "then"
    composer.connect_button.click()
    assert "cycle" in text(composer.edge_error)
    assert composer.journey == load_template("post_training_retention")


def test_concepts_add_rename_remove(composer: JourneyComposer) -> None:
    composer.concept_id.value = "empathy"
    composer.concept_name.value = "Empathy"
    composer.concept_add_button.click()
    assert composer.journey.concept("empathy").name == "Empathy"
    assert "empathy" in [value for _, value in composer.fields["covers"].options]

    composer.concept_select.value = "sbi_model"
    assert composer.concept_name.value == composer.journey.concept("sbi_model").name
    composer.concept_id.value = "sbi"
    composer.concept_name.value = "Situation-Behaviour-Impact"
    composer.concept_rename_button.click()
    journey = composer.journey
    assert journey.concept("sbi").name == "Situation-Behaviour-Impact"
    assert "sbi" in journey.activity("workshop").concept_ids
    assert all("sbi_model" not in a.concept_ids for a in journey.activities)

    composer.concept_select.value = "sbi"
    composer.concept_remove_button.click()
    assert composer.journey is journey
    assert "remove it from their 'covers' first" in text(composer.concept_error)
    composer.concept_select.value = "empathy"
    composer.concept_remove_button.click()
    assert "empathy" not in [c.id for c in composer.journey.concepts]

    composer.concept_id.value = "bad id!"
    composer.concept_add_button.click()
    assert "must start with a letter" in text(composer.concept_error)


def test_save_writes_a_spec_that_loads_back_equal(composer: JourneyComposer, tmp_path: Path) -> None:
    fill_new(composer, "prompt_card", "card_1", covers=("follow_up",), day=30.0)
    composer.add_button.click()
    target = tmp_path / "sub" / "journey.yaml"
    composer.save_path.value = str(target)
    composer.save_button.click()
    assert load(target) == composer.journey
    assert "saved to journey.yaml" in composer.status.value
    assert "wb-ok" in text(composer.file_message)
    assert [p.name for p in target.parent.iterdir()] == ["journey.yaml"]  # atomic: no temp file left

    json_path = composer.save_spec(tmp_path / "journey.json")
    assert json_path is not None
    assert load(json_path) == composer.journey


def test_save_and_open_errors_are_shown(composer: JourneyComposer, tmp_path: Path) -> None:
    composer.save_path.value = str(tmp_path / "journey.txt")
    composer.save_button.click()
    assert "not saved" in text(composer.file_message)
    assert "use .yaml" in text(composer.file_message)
    assert not (tmp_path / "journey.txt").exists()
    composer.save_path.value = str(tmp_path / "missing.yaml")
    composer.load_button.click()
    assert "not opened" in text(composer.file_message)
    assert "no such file" in text(composer.file_message)


def test_open_replaces_the_journey_and_is_undoable(composer: JourneyComposer, tmp_path: Path) -> None:
    from workbench.spec import dump

    other = load_template("compliance_follow_up")
    dump(other, tmp_path / "other.yaml")
    composer.save_path.value = str(tmp_path / "other.yaml")
    composer.load_button.click()
    assert composer.journey == other
    assert composer.selected == other.activities[0].id
    composer.undo()
    assert composer.journey == load_template("post_training_retention")


def test_timeline_png_is_deterministic(composer: JourneyComposer, fake_plotter: Any) -> None:
    again = JourneyComposer("post_training_retention", plotter=fake_plotter, graph=False)
    assert png(again) == png(composer)


def test_real_timeline_plot_redraws_after_an_edit() -> None:
    composer = JourneyComposer("post_training_retention", graph=False)  # plotter="auto"
    before = png(composer)
    assert before.startswith(PNG)
    composer.select("quiz_2")
    composer.fields["day"].value = 28.0
    composer.fields["schedule"].value = "day"
    composer.update_button.click()
    assert composer.journey.day_of("quiz_2") == 28.0
    assert png(composer).startswith(PNG)
    assert png(composer) != before
    assert composer.timeline_message.value == ""


def test_a_failing_plot_is_shown_not_raised() -> None:
    def broken(journey: Journey, ax: Any = None, findings: Any = None) -> Any:
        raise RuntimeError("no ink")

    composer = JourneyComposer("post_training_retention", plotter=broken, graph=False)
    assert "timeline not drawn: no ink" in text(composer.timeline_message)
    assert composer.status.value.startswith("post_training_retention: 10 activities")


def test_without_plotter_the_schedule_table_remains() -> None:
    composer = JourneyComposer("post_training_retention", plotter=None, graph=False)
    assert png(composer) == b""
    assert composer.timeline.layout.display == "none"
    assert "on demand" in text(composer.schedule_table)


def test_empty_journey_and_spec_path_sources(tmp_path: Path) -> None:
    empty = JourneyComposer(plotter=None, graph=False)
    assert empty.journey.activities == ()
    assert empty.selected is None
    assert "No activities yet" in text(empty.schedule_table)
    empty.concept_id.value = "c1"
    empty.concept_add_button.click()
    empty.fields["kind"].value = "elearning_module"
    empty.fields["covers"].value = ("c1",)
    empty.add_button.click()
    assert [a.id for a in empty.journey.activities] == ["elearning_module"]

    from workbench.spec import dump

    path = dump(load_template("safety_reminders"), tmp_path / "safety.yaml")
    assert JourneyComposer(str(path), plotter=None, graph=False).journey == load_template("safety_reminders")


def test_nothing_is_printed(composer: JourneyComposer, capsys: pytest.CaptureFixture[str]) -> None:
    fill_new(composer, "spaced_recall_quiz", "quiz_1", duration=-1.0)
    composer.add_button.click()
    composer.select("recap")
    composer.remove_button.click()
    composer.undo()
    composer.redo()
    out, err = capsys.readouterr()
    assert (out, err) == ("", "")


def test_when_the_edited_activity_disappears_the_first_one_opens(composer: JourneyComposer) -> None:
    composer.select("job_aid")
    composer.remove_button.click()
    assert composer.selected == "primer"
    assert composer.fields["id"].value == "primer"
    assert "removed 'job_aid'" in composer.status.value
    composer.undo()
    composer.select("job_aid")
    composer.journey = load_template("compliance_follow_up")
    first = composer.journey.activities[0].id
    assert composer.selected == first
    assert composer.fields["id"].value == first
