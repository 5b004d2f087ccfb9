"""How a card is set: the styles tried, and an estimate from font metrics of the height each takes."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: at run time cards imports this module, not the other way
    from fitfocus.pages.cards import Card, CardMove, Ticks


@dataclass(frozen=True)
class Style:
    """How a card is set: the body type size in points, and whether moves are set compactly."""

    type_pt: float
    compact: bool = False


# Tried in order until the card fits one page. Roomy: name, numbers and cue on lines of their own.
# Compact: name and sets × reps on one line, the rest run in after it, in Liberation Sans Narrow;
# it is denser, so it starts two sizes above where roomy stops: larger type beats more air.
# The last is the floor: small print at 0.9 × 7.2 = 6.5 pt (an x-height of 1.2 mm, the EU's
# legibility minimum for food labels). A card that does not fit at the floor runs onto page two.
STYLES = tuple(Style(t) for t in (16, 15, 14, 13.5, 13, 12.5, 12, 11.5, 11, 10.5, 10)) + tuple(
    Style(t, compact=True) for t in (12, 11, 10.5, 10, 9.5, 9, 8.5, 8, 7.5, 7.2))


def choose_style(card: Card) -> Style:
    """The first style (largest type first) in which `card` is estimated to fit one page."""
    room = _room(card)
    for style in STYLES:
        if style.type_pt <= card.size.max_type and card_height(card, style, muscle_map=False) <= room:
            return style
    return STYLES[-1]


def muscle_map_fits(card: Card, style: Style) -> bool:
    """Whether the muscle map still lets `card` fit one page in `style` (it never makes the type smaller)."""
    # The map narrows the titles, where the estimate of wrapped lines is least sure: keep a line spare.
    return card_height(card, style, muscle_map=True) <= _room(card) - MAP_SPARE * style.type_pt


def _room(card: Card) -> float:
    return (card.size.height_pt - 2 * card.size.margin_pt) * FILL


# --- Height estimate --------------------------------------------------------------------------
# The figures below mirror templates/static/card.css, where each one is marked "(fit)"; change
# them together. Widths come from the fonts' metrics, so the estimate is within a few percent
# of what Chromium lays out (tests/browser/test_cards_print.py prints the worst cases).

WRITE_IN = "Tick each set; write the weight on the line"  # as the header prints it
FILL = 0.97  # of the page's height, for rounding
NARROW = 0.82  # Liberation Sans Narrow (and Arial Narrow) is Arial at 82 % width
RULE_PT = 0.75
BOX, BOX_GAP, ROUND_GAP, TICKS_PAD = 1.0, 0.45, 0.5, 0.5  # em of the moves' type
BOX_LINE = BOX + 0.5
MAP_SPARE = 1.5  # em of the type left free on a card that shows the muscle map


@dataclass(frozen=True)
class _Metrics:
    """The sizes (em of the body type) and spacing of one layout."""

    line: float
    kicker: float
    title: float
    title_line: float
    meta: float
    header_pad: float
    small: float  # numbers and cue
    row_top: float  # em of the body type
    row_bottom: float  # em of the small type
    gap: float  # between sets × reps, tempo, rest and load, em of the small type
    superset: float  # height of a superset heading, em of the body type
    foot: float
    foot_top: float
    narrow: float
    weight: float  # the line to write the weight used on, after each round's boxes, with its gap: em of box type


_ROOMY = _Metrics(line=1.2, kicker=0.85, title=1.5, title_line=1.15, meta=0.85, header_pad=0.66, small=0.9,
                  row_top=0.35, row_bottom=0.4, gap=1.0, superset=0.9 * 1.2 + 0.55 * 0.9, foot=0.85,
                  foot_top=0.6, narrow=1.0, weight=0.5 + 4.0)
_COMPACT = _Metrics(line=1.12, kicker=0.9, title=1.35, title_line=1.1, meta=0.9, header_pad=0.51, small=0.9,
                    row_top=0.25, row_bottom=0.3, gap=0.6, superset=0.0, foot=0.9, foot_top=0.45,
                    narrow=NARROW, weight=0.4 + 3.2)


def card_height(card: Card, style: Style, muscle_map: bool | None = None) -> float:
    """Estimated height in points of `card` printed in `style`, with or without the muscle map
    (by default, as the card is rendered)."""
    muscle_map = card.has_muscle_map if muscle_map is None else muscle_map
    m = _COMPACT if style.compact else _ROOMY
    t = style.type_pt
    s = m.small * t
    width = card.size.width_pt - 2 * card.size.margin_pt
    text = _Text(m.narrow)
    # Header: kicker, title and meta lines beside the QR code.
    qr = card.size.qr_pt if card.has_qr else 0.0
    body_map = card.size.qr_pt if muscle_map else 0.0  # the muscle map is as big as the QR code
    titles_width = width - sum(side + 0.8 * t for side in (qr, body_map) if side)
    routine = card.workout.routine
    meta = [f"About {card.workout.minutes} min", *([card.rounds_text] if card.rounds_text else []),
            f"Rest {card.rest_text} between sets", f"{len(card.moves)} moves", WRITE_IN]
    if card.workout.round_rest_text:
        meta.append(f"Rest {card.workout.round_rest_text} between rounds")
    if style.compact and card.superset_legend:
        meta.append(card.superset_legend)
    titles = (text.lines(card.post.title, titles_width, m.kicker * t) * m.kicker * t * m.line
              + text.lines(routine.title, titles_width, m.title * t, bold=True) * m.title * t * m.title_line
              + 0.15 * m.title * t
              + text.items(meta, titles_width, m.meta * t, gap=m.meta * t) * m.meta * t * m.line)
    height = max(titles, qr, body_map) + m.header_pad * t
    # Moves. The tick column's width depends on every move: work it out once, not once a move.
    ticks_em = ticks_column_em([cm.ticks for cm in card.moves], card.size.max_boxes, style)
    ticks_inner = ticks_em - TICKS_PAD
    ticks_width = ticks_em * (s if style.compact else t)
    body = width - ticks_width
    height += sum(m.superset * t for group in card.workout.groups if len(group) > 1)
    for cm in card.moves:
        move = cm.move
        name = (f"{move.item.label} " if move.item.label else "") + move.exercise.name
        if move.alternatives_text:
            name += f" {move.alternatives_text}"
        numbers = _numbers(cm)
        if style.compact:
            head = text.words(name, t, bold=True) + [(text.width(numbers[0], t, bold=True), 0.0)]
            tail = text.items_words(numbers[1:], s, gap=m.gap * s) + text.words(move.cue or "", s)
            lines = (text.flow(head, body) * t * m.line + (text.flow(tail, body) * s * m.line if tail else 0))
        else:
            lines = (text.lines(name, body, t, bold=True) * t * m.line
                     + text.items(numbers, body, s, gap=m.gap * s, bold_first=True) * t * m.line
                     + (text.lines(move.cue, body, s) * s * m.line if move.cue else 0))
        box = s if style.compact else t
        ticks = (_tick_lines(cm.ticks, ticks_inner, card.size.max_boxes, m.weight) * BOX_LINE * box
                 + (0.75 * box * 1.2 if cm.ticks.each_round else 0))
        height += max(lines, ticks) + m.row_top * t + m.row_bottom * s + RULE_PT
    # Footer: the disclaimer and the post's URL.
    foot = m.foot * t
    url = (f"{card.site} · " if card.site else "") + f"Full post: {card.post_url}"
    height += m.foot_top * t + (text.lines(card.disclaimer, width, foot) + text.lines(url, width, foot)) * foot * m.line
    return height


def _numbers(cm: CardMove) -> list[str]:
    """Sets × reps, then tempo, rest and load, as the card prints them."""
    item = cm.move.item
    numbers = [cm.move.dose]
    if item.tempo:
        numbers.append(f"Tempo {item.tempo}")
    numbers.append(cm.rest if cm.rest.startswith("straight") else f"Rest {cm.rest}")
    if cm.load:
        numbers.append(f"Load {cm.load}")
    return numbers


def ticks_column_em(ticks: Iterable[Ticks], cap: int, style: Style) -> float:
    """Width of the tick-box column in em of the moves' type, its padding included: the widest move's boxes."""
    weight = (_COMPACT if style.compact else _ROOMY).weight
    widest = max((_ticks_inner_em(move, cap, weight) for move in ticks), default=0)
    return round(widest + TICKS_PAD, 2)


def _round_em(ticks: Ticks, cap: int, weight: float) -> float:
    """Width of one round's boxes and weight line (a round of more than `cap` boxes wraps)."""
    return ROUND_GAP + min(ticks.per_round, cap) * (BOX + BOX_GAP) + weight


