"""The typed records the engine passes between stages. All are frozen and built once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from functools import cache
from operator import attrgetter
from typing import Any, Callable

from fitfocus.content.loads import Load
from fitfocus.problems import Problem


class _Record:
    """What every record below shares: it pickles as a call of its class with its fields' values.

    (For a frozen class with slots, dataclasses' own `__setstate__` looks up the fields in Python
    for every object: that was most of reading the build cache, and of writing it.)"""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        kind = type(self)
        return kind, _values(kind)(self)


@cache
def _values(kind: type) -> Callable[[object], tuple[Any, ...]]:
    """A function giving the field values of a record of `kind`, in order, as a tuple."""
    names = [field.name for field in fields(kind)]
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda record: (one(record),)
    return attrgetter(*names)


@dataclass(frozen=True, slots=True)
class Location(_Record):
    """Where something was written: a display path, 1-based line and column, the line's text."""

    path: str
    line: int
    col: int
    source_line: str | None = None

    def problem(self, message: str, hint: str | None = None) -> Problem:
        """Make a problem at this location."""
        return Problem(self.path, self.line, self.col, message, hint, self.source_line)


@dataclass(frozen=True, slots=True)
class Ref(_Record):
    """A name an author wrote that must resolve to something else (an exercise, a post, a file)."""

    name: str
    at: Location


@dataclass(frozen=True, slots=True)
class Credit(_Record):
    """Who made media that is not the blog's own."""

    author: str
    license: str
    source: str | None


@dataclass(frozen=True, slots=True)
class Image(_Record):
    """An image an author placed: `![alt](media/file)`, a post's cover or an exercise's picture."""

    src: str
    alt: str
    at: Location
    credit: Credit | None = None  # who made it, when it is not the blog's own


@dataclass(frozen=True, slots=True)
class Picture(_Record):
    """A media file as published: its size upright (EXIF orientation applied), and for a raster
    picture the widths and formats of its variants."""

    name: str  # relative to content/, e.g. "media/squat.jpg"
    width: int | None  # None for an SVG that states no size
    height: int | None
    widths: tuple[int, ...] = ()  # the variants made, narrowest first; none for an SVG
    formats: tuple[str, ...] = ()  # file extensions of the variants: ("webp", "jpg")


@dataclass(frozen=True, slots=True)
class Reps(_Record):
    """What one set asks for: a count, a range, a time, 'to fatigue' or AMRAP."""

    kind: str  # "count" | "time" | "fatigue" | "amrap"
    low: int = 0
    high: int = 0  # equal to low when there is no range; seconds for "time"

    @property
    def text(self) -> str:
        """The reps as a reader sees them: `12`, `8–10`, `45 s`, `1 min`, `to fatigue`, `AMRAP`."""
        if self.kind == "fatigue":
            return "to fatigue"
        if self.kind == "amrap":
            return "AMRAP"
        if self.kind == "count":
            return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"
        return format_time_range(self.low, self.high)


@dataclass(frozen=True, slots=True)
class Rest(_Record):
    """A rest or a duration as written: one time (`low == high`) or a range such as `30-60s`, in seconds."""

    low: int
    high: int

    @property
    def middle(self) -> float:
        """The time the estimate counts: the middle of a range."""
        return (self.low + self.high) / 2

    @property
    def text(self) -> str:
        """The rest as a reader sees it: `45 s`, `1 min 30 s`, `30–60 s`, `1–2 min`."""
        return format_time_range(self.low, self.high)


@dataclass(frozen=True, slots=True)
class RoutineItem(_Record):
    """One move of a routine, as written, with its superset label (A1, A2 …) if it has one."""

    exercise: Ref
    sets: int
    reps: Reps
    per_side: bool
    tempo: str | None
    load: Load | None  # as written, with its amount and unit when it has them
    rest: Rest | None  # None means the routine's rest
    note: str | None
    label: str | None
    group: int  # items of one superset share a group number
    alternatives: tuple[Ref, ...] = ()  # other exercises a reader may do instead


@dataclass(frozen=True, slots=True)
class Routine(_Record):
    """A fenced `routine` block: a titled list of moves, repeated `rounds` times."""

    title: str
    rounds: int
    rest: Rest | None
    items: tuple[RoutineItem, ...]
    number: int  # 1-based position in its post
    at: Location
    rest_between_rounds: Rest | None = None  # None means the routine's rest
    duration: int | None = None  # seconds; set by the author, it replaces the estimate


@dataclass(frozen=True, slots=True)
class DataSource(_Record):
    """Where an imported exercise came from, and a checksum of the file as the importer wrote it."""

    dataset: str
    id: str
    checksum: str | None


@dataclass(frozen=True, slots=True)
class Body(_Record):
    """A Markdown body with what the loader found in it."""

    text: str
    first_line: int  # file line of the body's first line
    links: tuple[Ref, ...]  # `exercise:` and `post:` targets, name is "kind:slug"
    images: tuple[Image, ...]
    routines: tuple[Routine, ...]


@dataclass(frozen=True, slots=True)
class Exercise(_Record):
    """An entry of the exercise library: `exercises/<slug>.md`."""

    slug: str
    name: str
    aliases: tuple[Ref, ...]
    muscles: tuple[str, ...]
    secondary_muscles: tuple[str, ...]
    equipment: tuple[str, ...]
    level: str | None
    unilateral: bool
    video: str | None
    cues: tuple[str, ...]
    safety: str | None
    helps_with: tuple[str, ...]
    variations: tuple[Ref, ...]
    credit: Credit | None
    images: tuple[Image, ...]  # start and end position, or the one `image:`
    body: Body
    at: Location
    category: str | None = None
    source: DataSource | None = None

    @property
    def image(self) -> Image | None:
        """The exercise's first picture, the one thumbnails show."""
        return self.images[0] if self.images else None


