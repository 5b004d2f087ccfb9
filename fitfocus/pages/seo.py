"""Search and sharing metadata: page descriptions, and schema.org JSON-LD for posts, routines and exercises.

Only schema.org types and properties are used, each on a type that defines it (or inherits it):
`ExercisePlan` is both a `CreativeWork` and a `PhysicalActivity`. tests/pages/test_seo.py keeps the
allow-list; add to it only after checking the property on schema.org.
"""

from __future__ import annotations

import re
from typing import Any

from fitfocus.config import Config
from fitfocus.content.model import Exercise, Plan, Post, Rest, title_case
from fitfocus.pages.training import WeekView
from fitfocus.pages.urls import Urls, exercise_path, plan_path, post_path, series_path
from fitfocus.pages.workout import Move, Workout

DESCRIPTION_LIMIT = 160  # characters: about what search results show
RASTER_IMAGES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")  # what social previews can show

_FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.S | re.M)


def excerpt(markdown: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """The plain text of a Markdown body's first paragraph, cut at a word to at most `limit` characters."""
    for block in re.split(r"\n\s*\n", _FENCE.sub("", markdown)):
        block = block.strip()
        if not block or block.startswith(("#", "<", "|", "!", "[^", "{:", "---", "***", "    ", "\t")):
            continue
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", block)  # images
        text = re.sub(r"\[\^[^\]]+\]", "", text)  # footnote references
        text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links keep their text
        text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)  # reference links
        text = re.sub(r"\{:?[^}]*\}", "", text)  # attribute lists
        text = re.sub(r"<[^>]+>|[*_`]", "", text)
        text = " ".join(text.split())
        if text:
            return shorten(text, limit)
    return ""


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """`text` if it fits in `limit` characters, else cut at the last whole word with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–—-")
    return cut + "…"


def post_description(post: Post, config: Config) -> str:
    """What a post is about, for its meta description, feed summary and JSON-LD."""
    return post.summary or excerpt(post.body.text) or f"{post.title}, on {config.title}."


def exercise_description(exercise: Exercise) -> str:
    """What an exercise page offers, for its meta description and JSON-LD."""
    muscles = ", ".join(title_case(m) for m in exercise.muscles).lower()
    target = f" for your {muscles}" if muscles else ""
    return f"How to do {exercise.name}{target}: form cues, safety and the workouts that use it."


def page_description(summary: str | None, body: str, fallback: str) -> str:
    """A standalone page's summary, else its first paragraph, else `fallback`."""
    return summary or excerpt(body) or fallback


def site_data(config: Config) -> dict[str, Any]:
    """JSON-LD for the home page: the blog as a `WebSite`."""
    urls = Urls(config.base_url)
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "WebSite", "name": config.title,
                            "url": urls.absolute(""), "inLanguage": config.language}
    if config.description:
        data["description"] = config.description
    data["publisher"] = _author(config)
    return data


def post_data(post: Post, workouts: tuple[Workout, ...], config: Config) -> dict[str, Any]:
    """JSON-LD for a post: a `BlogPosting` with one `ExercisePlan` part per routine."""
    urls = Urls(config.base_url)
    url = urls.absolute(post_path(post.slug))
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post_description(post, config),
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": post.date.isoformat(),
        "inLanguage": config.language,
        "author": _author(config),
        "publisher": _author(config),
    }
    image = _raster([post.image.src] if post.image else [i.src for i in post.body.images])
    if image:
        data["image"] = urls.absolute(image)
    if post.tags:
        data["keywords"] = list(post.tags)
    if post.series is not None:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": post.series.name,
                            "url": urls.absolute(series_path(post.series.name))}
    if workouts:
        data["hasPart"] = [routine_data(w, url, urls) for w in workouts]
    return data


def routine_data(workout: Workout, post_url: str, urls: Urls) -> dict[str, Any]:
    """A routine as an `ExercisePlan`: rounds, rest and duration, with each move an `ExercisePlan` part."""
    routine = workout.routine
    data: dict[str, Any] = {
        "@type": "ExercisePlan",
        "name": routine.title,
        "url": f"{post_url}#{workout.anchor}",
        "description": _routine_summary(workout),
        "activityDuration": f"PT{workout.minutes}M",
        "repetitions": routine.rounds,  # the whole list is repeated this many times
    }
    if routine.rest is not None:
        data["restPeriods"] = _rest_value(routine.rest)
    if workout.muscles:
        data["associatedAnatomy"] = [_muscle(m) for m in workout.muscles]
    data["hasPart"] = [_move_data(workout, move, position, urls)
                       for position, move in enumerate(workout.moves, start=1)]
    return data


