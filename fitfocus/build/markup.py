"""Markdown to HTML: Python-Markdown with the site's extensions, routine blocks and reference links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Callable
from urllib.parse import quote

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from fitfocus.build.inline import use_prechecked_inline
from fitfocus.build.smartquotes import FastSmartyExtension
from fitfocus.content.links import media_name
from fitfocus.content.model import Body
from fitfocus.content.routine import find_blocks

# Resolves `exercise:squat`, `post:legs` or `media/x.jpg` to a link; validate.check has made sure it can.
Resolver = Callable[[str], str]

# A media file's `<source>` attributes and `<img>` attributes (sizes, srcset), or None to leave it.
PictureParts = Callable[[str], tuple[list[dict[str, str]], dict[str, str]] | None]

# `<exercise:squat#cues>`: the target, and the slug it shows.
_AUTOLINK = r"<((?:exercise|post):([^<>\s#]*)[^<>\s]*)>"


class _RoutinePreprocessor(Preprocessor):
    """Replace each ```routine fence with its rendered table (runs before fenced code)."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.tables: list[str] = []

    def run(self, lines: list[str]) -> list[str]:
        blocks, _ = find_blocks(lines)
        if not blocks:
            return lines
        out: list[str] = []
        position = 0
        for block, html in zip(blocks, self.tables):
            out.extend(lines[position:block.fence_line])
            out.extend(["", self.md.htmlStash.store(html), ""])
            position = block.end_line + 1
        out.extend(lines[position:])
        return out


class _SiteAutolink(InlineProcessor):
    """`<exercise:squat>` and `<post:legs>`: a link showing the slug, like `<https://…>` shows its URL."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # noqa: N802
        element = etree.Element("a")
        element.set("href", m.group(1))
        element.text = m.group(2)
        return element, m.start(0), m.end(0)


class _LinkTreeprocessor(Treeprocessor):
    """Point `exercise:` and `post:` links and `media/` images at their pages and files."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.resolve: Resolver = lambda target: target
        self.pictures: PictureParts = lambda name: None

    def run(self, root: etree.Element) -> None:
        pictures: list[tuple[etree.Element, tuple[list[dict[str, str]], dict[str, str]] | None]] = []
        for element in root.iter():
            if element.tag == "a":
                href = element.get("href", "")
                if href.startswith(("exercise:", "post:")):
                    element.set("href", self.resolve(href))
            elif element.tag == "img":
                src = element.get("src", "")
                if src.startswith("media/"):
                    # `media/my photo.jpg` and `media/my%20photo.jpg` name one file and get one URL.
                    element.set("src", self.resolve(quote(media_name(src), safe="/")))
                    pictures.append((element, self.pictures(media_name(src))))
                element.set("loading", "lazy")
                element.set("decoding", "async")
        for element, picture in pictures:
            self._responsive(element, picture)

    def _responsive(self, element: etree.Element, parts: tuple[list[dict[str, str]], dict[str, str]] | None) -> None:
        """Turn an `<img>` of a raster picture into a `<picture>` (and give any picture its size)."""
        if parts is None:
            return
        sources, attributes = parts
        if not sources:
            for name, value in attributes.items():
                element.set(name, value)
            return
        kept = {name: value for name, value in element.attrib.items() if name not in attributes}
        tail = element.tail
        element.clear()  # which drops the text after the image too: it is put back
        element.tag, element.tail = "picture", tail
        for source in sources:
            etree.SubElement(element, "source", source)
        etree.SubElement(element, "img", {**attributes, **kept})


class _SiteExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(_RoutinePreprocessor(md), "fitfocus_routine", 30)
        # Above Python-Markdown's raw HTML (90), which would pass `<exercise:squat>` on as a tag.
        md.inlinePatterns.register(_SiteAutolink(_AUTOLINK, md), "fitfocus_autolink", 125)
        md.treeprocessors.register(_LinkTreeprocessor(md), "fitfocus_links", 5)


def python_markdown(smart_quotes: Extension | str | None = None, prechecked: bool = True) -> markdown.Markdown:
    """Python-Markdown with the site's extensions; `smart_quotes` in place of the fast smarty and
    `prechecked=False` for Python-Markdown's own inline pass (both for tests)."""
    # Extensions given as objects, not by name: a name is looked up among every installed package's
    # entry points, about 20 ms of each process that renders.
    md = markdown.Markdown(
        extensions=[TableExtension(),
                    # Footnote ids must not depend on how many documents this instance rendered before
                    # (UNIQUE_IDS numbers them so): a body renders the same in any process, in any order.
                    FootnoteExtension(UNIQUE_IDS=False),
                    AttrListExtension(), TocExtension(permalink=False), smart_quotes or FastSmartyExtension(),
                    FencedCodeExtension(), SaneListExtension(), _SiteExtension()],
        output_format="html",
    )
    if prechecked:
        use_prechecked_inline(md)
    return md


class MarkdownRenderer:
    """One configured Python-Markdown instance, reset for each document."""

    def __init__(self, smart_quotes: Extension | str | None = None, prechecked: bool = True) -> None:
        self._md = python_markdown(smart_quotes, prechecked)
        self._routines: _RoutinePreprocessor = self._md.preprocessors["fitfocus_routine"]  # type: ignore[assignment]
        self._links: _LinkTreeprocessor = self._md.treeprocessors["fitfocus_links"]  # type: ignore[assignment]

    def render(self, body: Body, resolve: Resolver, tables: list[str] | None = None,
               pictures: PictureParts | None = None) -> str:
        """Render `body` to HTML, with `tables[i]` in place of the i-th routine block and
        `media/` pictures given the attributes `pictures` gives."""
        self._md.reset()
        self._routines.tables = tables or []
        self._links.resolve = resolve
        self._links.pictures = pictures or (lambda name: None)
        return self._md.convert(body.text)