@dataclass(frozen=True, slots=True)
class Post(_Record):
    """A post: `content/posts/YYYY-MM-DD-slug.md`."""

    slug: str
    date: datetime.date
    title: str
    summary: str | None
    series: Ref | None
    tags: tuple[str, ...]
    draft: bool
    scheduled: bool
    disclaimer: str | None
    body: Body
    at: Location
    image: Image | None = None  # the cover
    redirect_from: tuple[Ref, ...] = ()  # old site paths that lead here, e.g. /2019/03/14/slug/
    feed_id: str | None = None  # the Atom entry id to keep (an imported post's old GUID)


@dataclass(frozen=True, slots=True)
class PostTeaser(_Record):
    """What a listing shows of a post (home, series, tags, backlinks, neighbours, cards).

    Listings get this, not the post, so editing a post's body re-renders the post, not every
    listing it appears in.
    """

    slug: str
    title: str
    date: datetime.date
    summary: str | None
    series: str | None  # the series name
    tags: tuple[str, ...]
    routines: int  # how many routines the post has
    draft: bool
    image: Image | None = None  # the cover


def teaser(post: Post) -> PostTeaser:
    """The listing view of `post`."""
    return PostTeaser(post.slug, post.title, post.date, post.summary, post.series.name if post.series else None,
                      post.tags, len(post.body.routines), post.draft, post.image)


@dataclass(frozen=True, slots=True)
class Page(_Record):
    """A standalone page: `content/pages/<slug>.md`, published at `/<slug>/`."""

    slug: str
    title: str
    summary: str | None
    draft: bool
    body: Body
    at: Location


@dataclass(frozen=True, slots=True)
class Content(_Record):
    """Everything the loader read, before references are checked."""

    exercises: tuple[Exercise, ...]
    posts: tuple[Post, ...]
    pages: tuple[Page, ...]
    media: frozenset[str]  # paths relative to content/, e.g. "media/squat.jpg"
    # Slugs of files that failed to load ("exercise:lunge", "post:legs"): references to them
    # are not reported again, since the file's own problem says what is wrong.
    broken: frozenset[str] = frozenset()
    cname: str | None = None  # the custom domain in content/CNAME
    plans: tuple["Plan", ...] = ()
    today: datetime.date | None = None  # the build's date (calendars are stamped with it)


def format_time_range(low: int, high: int) -> str:
    """A time or a range of times in seconds, as a coach writes it: `45 s`, `30–60 s`, `1–2 min`."""
    if low == high:
        return format_seconds(low)
    if low % 60 == 0 and high % 60 == 0:
        return f"{low // 60}–{high // 60} min"
    return f"{low}–{high} s"


def format_seconds(seconds: int) -> str:
    """Say a duration the way a coach writes it: `45 s`, `2 min`, `1 min 30 s`."""
    minutes, rest = divmod(seconds, 60)
    if minutes and rest:
        return f"{minutes} min {rest} s"
    if minutes:
        return f"{minutes} min"
    return f"{rest} s"


def title_case(value: str) -> str:
    """Show a kebab-case vocabulary value in Title Case: `lower-back` -> `Lower Back`."""
    return " ".join(word.capitalize() for word in value.split("-"))


@dataclass(frozen=True, slots=True)
class Distance(_Record):
    """A run's distance as written: `14km`, `10 mi`, `6 x 800m` (`reps` is 1 when not repeated)."""

    reps: int
    amount: str  # the number as written, e.g. "14" or "10.5"
    unit: str  # "km", "mi" or "m"

    @property
    def text(self) -> str:
        """The distance as a reader sees it: `14 km`, `6 × 800 m`."""
        single = f"{self.amount} {self.unit}"
        return f"{self.reps} × {single}" if self.reps > 1 else single


@dataclass(frozen=True, slots=True)
class Session(_Record):
    """One session of a plan's day: strength (a post's routine), a run, cross-training or rest."""

    kind: str  # "strength" | "run" | "cross" | "rest"
    at: Location
    post: Ref | None = None  # strength: the post, as written
    routine: int = 1  # strength: the routine's number in its post
    run: str | None = None  # run: easy, recovery, tempo, intervals, hills, long or race
    distance: Distance | None = None
    seconds: int | None = None  # run: its time
    text: str | None = None  # cross: what it is
    note: str | None = None
    hard: bool = False  # `hard: true`, or a hard kind of run


@dataclass(frozen=True, slots=True)
class PlanDay(_Record):
    """One day of a plan's week: its weekday (0 is Monday) and its sessions."""

    weekday: int
    sessions: tuple[Session, ...]
    at: Location


@dataclass(frozen=True, slots=True)
class PlanWeek(_Record):
    """One week of a plan."""

    number: int  # 1-based
    title: str | None
    deload: bool
    taper: bool
    days: tuple[PlanDay, ...]  # in weekday order; a day not listed is a rest day
    at: Location


@dataclass(frozen=True, slots=True)
class Race(_Record):
    """The race a plan leads to: its name and date."""

    name: str
    date: datetime.date


@dataclass(frozen=True, slots=True)
class Plan(_Record):
    """A training plan: `content/plans/<slug>.md`, weeks of sessions."""

    slug: str
    title: str
    summary: str | None
    tags: tuple[str, ...]
    race: Race | None
    start: datetime.date | None  # the Monday of week 1, when the plan is dated
    weeks: tuple[PlanWeek, ...]
    body: Body  # the Markdown around the plan block
    at: Location
    complete: bool = True  # read without errors, so the rules of thumb can judge it
