"""A WordPress export (WXR) read safely: no entity is expanded and nothing is fetched."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from fitfocus.problems import BuildFailed, SourceFile


@dataclass(frozen=True)
class Item:
    """One `<item>` of the export, as read."""

    id: str
    kind: str
    status: str
    title: str
    slug: str
    date: str
    link: str
    guid: str
    content: str
    excerpt: str
    categories: tuple[tuple[str, str, str], ...]  # (domain, nicename, name)
    meta: dict[str, str]
    comments: int
    attachment_url: str
    line: int
    col: int


def read_items(source: SourceFile) -> tuple[str, list[Item]]:
    """The blog's address and every `<item>` of the export; raise BuildFailed (located) when it is not
    a safe, well-formed WXR file."""
    try:
        tree = fromstring(source.text.encode("utf-8"), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except ParseError as error:
        line, col = error.position
        raise BuildFailed([source.problem(line, col + 1, f"malformed XML: {_reason(error)}",
                                          "export the blog again from Tools → Export")]) from None
    except DefusedXmlException as error:
        at = source.text.find("<!ENTITY")
        line = source.text.count("\n", 0, max(at, 0)) + 1
        col = at - source.text.rfind("\n", 0, at) if at >= 0 else 1
        name = getattr(error, "name", None)
        raise BuildFailed([source.problem(line, col, f"the export declares the entity `{name}`; entities are not read"
                                          if name else "the export declares a document type; it is not read",
                                          "a WordPress export never declares entities; export it again")]) from None
    channel = tree.find("channel")
    if tree.tag != "rss" or channel is None:
        raise BuildFailed([source.problem(1, 1, "not a WordPress export (no <rss><channel>)",
                                          "export the blog from Tools → Export in WordPress")])
    items = []
    positions = _item_positions(source.text)
    for index, element in enumerate(channel.findall("item")):
        line, col = positions[index] if index < len(positions) else (1, 1)
        items.append(_item(element, line, col))
    base = next((child.text or "" for child in channel if _name(child.tag) == "wp:base_blog_url"), "") \
        or (channel.findtext("link") or "")
    return base.strip(), items


def _item(element: Element, line: int, col: int) -> Item:
    def get(name: str) -> str:
        for child in element:
            if _name(child.tag) == name:
                return child.text or ""
        return ""

    meta = {}
    comments = 0
    categories = []
    for child in element:
        kind = _name(child.tag)
        if kind == "wp:postmeta":
            key = next((c.text or "" for c in child if _name(c.tag) == "wp:meta_key"), "")
            value = next((c.text or "" for c in child if _name(c.tag) == "wp:meta_value"), "")
            meta[key] = value
        elif kind == "wp:comment":
            comments += 1
        elif kind == "category":
            categories.append((child.get("domain", ""), child.get("nicename", ""), html.unescape(child.text or "")))
    return Item(get("wp:post_id").strip(), get("wp:post_type").strip(), get("wp:status").strip(),
                " ".join(html.unescape(get("title")).split()), get("wp:post_name").strip(), get("wp:post_date").strip(),
                get("link").strip(), get("guid").strip(), get("content:encoded"), get("excerpt:encoded"),
                tuple(categories), meta, comments, get("wp:attachment_url").strip(), line, col)


def _name(tag: str) -> str:
    """`{namespace}local` as the prefix WordPress uses: `wp:post_id`, `content:encoded`, `excerpt:encoded`."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if "/excerpt/" in namespace:
        return "excerpt:" + local
    if namespace.startswith(("http://wordpress.org/export/", "https://wordpress.org/export/")):
        return "wp:" + local
    if namespace.startswith("http://purl.org/rss/1.0/modules/content"):
        return "content:" + local
    return local


def _item_positions(text: str) -> list[tuple[int, int]]:
    positions = []
    for match in re.finditer(r"<item\b", text):
        line = text.count("\n", 0, match.start()) + 1
        positions.append((line, match.start() - text.rfind("\n", 0, match.start())))
    return positions


def _reason(error: ParseError) -> str:
    return re.sub(r": line \d+, column \d+$", "", str(error))
