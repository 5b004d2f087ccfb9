"""A WordPress post's HTML as Markdown: block comments, `wpautop` paragraphs, shortcodes, links and pictures.

Scripts, styles and event-handler attributes are dropped; text that looks like HTML is escaped, so
nothing from the export reaches the page as raw HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

from markdownify import MarkdownConverter

# How a picture address of the export becomes one of the site's (None: dropped).
Picture = Callable[[str], "str | None"]
# A link to the old blog's own post or page, as the site's link to it (None: left as it is).
Relink = Callable[[str], "str | None"]

KNOWN = ("caption", "wp_caption", "embed", "video", "gallery")
VIDEO_HOSTS = {"youtube.com": "YouTube", "youtu.be": "YouTube", "vimeo.com": "Vimeo"}
VIDEO_FILES = (".mp4", ".webm", ".mov", ".m4v", ".ogv")
SAFE_SCHEMES = ("http", "https", "mailto", "tel", "")

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DROPPED = re.compile(r"<(script|style)\b.*?</\1\s*>|<(script|style)\b[^>]*/?>", re.DOTALL | re.IGNORECASE)
_PRE = re.compile(r"<pre\b.*?</pre\s*>", re.DOTALL | re.IGNORECASE)
_BLOCK_START = re.compile(r"^\s*</?(p|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|table|thead|tbody|tr|td|th|figure|"
                          r"figcaption|div|pre|hr|section|article|aside|header|footer|form|address|iframe)\b",
                          re.IGNORECASE)
_SHORTCODE = re.compile(r"\[(?P<name>[a-z][a-z0-9_-]*)(?P<attrs>(?:\s[^\]]*)?)\]", re.IGNORECASE)
_ATTR = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"']+))")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_TOKEN = "WPIMPORTTOKEN{}END"
_TOKEN_FIND = re.compile(r"WPIMPORTTOKEN(\d+)END")
_BARE_URL = re.compile(r"^\s*(https?://\S+)\s*$")
_NAMED_MARK_TEXT = "WPIMPORTNOALT"
_NAMED_MARK = re.compile(_NAMED_MARK_TEXT)
_NAMED = re.compile(r"!\[[^\]]*" + _NAMED_MARK_TEXT + r"\]\(([^)]*)\)")


@dataclass(frozen=True)
class Attachment:
    """A WordPress media item: its file's address and its alt text."""

    url: str
    alt: str


@dataclass(frozen=True)
class Converted:
    """A post's Markdown and the shortcodes it used that the importer does not know."""

    markdown: str
    unknown: tuple[str, ...]
    missing: tuple[str, ...]  # gallery ids with no attachment in the export
    undescribed: tuple[str, ...]  # pictures that had no alt text, described by their file name


def to_markdown(text: str, picture: Picture, attachments: dict[str, Attachment],
                relink: Relink = lambda url: None) -> Converted:
    """The Markdown of a post's `content:encoded`, pictures mapped by `picture`, links by `relink`."""
    gutenberg = "<!-- wp:" in text
    text = _BLOCK_COMMENT.sub("", text)
    text = _COMMENT.sub("", text)
    text = _DROPPED.sub("", text)
    tokens: list[str] = []
    unknown: list[str] = []
    missing: list[str] = []

    def token(markdown: str) -> str:
        tokens.append(markdown)
        return _TOKEN.format(len(tokens) - 1)

    text = _shortcodes(text, picture, attachments, token, unknown, missing)
    text = "\n".join(_bare_video(line, token) for line in text.split("\n"))
    if not gutenberg:
        text = autop(text)
    converter = _Converter(picture, relink)
    markdown = converter.convert(text).strip()
    markdown = _TOKEN_FIND.sub(lambda m: tokens[int(m.group(1))], markdown)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown)
    undescribed = tuple(dict.fromkeys(_NAMED.findall(markdown)))
    markdown = _NAMED_MARK.sub("", markdown)
    return Converted(markdown + "\n" if markdown else "", tuple(dict.fromkeys(unknown)), tuple(missing),
                     undescribed)