def _ticks_inner_em(ticks: Ticks, cap: int, weight: float) -> float:
    """A round a line, each with its weight line, three rounds deep, then side by side."""
    return math.ceil(ticks.rounds / 3) * _round_em(ticks, cap, weight)


def _tick_lines(ticks: Ticks, inner_em: float, cap: int, weight: float) -> int:
    """Lines of boxes a move takes in a column `inner_em` wide: rounds flow like words."""
    width, lines, used = _round_em(ticks, cap, weight), 1, 0.0
    for _ in range(ticks.rounds):
        if used and used + width > inner_em + 0.01:
            lines, used = lines + 1, width
        else:
            used += width
    return lines * math.ceil(ticks.per_round / cap)


class _Text:
    """Line counts for text wrapped greedily at spaces, from Arial's advance widths."""

    def __init__(self, narrow: float) -> None:
        self.narrow = narrow

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Advance width of `text` in points, a little generous."""
        return _advance(text, bold) * size * self.narrow * 1.03

    def words(self, text: str, size: float, bold: bool = False) -> list[tuple[float, float]]:
        """Each word's width, and the width of the space after it."""
        space = self.width(" ", size, bold)
        return [(self.width(word, size, bold), space) for word in text.split()]

    def items_words(self, items: list[str], size: float, gap: float) -> list[tuple[float, float]]:
        """Words of items set one after another with `gap` (and a space) between items."""
        words: list[tuple[float, float]] = []
        for item in items:
            item_words = self.words(item, size)
            if item_words:
                last, space = item_words[-1]
                item_words[-1] = (last, space + gap)
            words += item_words
        return words

    def flow(self, words: list[tuple[float, float]], width: float) -> int:
        """Lines taken by `words` in a column `width` wide (long words break anywhere)."""
        lines, used, space = 1, 0.0, 0.0
        for w, after in words:
            if w > width:
                lines += (1 if used else 0) + math.ceil(w / width) - 1
                used = w % width or width
            elif used and used + space + w > width:
                lines, used = lines + 1, w
            else:
                used += (space if used else 0) + w
            space = after
        return lines

    def lines(self, text: str, width: float, size: float, bold: bool = False) -> int:
        """Lines a paragraph takes."""
        return self.flow(self.words(text, size, bold), width)

    def items(self, items: list[str], width: float, size: float, gap: float, bold_first: bool = False) -> int:
        """Lines taken by inline blocks that wrap as wholes (and inside when wider than a line)."""
        lines, used = 1, 0.0
        for index, item in enumerate(items):
            bold = bold_first and index == 0
            w = self.width(item, size, bold)
            if w > width:
                lines += (1 if used else 0) + self.lines(item, width, size, bold) - 1
                used = width
            elif used and used + gap + w > width:
                lines, used = lines + 1, w
            else:
                used += (gap if used else 0) + w
        return lines


