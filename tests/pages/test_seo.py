"""Every page's head: title, description, canonical URL, Open Graph, Twitter card, lang, and JSON-LD
that uses only schema.org types and properties (checked against the allow-list below)."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from fitfocus.pages.seo import excerpt, shorten

BASE = "https://example.github.io/fit-blog/"

# The schema.org vocabulary this site uses: each type with the properties it uses, every one
# checked on schema.org as defined on that type or inherited (Thing > CreativeWork > …).
# ExercisePlan is both a CreativeWork and a PhysicalActivity (associatedAnatomy comes from there).
THING = {"name", "description", "url", "alternateName", "image", "mainEntityOfPage"}
CREATIVE_WORK = THING | {"headline", "author", "publisher", "datePublished", "inLanguage", "keywords",
                         "isPartOf", "hasPart", "position", "educationalLevel", "video"}
SCHEMA = {
    "WebSite": CREATIVE_WORK,
    "BlogPosting": CREATIVE_WORK,
    "CreativeWorkSeries": CREATIVE_WORK,
    "ExercisePlan": CREATIVE_WORK | {"associatedAnatomy", "activityDuration", "activityFrequency",
                                     "additionalVariable", "exerciseType", "intensity", "repetitions",
                                     "restPeriods", "workload"},
    "VideoObject": CREATIVE_WORK,
    "AnatomicalStructure": THING,
    "QuantitativeValue": THING | {"value", "minValue", "maxValue", "unitCode", "unitText"},
    "Person": THING,
    "Organization": THING,
}
# What the object-valued properties may hold (schema.org's "expected types" that we use).
RANGES = {
    "author": {"Person", "Organization"},
    "publisher": {"Person", "Organization"},
    "isPartOf": {"CreativeWorkSeries"},
    "hasPart": {"ExercisePlan"},
    "associatedAnatomy": {"AnatomicalStructure"},
    "activityDuration": {"QuantitativeValue"},
    "repetitions": {"QuantitativeValue"},
    "restPeriods": {"QuantitativeValue"},
    "intensity": {"QuantitativeValue"},
    "video": {"VideoObject"},
}
# What the literal-valued properties must look like.
LITERALS = {
    "datePublished": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "activityDuration": re.compile(r"^PT(\d+H)?(\d+M)?(\d+S)?$"),
    "unitCode": re.compile(r"^(SEC|MIN)$"),
}
NUMBERS = {"repetitions", "value", "minValue", "maxValue", "position"}


def schema_problems(data: object, where: str = "", top: bool = True) -> list[str]:
    """Everything in a JSON-LD value that is not in the allow-list; empty when all is known."""
    if isinstance(data, list):
        return [p for index, item in enumerate(data) for p in schema_problems(item, f"{where}[{index}]", top)]
    if not isinstance(data, dict):
        return []
    problems = []
    kind = data.get("@type")
    if kind not in SCHEMA:
        return [f"{where}: unknown type {kind!r}"]
    if top and data.get("@context") != "https://schema.org":
        problems.append(f"{where}: @context must be https://schema.org")
    for key, value in data.items():
        if key == "@type" or (top and key == "@context"):
            continue
        if key not in SCHEMA[kind]:
            problems.append(f"{where}.{key}: `{key}` is not a property of {kind} in the allow-list")
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                if item.get("@type") not in RANGES.get(key, ()):
                    problems.append(f"{where}.{key}: a {item.get('@type')} is not expected here")
                problems += schema_problems(item, f"{where}.{key}", top=False)
            elif key in NUMBERS and not (isinstance(item, int) and not isinstance(item, bool)):
                problems.append(f"{where}.{key}: {item!r} is not a number")
            elif key in LITERALS and not (isinstance(item, str) and LITERALS[key].match(item)):
                problems.append(f"{where}.{key}: {item!r} has the wrong form")
            elif not isinstance(item, (str, int)):
                problems.append(f"{where}.{key}: {item!r} is neither text, a number nor an object")
    return problems


@dataclass
class Head(HTMLParser):
    """The parts of a page that search engines and link previews read."""

    lang: str | None = None
    titles: list[str] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)
    json_ld: list[object] = field(default_factory=list)
    routines: int = 0
    _in_head: bool = False
    _in: str | None = None
    _text: str = ""

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "head":
            self._in_head = True
        elif tag == "meta" and ("name" in values or "property" in values):
            self.meta.setdefault(values.get("name") or values["property"], []).append(values.get("content", ""))
        elif tag == "link":
            self.links.setdefault(values.get("rel", ""), []).append(values.get("href", ""))
        elif tag == "section" and "routine" in values.get("class", "").split():
            self.routines += 1
        if self._in_head and (tag == "title" or (tag == "script" and values.get("type") == "application/ld+json")):
            self._in, self._text = tag, ""

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        if tag == self._in == "title":
            self.titles.append(self._text)
        elif tag == self._in == "script":
            self.json_ld.append(json.loads(self._text))
        if tag == self._in:
            self._in = None

    def one(self, name: str) -> str:
        """The only content of meta `name`."""
        values = self.meta.get(name, [])
        assert len(values) == 1, f"{len(values)} <meta> named {name}"
        return values[0]


def read_head(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text("utf-8"))
    head.close()
    return head


def build_sample(target: Path, base_url: str) -> Path:
    """The repository's sample blog, built with `base_url`; the output folder."""
    for name in ("content", "exercises", "templates"):
        shutil.copytree(REPO / name, target / name)
    shutil.copyfile(REPO / "pyproject.toml", target / "pyproject.toml")
    result = run_cli(target, "build", "--base-url", base_url)
    assert result.code == 0, result.err
    return target / "site"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("seo") / "blog", BASE)