def describe(alt: str, src: str) -> str:
    """`alt`, or for a picture without one words from its file name (marked, to be reported)."""
    if alt.strip():
        return alt
    stem = re.sub(r"-\d+x\d+$", "", src.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    words = " ".join(re.sub(r"[^A-Za-z0-9]+", " ", stem).split()) or "picture"
    return f"{words}{_NAMED_MARK_TEXT}"


def autop(text: str) -> str:
    """WordPress's `wpautop`: text between blank lines is a paragraph, a single line end a line break."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\n\nWPIMPORTPRE{len(kept) - 1}END\n\n"

    text = _PRE.sub(keep, text.replace("\r\n", "\n"))
    chunks = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk) or re.fullmatch(r"WPIMPORTPRE\d+END", chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    text = "\n\n".join(chunks)
    return re.sub(r"WPIMPORTPRE(\d+)END", lambda m: kept[int(m.group(1))], text)


def video_link(url: str) -> str | None:
    """A Markdown link to the video at `url`, or None when `url` is not a web address of a video."""
    url = html.unescape(url.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        return None
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    where = VIDEO_HOSTS.get(host)
    if where is None and not parts.path.lower().endswith(VIDEO_FILES):
        return None
    words = f"Watch the video on {where}" if where else "Watch the video"
    return f"[{words}]({_link_target(url)})"


def attributes(text: str) -> dict[str, str]:
    """A shortcode's or a tag's `name="value"` attributes, names lowercased, values with entities decoded."""
    return {m.group(1).lower(): html.unescape(next(v for v in m.groups()[1:] if v is not None))
            for m in _ATTR.finditer(text)}


def plain(text: str) -> str:
    """HTML as one line of plain text."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())


def _shortcodes(text: str, picture: Picture, attachments: dict[str, Attachment], token: Callable[[str], str],
                unknown: list[str], missing: list[str]) -> str:
    out: list[str] = []
    at = 0
    while True:
        match = _SHORTCODE.search(text, at)
        if match is None:
            out.append(text[at:])
            return "".join(out)
        name = match.group("name").lower()
        out.append(text[at:match.start()])
        at = match.end()
        closing = re.compile(rf"\[/{re.escape(match.group('name'))}\]", re.IGNORECASE).search(text, at)
        inner = text[at:closing.start()] if closing else ""
        attrs = attributes(match.group("attrs"))
        if name in ("caption", "wp_caption"):
            out.append(token(_caption(inner, attrs, picture)))
            at = closing.end() if closing else at
        elif name == "embed":
            url = plain(inner) if closing else ""
            out.append(token(video_link(url) or _plain_link(url)) if url else "")
            at = closing.end() if closing else at
        elif name == "video":
            url = next((attrs[k] for k in ("src", "mp4", "webm", "m4v", "ogv", "mov") if k in attrs), "")
            out.append(token(video_link(url) or _plain_link(url)) if url else "")
            at = closing.end() if closing else at
        elif name == "gallery":
            ids = [i.strip() for i in attrs.get("ids", "").split(",") if i.strip()]
            lines = []
            for number in ids:
                item = attachments.get(number)
                target = picture(item.url) if item else None
                if item is None or target is None:
                    missing.append(number)
                    continue
                lines.append(f"![{_escape_alt(describe(item.alt, target))}]({_link_target(target)})")
            out.append(token("\n\n".join(lines)) if lines else "")
        else:
            if "=" in match.group("attrs") or closing or "_" in name:
                unknown.append(name)
            out.append(match.group(0))


def _caption(inner: str, attrs: dict[str, str], picture: Picture) -> str:
    image = _IMG.search(inner)
    words = attrs.get("caption") or plain(_IMG.sub(" ", re.sub(r"<a\b[^>]*>|</a>", "", inner)))
    lines = []
    if image:
        img = attributes(image.group(0)[4:])
        target = picture(img.get("src", ""))
        alt = describe(img.get("alt") or words, target or "")
        if target:
            lines.append(f"![{_escape_alt(alt)}]({_link_target(target)})")
    if words:
        lines.append(f"*{_escape_text(words)}*")
    return "\n\n".join(lines)


def _bare_video(line: str, token: Callable[[str], str]) -> str:
    match = _BARE_URL.match(re.sub(r"</?(p|div)\b[^>]*>", "", line, flags=re.IGNORECASE))
    link = video_link(match.group(1)) if match else None
    return token(link) if link else line


def _plain_link(url: str) -> str:
    target = _safe_href(url)
    return f"[{_escape_text(url)}]({_link_target(target)})" if target else _escape_text(url)


def _safe_href(url: str) -> str | None:
    url = html.unescape(url.strip())
    scheme = urlsplit(url).scheme.lower() if ":" in url else ""
    return url if scheme in SAFE_SCHEMES and not any(c.isspace() for c in url) else None


def _link_target(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def _escape_alt(text: str) -> str:
    return _escape_text(" ".join(text.split())).replace("[", "\\[").replace("]", "\\]")


def _escape_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("<", "&lt;")


class _Converter(MarkdownConverter):
    """markdownify with the site's Markdown style, pictures mapped and unsafe links dropped."""

    def __init__(self, picture: Picture, relink: Relink) -> None:
        super().__init__(heading_style="ATX", bullets="-", escape_underscores=False, strong_em_symbol="*")
        self.picture = picture
        self.relink = relink

    def escape(self, text: str, parent_tags: set[str]) -> str:  # type: ignore[override]
        """Text as Markdown: what markdownify escapes, and `<` so no text becomes HTML."""
        return super().escape(text, parent_tags).replace("<", "&lt;")

    def convert_img(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        """A picture at its new address (only alt text if it has none)."""
        target = self.picture(el.attrs.get("src", "") or "")
        alt = el.attrs.get("alt", "") or el.attrs.get("title", "") or ""
        if target is None:
            return _escape_text(alt)
        return f"![{_escape_alt(describe(alt, target))}]({_link_target(target)})"

    def convert_a(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        """A link with a safe address; a link around only a picture is the picture."""
        href = _safe_href(el.attrs.get("href", "") or "")
        if el.find("img") is not None and not el.get_text(strip=True):
            return text
        if not href or not text.strip():
            return text
        return f"[{text.strip()}]({_link_target(self.relink(href) or href)})"

    def convert_figure(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        """A figure (the block editor's picture, table or embed) is a block of its own."""
        return f"\n\n{text.strip()}\n\n" if text.strip() else ""

    def convert_iframe(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        """An embedded video as a link to it; other frames are dropped."""
        link = video_link(el.attrs.get("src", "") or "")
        return f"\n\n{link}\n\n" if link else ""
