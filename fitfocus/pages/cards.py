"""Printable cards: one per routine, its paper size, its moves and tick boxes, and its QR code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from markupsafe import Markup

from fitfocus.content.library import Library
from fitfocus.content.model import Post, PostTeaser, Rest
from fitfocus.pages.card_layout import WRITE_IN, Style, choose_style, muscle_map_fits, ticks_column_em
from fitfocus.pages.muscle_map import drawn
from fitfocus.pages.urls import Urls, card_path, post_path
from fitfocus.pages.workout import DEFAULT_REST, Move, Workout, post_workouts

MAX_TICKS = 20  # beyond this many sets × rounds a move gets one row of boxes, reused each round


@dataclass(frozen=True)
class CardSize:
    """A paper size for cards: CSS lengths for `@page`, and the same in points for fitting."""

    name: str  # as written in the settings
    label: str  # as shown to readers
    width: str
    height: str
    margin: str
    width_pt: float
    height_pt: float
    margin_pt: float
    qr_pt: float  # printed size of the QR code
    max_type: float  # body type for a short routine, in points
    max_boxes: int  # tick boxes side by side, at most


MM = 72 / 25.4
CARD_SIZES: dict[str, CardSize] = {
    "A5": CardSize("A5", "A5 (148 × 210 mm)", "148mm", "210mm", "10mm", 148 * MM, 210 * MM, 10 * MM,
                   20 * MM, 12, 8),
    "A4": CardSize("A4", "A4 (210 × 297 mm)", "210mm", "297mm", "12mm", 210 * MM, 297 * MM, 12 * MM,
                   25 * MM, 16, 10),
    "letter": CardSize("letter", "US Letter (8.5 × 11 in)", "8.5in", "11in", "0.5in", 612, 792, 36, 72, 16, 10),
    "half-letter": CardSize("half-letter", "half letter (5.5 × 8.5 in)", "5.5in", "8.5in", "0.4in", 396, 612,
                            28.8, 57.6, 12, 8),
    "4x6in": CardSize("4x6in", "4 × 6 in", "4in", "6in", "0.2in", 288, 432, 14.4, 43.2, 10, 6),
}


@dataclass(frozen=True)
class Ticks:
    """One move's tick boxes: `per_round` boxes, drawn `rounds` times."""

    per_round: int
    rounds: int
    routine_rounds: int

    @property
    def count(self) -> int:
        """How many boxes are drawn."""
        return self.per_round * self.rounds

    @property
    def each_round(self) -> bool:
        """True when there are too many sets to draw every round: one row is reused each round."""
        return self.rounds < self.routine_rounds


@dataclass(frozen=True)
class CardMove:
    """A move as its card prints it."""

    move: Move
    rest: str
    ticks: Ticks
    load: str | None = None  # in both units where it has one: `16 kg (35 lb)`