def pages(site: Path) -> dict[str, Head]:
    """Every HTML page by its path under the site ("" is the home page)."""
    return {p.relative_to(site).as_posix().removesuffix("index.html"): read_head(p) for p in sorted(site.rglob("*.html"))}


def test_every_page_has_a_unique_title_and_description_and_its_sharing_tags(sample: Path) -> None:
    heads = pages(sample)
    assert len(heads) > 90
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    for path, head in heads.items():
        assert head.lang == "en", path
        assert len(head.titles) == 1 and head.titles[0].strip(), path
        description = head.one("description")
        assert description.strip() and len(description) <= 200, (path, description)
        assert titles.setdefault(head.titles[0], path) == path, f"{path} and {titles[head.titles[0]]} share a title"
        assert descriptions.setdefault(description, path) == path, \
            f"{path} and {descriptions[description]} share a description"
        for name in ("og:title", "og:description", "og:type", "og:site_name", "twitter:card", "twitter:title",
                     "twitter:description"):
            assert head.one(name).strip(), (path, name)
        assert head.one("og:description") == description and head.one("twitter:description") == description
        # A post with a cover is shared with the picture large; every other page as a summary.
        cover = head.meta.get("og:image:alt") is not None
        assert head.one("twitter:card") == ("summary_large_image" if cover else "summary"), path
        assert head.links["alternate"] == ["/fit-blog/feed.xml"] or path.startswith("series/"), path
        assert head.links["icon"] == ["/fit-blog/static/icon.svg"], path
        if path == "404.html":  # served at any missing address: no canonical URL, not indexed
            assert "canonical" not in head.links and "og:url" not in head.meta and head.one("robots") == "noindex"
        else:
            assert head.links["canonical"] == [BASE + path], path
            assert head.one("og:url") == BASE + path
    post = heads["posts/legs-and-back-at-home/"]
    assert post.one("og:type") == "article" and post.one("og:title") == "Legs and Back at Home (Dumbbells Optional)"
    assert post.one("article:published_time") == "2026-08-04"
    assert post.meta["article:tag"] == ["home-workout", "legs", "strength"]
    assert post.one("og:image") == BASE + "media/cover-legs-and-back.1440w.jpg"
    assert post.one("twitter:image") == BASE + "media/cover-legs-and-back.1440w.jpg"
    assert post.one("twitter:card") == "summary_large_image"
    assert heads["posts/legs-and-back-at-home/card/"].one("robots") == "noindex"
    assert heads[""].one("og:type") == "website"


def test_json_ld_uses_only_schema_org_types_and_properties(sample: Path) -> None:
    heads = pages(sample)
    kinds: dict[str, list[str]] = {}
    problems = []
    for path, head in heads.items():
        for data in head.json_ld:
            problems += schema_problems(data, path or "/")
            kinds.setdefault(data["@type"], []).append(path)
    assert not problems, "\n".join(problems)
    assert kinds["WebSite"] == [""]
    assert sorted(kinds["BlogPosting"]) == sorted(p for p in heads if re.fullmatch(r"posts/[^/]+/", p))
    assert sorted(kinds["ExercisePlan"]) == sorted(p for p in heads if re.fullmatch(r"(exercises|plans)/[^/]+/", p))


def test_a_plan_is_an_exercise_plan_made_of_the_routines_it_uses(sample: Path) -> None:
    (plan,) = pages(sample)["plans/spring-half-marathon/"].json_ld
    assert plan["name"] == "Eight Weeks of Strength for a Spring Half Marathon"
    assert plan["url"] == BASE + "plans/spring-half-marathon/"
    parts = plan["hasPart"]
    assert len(parts) == 7  # each routine once, however often the plan uses it
    assert parts[0] == {"@type": "ExercisePlan", "name": "Legs & Back",
                        "url": BASE + "posts/legs-and-back-at-home/#fit-routine-1"}


