"""The links and images of a Markdown body, found in every syntax Markdown has for them and checked
by one set of rules: which schemes a link may use, and that an image is a described file of
content/media/. Raw HTML is the author's own and is not looked at.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

from fitfocus.content.model import Body, Image, Location, Ref, Routine
from fitfocus.content.routine import find_blocks, parse_routine
from fitfocus.problems import Problem, SourceFile

# Schemes a link written in Markdown may use, besides the site's own `exercise:` and `post:`.
WEB_SCHEMES = ("http", "https", "mailto", "tel")
SITE_KINDS = ("exercise", "post")
SCHEME_HINT = ("link with https://, mailto: or tel:, a path on this site such as /about/, "
               "or exercise:<slug> and post:<slug>")
IMAGE_EXAMPLE = "![alt text](media/file.jpg)"

# `](target)` of an inline link or image, the target bare or in `<…>`.
_INLINE = re.compile(r"\]\(\s*(?:<(?P<angle>[^>\n]*)>|(?P<bare>[^)\s]*))")
# `[label]: target` of a reference definition, also inside a blockquote.
_DEFINITION = re.compile(r"^(?P<quote>(?: {0,3}>)* {0,3})\[(?!\^)(?P<label>[^\]]+)\]:\s*(?:<(?P<angle>[^>\n]*)>|(?P<bare>\S+))")
# `![alt][label]`, `![alt] [label]`, `![alt][]` and `![alt]` (a shortcut reference when `alt` is a label).
_REF_IMAGE = re.compile(r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\](?: ?\[(?P<label>[^\]]*)\])?(?![(\[:])")
# `<exercise:squat>` and `<post:legs>` autolinks.
_AUTOLINK = re.compile(r"<(?P<target>(?:exercise|post):[^<>\s]*)>")
# A routine fence Markdown would not see as one: inside a blockquote, a list item, or indented as code.
_NESTED_FENCE = re.compile(r"^(?P<lead>\s*(?:>\s*)+|\s*(?:[-*+]|\d{1,9}[.)])\s+| {4,}|\t)(?:`{3,}|~{3,})\s*routine\b",
                           re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def link_scheme(target: str) -> str | None:
    """The scheme of `target` as a browser reads it (entities decoded, tabs and newlines dropped), lowercased."""
    match = _SCHEME.match(_INVISIBLE.sub("", html.unescape(target)))
    return match.group("scheme").lower() if match else None


def allowed_link(target: str) -> bool:
    """Whether a link to `target` may be published: a web, mail or phone link, or one within the site."""
    scheme = link_scheme(target)
    return scheme is None or scheme in WEB_SCHEMES or scheme in SITE_KINDS


def scan_body(source: SourceFile, text: str, first_line: int, media: frozenset[str], problems: list[Problem],
              allow_routines: bool) -> Body:
    """Read the routines, links and images of a body (starting at file line `first_line`), checking each."""
    lines = text.split("\n")
    blocks, code = find_blocks(lines)
    routines: list[Routine] = []
    for number, block in enumerate(blocks, start=1):
        if not allow_routines:
            problems.append(source.problem(first_line + block.fence_line, 1, "routine blocks belong in posts"))
            continue
        routine, found = parse_routine(source, block, first_line, number)
        problems.extend(found)
        if routine is not None:
            routines.append(routine)
    masked = _mask_code(lines, [(b.fence_line, b.end_line) for b in blocks] + code)
    scan = _Scan(source, first_line, media, problems)
    for index, line in enumerate(masked):
        scan.definitions(index, line)
    for index, line in enumerate(masked):
        scan.line(index, line)
    return Body(text, first_line, tuple(scan.links), tuple(scan.images), tuple(routines))


class _Scan:
    """What one body's lines hold, gathered line by line."""

    def __init__(self, source: SourceFile, first_line: int, media: frozenset[str], problems: list[Problem]) -> None:
        self.source = source
        self.first_line = first_line
        self.media = media
        self.problems = problems
        self.links: list[Ref] = []
        self.images: list[Image] = []
        self.defined: dict[str, tuple[str, Location]] = {}  # label (folded) -> target, where written

    def at(self, index: int, col: int) -> Location:
        number = self.first_line + index
        return Location(self.source.display, number, col + 1, self.source.line(number))

    def definitions(self, index: int, line: str) -> None:
        match = _DEFINITION.match(line)
        if match is None:
            return
        group = "angle" if match.group("angle") is not None else "bare"
        target, at = match.group(group), self.at(index, match.start(group))
        self.defined.setdefault(_fold(match.group("label")), (target, at))
        self.link(target, at)

    def line(self, index: int, line: str) -> None:
        inline_targets = set()
        for match in _INLINE.finditer(line):
            group = "angle" if match.group("angle") is not None else "bare"
            target, at = match.group(group), self.at(index, match.start(group))
            inline_targets.add(match.start(group))
            opening = _opening_bracket(line, match.start())
            if opening > 0 and line[opening - 1] == "!":
                alt = line[opening + 1:match.start()]
                self.image(Image(target, alt.strip(), self.at(index, opening - 1)), at)
            else:
                self.link(target, at)
        for match in _REF_IMAGE.finditer(line):
            label = _fold(match.group("label") or match.group("alt"))
            if label in self.defined:
                target, at = self.defined[label]
                self.image(Image(target, match.group("alt").strip(), self.at(index, match.start())), at)
        for match in _AUTOLINK.finditer(line):
            if match.start("target") not in inline_targets:  # not the `<…>` target of `[x](<…>)`
                self.links.append(Ref(match.group("target"), self.at(index, match.start("target"))))
        nested = _NESTED_FENCE.match(line)
        if nested is not None:
            where = "a blockquote" if ">" in nested.group("lead") else (
                "a list" if nested.group("lead").strip() else "an indented block")
            self.problems.append(self.at(index, len(nested.group("lead"))).problem(
                f"a routine block inside {where} is not read",
                "start the ```routine fence at the beginning of a line, outside quotes and lists"))

    def link(self, target: str, at: Location) -> None:
        scheme = link_scheme(target)
        if scheme in SITE_KINDS and target.startswith(SITE_KINDS):
            self.links.append(Ref(target, at))
        elif scheme in SITE_KINDS:
            self.problems.append(at.problem(f"write `{scheme}:` links in lowercase", f"`{scheme}:<slug>`"))
        elif scheme is not None and scheme not in WEB_SCHEMES:
            self.problems.append(at.problem(f"`{scheme}:` links are not allowed in Markdown", SCHEME_HINT))

    def image(self, image: Image, src_at: Location) -> None:
        self.images.append(image)
        check_image(image, self.media, self.problems, IMAGE_EXAMPLE, src_at)


