"""Python-Markdown's smarty extension with a cheaper pass over the text: the same patterns, the same
order, the same output (tests/build/test_smartquotes.py compares the two on a generated corpus).

Python-Markdown tries each pattern on each text of a document, match by match. Here the texts of a
document are joined, with a separator every pattern sees as a text's edge, and each pattern goes
over all of them at once, `re` replacing its matches in one call where it can."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions.smarty import SmartyExtension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# Stands for one educated match while the later patterns run. Python-Markdown puts its own
# placeholder there, and the patterns can see only its first character (STX, before it) and its
# last (ETX, after it): none of them can start a match on the letters and digits between.
_TOKEN = "\x02fq%d\x03"
_TOKEN_RE = re.compile("\x02fq(\\d+)\x03")
_STX, _END = "\x02", "\x03"
# What stands for a piece of smarty's HTML in the text until the document is HTML (no author's
# text holds STX or ETX, and no placeholder of Python-Markdown's opens with `fs`). ASCII: one
# character beyond it would make Python store the whole document two bytes a character.
_STAND_IN = "\x02fs%d\x03"
# Between two texts educated together: every pattern sees it as the edge of a text. No match can
# hold its characters, and a lookahead at a text's end (seeing STX) or a lookbehind at its start
# (seeing ETX) takes them for no character at all, as at a placeholder's edges. No text holds it
# or ends in STX or starts with ETX: Python-Markdown removes both from what authors write, and its
# placeholders (and ours) open with STX and a letter or digit, and close with one and ETX.
_SEPARATOR = "\x02\x03"


@dataclass(frozen=True)
class _Substitution:
    regex: re.Pattern[str]
    parts: tuple[int | str, ...]  # a group of the match, or HTML (a stand-in holds its place)
    needs: str  # the text every match consumes: without it in the text it cannot match
    reach: int  # how far before `needs` a match can start
    looks_behind: bool  # it opens with a lookbehind, which sees the end of the previous match's placeholder
    # The same pattern with the text it consumes first (its opening lookbehind moved after it), when
    # it has no group of alternatives before that: then `re` replaces all matches in one pass.
    whole: re.Pattern[str] | None = None
    # For a pattern opening with what may stand before an opening quote: where a match's quote can
    # be (after a character one of those can end with), found without trying every quote.
    quotes: re.Pattern[str] | None = None


class _FastSmarty(Treeprocessor):
    """Apply smarty's substitutions to every text and tail, pattern after pattern, as Python-Markdown's
    inline pass does, to all texts of a document together and without its per-match bookkeeping."""

    def __init__(self, md: markdown.Markdown, substitutions: tuple[_Substitution, ...],
                 stand_ins: dict[str, str]) -> None:
        super().__init__(md)
        self._substitutions = substitutions
        self._triggers = tuple(dict.fromkeys(s.needs for s in substitutions))
        self._stand_ins = stand_ins
        self.used: dict[str, str] = {}  # the stand-ins this document holds, by their HTML

    def run(self, root: etree.Element) -> None:
        self.used = {}
        places: list[tuple[etree.Element, str]] = []
        for element in root.iter():
            if element is root:
                continue
            for side in ("text", "tail"):
                text = getattr(element, side)
                if text and not isinstance(text, AtomicString):
                    places.append((element, side))
        if not places:
            return
        # Every text at once: each pattern goes over all of them in one pass.
        educated = self.educate(_SEPARATOR.join(getattr(element, side) for element, side in places))
        for (element, side), text in zip(places, educated.split(_SEPARATOR), strict=True):
            setattr(element, side, text)

    def educate(self, text: str) -> str:
        """`text` with dashes, ellipses and quotes as smarty educates them (their HTML as stand-ins);
        texts joined with the separator are each educated as if alone."""
        present = [needs for needs in self._triggers if needs in text]
        if not present:
            return text
        replacements: list[str] = []
        for substitution in self._substitutions:
            # A substitution only ever takes text away, so what was absent stays absent.
            if substitution.needs in present:
                text = self._apply(substitution, text, replacements)
        if not replacements:
            return text
        return _TOKEN_RE.sub(lambda found: replacements[int(found.group(1))], text)

    def _apply(self, substitution: _Substitution, text: str, replacements: list[str]) -> str:
        """`text` with every match of `substitution` in turn replaced by a placeholder, as
        Python-Markdown's inline pass replaces them: each search starts after the last placeholder."""
        whole = substitution.whole
        # A pattern opening with a lookbehind matches exactly what it needs: two matches can touch
        # only where that appears twice in a row (then the loop below, which sees the placeholder
        # before the second one as Python-Markdown does).
        if whole is not None and not (substitution.looks_behind and substitution.needs * 2 in text):
            parts = substitution.parts
            if len(parts) > 1 or isinstance(parts[0], int):
                return whole.sub(lambda match: self._replaced(substitution, match, replacements), text)
            stand_in = self._stand_ins[parts[0]]
            text, count = whole.subn(stand_in, text)  # the same for every match
            if count:
                self.used[parts[0]] = stand_in
            return text
        pieces: list[str] = []
        done = 0  # where the text not yet copied into `pieces` starts: the end of the last match
        position = 0
        while (match := _search(substitution, text, position)) is not None:
            start = match.start()
            if start == done and done and substitution.looks_behind:
                # Here Python-Markdown's text has the placeholder's last character before the match.
                if substitution.regex.match(_END + text[start:], 1) is None:
                    position = start + 1
                    continue
            pieces.append(text[done:start])
            pieces.append(self._replaced(substitution, match, replacements))
            done = position = match.end()
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)

    def _replaced(self, substitution: _Substitution, match: re.Match[str], replacements: list[str]) -> str:
        """What stands for `match` while the later patterns run."""
        parts = substitution.parts
        if len(parts) == 1 and not isinstance(parts[0], int):
            # A stand-in opens with STX and ends with ETX as Python-Markdown's placeholders do, and
            # nothing between can be matched: it can stand for the match itself.
            return self._stand_in(parts[0])
        replacements.append("".join(match.group(part) if isinstance(part, int) else self._stand_in(part)
                                    for part in parts))
        return _TOKEN % (len(replacements) - 1)

    def _stand_in(self, html: str) -> str:
        stand_in = self.used[html] = self._stand_ins[html]
        return stand_in


