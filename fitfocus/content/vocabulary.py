"""The closed vocabularies exercises are described with, and how settings extend them."""

from __future__ import annotations

from dataclasses import dataclass

MUSCLES = (
    "abductors", "adductors", "biceps", "calves", "chest", "core", "forearms", "glutes",
    "hamstrings", "hip-flexors", "lats", "lower-back", "middle-back", "neck", "obliques",
    "quadriceps", "shins", "shoulders", "traps", "triceps",
)
EQUIPMENT = (
    "ankle-weights", "barbell", "bench", "box", "cable", "chair", "dumbbell", "foam-roller",
    "kettlebell", "machine", "mat", "medicine-ball", "pull-up-bar", "resistance-band",
    "stability-ball", "step", "wall", "ez-bar", "other",
)
LEVELS = ("beginner", "intermediate", "advanced")
CATEGORIES = (
    "strength", "stretching", "plyometrics", "cardio", "mobility", "powerlifting", "olympic-weightlifting",
    "strongman",
)
INJURIES = (
    "achilles-tendinopathy", "hamstring-strain", "it-band-syndrome", "lower-back-pain",
    "plantar-fasciitis", "runners-knee", "shin-splints",
)

# What writers type for a value of the lists above, folded to kebab-case.
SYNONYMS = {
    "band": "resistance-band", "mini-band": "resistance-band", "loop-band": "resistance-band",
    "resistance-bands": "resistance-band", "bands": "resistance-band", "kb": "kettlebell",
    "db": "dumbbell", "bb": "barbell", "ball": "stability-ball", "swiss-ball": "stability-ball",
    "quads": "quadriceps", "hams": "hamstrings", "abs": "core", "delts": "shoulders", "pecs": "chest",
}
BODY_WEIGHT = ("body-weight", "bodyweight", "none", "no-equipment")


def vocabulary_hint(written: str, allowed: tuple[str, ...], field: str) -> str | None:
    """A hint for a value writers use for a known one: a synonym, a plural, or body weight."""
    key = written.strip().lower().replace(" ", "-").replace("_", "-")
    if key in BODY_WEIGHT and field == "equipment":
        return "leave `equipment` empty (or out) for body weight"
    for guess in (SYNONYMS.get(key), key[:-1] if key.endswith("s") else None):
        if guess in allowed:
            return f"did you mean `{guess}`?"
    return None


@dataclass(frozen=True)
class Vocabulary:
    """The allowed values of each closed list, built-in values first, then the site's own."""

    muscles: tuple[str, ...] = MUSCLES
    equipment: tuple[str, ...] = EQUIPMENT
    levels: tuple[str, ...] = LEVELS
    injuries: tuple[str, ...] = INJURIES
    categories: tuple[str, ...] = CATEGORIES
    muscle_regions: tuple[tuple[str, str], ...] = ()  # a site's own muscle and the built-in one it is drawn as
