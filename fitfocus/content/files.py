"""One author file: its bytes decoded and parsed into a record (an exercise, a post or a page).

Everything a record depends on is an argument of `read_file`: the file's folder, name and bytes,
and the `FileContext` (settings, today, the media files). Nothing else is read.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter

from fitfocus.config import SLUG, Config
from fitfocus.content.fields import Fields
from fitfocus.content.library import normalize
from fitfocus.content.links import check_image, redirect_paths, scan_body
from fitfocus.content.scaffold import skeleton_warnings
from fitfocus.content.model import Credit, DataSource, Exercise, Image, Location, Page, Plan, Post, Ref
from fitfocus.content.plans import PLAN_KEYS, read_plan
from fitfocus.content.yamlnode import YNode, parse_yaml
from fitfocus.problems import Problem, SourceFile

EXERCISE_KEYS = ("name", "aliases", "muscles", "secondary_muscles", "equipment", "level", "unilateral",
                 "video", "cues", "safety", "helps_with", "variations", "credit", "image", "image_alt",
                 "images", "category", "source")
POST_KEYS = ("title", "date", "slug", "summary", "series", "tags", "draft", "disclaimer", "image", "image_alt",
             "redirect_from", "feed_id")
PICTURE_KEYS = ("src", "alt", "credit")
PICTURES_EXAMPLE = "images: [{src: media/squat-start.jpg, alt: Standing tall before the squat}]"
PAGE_KEYS = ("title", "slug", "summary", "draft")
CREDIT_KEYS = ("author", "license", "source")
SOURCE_KEYS = ("dataset", "id", "checksum")

_POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_FRONT_MATTER = frontmatter.YAMLHandler()



@dataclass(frozen=True)
class FileContext:
    """All that a file's record depends on besides the file itself."""

    config: Config
    today: datetime.date
    media: frozenset[str]  # paths relative to content/, e.g. "media/squat.jpg"


@dataclass(frozen=True)
class ReadFile:
    """One file as read: its record (None when its problems stop it loading) and its problems."""

    record: Exercise | Post | Page | Plan | None
    problems: tuple[Problem, ...]
    draft: bool = False  # the file says `draft: true`, even when its other problems stop it loading


def read_file(root: Path, folder: str, name: str, data: bytes, context: FileContext) -> ReadFile:
    """Parse the bytes of `folder/name` (folder: `exercises`, `content/posts`, `content/pages` or `content/plans`)."""
    problems: list[Problem] = []
    source = decode_source(root / folder / name, root, data, problems)
    record = None
    draft = False
    if source is not None:
        if folder == "exercises":
            record = _load_exercise(source, context.config, context.media, problems)
        elif folder == "content/posts":
            record, draft = _load_post(source, context.today, context.media, problems)
        elif folder == "content/plans":
            record = _load_plan(source, context.media, problems)
        else:
            record, draft = _load_page(source, context.media, problems)
        problems.extend(skeleton_warnings(source))
    return ReadFile(record, tuple(problems), draft)


def decode_source(path: Path, root: Path, data: bytes, problems: list[Problem]) -> SourceFile | None:
    """Decode the bytes of `path` as UTF-8 text (a BOM and CRLF line ends are accepted), or record where not."""
    display = path.relative_to(root).as_posix()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(Problem(display, line, col, f"file is not UTF-8 text (byte 0x{data[error.start]:02x})",
                                "save the file as UTF-8 in your editor"))
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.append(Problem(display, line, 1, "file contains a NUL character; is it really Markdown?"))
        return None
    return SourceFile(path, display, text)


