"""Python-Markdown's smarty extension with a cheaper pass over the text: the same patterns, the same
order, the same output (tests/build/test_smartquotes.py compares the two on a generated corpus)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions.smarty import SmartyExtension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# Stands for one educated match while the later patterns run. Python-Markdown puts its own
# placeholder there, and the patterns can see only its first character (STX, before it) and its
# last (ETX, after it): none of them can start a match on the letters and digits between.
_TOKEN = "\x02fq%d\x03"
_TOKEN_RE = re.compile("\x02fq(\\d+)\x03")
_END = "\x03"


@dataclass(frozen=True)
class _Substitution:
    regex: re.Pattern[str]
    parts: tuple[int | str, ...]  # a group of the match, or HTML to stash
    needs: str  # the text every match consumes: without it in the text it cannot match
    reach: int  # how far before `needs` a match can start
    anchored: bool  # it matches only at the start of the text
    looks_behind: bool  # it opens with a lookbehind, which sees the end of the previous match's placeholder


class _FastSmarty(Treeprocessor):
    """Apply smarty's substitutions to every text and tail, pattern after pattern, as Python-Markdown's
    inline pass does, without its per-match bookkeeping."""

    def __init__(self, md: markdown.Markdown, substitutions: tuple[_Substitution, ...]) -> None:
        super().__init__(md)
        self._substitutions = substitutions
        self._triggers = tuple(dict.fromkeys(s.needs for s in substitutions))
        self._stashed: dict[str, str] = {}

    def run(self, root: etree.Element) -> None:
        # One stash entry per entity and document: the postprocessor puts it back at every placeholder.
        self._stashed = {}
        for element in root.iter():
            if element is root:
                continue
            if element.text and not isinstance(element.text, AtomicString):
                element.text = self.educate(element.text)
            if element.tail and not isinstance(element.tail, AtomicString):
                element.tail = self.educate(element.tail)

    def educate(self, text: str) -> str:
        """`text` with dashes, ellipses and quotes as smarty educates them (HTML stashed)."""
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
        if substitution.anchored:
            match = substitution.regex.match(text) if text.startswith(substitution.needs) else None
            return text if match is None else self._replaced(substitution, match, replacements) + text[match.end():]
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
            # A stash placeholder opens with STX and ends with ETX as Python-Markdown's own does, and
            # nothing between can be matched: it can stand for the match itself.
            return self._store(parts[0])
        replacements.append("".join(match.group(part) if isinstance(part, int) else self._store(part)
                                    for part in parts))
        return _TOKEN % (len(replacements) - 1)

    def _store(self, html: str) -> str:
        placeholder = self._stashed.get(html)
        if placeholder is None:
            placeholder = self._stashed[html] = self.md.htmlStash.store(html)
        return placeholder


class FastSmartyExtension(SmartyExtension):
    """Smarty with its inline pass replaced by `_FastSmarty` over the very same patterns."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        """Register smarty, then put the cheaper pass in the place of its inline processor."""
        super().extendMarkdown(md)
        substitutions = tuple(_substitution(pattern.compiled_re, tuple(pattern.replace))
                              for pattern in self.inlinePatterns)
        md.treeprocessors.register(_FastSmarty(md, substitutions), "smarty", 6)


def _search(substitution: _Substitution, text: str, position: int) -> re.Match[str] | None:
    # `regex.search(text, position)` started where a match can first start, near the text it must
    # consume (most of smarty's patterns open with a lookbehind, which `re` tries everywhere).
    first = text.find(substitution.needs, position)
    if first < 0:
        return None
    return substitution.regex.search(text, max(position, first - substitution.reach))


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
    return _Substitution(regex, parts, needs, len("&#8211;") if before else 0, anchored, behind is not None)