def test_each_routine_is_an_exercise_plan_with_its_moves(sample: Path) -> None:
    heads = pages(sample)
    for path, head in heads.items():
        if re.fullmatch(r"posts/[^/]+/", path):
            (data,) = head.json_ld
            assert len(data.get("hasPart", [])) == head.routines, path
            assert data["url"] == BASE + path and data["mainEntityOfPage"] == BASE + path
    (post,) = heads["posts/legs-and-back-at-home/"].json_ld
    assert post["headline"] == "Legs and Back at Home (Dumbbells Optional)"
    assert post["datePublished"] == "2026-08-04" and post["author"] == {"@type": "Person", "name": "Maya Lindqvist"}
    assert post["isPartOf"]["url"] == BASE + "series/fit-focus/"
    first, second = post["hasPart"]
    assert first["name"] == "Legs & Back" and first["url"] == BASE + "posts/legs-and-back-at-home/#fit-routine-1"
    assert first["restPeriods"] == {"@type": "QuantitativeValue", "value": 60, "unitCode": "SEC", "unitText": "1 min"}
    assert first["activityDuration"].startswith("PT") and first["repetitions"] == 1
    assert second["repetitions"] == 3  # rounds
    squat, deadlift, lunge = first["hasPart"][:3]
    assert squat["name"] == "Goblet Squat" and squat["url"] == BASE + "exercises/goblet-squat/"
    assert squat["repetitions"] == {"@type": "QuantitativeValue", "minValue": 10, "maxValue": 12}
    assert squat["additionalVariable"] == ["3 sets"] and squat["position"] == 1
    assert deadlift["intensity"] == "15-25 lb each hand" and "tempo 3-1-1-0" in deadlift["additionalVariable"]
    assert lunge["restPeriods"] == "straight to A2" and "superset A1" in lunge["additionalVariable"]
    wall_sit = next(m for m in second["hasPart"] if m["name"] == "Wall Sit")
    assert wall_sit["activityDuration"] == {"@type": "QuantitativeValue", "minValue": 30, "maxValue": 45,
                                            "unitCode": "SEC"}


def test_exercise_pages_describe_the_exercise(sample: Path) -> None:
    (data,) = pages(sample)["exercises/single-leg-deadlift/"].json_ld
    assert data["@type"] == "ExercisePlan" and data["name"] == "Single-Leg Deadlift"
    assert data["url"] == BASE + "exercises/single-leg-deadlift/"
    assert {"@type": "AnatomicalStructure", "name": "Hamstrings"} in data["associatedAnatomy"]
    assert data["educationalLevel"] in ("Beginner", "Intermediate", "Advanced")
    assert any(v.startswith("Form cue: ") for v in data["additionalVariable"])
    assert data["description"] == read_head(sample / "exercises/single-leg-deadlift/index.html").one("description")


def test_the_checker_rejects_what_schema_org_does_not_define() -> None:
    assert schema_problems({"@context": "https://schema.org", "@type": "BlogPosting", "headline": "x"}) == []
    assert schema_problems({"@context": "https://schema.org", "@type": "ExercisePlan", "sets": 3}) == [
        ".sets: `sets` is not a property of ExercisePlan in the allow-list"]
    assert schema_problems({"@context": "https://schema.org", "@type": "Workout"}) == [": unknown type 'Workout'"]
    assert schema_problems({"@context": "https://schema.org", "@type": "ExercisePlan",
                            "hasPart": [{"@type": "Person", "name": "x"}]}) == [
        ".hasPart: a Person is not expected here"]
    assert schema_problems({"@context": "https://schema.org", "@type": "ExercisePlan", "repetitions": "12"}) == [
        ".repetitions: '12' is not a number"]


def test_without_a_host_urls_are_root_relative_and_og_url_is_left_out(tmp_path: Path) -> None:
    site = build_sample(tmp_path / "blog", "/")
    head = read_head(site / "posts" / "legs-and-back-at-home" / "index.html")
    assert head.links["canonical"] == ["/posts/legs-and-back-at-home/"]
    assert "og:url" not in head.meta and "og:image" not in head.meta
    (data,) = head.json_ld
    assert data["url"] == "/posts/legs-and-back-at-home/" and schema_problems(data) == []


def test_excerpt_is_the_first_paragraph_as_plain_text() -> None:
    text = ("## Heading\n\n```routine\ntitle: x\n```\n\n![alt](media/a.png)\n\n"
            "Do [ten squats](exercise:squat) *slowly*[^1] and `breathe`.{: .lede }\nThen rest.\n\nSecond.")
    assert excerpt(text) == "Do ten squats slowly and breathe. Then rest."
    assert excerpt("# Only a heading\n") == ""
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("short", 12) == "short"
    assert len(excerpt("word " * 100)) <= 160