def _front_matter(source: SourceFile, what: str, keys: tuple[str, ...],
                  problems: list[Problem]) -> tuple[Fields | None, str, int]:
    """Split front matter from body: the checked fields (or None), the body, the body's first file line."""
    if not source.text.startswith("---") and source.text.lstrip().startswith("---"):
        line = source.text.count("\n", 0, source.text.index("---")) + 1
        blank = "the blank line" if line == 2 else "the blank lines"
        problems.append(source.problem(line, 1, "front matter must start on the first line",
                                       f"delete {blank} above `---`"))
        return None, source.text, 1
    if not source.text.startswith("---"):
        problems.append(source.problem(1, 1, f"{what} has no front matter",
                                       "did you forget to add `---` lines around the front matter?"))
        return None, source.text, 1
    try:
        yaml_text, body = _FRONT_MATTER.split(source.text)
    except ValueError:
        problems.append(source.problem(1, 1, "front matter is never closed",
                                       "end the front matter with a line of `---`"))
        return None, "", 1
    opening = _FRONT_MATTER.FM_BOUNDARY.search(source.text)
    line_offset = source.text.count("\n", 0, opening.end() if opening else 0)
    body_start = len(source.text) - len(body)
    first_line = source.text.count("\n", 0, body_start) + 1
    if body.startswith("\n"):
        body, first_line = body[1:], first_line + 1
    node, found = parse_yaml(source, yaml_text, line_offset)
    problems.extend(found)
    if node is None:
        if not found:
            problems.append(source.problem(1, 1, f"{what} has empty front matter", "add at least `title: …`" if what != "an exercise" else "add at least `name: …`"))
        return None, body, first_line
    if node.kind != "map":
        problems.append(source.problem(node.line, node.col, "front matter must be `key: value` lines"))
        return None, body, first_line
    return Fields(node, source, keys, what, problems, missing_at=(1, 1),
                  missing_hint="add `{key}: …` to the front matter"), body, first_line


