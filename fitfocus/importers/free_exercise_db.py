"""`import free-exercise-db PATH`: a copy of the free-exercise-db dataset into `exercises/`.

Each record of `PATH/dist/exercises.json` becomes `exercises/<slug>.md`, its values mapped onto
the site's vocabularies by the tables below (the README shows them). A record with a value the
tables do not know is reported and skipped, never guessed. Files a person wrote or edited are
never touched (importers/owned.py).
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from fitfocus.config import load_config
from fitfocus.content.library import normalize
from fitfocus.content.loader import load_content
from fitfocus.importers.owned import (KEPT, NEW, UPDATED, Planned, checksum_placeholder, plan_file,
                                      with_checksum, write_file)
from fitfocus.problems import BuildFailed, Problem, SourceFile, as_warning

DATASET = "free-exercise-db"
LEVELS = {"beginner": "beginner", "intermediate": "intermediate", "expert": "advanced"}
EQUIPMENT: dict[str | None, tuple[str, ...]] = {
    None: (), "body only": (), "barbell": ("barbell",), "dumbbell": ("dumbbell",), "cable": ("cable",),
    "machine": ("machine",), "kettlebells": ("kettlebell",), "bands": ("resistance-band",),
    "medicine ball": ("medicine-ball",), "exercise ball": ("stability-ball",), "foam roll": ("foam-roller",),
    "e-z curl bar": ("ez-bar",), "other": ("other",),
}
MUSCLES = {
    "abdominals": "core", "abductors": "abductors", "adductors": "adductors", "biceps": "biceps",
    "calves": "calves", "chest": "chest", "forearms": "forearms", "glutes": "glutes", "hamstrings": "hamstrings",
    "lats": "lats", "lower back": "lower-back", "middle back": "middle-back", "neck": "neck",
    "quadriceps": "quadriceps", "shoulders": "shoulders", "traps": "traps", "triceps": "triceps",
}
CATEGORIES = {
    "strength": "strength", "stretching": "stretching", "plyometrics": "plyometrics", "cardio": "cardio",
    "powerlifting": "powerlifting", "olympic weightlifting": "olympic-weightlifting", "strongman": "strongman",
}
ONLY_KEYS = ("category", "equipment", "muscle", "level")
PICTURE_CREDIT = {"author": "free-exercise-db contributors", "license": "not stated by the dataset",
                  "source": "https://github.com/yuhonas/free-exercise-db"}
POSITIONS = ("the starting position", "the end position")  # what the dataset's first two pictures show
_RUN_TOGETHER = re.compile(r"([a-z0-9)])\.([A-Z])")  # "torso.This" -> "torso. This"


@dataclass(frozen=True)
class Mapped:
    """One record in the site's terms."""

    slug: str
    name: str
    level: str
    equipment: tuple[str, ...]
    muscles: tuple[str, ...]
    secondary: tuple[str, ...]
    category: str
    steps: tuple[str, ...]
    pictures: tuple[str, ...]  # paths under PATH/exercises/
    id: str
    at: tuple[int, int]  # line and column of the record's id in exercises.json


@dataclass
class Outcome:
    """What an import did (or, with --dry-run, would do)."""

    planned: list[Planned] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # warnings: why a record was left out
    left: list[Problem] = field(default_factory=list)  # warnings: files of the blog left as they are
    notes: list[Problem] = field(default_factory=list)  # other warnings
    pictures: int = 0  # pictures copied

    def count(self, action: str) -> int:
        """How many files get `action`."""
        return sum(1 for plan in self.planned if plan.action == action)


