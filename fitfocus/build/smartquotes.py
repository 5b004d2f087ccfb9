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


@dataclass(frozen=True)
class _Substitution:
    regex: re.Pattern[str]
    parts: tuple[int | str, ...]  # a group of the match, or HTML to stash
    needs: tuple[str, ...]  # every match consumes one of these: without any in the text it cannot match
    reach: int  # how far before the first of `needs` it consumes a match can start


class _FastSmarty(Treeprocessor):
    """Apply smarty's substitutions to every text and tail, pattern after pattern, as Python-Markdown's
    inline pass does, without its per-match bookkeeping."""

    def __init__(self, md: markdown.Markdown, substitutions: tuple[_Substitution, ...]) -> None:
        super().__init__(md)
        self._substitutions = substitutions
        self._triggers = frozenset(needs for s in substitutions for needs in s.needs)
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
        if not any(trigger in text for trigger in self._triggers):
            return text
        replacements: list[str] = []
        store = self._store
        for substitution in self._substitutions:
            position = 0
            while (match := _search(substitution, text, position)) is not None:
                replacements.append("".join(match.group(part) if isinstance(part, int) else store(part)
                                            for part in substitution.parts))
                token = _TOKEN % (len(replacements) - 1)
                start = match.start()
                text = text[:start] + token + text[match.end():]
                position = start + len(token)
        if not replacements:
            return text
        return _TOKEN_RE.sub(lambda found: replacements[int(found.group(1))], text)

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
    # `regex.search(text, position)` started where a match can first start, near the first character
    # it must consume (most of smarty's patterns open with a lookbehind, which `re` tries everywhere).
    first = min((found for needs in substitution.needs if (found := text.find(needs, position)) >= 0), default=-1)
    if first < 0:
        return None
    return substitution.regex.search(text, max(position, first - substitution.reach))


def _substitution(regex: re.Pattern[str], parts: tuple[int | str, ...]) -> _Substitution:
    # Every smarty pattern consumes a quote, two dashes, three dots or two angle brackets, and only
    # the opening quotes' start before it: at a space, `&nbsp;`, a dash or a dash's entity.
    source = regex.pattern
    reach = len("&#8211;") if source.startswith("(\\s|") else 0
    if "'" in source or '"' in source:
        needs: tuple[str, ...] = ("'", '"')
    else:
        needs = next(((n,) for n, mark in (("--", "-"), ("...", "."), ("<<", "<"), (">>", ">")) if mark in source), ())
    if not needs:
        raise ValueError(f"a smarty pattern this module does not know: {source}")
    return _Substitution(regex, parts, needs, reach)