@lru_cache(maxsize=1 << 16)
def _advance(text: str, bold: bool) -> float:
    """The sum of the advance widths of `text`, in em; kept, for speed only, as every style a card
    tries measures the same words again."""
    return sum(map((_BOLD if bold else _REGULAR).get, text, repeat(0.62)))


def _metrics(widths: str) -> dict[str, float]:
    table: dict[str, float] = {" ": 0.278}
    for entry in widths.split():
        chars, _, value = entry.rpartition("=")
        for ch in chars:
            table[ch] = int(value) / 1000
    return table


# Advance widths per 1000 em, shared by Arial, Helvetica and Liberation Sans.
_REGULAR = _metrics(
    "ijl'=222 ftI,.:;!=278 r()-/[]=333 \"=355 cksvxyzJ=500 abdeghnopqu0123456789?$#_–=556 +×<>==584 "
    "FTZ=611 ABEKPSVXY&=667 CDHNRUw=722 GOQ=778 mM=833 %=889 W=944 —=1000 @=1015 L=556 ·=278"
)
_BOLD = _metrics(
    "ijl!'=278 ftI()-/[],.:;=333 r=389 \"=474 z=500 ackesvxyJ?$#0123456789_–=556 +×<>==584 "
    "bdghnopqu=611 FTZL=611 EPSVY=667 ABCDHKNRUX&=722 w=778 GOQ=778 mM=889 %=889 W=944 —=1000 ·=278"
)
