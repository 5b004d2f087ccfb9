"""Values writers type for the closed lists: synonyms, plurals and body weight get a hint."""

from __future__ import annotations

import pytest

from fitfocus.content.vocabulary import EQUIPMENT, MUSCLES, vocabulary_hint


@pytest.mark.parametrize("written, hint", [
    ("band", "did you mean `resistance-band`?"),
    ("Mini Band", "did you mean `resistance-band`?"),
    ("kettlebells", "did you mean `kettlebell`?"),
    ("dumbbells", "did you mean `dumbbell`?"),
    ("body weight", "leave `equipment` empty (or out) for body weight"),
    ("bodyweight", "leave `equipment` empty (or out) for body weight"),
    ("spaceship", None),
])
def test_equipment_hints(written: str, hint: str | None) -> None:
    assert vocabulary_hint(written, EQUIPMENT, "equipment") == hint


def test_muscle_synonyms_and_body_weight_only_for_equipment() -> None:
    assert vocabulary_hint("quads", MUSCLES, "muscles") == "did you mean `quadriceps`?"
    assert vocabulary_hint("bodyweight", MUSCLES, "muscles") is None