def import_free_exercise_db(root: Path, dataset: Path, images: bool = False, only: tuple[str, ...] = (),
                            dry_run: bool = False) -> Outcome:
    """Import `dataset` (a copy of free-exercise-db) into the blog at `root`; raise BuildFailed on bad input."""
    source = dataset / "dist" / "exercises.json"
    shown = _shown(source)
    filters = _parse_only(only)
    records = _read_records(source, shown)
    text = source.read_text(encoding="utf-8")
    json_file = SourceFile(source, shown, text)
    owners = _existing_names(root)
    outcome = Outcome()
    taken: dict[str, str] = {}  # normalized name or slug -> the id that took it in this import
    copies: list[tuple[str, Path, Path]] = []  # (slug, picture, where it goes)
    for index, record in enumerate(records):
        mapped, reason = _map(record, index, text)
        line, col = mapped.at if mapped else _locate(text, record)
        if mapped is None:
            outcome.skipped.append(as_warning(json_file.problem(line, col, f"skipped record {index + 1}: {reason}")))
            continue
        if not _matches(mapped, filters):
            continue
        clash = next((owners[key] for key in (mapped.slug, normalize(mapped.name)) if key in owners), None) \
            or next((f"`{taken[key]}` of this import" for key in (mapped.slug, normalize(mapped.name)) if key in taken), None)
        if clash:
            outcome.skipped.append(as_warning(json_file.problem(
                line, col, f"skipped `{mapped.id}`: its slug or name `{mapped.name}` is taken by {clash}",
                "the blog's exercise keeps its name; copy this one by hand under another name if you want both")))
            continue
        taken[mapped.slug] = taken[normalize(mapped.name)] = mapped.id
        media = []
        if images:
            for number, picture in enumerate(mapped.pictures):
                target = f"media/{DATASET}/{mapped.slug}-{number}{Path(picture).suffix.lower()}"
                media.append(target)
                copies.append((mapped.slug, dataset / "exercises" / picture, root / "content" / target))
        outcome.planned.append(plan_file(root / "exercises" / f"{mapped.slug}.md", _markdown(mapped, media[:len(POSITIONS)])))
        if not mapped.steps:
            outcome.notes.append(as_warning(json_file.problem(
                line, col, f"`{mapped.id}` has no instructions; exercises/{mapped.slug}.md has no how-to yet",
                "write the how-to below its front matter before a routine uses it")))
    for plan in outcome.planned:
        if plan.action == KEPT:
            outcome.left.append(as_warning(Problem(_shown(plan.path, root), 1, 1, f"left as it is: {plan.reason}")))
    kept = {plan.path.stem for plan in outcome.planned if plan.action == KEPT}
    pictures = [(picture, target) for slug, picture, target in copies if slug not in kept]
    if pictures:
        outcome.notes.append(as_warning(Problem(
            shown, 1, 1, "free-exercise-db does not say under which licence its pictures may be used; they are "
            f"credited to \"{PICTURE_CREDIT['author']}\"", "check that you may publish them before you do")))
    missing = [picture for picture, _ in pictures if not picture.is_file()]
    if missing:
        raise BuildFailed([Problem(_shown(path), 1, 1, "picture not found", "is PATH a whole copy of the dataset?")
                           for path in missing[:20]])
    changed = []
    for picture, target in pictures:
        if not target.exists():
            changed.append((picture, target))
        elif target.read_bytes() != picture.read_bytes():
            outcome.left.append(as_warning(Problem(_shown(target, root), 1, 1,
                                                   "left as it is: a different picture is there")))
    outcome.pictures = len(changed)
    if not dry_run:
        for picture, target in changed:
            write_file(target, picture.read_bytes())
        for plan in outcome.planned:
            if plan.action in (NEW, UPDATED):
                write_file(plan.path, plan.text.encode("utf-8"))
    return outcome


def _parse_only(only: tuple[str, ...]) -> list[tuple[str, str]]:
    filters = []
    for item in only:
        key, equals, value = item.partition("=")
        if not equals or key not in ONLY_KEYS or not value:
            raise BuildFailed([Problem("--only", 1, 1, f"`{item}` is not KEY=VALUE with a known key",
                                       f"keys: {', '.join(ONLY_KEYS)}; e.g. --only muscle=glutes")])
        filters.append((key, value.strip().lower()))
    return filters


def _matches(mapped: Mapped, filters: list[tuple[str, str]]) -> bool:
    values = {"category": (mapped.category,), "equipment": mapped.equipment or ("body-weight",),
              "muscle": mapped.muscles + mapped.secondary, "level": (mapped.level,)}
    return all(value in values[key] for key, value in filters)


def _read_records(source: Path, shown: str) -> list:
    if not source.is_file():
        raise BuildFailed([Problem(shown, 1, 1, "exercises.json not found",
                                   "give the folder that holds dist/exercises.json (a copy of free-exercise-db)")])
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise BuildFailed([Problem(shown, 1, 1, "file is not UTF-8 text")]) from None
    except json.JSONDecodeError as error:
        raise BuildFailed([Problem(shown, error.lineno, error.colno, f"malformed JSON: {error.msg}")]) from None
    if not isinstance(data, list):
        raise BuildFailed([Problem(shown, 1, 1, "expected a list of exercise records")])
    return data