def _load_exercise(source: SourceFile, config: Config, media: frozenset[str],
                   problems: list[Problem]) -> Exercise | None:
    slug = source.path.stem
    if not SLUG.match(slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "exercise"
        problems.append(source.problem(1, 1, f"exercise file name `{source.path.name}` is not a valid slug",
                                       f"rename it to `{suggestion}.md` (lowercase letters, digits and `-`)"))
        return None
    fields, text, first_line = _front_matter(source, "an exercise", EXERCISE_KEYS, problems)
    if fields is None:
        return None
    vocabulary = config.vocabulary
    name = fields.text("name", required=True)
    name_node = fields.get("name")
    level = None
    level_node = fields.get("level")
    if level_node is not None:
        level = fields.vocabulary("level", vocabulary.levels, "level", "levels")
        level = level[0] if level else None
        if level_node.kind != "scalar":
            fields.error(level_node, "`level` must be one value", f"one of: {', '.join(vocabulary.levels)}")
    video = fields.text("video")
    if video is not None and not _is_web_url(video):
        fields.error(fields.get("video"), f"video URL `{video}` must start with http:// or https://",  # type: ignore[arg-type]
                     "only web links are allowed, e.g. https://www.youtube.com/watch?v=…")
        video = None
    images = _exercise_images(fields, media, problems)
    body = scan_body(source, text, first_line, media, problems, allow_routines=False)
    if name is None:
        return None
    return Exercise(
        slug=slug,
        name=name,
        aliases=fields.text_list("aliases"),
        muscles=fields.vocabulary("muscles", vocabulary.muscles, "muscle", "muscles"),
        secondary_muscles=fields.vocabulary("secondary_muscles", vocabulary.muscles, "muscle", "muscles"),
        equipment=fields.vocabulary("equipment", vocabulary.equipment, "equipment", "equipment"),
        level=level,
        unilateral=fields.boolean("unilateral", default=False),
        video=video,
        cues=tuple(ref.name for ref in fields.text_list("cues")),
        safety=fields.text("safety"),
        helps_with=fields.vocabulary("helps_with", vocabulary.injuries, "injury", "injuries"),
        variations=fields.text_list("variations"),
        credit=_credit(fields, problems),
        images=images,
        body=body,
        at=fields.at(name_node) if name_node else Location(source.display, 1, 1, source.line(1)),
        category=_category(fields, vocabulary.categories),
        source=_data_source(fields, problems),
    )


def _category(fields: Fields, categories: tuple[str, ...]) -> str | None:
    node = fields.get("category")
    if node is None:
        return None
    if node.kind != "scalar":
        fields.error(node, "`category` must be one value", f"one of: {', '.join(categories)}")
        return None
    found = fields.vocabulary("category", categories, "category", "categories")
    return found[0] if found else None


def _data_source(fields: Fields, problems: list[Problem]) -> DataSource | None:
    node = fields.get("source")
    if node is None:
        return None
    if node.kind != "map":
        fields.error(node, "`source` must be a mapping", "source: {dataset: free-exercise-db, id: …}")
        return None
    source = Fields(node, fields.source, SOURCE_KEYS, "a source", problems)
    dataset, identifier = source.text("dataset", required=True), source.text("id", required=True)
    if dataset is None or identifier is None:
        return None
    return DataSource(dataset, identifier, source.text("checksum"))


def _exercise_images(fields: Fields, media: frozenset[str], problems: list[Problem]) -> tuple[Image, ...]:
    node = fields.get("images")
    if node is None:
        one = _single_image(fields, media, problems)
        return (one,) if one is not None else ()
    if fields.get("image") is not None:
        fields.error(fields.get("image"), "an exercise has `image` and `images`",  # type: ignore[arg-type]
                     "keep one: list every picture under `images:`, each with its `src` and `alt`")
    if node.kind != "seq" or not node.items:
        fields.error(node, "`images` must be a list of pictures", PICTURES_EXAMPLE)
        return ()
    images = []
    for item in node.items:
        if item.kind != "map":
            fields.error(item, "each picture of `images` must be a mapping with `src` and `alt`", PICTURES_EXAMPLE)
            continue
        picture = Fields(item, fields.source, PICTURE_KEYS, "a picture", problems)
        src = picture.text("src", required=True)
        if src is None:
            continue
        image = Image(src, picture.text("alt") or "", picture.at(picture.get("src")),  # type: ignore[arg-type]
                      _credit(picture, problems))
        check_image(image, media, problems, "add `alt: …` beside `src:`")
        images.append(image)
    return tuple(images)


def _single_image(fields: Fields, media: frozenset[str], problems: list[Problem]) -> Image | None:
    """The one picture of `image:` and `image_alt:` (an exercise's or a post's cover)."""
    node = fields.get("image")
    if node is None:
        if fields.get("image_alt") is not None:
            fields.error(fields.get("image_alt"), "`image_alt` without an `image`")  # type: ignore[arg-type]
        return None
    src = fields.text("image")
    if src is None:
        return None
    image = Image(src, fields.text("image_alt") or "", fields.at(node))
    check_image(image, media, problems, "add `image_alt: …` beside `image:`")
    return image


def _credit(fields: Fields, problems: list[Problem]) -> Credit | None:
    node = fields.get("credit")
    if node is None:
        return None
    if node.kind != "map":
        fields.error(node, "`credit` must be a mapping", "credit: {author: …, license: …, source: https://…}")
        return None
    credit = Fields(node, fields.source, CREDIT_KEYS, "a credit", problems)
    author = credit.text("author", required=True)
    license_name = credit.text("license", required=True)
    source = credit.text("source")
    if source is not None and not _is_web_url(source):
        credit.error(credit.get("source"), "credit `source` must be an http(s) URL")  # type: ignore[arg-type]
        source = None
    if author is None or license_name is None:
        return None
    return Credit(author, license_name, source)


def _is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in value)


def _parse_date(fields: Fields, node: YNode) -> datetime.date | None:
    text = node.text.strip() if node.kind == "scalar" else ""
    if _DATE.match(text):
        try:
            return datetime.datetime.fromisoformat(text.replace(" ", "T", 1)).date()
        except ValueError:
            pass
    fields.error(node, f"{node.describe()} is not a date", "write dates as YYYY-MM-DD, e.g. 2026-03-14")
    return None