def check_image(image: Image, media: frozenset[str], problems: list[Problem], example: str,
                src_at: Location | None = None) -> None:
    """Report an image without alt text, or one that is not a file of content/media/ (nor on the web)."""
    src_at = src_at or image.at
    if not image.alt:
        problems.append(image.at.problem("image has no alt text",
                                         f"describe the picture for readers who cannot see it: {example}"))
    scheme = link_scheme(image.src)
    if scheme in ("http", "https"):
        return
    if scheme or image.src.startswith("/") or not image.src.startswith("media/"):
        problems.append(src_at.problem(f"image `{image.src}` must be a file under content/media/",
                                       "write its path as `media/<file>`"))
    elif media_name(image.src) not in media:
        problems.append(src_at.problem(f"image `{image.src}` not found",
                                       f"put the file at content/{media_name(image.src)}"))


def media_name(src: str) -> str:
    """The file a `media/…` image names, relative to content/: `media/my%20photo.jpg` -> `media/my photo.jpg`."""
    return unquote(src.split("#")[0])


def _opening_bracket(line: str, closing: int) -> int:
    """The index of the `[` that the `]` at `closing` closes, or -1."""
    depth = 0
    for index in range(closing - 1, -1, -1):
        char = line[index]
        if index > 0 and line[index - 1] == "\\":
            continue
        if char == "]":
            depth += 1
        elif char == "[":
            if depth == 0:
                return index
            depth -= 1
    return -1


def _fold(label: str) -> str:
    return " ".join(label.split()).casefold()


def _mask_code(lines: list[str], spans: list[tuple[int, int]]) -> list[str]:
    masked = list(lines)
    for start, end in spans:
        for index in range(start, end + 1):
            masked[index] = ""
    return [_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) for line in masked]
