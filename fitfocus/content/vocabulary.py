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


@dataclass(frozen=True)
class Vocabulary:
    """The allowed values of each closed list, built-in values first, then the site's own."""

    muscles: tuple[str, ...] = MUSCLES
    equipment: tuple[str, ...] = EQUIPMENT
    levels: tuple[str, ...] = LEVELS
    injuries: tuple[str, ...] = INJURIES
    categories: tuple[str, ...] = CATEGORIES