def _load_post(source: SourceFile, today: datetime.date, media: frozenset[str],
               problems: list[Problem]) -> tuple[Post | None, bool]:
    """The post (None when its problems stop it loading) and whether it says `draft: true`."""
    stem = source.path.stem
    match = _POST_NAME.match(stem)
    slug, date = (match.group("slug"), match.group("date")) if match else (stem, None)
    fields, text, first_line = _front_matter(source, "a post", POST_KEYS, problems)
    if fields is None:
        return None, _says_draft(source.text)
    draft = fields.boolean("draft", default=False)
    date_value: datetime.date | None = None
    if fields.get("date") is not None:
        date_value = _parse_date(fields, fields.get("date"))  # type: ignore[arg-type]
    elif date is not None:
        try:
            date_value = datetime.date.fromisoformat(date)
        except ValueError:
            problems.append(source.problem(1, 1, f"file name has an impossible date `{date}`",
                                           "name posts YYYY-MM-DD-slug.md with a real date"))
            return None, draft
    else:
        problems.append(source.problem(1, 1, f"post file name `{source.path.name}` has no date",
                                       "name posts YYYY-MM-DD-slug.md, or add `date: YYYY-MM-DD`"))
    slug_node = fields.get("slug")
    slug_at = fields.at(slug_node) if slug_node else Location(source.display, 1, 1, source.line(1))
    slug = _checked_slug(fields.text("slug") or slug, slug_at, "post", problems)
    title = fields.text("title", required=True)
    series_node = fields.get("series")
    series = None
    if series_node is not None:
        series_name = fields.text("series")
        series = Ref(series_name, fields.at(series_node)) if series_name else None
    tag_refs = fields.text_list("tags")
    for ref in tag_refs:
        if not normalize(ref.name):
            problems.append(ref.at.problem(f"tag `{ref.name}` has no letters or digits (a-z, 0-9) for its URL",
                                           "tags become URLs like /tags/legs/; use a word"))
    tags = tuple(dict.fromkeys(ref.name for ref in tag_refs))
    summary = fields.text("summary")
    disclaimer = fields.text("disclaimer")
    cover = _single_image(fields, media, problems)
    redirects = redirect_paths(fields)
    feed_id = fields.text("feed_id")
    body = scan_body(source, text, first_line, media, problems, allow_routines=True)
    if title is None or date_value is None or slug is None:
        return None, draft
    return Post(slug, date_value, title, summary, series, tags, draft, date_value > today, disclaimer, body,
                Location(source.display, 1, 1, source.line(1)), cover, redirects, feed_id), draft


def _load_page(source: SourceFile, media: frozenset[str], problems: list[Problem]) -> tuple[Page | None, bool]:
    """The page (None when its problems stop it loading) and whether it says `draft: true`."""
    fields, text, first_line = _front_matter(source, "a page", PAGE_KEYS, problems)
    if fields is None:
        return None, _says_draft(source.text)
    slug_node = fields.get("slug")
    slug_at = fields.at(slug_node) if slug_node else Location(source.display, 1, 1, source.line(1))
    slug = _checked_slug(fields.text("slug") or source.path.stem, slug_at, "page", problems)
    title = fields.text("title", required=True)
    summary = fields.text("summary")
    draft = fields.boolean("draft", default=False)
    body = scan_body(source, text, first_line, media, problems, allow_routines=False)
    if title is None or slug is None:
        return None, draft
    return Page(slug, title, summary, draft, body, Location(source.display, 1, 1, source.line(1))), draft


def _load_plan(source: SourceFile, media: frozenset[str], problems: list[Problem]) -> Plan | None:
    if not SLUG.match(source.path.stem):
        suggestion = re.sub(r"[^a-z0-9]+", "-", source.path.stem.lower()).strip("-") or "plan"
        problems.append(source.problem(1, 1, f"plan file name `{source.path.name}` is not a valid slug",
                                       f"rename it to `{suggestion}.md` (lowercase letters, digits and `-`)"))
        return None
    fields, text, first_line = _front_matter(source, "a plan", PLAN_KEYS, problems)
    if fields is None:
        return None
    return read_plan(source, fields, text, first_line, media, problems)


_DRAFT_LINE = re.compile(r"^draft:[ \t]*(true|yes|on)[ \t]*(#.*)?$", re.IGNORECASE | re.MULTILINE)


def _says_draft(text: str) -> bool:
    """Whether front matter that could not be read has a `draft: true` line (the post is not published)."""
    head = text.split("\n---", 1)[0] if text.startswith("---") else ""
    return bool(_DRAFT_LINE.search(head))


def _checked_slug(slug: str, at: Location, what: str, problems: list[Problem]) -> str | None:
    if SLUG.match(slug):
        return slug
    suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or what
    problems.append(at.problem(f"`{slug}` is not a valid {what} slug",
                               f"use lowercase letters, digits and `-`, e.g. `{suggestion}`"))
    return None