def plan_data(plan: Plan, weeks: tuple[WeekView, ...], description: str, config: Config) -> dict[str, Any]:
    """JSON-LD for a plan: an exercise plan made of the routines it uses (schema.org has no training
    calendar type; the weeks and runs are in the page, not claimed as structured data)."""
    urls = Urls(config.base_url)
    parts: dict[str, dict[str, Any]] = {}
    for week in weeks:
        for day in week.days:
            for view in day.sessions:
                if view.workout is not None and view.workout_path is not None:
                    parts.setdefault(view.workout_path, {"@type": "ExercisePlan", "name": view.workout.routine.title,
                                                         "url": urls.absolute(f"{view.post_path}#{view.workout.anchor}")})
    return {"@context": "https://schema.org", "@type": "ExercisePlan", "name": plan.title,
            "description": description, "url": urls.absolute(plan_path(plan.slug)), "author": _author(config),
            "hasPart": list(parts.values())}


def exercise_data(exercise: Exercise, description: str, config: Config) -> dict[str, Any]:
    """JSON-LD for an exercise page: the exercise as an `ExercisePlan` with its muscles, level and cues."""
    urls = Urls(config.base_url)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ExercisePlan",
        "name": exercise.name,
        "description": description,
        "url": urls.absolute(exercise_path(exercise.slug)),
        "inLanguage": config.language,
    }
    if exercise.aliases:
        data["alternateName"] = [alias.name for alias in exercise.aliases]
    muscles = exercise.muscles + tuple(m for m in exercise.secondary_muscles if m not in exercise.muscles)
    if muscles:
        data["associatedAnatomy"] = [_muscle(m) for m in muscles]
    if exercise.level:
        data["educationalLevel"] = title_case(exercise.level)
    variables = [f"Equipment: {', '.join(title_case(e) for e in exercise.equipment) or 'body weight'}"]
    if exercise.unilateral:
        variables.append("One side at a time")
    variables += [f"Form cue: {cue}" for cue in exercise.cues]
    if exercise.safety:
        variables.append(f"Safety: {exercise.safety}")
    data["additionalVariable"] = variables
    if exercise.image is not None and _raster([exercise.image.src]):
        src = exercise.image.src
        data["image"] = src if src.startswith(("http://", "https://")) else urls.absolute(src)
    if exercise.video:
        data["video"] = {"@type": "VideoObject", "name": f"{exercise.name} tutorial", "url": exercise.video}
    return data


def _move_data(workout: Workout, move: Move, position: int, urls: Urls) -> dict[str, Any]:
    item = move.item
    data: dict[str, Any] = {"@type": "ExercisePlan", "position": position, "name": move.exercise.name,
                            "url": urls.absolute(exercise_path(move.exercise.slug))}
    variables = [f"{item.sets} {'set' if item.sets == 1 else 'sets'}"]
    reps = item.reps
    if reps.kind == "count":
        data["repetitions"] = reps.low if reps.low == reps.high else {
            "@type": "QuantitativeValue", "minValue": reps.low, "maxValue": reps.high}
    elif reps.kind == "time":
        data["activityDuration"] = (_iso_seconds(reps.low) if reps.low == reps.high else {
            "@type": "QuantitativeValue", "minValue": reps.low, "maxValue": reps.high, "unitCode": "SEC"})
    else:
        variables.append(reps.text)
    if item.per_side:
        variables.append("per side")
    if item.label:
        variables.append(f"superset {item.label}")
    if item.tempo:
        variables.append(f"tempo {item.tempo}")
    if item.note:
        variables.append(item.note)
    rest = workout.rest_for(move)
    if rest.startswith("straight"):
        data["restPeriods"] = rest
    else:
        data["restPeriods"] = _rest_value(workout.rest_of(move))
    if item.load:
        data["intensity"] = item.load.text  # the weight moved: schema.org's "degree of force involved"
    data["additionalVariable"] = variables
    return data


def _routine_summary(workout: Workout) -> str:
    routine = workout.routine
    moves = len(workout.moves)
    parts = [f"{moves} {'move' if moves == 1 else 'moves'}"]
    if routine.rounds > 1:
        parts.append(f"{routine.rounds} rounds")
    parts.append(f"about {workout.minutes} min")
    return ", ".join(parts).capitalize() + "."


def _rest_value(rest: Rest) -> dict[str, Any]:
    if rest.low == rest.high:
        return {"@type": "QuantitativeValue", "value": rest.low, "unitCode": "SEC", "unitText": rest.text}
    return {"@type": "QuantitativeValue", "minValue": rest.low, "maxValue": rest.high, "unitCode": "SEC",
            "unitText": rest.text}


def _iso_seconds(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return "PT" + (f"{minutes}M" if minutes else "") + (f"{rest}S" if rest or not minutes else "")


def _muscle(name: str) -> dict[str, str]:
    return {"@type": "AnatomicalStructure", "name": title_case(name)}


def _author(config: Config) -> dict[str, str]:
    if config.author:
        return {"@type": "Person", "name": config.author}
    return {"@type": "Organization", "name": config.title}


def _raster(sources: Any) -> str | None:
    return next((src for src in sources if src.lower().split("#")[0].endswith(RASTER_IMAGES)), None)