class _PutBack(Postprocessor):
    """The HTML of each stand-in in its place, once the document is HTML (Python-Markdown stashes
    it and puts it back with a regex substitution for each of the hundreds of places in a document
    full of quotes; here one `str.replace` for each piece of HTML the document uses)."""

    def __init__(self, md: markdown.Markdown, smarty: _FastSmarty) -> None:
        super().__init__(md)
        self._smarty = smarty

    def run(self, text: str) -> str:
        """`text` (the document, or a heading the table of contents renders) with its stand-ins replaced."""
        if _STX not in text:
            return text
        for html, stand_in in self._smarty.used.items():
            text = text.replace(stand_in, html)
        return text


class FastSmartyExtension(SmartyExtension):
    """Smarty with its inline pass replaced by `_FastSmarty` over the very same patterns."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        """Register smarty, then put the cheaper pass in the place of its inline processor."""
        super().extendMarkdown(md)
        substitutions = tuple(_substitution(pattern.compiled_re, tuple(pattern.replace))
                              for pattern in self.inlinePatterns)
        pieces = dict.fromkeys(part for s in substitutions for part in s.parts if isinstance(part, str))
        stand_ins = {html: _STAND_IN % number for number, html in enumerate(pieces)}
        smarty = _FastSmarty(md, substitutions, stand_ins)
        md.treeprocessors.register(smarty, "smarty", 6)
        # After the raw HTML is back (it cannot hold a stand-in: Python-Markdown removes STX from the source).
        md.postprocessors.register(_PutBack(md, smarty), "smarty", 29)


def _search(substitution: _Substitution, text: str, position: int) -> re.Match[str] | None:
    # `regex.search(text, position)` started where a match can first start, near the text it must
    # consume (most of smarty's patterns open with a lookbehind, which `re` tries everywhere), and
    # ended at the separator after it (a regex that opens with a group of alternatives would
    # otherwise go over the texts after it one character at a time).
    quotes = substitution.quotes
    while True:
        if quotes is None:
            first = text.find(substitution.needs, position)
        else:
            found = quotes.search(text, position)
            first = -1 if found is None else found.start()
        if first < 0:
            return None
        end = text.find(_SEPARATOR, first)
        end = len(text) if end < 0 else end
        match = substitution.regex.search(text, max(position, first - substitution.reach), end)
        if match is not None:
            return match
        position = end


# A pattern's opening lookbehind, and the alternatives smarty lets stand before an opening quote.
_LOOKBEHIND = re.compile(r"\(\?<[=!](?:\[(?:\\.|[^\]\\])*\]|\\.|[^)\\])*\)")
_BEFORE_OPENING = re.compile(r"\((?:\\s\|)?&nbsp;\|[^()]*\)")
_CONSUMED = re.compile(r"(?:\\?['\"]|-|\\\.\{3\}|<|>)+")


def _substitution(regex: re.Pattern[str], parts: tuple[int | str, ...]) -> _Substitution:
    # Every smarty pattern consumes quotes, dashes, three dots or two angle brackets, and only the
    # opening quotes' start before them: at a space, `&nbsp;`, a dash or a dash's entity.
    source = regex.pattern
    anchored = source.startswith("^")
    rest = source[1:] if anchored else source
    behind = _LOOKBEHIND.match(rest)
    rest = rest[behind.end():] if behind else rest
    before = _BEFORE_OPENING.match(rest)
    rest = rest[before.end():] if before else rest
    consumed = _CONSUMED.match(rest)
    if consumed is None:
        raise ValueError(f"a smarty pattern this module does not know: {source}")
    needs = consumed.group().replace("\\.{3}", "...").replace("\\", "")
    literal, tail = re.escape(needs), rest[consumed.end():]
    whole = quotes = None
    if not before:
        # `(?<=C)X…` matches where `X(?<=CX)…` does (X is fixed text, so the lookbehind is of fixed
        # width too), and `re` finds a pattern that opens with fixed text far faster. `^` is the
        # start of any of the texts educated together.
        if anchored:
            opening = f"(?:(?<={re.escape(_SEPARATOR)}{literal})|(?<![\\s\\S]{literal}))"
        else:
            opening = "" if behind is None else behind.group()[:-1] + literal + ")"
        whole = re.compile(literal + opening + tail, regex.flags)
    else:
        # `(\s|&nbsp;|--|…)'(?=\w)`: the quote comes after a space, `;`, `-` or one of the dashes.
        ends = "".join(choice if choice == "\\s" else re.escape(choice[-1])
                       for choice in before.group()[1:-1].split("|"))
        quotes = re.compile(f"{literal}(?<=[{ends}]{literal}){tail}", regex.flags)
    if (whole is None and anchored) or (whole is not None and whole.groups != regex.groups):
        raise ValueError(f"a smarty pattern this module does not know: {source}")
    return _Substitution(regex, parts, needs, len("&#8211;") if before else 0, behind is not None, whole, quotes)