@dataclass(frozen=True)
class Card:
    """A routine's printable card: what it shows, where it lives, how it is set.

    Its fields are what it is made from; the rest (its moves, its style) is worked out from them,
    so a page's key, which covers the fields, covers everything the card shows.
    """

    post: PostTeaser
    workout: Workout
    path: str  # site path of the card
    post_url: str  # the post's absolute URL (only a path when the site has no host)
    size: CardSize
    site: str  # the site's name, printed small in the footer; empty when the post's title starts with it
    disclaimer: str
    units: str | None = None  # the site's display unit for loads; None: as written

    @cached_property
    def moves(self) -> tuple[CardMove, ...]:
        """Every move with the rest after it and its tick boxes."""
        rounds = self.workout.routine.rounds
        return tuple(CardMove(m, self.workout.rest_for(m), _ticks(m.item.sets, rounds),
                              m.item.load.both(self.units) if m.item.load else None) for m in self.workout.moves)

    @cached_property
    def style(self) -> Style:
        """The largest style in which the card fits one page; worked out when the card is rendered."""
        return choose_style(self)

    @property
    def has_qr(self) -> bool:
        """Whether the card carries a QR code: only for an absolute URL a phone can open."""
        return self.post_url.startswith(("http://", "https://"))

    @cached_property
    def has_muscle_map(self) -> bool:
        """Whether the card shows the routine's muscle map: when its moves name any muscle and
        the map fits without setting the card in smaller type."""
        return drawn(self.workout.muscles, self.workout.secondary_muscles) and muscle_map_fits(self, self.style)

    @property
    def qr(self) -> Markup | None:
        """Inline SVG encoding `post_url`, made when a page is rendered (so cached pages skip it)."""
        return qr_svg(self.post_url, f"QR code for {self.post_url}") if self.has_qr else None

    @cached_property
    def groups(self) -> tuple[tuple[CardMove, ...], ...]:
        """The moves grouped like the workout's: one move, or the moves of one superset."""
        moves = iter(self.moves)
        return tuple(tuple(next(moves) for _ in group) for group in self.workout.groups)

    @property
    def rest_text(self) -> str:
        """The routine's rest between sets, as the header prints it."""
        return self.workout.rest_text or Rest(DEFAULT_REST, DEFAULT_REST).text

    @cached_property
    def superset_legend(self) -> str | None:
        """What a compact card says once instead of a heading above each superset."""
        letters = [g[0].move.item.label.rstrip("0123456789") for g in self.groups
                   if len(g) > 1 and g[0].move.item.label]
        if len(letters) == 1:
            labels = ", ".join(cm.move.item.label or "" for g in self.groups if len(g) > 1 for cm in g)
            return f"Superset {letters[0]}: {labels} back to back, then rest"
        if not letters:
            return None
        return (f"Supersets {', '.join(letters[:-1])} and {letters[-1]}: "
                "the moves of each letter back to back, then rest")

    @property
    def rounds_text(self) -> str | None:
        """"N rounds" for the header, or nothing when the routine is done once."""
        rounds = self.workout.routine.rounds
        return f"{rounds} rounds" if rounds > 1 else None

    @property
    def write_in(self) -> str:
        """How the header tells readers to use the boxes and the weight lines."""
        return WRITE_IN

    @cached_property
    def ticks_em(self) -> float:
        """Width of the tick-box column in em of the moves' type, its padding included."""
        return ticks_column_em([cm.ticks for cm in self.moves], self.size.max_boxes, self.style)


def make_cards(library: Library) -> tuple[Card, ...]:
    """Every published post's cards, newest post first, routines in order."""
    return tuple(card for post in library.posts for card in post_cards(post, library.teaser(post), library))


def post_cards(post: Post, shown: PostTeaser, library: Library,
               workouts: tuple[Workout, ...] | None = None) -> tuple[Card, ...]:
    """One card per routine of `post`, each set in the largest style that fits one page."""
    config = library.config
    url = Urls(config.base_url).absolute(post_path(post.slug))
    cards = []
    for workout in workouts if workouts is not None else post_workouts(post, library):
        path = card_path(post.slug, workout.routine.number)
        site = card_site(config.title, post.title)
        card = Card(shown, workout, path, url, CARD_SIZES[config.card_size], site, config.disclaimer_short,
                    config.units)
        cards.append(card)
    return tuple(cards)


@lru_cache(maxsize=256)  # a post's cards share one code
def qr_svg(payload: str, label: str) -> Markup:
    """`payload` as a QR code: inline SVG with black modules, sized by CSS, named for screen readers."""
    import segno  # here, not above: with what it imports (urllib, http, email, ssl) it slows every start

    code = segno.make(payload, error="m", micro=False)
    svg = code.svg_inline(omitsize=True, border=2, dark="#000", svgclass="qr", lineclass=None, title=label)
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def _ticks(sets: int, rounds: int) -> Ticks:
    return Ticks(sets, rounds if sets * rounds <= MAX_TICKS else 1, rounds)


def card_site(site: str, post: str) -> str:
    """The site's name as a card prints it: nothing when the post's title already starts with it."""
    return "" if post.casefold().startswith(site.casefold()) else site