def _map(record: object, index: int, text: str) -> tuple[Mapped | None, str]:
    """The record in the site's terms, or None and why it cannot be mapped."""
    if not isinstance(record, dict):
        return None, "not a JSON object"
    identifier, name = record.get("id"), record.get("name")
    if not isinstance(identifier, str) or not identifier.strip():
        return None, "no `id`"
    if not isinstance(name, str) or not name.strip():
        return None, f"`{identifier}` has no `name`"
    at = _id_position(text, identifier)
    slug = normalize(identifier.replace("_", "-"))
    if not slug:
        return None, f"`{identifier}` gives no slug"
    level = LEVELS.get(record.get("level"))  # type: ignore[arg-type]
    if level is None:
        return _unmapped(identifier, "level", record.get("level"), at)
    equipment_value = record.get("equipment")
    if not isinstance(equipment_value, (str, type(None))) or equipment_value not in EQUIPMENT:
        return _unmapped(identifier, "equipment", equipment_value)
    category = CATEGORIES.get(record.get("category"))  # type: ignore[arg-type]
    if category is None:
        return _unmapped(identifier, "category", record.get("category"))
    muscles, secondary = [], []
    for key, into in (("primaryMuscles", muscles), ("secondaryMuscles", secondary)):
        values = record.get(key) or []
        if not isinstance(values, list):
            return None, f"`{identifier}`: `{key}` is not a list"
        for value in values:
            if value not in MUSCLES:
                return _unmapped(identifier, key, value)
            if MUSCLES[value] not in into:
                into.append(MUSCLES[value])
    steps = record.get("instructions") or []
    pictures = record.get("images") or []
    if not isinstance(steps, list) or not all(isinstance(step, str) for step in steps):
        return None, f"`{identifier}`: `instructions` is not a list of text"
    if not isinstance(pictures, list) or not all(isinstance(p, str) and ".." not in p for p in pictures):
        return None, f"`{identifier}`: `images` is not a list of picture paths"
    return Mapped(slug, " ".join(name.split()), level, EQUIPMENT[equipment_value], tuple(muscles),
                  tuple(m for m in secondary if m not in muscles), category,
                  tuple(_RUN_TOGETHER.sub(r"\1. \2", " ".join(step.split())) for step in steps if step.strip()),
                  tuple(pictures), identifier, at), ""


def _unmapped(identifier: str, key: str, value: object) -> tuple[None, str]:
    return None, f"`{identifier}`: cannot map {key} {json.dumps(value)} onto the site's vocabulary"


def _markdown(mapped: Mapped, media: list[str]) -> str:
    """The exercise file for `mapped`, with its checksum."""
    q = json.dumps  # a JSON string is a YAML double-quoted scalar: no YAML 1.1 surprises
    lines = ["---", f"name: {q(mapped.name, ensure_ascii=False)}", f"level: {mapped.level}",
             f"category: {mapped.category}", f"muscles: [{', '.join(mapped.muscles)}]"]
    if mapped.secondary:
        lines.append(f"secondary_muscles: [{', '.join(mapped.secondary)}]")
    lines.append(f"equipment: [{', '.join(mapped.equipment)}]")
    if media:
        credit = ", ".join(f"{key}: {q(value)}" for key, value in PICTURE_CREDIT.items())
        lines.append("images:")
        for src, position in zip(media, POSITIONS):
            lines += [f"  - src: {src}", f"    alt: {q(mapped.name + ', ' + position, ensure_ascii=False)}",
                      f"    credit: {{{credit}}}"]
    lines += [f"source: {{dataset: {DATASET}, id: {q(mapped.id, ensure_ascii=False)}, {checksum_placeholder()}}}",
              "---"]
    body = "\n".join(f"{number}. {step}" for number, step in enumerate(mapped.steps, start=1))
    return with_checksum("\n".join(lines) + "\n" + (body + "\n" if body else ""))


def _existing_names(root: Path) -> dict[str, str]:
    """Slugs, names and aliases of the exercises a person wrote (not this importer's), normalized,
    each with the file that has it."""
    config, problems = load_config(root)
    if problems:
        raise BuildFailed(problems)
    content = load_content(config, datetime.date.today()).content  # exercises are not dated
    owners: dict[str, str] = {}
    for exercise in content.exercises:
        if exercise.source is not None and exercise.source.dataset == DATASET:
            continue
        for name in (exercise.slug, exercise.name, *(alias.name for alias in exercise.aliases)):
            owners.setdefault(normalize(name), exercise.at.path)
    return owners


def _id_position(text: str, identifier: str) -> tuple[int, int]:
    at = text.find(json.dumps(identifier))
    if at < 0:
        return 1, 1
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _locate(text: str, record: object) -> tuple[int, int]:
    identifier = record.get("id") if isinstance(record, dict) else None
    return _id_position(text, identifier) if isinstance(identifier, str) else (1, 1)


def _shown(path: Path, root: Path | None = None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return str(path)

