"""The muscle map: its drawing covers the vocabulary, and a map marks the right regions and says them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import jinja2

from fitfocus.content.vocabulary import MUSCLES
from fitfocus.pages.muscle_map import REGIONS, MuscleMap, drawn, muscle_map

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SVG = "{http://www.w3.org/2000/svg}"


def regions_by_figure() -> dict[str, set[str]]:
    """The `data-region` of every region of the drawing, by figure (front, back)."""
    tree = ET.parse(TEMPLATES / "_muscle_map.svg")
    figures = {}
    for group in tree.getroot().iter(f"{SVG}g"):
        kind = next((c.removeprefix("mm-") for c in group.get("class", "").split() if c in ("mm-front", "mm-back")), None)
        if kind:
            figures[kind] = {path.get("data-region") for path in group.iter(f"{SVG}path") if path.get("data-region")}
    return figures


def render(body_map: MuscleMap, compact: bool = False) -> ET.Element:
    """The macro's output for `body_map`, parsed."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["title"] = lambda value: value.title()
    macro = env.get_template("_muscle_map.html").module.muscle_map_figure
    return ET.fromstring(str(macro(body_map, "fit-map", compact)))


def test_every_muscle_of_the_vocabulary_has_a_region_in_the_drawing() -> None:
    figures = regions_by_figure()
    assert set(figures) == {"front", "back"}
    assert figures["front"] | figures["back"] == set(MUSCLES) == set(REGIONS)
    # Muscles seen from both sides are drawn on both figures.
    assert {"shoulders", "forearms", "calves", "abductors", "adductors", "neck", "traps"} <= figures["front"] & figures["back"]
    assert "abductors" in MUSCLES and "adductors" in MUSCLES  # the free-exercise-db muscles


def test_each_region_is_drawn_with_its_state() -> None:
    tree = ET.parse(TEMPLATES / "_muscle_map.svg")
    for path in tree.getroot().iter(f"{SVG}path"):
        region = path.get("data-region")
        if region:
            assert path.get("class") == f"mm-region{{{{ map.state('{region}') }}}}"


def test_primary_regions_are_strong_secondary_light_the_rest_neutral() -> None:
    figure = render(muscle_map(["quadriceps", "glutes"], ["hamstrings", "calves"]))
    states: dict[str, set[str]] = {}
    for path in figure.iter(f"{SVG}path"):
        if path.get("data-region"):
            classes = path.get("class", "").split()
            states.setdefault(path.get("data-region"), set()).add(classes[1] if len(classes) > 1 else "neutral")
    assert states["quadriceps"] == states["glutes"] == {"mm-primary"}
    assert states["hamstrings"] == states["calves"] == {"mm-secondary"}
    assert {region for region, state in states.items() if state == {"neutral"}} == set(MUSCLES) - {
        "quadriceps", "glutes", "hamstrings", "calves"}


def test_the_drawing_is_an_image_named_by_its_muscles() -> None:
    figure = render(muscle_map(["quadriceps", "glutes"], ["hamstrings"]))
    svg = figure.find(f"{SVG}svg")
    assert svg is not None and svg.get("role") == "img" and svg.get("aria-labelledby") == "fit-map-title"
    title = svg.find(f"{SVG}title")
    assert title is not None and title.get("id") == "fit-map-title"
    assert title.text == "Muscle map. Primary: quadriceps, glutes. Secondary: hamstrings."
    key = figure.find("figcaption")
    assert key is not None and "".join(key.itertext()).split() == [
        "Primary:", "Quadriceps,", "Glutes", "Secondary:", "Hamstrings"]


def test_the_hatch_of_one_map_does_not_clash_with_another_on_the_page() -> None:
    figure = render(muscle_map(["chest"], ["triceps"]))
    ids = [element.get("id") for element in figure.iter() if element.get("id")]
    assert ids == ["fit-map-title", "fit-map-hatch"]


def test_the_compact_map_has_no_key_but_keeps_its_name() -> None:
    figure = render(muscle_map(["chest"], []), compact=True)
    assert figure.get("class") == "muscle-map muscle-map-compact"
    assert figure.find("figcaption") is None
    assert figure.find(f"{SVG}svg/{SVG}title").text == "Muscle map. Primary: chest."


def test_a_muscle_primary_for_one_move_is_primary_for_the_routine() -> None:
    body_map = muscle_map(["glutes", "quadriceps", "glutes"], ["hamstrings", "glutes", "core", "hamstrings"])
    assert (body_map.primary, body_map.secondary) == (("glutes", "quadriceps"), ("hamstrings", "core"))
    assert body_map.state("glutes") == " mm-primary" and body_map.state("core") == " mm-secondary"
    assert body_map.state("chest") == ""


def test_the_text_says_muscles_as_words() -> None:
    assert muscle_map(["hip-flexors"], ["lower-back", "middle-back"]).text == (
        "Primary: hip flexors. Secondary: lower back, middle back.")
    assert muscle_map([], ["core"]).text == "Secondary: core."


def test_a_site_muscle_is_drawn_as_the_region_the_settings_name_and_always_listed() -> None:
    regions = (("tibialis-posterior", "calves"),)
    body_map = muscle_map(["tibialis-posterior", "rotator-cuff"], ["serratus"], regions)
    assert body_map.region_of("tibialis-posterior") == "calves"
    assert body_map.region_of("rotator-cuff") is None  # no region named: not drawn
    assert body_map.state("calves") == " mm-primary"
    assert [r for r in MUSCLES if body_map.state(r)] == ["calves"]
    assert body_map.text == "Primary: tibialis posterior, rotator cuff. Secondary: serratus."


def test_a_map_without_muscles_is_not_shown() -> None:
    assert not muscle_map([], []).shown and not drawn((), ())
    assert muscle_map(["core"], []).shown
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    macro = env.get_template("_muscle_map.html").module.muscle_map_figure
    assert str(macro(muscle_map([], []), "fit-map")).strip() == ""
